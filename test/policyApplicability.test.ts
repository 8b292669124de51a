import { strict as assert } from "assert";
import { loadBalancerPolicies } from "../policies/rules/loadBalancers";
import { runPolicyOutcomes } from "../testing/policyRunner";
import { FakeResource, T, fakeRun, fakeUrn } from "./policyHelpers";

/**
 * The CLI shows a policy as passed for a resource only when it reported neither a violation nor
 * "not applicable" for it. `aws.lb` and `aws.alb` are two type tokens for the same AWS resource,
 * so a rule that covers both must still pass a compliant resource of either token.
 */
async function passed(resource: FakeResource): Promise<string[]> {
  const { violations, notApplicable } = await runPolicyOutcomes(
    fakeRun([resource]),
    loadBalancerPolicies,
  );
  const urn = fakeUrn(resource.type, resource.name);
  const other = new Set(
    [...violations, ...notApplicable].filter((o) => o.urn === urn).map((o) => o.policyName),
  );
  return loadBalancerPolicies.map((p) => p.name).filter((n) => !other.has(n));
}

const alb = {
  loadBalancerType: "application",
  enableDeletionProtection: true,
  dropInvalidHeaderFields: true,
  accessLogs: { bucket: "logs", prefix: "web", enabled: true },
};
const targetGroup = {
  port: 80,
  protocol: "HTTP",
  healthCheck: { enabled: true, path: "/healthz" },
};
const listener = {
  port: 443,
  protocol: "HTTPS",
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  defaultActions: [{ type: "forward" }],
};

describe("load balancer rules pass compliant resources of either type token", () => {
  const cases: [string, string[], object, string[]][] = [
    [
      "load balancer",
      [T.lb, T.albLb],
      alb,
      [
        "lb-cross-zone-enabled",
        "alb-drop-invalid-headers",
        "lb-deletion-protection",
        "lb-access-logs",
        "alb-desync-mitigation",
      ],
    ],
    [
      "target group",
      [T.tg, T.albTg],
      targetGroup,
      ["target-group-cross-zone-not-disabled", "target-group-health-check"],
    ],
    [
      "listener",
      [T.listener, T.albListener],
      listener,
      ["http-listener-redirects-to-https", "listener-approved-tls-policy"],
    ],
  ];
  for (const [what, tokens, props, expected] of cases) {
    for (const type of tokens) {
      it(`reports a compliant ${what} (${type}) as passed by ${expected.join(", ")}`, async () => {
        assert.deepEqual(await passed({ type, name: "subject", props: { ...props } }), expected);
      });
    }
  }
});
