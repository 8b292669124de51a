/**
 * Assertions shared by the test files (not a test file itself: mocha runs `*.test.ts` only).
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { LoadBalancedServiceArgs } from "../components";
import { ConfigError, parseStackConfig } from "../stacks/config";
import { LIBRARY_PHRASES } from "../stacks/configMessages";
import { ProgramRun, byName, readStackConfig, runComponents } from "../testing/harness";

/** The message of the ResourceError that `declare` must throw under mocks; fails otherwise. */
export async function errorOf(declare: () => unknown): Promise<string> {
  try {
    await runComponents(declare);
  } catch (err) {
    assert.ok(pulumi.ResourceError.isInstance(err), `expected a ResourceError, got ${String(err)}`);
    return (err as Error).message;
  }
  assert.fail("expected the component to reject its arguments");
}

/**
 * Every problem config validation reports for `stack` with `overrides`; [] when it passes. Every
 * validation table goes through here, so each checks too that no message carries the validation
 * library's own wording.
 */
export function problemsOf(stack: string, overrides: Record<string, unknown>): string[] {
  try {
    parseStackConfig(stack, readStackConfig(stack, overrides));
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    for (const p of err.problems) {
      const raw = LIBRARY_PHRASES.find((phrase) => phrase.test(p));
      assert.equal(raw, undefined, `library wording ${String(raw)} in: ${p}`);
    }
    return [...err.problems];
  }
  return [];
}

/** The variables a web service's user data writes to /etc/securecart/env, or {} for none. */
export function environmentOf(run: ProgramRun, svc: string): Record<string, string> {
  const userData = Buffer.from(
    String(
      byName(run, "aws:ec2/launchTemplate:LaunchTemplate", `web-${svc}-lt`).inputs.userData ?? "",
    ),
    "base64",
  ).toString("utf8");
  const m = /cat > \/etc\/securecart\/env <<'ENV'\n([\s\S]*?)\nENV\n/.exec(userData);
  if (!m) return {};
  return Object.fromEntries(
    m[1].split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** A target group health check the ALB accepts, for component tests. */
export const healthCheck = {
  path: "/healthz",
  matcher: "200",
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 2,
};

/** One small backend fleet, for component tests; add `routing` or `access` as the test needs. */
export const backend = {
  port: 8080,
  healthCheck,
  deregistrationDelaySeconds: 30,
  instanceType: "t3.small",
  minSize: 1,
  maxSize: 2,
};

/** LoadBalancedService arguments for an ALB with one path-routed backend, with overrides. */
export function albArgs(overrides: Partial<LoadBalancedServiceArgs> = {}): LoadBalancedServiceArgs {
  return {
    type: "application",
    vpcId: "vpc-0123456789abcdef0",
    publicSubnetIds: { a: "subnet-a", b: "subnet-b" },
    privateSubnetIds: ["subnet-pa", "subnet-pb"],
    domain: "example.com",
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x",
    tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    imageId: "ami-0123456789abcdef0",
    accessLogs: { bucket: "logs", prefix: "elb/web" },
    backends: { api: { ...backend, routing: { hosts: [], paths: ["/api*"] } } },
    sharedHosts: ["@", "www"],
    ...overrides,
  };
}
