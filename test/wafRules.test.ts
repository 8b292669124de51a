import { strict as assert } from "assert";
import {
  DEFAULT_MANAGED_RULE_GROUPS,
  MANAGED_RULE_GROUP_WCUS,
  planWafRules,
  ruleWcus,
  toWebAclRule,
  WafRulePlanInput,
  wafRuleProblems,
  wcuBudgetProblem,
  webAclWcus,
} from "../components/edge/wafRules";

const base: WafRulePlanInput = {
  managedRuleGroups: DEFAULT_MANAGED_RULE_GROUPS,
  rateLimit: 2000,
  rateEvaluationWindowSeconds: 300,
};

describe("wafRules (pure)", () => {
  it("uses AWS's published WCUs for each managed rule group", () => {
    assert.deepEqual(MANAGED_RULE_GROUP_WCUS, {
      AWSManagedRulesCommonRuleSet: 700,
      AWSManagedRulesKnownBadInputsRuleSet: 200,
      AWSManagedRulesSQLiRuleSet: 200,
      AWSManagedRulesBotControlRuleSet: 50,
      AWSManagedRulesAmazonIpReputationList: 25,
      AWSManagedRulesAnonymousIpList: 50,
    });
  });

  it("prices a rate-based rule at 2 WCUs plus 30 per custom key", () => {
    const rate = {
      kind: "rate",
      ruleName: "r",
      priority: 1,
      limit: 100,
      evaluationWindowSeconds: 60,
    } as const;
    assert.equal(ruleWcus({ ...rate, customKeyCount: 0 }), 2);
    assert.equal(ruleWcus({ ...rate, customKeyCount: 2 }), 62);
  });

  it("plans the rate rule first and the five default groups in fixed priority order, 1,177 WCUs", () => {
    const rules = planWafRules(base);
    assert.deepEqual(
      rules.map((r) => [r.priority, r.ruleName, ruleWcus(r)]),
      [
        [10, "rate-per-ip", 2],
        [20, "aws-ip-reputation", 25],
        [30, "aws-known-bad-inputs", 200],
        [40, "aws-common", 700],
        [50, "aws-sqli", 200],
        [60, "aws-bot-control", 50],
      ],
    );
    assert.equal(webAclWcus(rules), 1177);
    assert.deepEqual(wafRuleProblems(base), []);
  });

  it("keeps each group's priority whatever the list order", () => {
    const reversed = planWafRules({
      ...base,
      managedRuleGroups: [...base.managedRuleGroups].reverse(),
    });
    assert.deepEqual(
      reversed.map((r) => r.priority),
      [10, 20, 30, 40, 50, 60],
    );
  });

  it("accepts all six known groups (1,227 WCUs)", () => {
    const all = { ...base, managedRuleGroups: Object.keys(MANAGED_RULE_GROUP_WCUS) };
    assert.equal(webAclWcus(planWafRules(all)), 1227);
    assert.deepEqual(wafRuleProblems(all), []);
  });

  const cases: [string, Partial<WafRulePlanInput>, string][] = [
    [
      "limit below AWS's minimum",
      { rateLimit: 9 },
      "rateLimit must be an integer from 10 to 2000000000 requests per window (AWS WAF's limits); got 9",
    ],
    [
      "fractional limit",
      { rateLimit: 100.5 },
      "rateLimit must be an integer from 10 to 2000000000 requests per window (AWS WAF's limits); got 100.5",
    ],
    [
      "window AWS does not offer",
      { rateEvaluationWindowSeconds: 30 },
      "rateEvaluationWindowSeconds must be one of 60, 120, 300, 600 (the windows AWS WAF offers); got 30",
    ],
    [
      "unknown group",
      { managedRuleGroups: ["AWSManagedRulesPHPRuleSet"] },
      'managedRuleGroups[0] is "AWSManagedRulesPHPRuleSet", whose WCU cost this program does not know; use one of AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet, AWSManagedRulesBotControlRuleSet, AWSManagedRulesAmazonIpReputationList, AWSManagedRulesAnonymousIpList or add it to MANAGED_RULE_GROUP_WCUS with its published WCUs',
    ],
    [
      "duplicate group",
      { managedRuleGroups: ["AWSManagedRulesSQLiRuleSet", "AWSManagedRulesSQLiRuleSet"] },
      'managedRuleGroups[1] lists "AWSManagedRulesSQLiRuleSet" twice; remove the duplicate',
    ],
  ];
  for (const [label, override, message] of cases) {
    it(`rejects ${label}`, () => {
      assert.deepEqual(wafRuleProblems({ ...base, ...override }), [message]);
    });
  }

  it("rejects a rule set over 1,500 WCUs, showing the sum, and accepts 1,481", () => {
    const rules = planWafRules(base);
    const keyed = (customKeyCount: number) => ({
      kind: "rate" as const,
      ruleName: "rate-per-session",
      priority: 11,
      limit: 100,
      evaluationWindowSeconds: 60,
      customKeyCount,
    });
    // 1,177 + 2 + 30 × 11 = 1,509
    assert.equal(
      wcuBudgetProblem([...rules, keyed(11)]),
      "the web ACL needs 1509 WCUs (rate-per-ip 2 + aws-ip-reputation 25 + aws-known-bad-inputs 200 + aws-common 700 + aws-sqli 200 + aws-bot-control 50 + rate-per-session 332), over the 1500 the basic web ACL price covers; drop a managed rule group from managedRuleGroups or simplify the rate-based rule",
    );
    // 1,177 + 302 = 1,479 and 1,479 + 2 = 1,481 fit
    assert.equal(wcuBudgetProblem([...rules, keyed(10)]), undefined);
    assert.equal(
      wcuBudgetProblem([...rules, keyed(10), { ...keyed(0), ruleName: "x", customKeyCount: 0 }]),
      undefined,
    );
  });

  it("turns specs into WAF rules with metrics, sampling, Bot Control COMMON and a custom block", () => {
    const [rate, , , , , bot] = planWafRules(base).map((r) =>
      toWebAclRule(r, { metricPrefix: "waf", blockedStatusCode: 429 }),
    );
    assert.deepEqual(rate, {
      name: "rate-per-ip",
      priority: 10,
      action: {
        block: { customResponse: { responseCode: 429, customResponseBodyKey: "blocked" } },
      },
      statement: {
        rateBasedStatement: { aggregateKeyType: "IP", limit: 2000, evaluationWindowSec: 300 },
      },
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: "waf-rate-per-ip",
      },
    });
    assert.deepEqual(bot, {
      name: "aws-bot-control",
      priority: 60,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: "AWS",
          name: "AWSManagedRulesBotControlRuleSet",
          managedRuleGroupConfigs: [
            { awsManagedRulesBotControlRuleSet: { inspectionLevel: "COMMON" } },
          ],
          // Mobile apps and partners' API clients are non-browser HTTP clients: counted, not blocked.
          ruleActionOverrides: [
            { name: "SignalNonBrowserUserAgent", actionToUse: { count: {} } },
            { name: "CategoryHttpLibrary", actionToUse: { count: {} } },
          ],
        },
      },
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName: "waf-aws-bot-control",
      },
    });
  });
});

describe("Route 53 health-check allow rule (pure)", () => {
  it("prices the rule as AWS does and runs it after the rate limit, before every managed group", () => {
    const rules = planWafRules({
      managedRuleGroups: DEFAULT_MANAGED_RULE_GROUPS,
      rateLimit: 2000,
      rateEvaluationWindowSeconds: 300,
      healthCheck: { path: "/healthz/deep", hostCount: 2 },
    });
    // Only the rate limit runs first: a forged Host and path must not skip it, and Allow ends
    // evaluation, so every managed group comes after.
    assert.deepEqual(
      rules.slice(0, 2).map((r) => r.ruleName),
      ["rate-per-ip", "allow-route53-health-checks"],
    );
    assert.ok(rules.slice(2).every((r) => r.priority > rules[1].priority));
    // Two Host matches (2 + 10 for LOWERCASE each), exact path and method matches (2 each) and
    // size constraints on query string and body (1 each).
    assert.equal(ruleWcus(rules[1]), 30);
  });
  it("refuses to build the rule with a different number of hosts than it priced", () => {
    const rule = planWafRules({
      managedRuleGroups: [],
      rateLimit: 2000,
      rateEvaluationWindowSeconds: 300,
      healthCheck: { path: "/healthz", hostCount: 1 },
    }).find((r) => r.ruleName === "allow-route53-health-checks");
    assert.ok(rule);
    assert.throws(
      () => toWebAclRule(rule, { metricPrefix: "waf", blockedStatusCode: 429 }),
      /healthCheckHosts has 0 host names; the plan priced 1/,
    );
  });
});
