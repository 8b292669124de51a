import { strict as assert } from "assert";
import { ofType, runStack } from "../testing/harness";

/** The web ACL's per-IP rate-based rule. */
const rateRule = (acl: { inputs: Record<string, any> }) =>
  acl.inputs.rules.find((r: { name: string }) => r.name === "rate-per-ip");

describe("edge protection in the stacks (mocks)", () => {
  for (const stack of ["prod-east", "prod-west"]) {
    it(`${stack}: every ALB in the stack has exactly one web ACL association, and nothing else does`, async () => {
      const run = await runStack(stack);
      const albArns = ofType(run, "aws:lb/loadBalancer:LoadBalancer")
        .filter((lb) => lb.inputs.loadBalancerType === "application")
        .map((lb) => lb.state.arn as string)
        .sort();
      assert.equal(albArns.length, 1);
      const [acl, ...moreAcls] = ofType(run, "aws:wafv2/webAcl:WebAcl");
      assert.equal(moreAcls.length, 0);
      const assocs = ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
      assert.deepEqual(assocs.map((a) => a.inputs.resourceArn as string).sort(), albArns);
      for (const a of assocs) assert.equal(a.inputs.webAclArn, acl.state.arn);
      // The five managed groups (1,175), the rate rule (2) and the health-check allow rule
      // (Host exact match after LOWERCASE 12, path and method exact matches 2 each, empty query
      // string and body size constraints 1 each).
      assert.equal(acl.state.capacity, 1195);
      assert.equal(rateRule(acl).statement.rateBasedStatement.limit, 2000);
      assert.equal(rateRule(acl).statement.rateBasedStatement.evaluationWindowSec, 300);
    });
  }

  it("names the WAF log group after the stack and keeps logs 90 days", async () => {
    const run = await runStack("prod-west");
    const [group] = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) =>
      String(g.inputs.name).startsWith("aws-waf-logs-"),
    );
    assert.equal(group.inputs.name, "aws-waf-logs-securecart-prod-west");
    assert.equal(group.inputs.retentionInDays, 90);
    const [logging] = ofType(
      run,
      "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    );
    assert.deepEqual(logging.inputs.logDestinationConfigs, [
      "arn:aws:logs:us-west-2:123456789012:log-group:aws-waf-logs-securecart-prod-west",
    ]);
    assert.equal(run.outputs.wafLogGroup, "aws-waf-logs-securecart-prod-west");
  });

  it("takes the rate limit and window from securecart:waf", async () => {
    const run = await runStack("prod-east", {
      "securecart:waf": { rateLimit: 500, rateWindowSeconds: 60, logRetentionDays: 30 },
    });
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    assert.deepEqual(rateRule(acl).statement.rateBasedStatement, {
      aggregateKeyType: "IP",
      limit: 500,
      evaluationWindowSec: 60,
    });
  });

  const bad: [unknown, string][] = [
    [
      { rateLimit: 5 },
      "`securecart:waf.rateLimit` must be an integer from 10 to 2000000000; got 5",
    ],
    [
      // prod checks every 10 s: 30 requests per checker in a 300 s window, twice over as margin.
      { rateLimit: 59 },
      "`securecart:waf.rateLimit` must be at least 60 per 300 s, or the per-IP rate limit could block a Route 53 health checker (one request every 10 s, with a 2x margin) and fail the region over. Raise it or shorten rateWindowSeconds; got 59",
    ],
    [
      { rateWindowSeconds: 90 },
      "`securecart:waf.rateWindowSeconds` must be one of 60, 120, 300, 600; got 90",
    ],
    [
      { logRetentionDays: 100 },
      "`securecart:waf.logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 100",
    ],
    [
      { rateLimt: 100 },
      "`securecart:waf.rateLimt` is not a known setting; got 100; did you mean securecart:waf.rateLimit?",
    ],
  ];
  for (const [value, message] of bad) {
    it(`rejects securecart:waf ${JSON.stringify(value)}`, async () => {
      await assert.rejects(runStack("prod-east", { "securecart:waf": value }), (err: Error) => {
        assert.ok(
          err.message.includes(`  - ${message} (docs/configuration.md#securecartwaf)\n`),
          err.message,
        );
        return true;
      });
    });
  }
});

describe("Shield Advanced in the stacks (mocks)", () => {
  it("prod-east (primary) protects the ALB, each payments EIP and the hosted zone, in one group", async () => {
    const run = await runStack("prod-east");
    const alb = ofType(run, "aws:lb/loadBalancer:LoadBalancer").find(
      (lb) => lb.inputs.loadBalancerType === "application",
    );
    const eips = ofType(run, "aws:ec2/eip:Eip").filter((e) => e.name.startsWith("pay-eip-"));
    assert.deepEqual(
      eips.map((e) => e.name),
      ["pay-eip-a", "pay-eip-b", "pay-eip-c"],
    );
    const protections = ofType(run, "aws:shield/protection:Protection");
    // The certificate's validation records live in the same hosted zone.
    const zoneIds = new Set(ofType(run, "aws:route53/record:Record").map((r) => r.inputs.zoneId));
    assert.equal(zoneIds.size, 1);
    const [zoneId] = zoneIds;
    const byName = new Map(protections.map((p) => [p.name, p.inputs.resourceArn as string]));
    assert.equal(protections.length, 5);
    assert.equal(byName.get("shield-web-alb"), alb?.state.arn);
    for (const e of eips) {
      assert.equal(
        byName.get(`shield-${e.name}`),
        `arn:aws:ec2:us-east-1:123456789012:eip-allocation/${e.state.allocationId}`,
      );
    }
    assert.equal(byName.get("shield-zone"), `arn:aws:route53:::hostedzone/${zoneId}`);
    const [group] = ofType(run, "aws:shield/protectionGroup:ProtectionGroup");
    assert.equal(group.inputs.protectionGroupId, "securecart-prod-east");
    assert.deepEqual([...group.inputs.members].sort(), [...byName.values()].sort());
    assert.match(
      String(run.outputs.shieldProtectionGroupArn),
      /protection-group\/securecart-prod-east$/,
    );
  });

  it("prod-west (secondary) protects its ALB and EIPs but leaves the shared hosted zone to prod-east", async () => {
    const run = await runStack("prod-west");
    const protections = ofType(run, "aws:shield/protection:Protection");
    assert.deepEqual(protections.map((p) => p.name).sort(), [
      "shield-pay-eip-a",
      "shield-pay-eip-b",
      "shield-pay-eip-c",
      "shield-web-alb",
    ]);
    for (const p of protections.filter((x) => x.name.includes("-eip-"))) {
      assert.match(
        p.inputs.resourceArn,
        /^arn:aws:ec2:us-west-2:123456789012:eip-allocation\/eipalloc-/,
      );
    }
  });

  for (const stack of ["prod-east", "prod-west"]) {
    it(`${stack}: with securecart:shieldAdvanced false there is no Shield resource`, async () => {
      const run = await runStack(stack, { "securecart:shieldAdvanced": false });
      assert.equal(run.resources.filter((r) => r.type.startsWith("aws:shield/")).length, 0);
      assert.equal(run.outputs.shieldProtectionGroupArn, undefined);
    });
  }
});
