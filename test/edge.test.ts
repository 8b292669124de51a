import { strict as assert } from "assert";
import { ofType, runStack } from "../tools/harness";

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
      assert.equal(acl.state.capacity, 1177);
      assert.equal(acl.inputs.rules[0].statement.rateBasedStatement.limit, 2000);
      assert.equal(acl.inputs.rules[0].statement.rateBasedStatement.evaluationWindowSec, 300);
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
    assert.deepEqual(acl.inputs.rules[0].statement.rateBasedStatement, {
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
      { rateWindowSeconds: 90 },
      "`securecart:waf.rateWindowSeconds` must be one of 60, 120, 300, 600; got 90",
    ],
    [
      { logRetentionDays: 100 },
      "`securecart:waf.logRetentionDays` must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; got 100",
    ],
    [
      { rateLimt: 100 },
      "`securecart:waf.rateLimt` is not a known setting; check its spelling against the README's Config reference",
    ],
  ];
  for (const [value, message] of bad) {
    it(`rejects securecart:waf ${JSON.stringify(value)}`, async () => {
      await assert.rejects(runStack("prod-east", { "securecart:waf": value }), (err: Error) => {
        assert.ok(err.message.includes(`  - ${message}\n`), err.message);
        return true;
      });
    });
  }
});
