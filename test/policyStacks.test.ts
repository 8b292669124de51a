import { strict as assert } from "assert";
import { ProgramRun, runStack } from "../testing/harness";
import { Violation, policyReport } from "../testing/policyRunner";

const mandatory = (vs: readonly Violation[]) =>
  vs.filter((v) => v.enforcementLevel === "mandatory");

for (const stack of ["prod-east", "prod-west"]) {
  describe(`guardrails on ${stack}`, () => {
    let run: ProgramRun;
    let violations: Violation[];
    before(async () => {
      run = await runStack(stack);
      violations = (await policyReport(run)).violations;
    });

    it("has no mandatory violations", () => {
      const unexpected = mandatory(violations);
      assert.deepEqual(
        unexpected.map((v) => `${v.policyName}: ${v.message}`),
        [],
      );
    });

    it("checked the resources it should: the load balancer SGs' world ingress is recognised", () => {
      // Guards against a pass that only means nothing was matched: the stack does open 80/443
      // to the internet on the load balancers' groups, and has the LB types the rules look at.
      const open = run.resources.filter(
        (r) =>
          r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
          r.inputs.cidrIpv4 === "0.0.0.0/0",
      );
      assert.deepEqual(
        open.map((r) => `${r.name}:${r.inputs.fromPort}`),
        ["web-lb-in-80:80", "web-lb-in-443:443", "pay-lb-in-443:443"],
      );
      assert.deepEqual(
        violations.filter((v) => v.policyName === "no-public-ingress"),
        [],
      );
    });

    it("has no advisory findings either: Shield, alarms, WAF logging and warm-up are all in place", () => {
      assert.deepEqual(
        violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.resourceName}`),
        [],
      );
    });

    it("exits 0 exactly when no violation is mandatory", async () => {
      const report = await policyReport(run);
      assert.equal(report.exitCode, mandatory(report.violations).length > 0 ? 1 : 0);
      const relaxed = await policyReport(run, { all: "advisory" });
      assert.equal(relaxed.violations.length, violations.length);
      assert.equal(relaxed.exitCode, 0);
    });
  });
}

describe("guardrails on a misconfigured stack", () => {
  // Each override passes the program's own config validation, so only the pack stops them:
  // deletion protection off, and a one-instance payments fleet (config allows minSize 1).
  it("blocks prod-east, naming each resource and the value found", async () => {
    const run = await runStack("prod-east", {
      "securecart:deletionProtection": false,
      "securecart:payments": { host: "pay", minSize: 1, maxSize: 12, instanceType: "c7i.large" },
    });
    const report = await policyReport(run);
    const found = mandatory(report.violations);
    assert.deepEqual(
      found.map((v) => `${v.policyName} ${v.resourceName}`),
      [
        "lb-deletion-protection net-insp-gwlb",
        "lb-deletion-protection web-alb",
        "lb-deletion-protection pay-nlb",
        "asg-minimum-size pay-payments-asg",
      ],
    );
    assert.match(found[3].message, /"pay-payments-asg" has minSize 1\./);
    assert.equal(report.exitCode, 1);
    assert.match(
      report.text,
      /- \[mandatory\] {2}lb-deletion-protection\n(?:.*\n)*? {10}\* \(aws:lb\/loadBalancer:LoadBalancer: web-alb\)\n {12}ALB "web-alb" has enableDeletionProtection false/,
    );
  });
});
