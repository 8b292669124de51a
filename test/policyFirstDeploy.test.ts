import { strict as assert } from "assert";
import { PACK_ENFORCEMENT_LEVEL, policies } from "../policies/rules";
import { httpListenerRulesRedirectToHttps } from "../policies/rules/listenerRules";
import { noPublicIngress } from "../policies/rules/network";
import { ProgramRun, listGlobalStacks, listStacks, runStack } from "../testing/harness";
import { UNKNOWN } from "../testing/plannedOutputs";
import { policyConfigFileFor } from "../tools/deployments";
import {
  Violation,
  effectiveLevel,
  policyReport,
  readPolicyPackConfig,
} from "../testing/policyRunner";
import { T, UNKNOWN as POLICY_UNKNOWN, check } from "./policyHelpers";

/**
 * In `pulumi up`, stack policies run only after the resources exist; what gates the first deploy
 * is `pulumi preview --policy-pack`, where nothing exists yet. A policy that reads a value unknown
 * then comes back as an advisory "can't run … during preview" and blocks nothing
 * (pulumi/pulumi-policy#180), so every mandatory policy must decide on a first-deploy preview.
 */
const mandatory = new Set(
  policies
    .filter((p) => effectiveLevel(p, {}, PACK_ENFORCEMENT_LEVEL) !== "advisory")
    .map((p) => p.name),
);
const cantRun = (v: Violation) => v.message.startsWith("can't run policy");

describe("guardrails on a first-deploy preview", () => {
  it("uses the analyzer's own unknown sentinel", () => {
    assert.equal(UNKNOWN, POLICY_UNKNOWN);
    assert.ok(mandatory.size > 0);
  });

  for (const stack of [...listStacks(), ...listGlobalStacks()]) {
    describe(stack, () => {
      let run: ProgramRun;
      let violations: Violation[];
      before(async () => {
        run = await runStack(stack, {}, { preview: true });
        // With the stack's own policy config, as `npm start` and CI run it.
        const file = listGlobalStacks().includes(stack) ? undefined : policyConfigFileFor(stack);
        violations = (await policyReport(run, file ? readPolicyPackConfig(file) : {})).violations;
      });

      it("sees what the engine sees: computed outputs unknown, inputs unknown where they come from them", () => {
        if (listGlobalStacks().includes(stack)) {
          // The global stack's resources take known inputs from the regional stacks' outputs.
          const custom = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
          for (const r of custom) assert.equal(r.state.id, UNKNOWN, r.name);
          return;
        }
        // Guards against a pass that only means the run was not a preview.
        const groups = run.resources.filter((r) => r.type === T.sg);
        assert.ok(groups.length > 0);
        for (const g of groups) {
          assert.equal(g.state.id, UNKNOWN, g.name);
          assert.equal(g.state.arn, UNKNOWN, g.name);
          if (g.inputs.ingress === undefined) assert.equal(g.state.ingress, UNKNOWN, g.name);
        }
        const listeners = run.resources.filter((r) => r.type === T.listener);
        assert.ok(listeners.length > 0);
        for (const l of listeners) assert.equal(l.inputs.loadBalancerArn, UNKNOWN, l.name);
        for (const l of listeners) {
          if (l.inputs.protocol === undefined) assert.equal(l.state.protocol, UNKNOWN, l.name);
        }
      });

      it("has every mandatory policy decide (none comes back can't-run)", () => {
        assert.deepEqual(
          violations.filter((v) => cantRun(v) && mandatory.has(v.policyName)).map((v) => v.message),
          [],
        );
      });

      it("finds no mandatory violation, and no policy that can't run", () => {
        assert.deepEqual(
          violations
            .filter((v) => v.enforcementLevel === "mandatory" || cantRun(v))
            .map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceName}`),
          [],
        );
      });
    });
  }
});

describe("stack rules that decide on unknowns from the program's own resources", () => {
  it("still finds world-open ingress on a group whose inline ingress is unknown", async () => {
    const found = await check(noPublicIngress, [
      { type: T.sg, name: "app-sg", props: { ingress: UNKNOWN, id: UNKNOWN } },
      {
        type: T.sgIngress,
        name: "app-ssh",
        props: {
          securityGroupId: UNKNOWN,
          ipProtocol: "tcp",
          fromPort: 22,
          toPort: 22,
          cidrIpv4: "0.0.0.0/0",
        },
        links: { securityGroupId: ["app-sg"] },
      },
    ]);
    assert.deepEqual(
      found.map((v) => [v.enforcementLevel, v.resourceName]),
      [["mandatory", "app-ssh"]],
    );
  });

  const gwlb = {
    type: T.lb,
    name: "insp-gwlb",
    props: { loadBalancerType: "gateway", arn: UNKNOWN },
  };
  const alb = {
    type: T.lb,
    name: "web-alb",
    props: { loadBalancerType: "application", arn: UNKNOWN },
  };
  const forwardRule = (listener: string) => ({
    type: "aws:lb/listenerRule:ListenerRule",
    name: `${listener}-rule`,
    props: { listenerArn: UNKNOWN, actions: [{ type: "forward", targetGroupArn: UNKNOWN }] },
    links: { listenerArn: [listener] },
  });

  it("judges a listener with an unknown protocol by its load balancer: an ALB's defaults to HTTP", async () => {
    const found = await check(httpListenerRulesRedirectToHttps, [
      alb,
      {
        type: T.listener,
        name: "web-http",
        props: { protocol: UNKNOWN, arn: UNKNOWN, loadBalancerArn: UNKNOWN },
        links: { loadBalancerArn: ["web-alb"] },
      },
      forwardRule("web-http"),
    ]);
    assert.deepEqual(
      found.map((v) => [v.enforcementLevel, v.resourceName]),
      [["mandatory", "web-http-rule"]],
    );
  });

  it("judges a listener with an unknown protocol by its load balancer: a GWLB's carries GENEVE", async () => {
    const found = await check(httpListenerRulesRedirectToHttps, [
      gwlb,
      {
        type: T.listener,
        name: "insp-listener",
        props: { protocol: UNKNOWN, arn: UNKNOWN, loadBalancerArn: UNKNOWN },
        links: { loadBalancerArn: ["insp-gwlb"] },
      },
      forwardRule("insp-listener"),
    ]);
    assert.deepEqual(found, []);
  });
});
