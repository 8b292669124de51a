import { strict as assert } from "assert";
import { RegionalWebAcl, RegionalWebAclArgs } from "../components/edge/regionalWebAcl";
import { ofType, runComponents, valueOf } from "../testing/harness";
import { errorOf } from "./support";

type WebAclRule = {
  name: string;
  priority: number;
  statement: {
    managedRuleGroupStatement?: {
      name: string;
      vendorName: string;
      managedRuleGroupConfigs?: unknown;
    };
    rateBasedStatement?: unknown;
  };
  visibilityConfig: unknown;
};

const ALB_A =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb-1a2b3c4/0123456789abcdef";
const ALB_B =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/admin-alb-5d6e7f8/fedcba9876543210";

function args(overrides: Partial<RegionalWebAclArgs> = {}): RegionalWebAclArgs {
  return { loadBalancerArns: { web: ALB_A, admin: ALB_B }, rateLimit: 1000, ...overrides };
}

describe("RegionalWebAcl (mocks)", () => {
  it("associates the one REGIONAL web ACL with every ALB it is given, keyed by name", async () => {
    const run = await runComponents(() => new RegionalWebAcl("waf", args()));
    const [acl, ...others] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    assert.equal(others.length, 0);
    assert.equal(acl.inputs.scope, "REGIONAL");
    assert.match(
      acl.state.arn,
      /^arn:aws:wafv2:us-east-1:123456789012:regional\/webacl\/waf-acl-[0-9a-f]{7}\/[0-9a-f-]{36}$/,
    );
    const assocs = ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
    assert.deepEqual(
      assocs.map((a) => [a.name, a.inputs.resourceArn, a.inputs.webAclArn]),
      [
        ["waf-web", ALB_A, acl.state.arn],
        ["waf-admin", ALB_B, acl.state.arn],
      ],
    );
  });

  it("runs the rate rule and five managed groups; AWS computes the same 1,177 WCUs", async () => {
    const run = await runComponents(() => new RegionalWebAcl("waf", args()));
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    const rules = acl.inputs.rules as WebAclRule[];
    assert.deepEqual(
      rules.map((r) => [
        r.priority,
        r.name,
        r.statement.managedRuleGroupStatement?.name ?? "rate",
        r.statement.managedRuleGroupStatement?.vendorName ?? "-",
      ]),
      [
        [10, "rate-per-ip", "rate", "-"],
        [20, "aws-ip-reputation", "AWSManagedRulesAmazonIpReputationList", "AWS"],
        [30, "aws-known-bad-inputs", "AWSManagedRulesKnownBadInputsRuleSet", "AWS"],
        [40, "aws-common", "AWSManagedRulesCommonRuleSet", "AWS"],
        [50, "aws-sqli", "AWSManagedRulesSQLiRuleSet", "AWS"],
        [60, "aws-bot-control", "AWSManagedRulesBotControlRuleSet", "AWS"],
      ],
    );
    assert.deepEqual(rules[5].statement.managedRuleGroupStatement?.managedRuleGroupConfigs, [
      { awsManagedRulesBotControlRuleSet: { inspectionLevel: "COMMON" } },
    ]);
    assert.deepEqual(rules[0].statement.rateBasedStatement, {
      aggregateKeyType: "IP",
      limit: 1000,
      evaluationWindowSec: 300,
    });
    assert.equal(acl.state.capacity, 1177);
    assert.equal(acl.inputs.description, "SecureCart edge rules for every ALB, 1177 WCUs");
    assert.equal(run.result.plannedWcus, 1177);
  });

  it("turns on CloudWatch metrics and sampled requests for the ACL and every rule", async () => {
    const run = await runComponents(() => new RegionalWebAcl("waf", args()));
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    const configs = [
      acl.inputs.visibilityConfig,
      ...acl.inputs.rules.map((r: WebAclRule) => r.visibilityConfig),
    ];
    assert.equal(configs.length, 7);
    for (const v of configs) {
      assert.equal(v.cloudwatchMetricsEnabled, true);
      assert.equal(v.sampledRequestsEnabled, true);
    }
    assert.deepEqual(
      configs.map((v) => v.metricName),
      [
        "waf",
        "waf-rate-per-ip",
        "waf-aws-ip-reputation",
        "waf-aws-known-bad-inputs",
        "waf-aws-common",
        "waf-aws-sqli",
        "waf-aws-bot-control",
      ],
    );
  });

  it("blocks rate-limited clients with 429 and the custom JSON body", async () => {
    const run = await runComponents(() => new RegionalWebAcl("waf", args()));
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
    const [body] = acl.inputs.customResponseBodies;
    assert.equal(acl.inputs.customResponseBodies.length, 1);
    assert.equal(body.key, "blocked");
    assert.equal(body.contentType, "APPLICATION_JSON");
    assert.equal(JSON.parse(body.content).error, "request_blocked");
    assert.deepEqual(acl.inputs.rules[0].action, {
      block: { customResponse: { responseCode: 429, customResponseBodyKey: "blocked" } },
    });
  });

  it("logs to aws-waf-logs-<name> with 90-day retention, by ARN without ':*', redacting credentials", async () => {
    const run = await runComponents(() => new RegionalWebAcl("waf", args()));
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    const [group] = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(group.inputs.name, "aws-waf-logs-waf");
    assert.equal(group.inputs.retentionInDays, 90);
    const [logging, ...more] = ofType(
      run,
      "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    );
    assert.equal(more.length, 0);
    assert.equal(logging.inputs.resourceArn, acl.state.arn);
    assert.deepEqual(logging.inputs.logDestinationConfigs, [
      "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-waf",
    ]);
    assert.deepEqual(logging.inputs.redactedFields, [
      { singleHeader: { name: "authorization" } },
      { singleHeader: { name: "cookie" } },
    ]);
  });

  it("takes the window, retention and log group name from its args", async () => {
    const run = await runComponents(
      () =>
        new RegionalWebAcl(
          "waf",
          args({
            rateEvaluationWindowSeconds: 60,
            logRetentionDays: 365,
            logGroupName: "aws-waf-logs-x",
          }),
        ),
      "us-west-2",
    );
    const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
    assert.equal(acl.inputs.rules[0].statement.rateBasedStatement.evaluationWindowSec, 60);
    const [group] = ofType(run, "aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual([group.inputs.name, group.inputs.retentionInDays], ["aws-waf-logs-x", 365]);
    assert.match(await valueOf(run.result.webAclArn), /^arn:aws:wafv2:us-west-2:/);
  });

  const invalid: [string, Partial<RegionalWebAclArgs>, string][] = [
    [
      "no ALB",
      { loadBalancerArns: {} },
      "loadBalancerArns must name at least one ALB; got none. A web ACL that protects nothing is a mistake",
    ],
    [
      "a log group AWS WAF refuses",
      { logGroupName: "waf-logs" },
      'logGroupName must start with "aws-waf-logs-" (AWS WAF refuses other log destinations); got "waf-logs"',
    ],
    [
      "a retention CloudWatch does not offer",
      { logRetentionDays: 100 },
      "logRetentionDays must be one of CloudWatch Logs' periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got 100",
    ],
    [
      "a rate limit under 10",
      { rateLimit: 5 },
      "rateLimit must be an integer from 10 to 2000000000 requests per window (AWS WAF's limits); got 5",
    ],
  ];
  for (const [label, override, message] of invalid) {
    it(`rejects ${label} before creating anything`, async () => {
      const msg = await errorOf(() => new RegionalWebAcl("waf", args(override)));
      assert.equal(msg, message);
    });
  }
});
