/**
 * Pure helpers for the regional web ACL: which rules it has, in which order, what they cost in
 * web ACL capacity units (WCUs), and what makes a rule set invalid. No Pulumi resources here, so
 * the arithmetic is tested without mocks.
 *
 * WCU figures (AWS WAF developer guide, "AWS Managed Rules rule groups list" and "Using
 * rate-based rule statements"; AWS-FACTS.md §6):
 * - managed rule groups cost a fixed, published number of WCUs each (table below);
 * - a rate-based rule costs 2 WCUs, plus 30 per custom aggregation key, plus its scope-down
 *   statement's own cost. Ours aggregates on the client IP with no scope-down: 2 WCUs.
 * - The basic web ACL price covers 1,500 WCUs; above that AWS charges extra (hard maximum 5,000),
 *   so this program keeps every web ACL within 1,500.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";

/** WCUs of the AWS managed rule groups this program knows, by rule group name (vendor AWS). */
export const MANAGED_RULE_GROUP_WCUS = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesBotControlRuleSet: 50,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
} as const;

/** Name of an AWS managed rule group with a known WCU cost. */
export type ManagedRuleGroupName = keyof typeof MANAGED_RULE_GROUP_WCUS;

/**
 * Rule name and priority of each managed rule group. Keyed by group rather than by list position,
 * so adding or removing a group never renumbers the others. Cheap reputation checks come first;
 * Bot Control, which AWS bills per request inspected, comes last so already-blocked requests
 * never reach it.
 */
export const MANAGED_RULE_SLOTS: Readonly<
  Record<ManagedRuleGroupName, { readonly ruleName: string; readonly priority: number }>
> = {
  AWSManagedRulesAmazonIpReputationList: { ruleName: "aws-ip-reputation", priority: 20 },
  AWSManagedRulesAnonymousIpList: { ruleName: "aws-anonymous-ip", priority: 25 },
  AWSManagedRulesKnownBadInputsRuleSet: { ruleName: "aws-known-bad-inputs", priority: 30 },
  AWSManagedRulesCommonRuleSet: { ruleName: "aws-common", priority: 40 },
  AWSManagedRulesSQLiRuleSet: { ruleName: "aws-sqli", priority: 50 },
  AWSManagedRulesBotControlRuleSet: { ruleName: "aws-bot-control", priority: 60 },
};

/** The managed rule groups every SecureCart web ACL runs. */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly ManagedRuleGroupName[] = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesBotControlRuleSet",
];

/** WCUs AWS charges a rate-based rule before custom keys and scope-down statements. */
export const RATE_BASED_RULE_BASE_WCUS = 2;
/** WCUs AWS adds per custom aggregation key of a rate-based rule. */
export const RATE_BASED_RULE_WCUS_PER_CUSTOM_KEY = 30;
/** WCUs the basic web ACL price covers; more costs extra. */
export const WEB_ACL_INCLUDED_WCUS = 1500;
/** Evaluation windows a rate-based rule accepts, in seconds. */
export const RATE_WINDOWS_SECONDS: readonly number[] = [60, 120, 300, 600];
/** Smallest request limit of a rate-based rule. */
export const RATE_LIMIT_MIN = 10;
/** Largest request limit of a rate-based rule. */
export const RATE_LIMIT_MAX = 2_000_000_000;
/** Rule name and priority of the per-IP rate-based rule: first, so floods are shed cheaply. */
export const RATE_RULE = { ruleName: "rate-per-ip", priority: 10 } as const;
/**
 * Rule name and priority of the rule that allows Route 53's health checks. Allow ends evaluation
 * (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html), so the rule
 * runs before every managed group (Bot Control, CRS, IP reputation), none of which can then block
 * a check, but after the per-IP rate limit: anyone can send the health check's Host and path, and
 * such requests must not skip the rate limit. A checker sends one request per interval, far below
 * any rate limit that config accepts (see {@link healthCheckRequestsPerWindow}).
 */
export const HEALTH_CHECK_ALLOW_RULE = {
  ruleName: "allow-route53-health-checks",
  priority: 15,
} as const;

/**
 * The most requests one Route 53 checker address can send to one ALB in a rate-limit window:
 * one per health check per interval. Checkers don't coordinate, so each address is counted alone
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html);
 * `healthChecks` is how many checks probe the ALB (twice over as a margin for overlapping checkers).
 */
export function healthCheckRequestsPerWindow(
  windowSeconds: number,
  intervalSeconds: number,
  healthChecks: number,
): number {
  return 2 * healthChecks * Math.ceil(windowSeconds / intervalSeconds);
}

/**
 * Bot Control rules set to Count instead of their default Block. At the COMMON level,
 * SignalNonBrowserUserAgent blocks every non-browser user agent ("Mobile apps typically have
 * non-browser user agents, which the SignalNonBrowserUserAgent rule blocks by default"), and
 * CategoryHttpLibrary blocks unverified HTTP libraries: together they would answer 403 to our
 * mobile apps and to payment partners' API clients. Counted, they still label requests.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-bot-control-example-user-agent-exception.html
 */
export const BOT_CONTROL_COUNTED_RULES: readonly string[] = [
  "SignalNonBrowserUserAgent",
  "CategoryHttpLibrary",
];

/** WCUs of a string match: 2 for an exact match, plus 10 per text transformation applied. */
export const EXACT_MATCH_WCUS = 2;
/** WCUs AWS adds per text transformation (other than NONE). */
export const TEXT_TRANSFORMATION_WCUS = 10;
/**
 * WCUs of a size constraint on one request component (not all query parameters, not a JSON
 * body) without text transformation: "1 WCU, as a base cost" (AWS WAF developer guide, "Size
 * constraint rule statement").
 */
export const SIZE_CONSTRAINT_WCUS = 1;

/** One rule of the web ACL, before it becomes a `aws.wafv2.WebAcl` rule input. */
export type WafRuleSpec =
  | {
      readonly kind: "managed";
      readonly ruleName: string;
      readonly priority: number;
      readonly group: ManagedRuleGroupName;
    }
  | {
      readonly kind: "rate";
      readonly ruleName: string;
      readonly priority: number;
      /** Requests per client IP within the window before it is blocked. */
      readonly limit: number;
      readonly evaluationWindowSeconds: number;
      /** Custom aggregation keys (none: aggregate on the client IP). */
      readonly customKeyCount: number;
    }
  | {
      readonly kind: "allow-health-check";
      readonly ruleName: string;
      readonly priority: number;
      /** The exact path Route 53 requests. */
      readonly path: string;
      /** How many Host values (one per load balancer Route 53 checks) the rule matches. */
      readonly hostCount: number;
    };

/** WCUs of one rule, as AWS computes them. */
export function ruleWcus(rule: WafRuleSpec): number {
  if (rule.kind === "managed") return MANAGED_RULE_GROUP_WCUS[rule.group];
  if (rule.kind === "allow-health-check") {
    // Host: exact match after LOWERCASE, per host; path and method: exact match, no
    // transformation; query string and body: size 0.
    return (
      rule.hostCount * (EXACT_MATCH_WCUS + TEXT_TRANSFORMATION_WCUS) +
      2 * EXACT_MATCH_WCUS +
      2 * SIZE_CONSTRAINT_WCUS
    );
  }
  return RATE_BASED_RULE_BASE_WCUS + RATE_BASED_RULE_WCUS_PER_CUSTOM_KEY * rule.customKeyCount;
}

/** Total WCUs of a web ACL with these rules. */
export function webAclWcus(rules: readonly WafRuleSpec[]): number {
  return rules.reduce((sum, r) => sum + ruleWcus(r), 0);
}

/** Inputs of {@link planWafRules}. */
export interface WafRulePlanInput {
  readonly managedRuleGroups: readonly string[];
  readonly rateLimit: number;
  readonly rateEvaluationWindowSeconds: number;
  /**
   * Route 53 health checks to let through before any other rule: their exact path and how many
   * load balancer host names they use.
   * @default - no health-check rule
   */
  readonly healthCheck?: { readonly path: string; readonly hostCount: number };
}

/** The rules of the web ACL in priority order. Call {@link wafRuleProblems} first. */
export function planWafRules(input: WafRulePlanInput): WafRuleSpec[] {
  const rules: WafRuleSpec[] = [
    {
      kind: "rate",
      ...RATE_RULE,
      limit: input.rateLimit,
      evaluationWindowSeconds: input.rateEvaluationWindowSeconds,
      customKeyCount: 0,
    },
    ...(input.healthCheck && input.healthCheck.hostCount > 0
      ? [{ kind: "allow-health-check" as const, ...HEALTH_CHECK_ALLOW_RULE, ...input.healthCheck }]
      : []),
    ...input.managedRuleGroups.map((g): WafRuleSpec => {
      const group = g as ManagedRuleGroupName;
      return { kind: "managed", group, ...MANAGED_RULE_SLOTS[group] };
    }),
  ];
  return rules.sort((a, b) => a.priority - b.priority);
}

/**
 * Everything wrong with these inputs, as messages that name the arg, the value and the fix; empty
 * when the web ACL can be built within {@link WEB_ACL_INCLUDED_WCUS}.
 */
export function wafRuleProblems(input: WafRulePlanInput): string[] {
  const problems: string[] = [];
  const { rateLimit, rateEvaluationWindowSeconds: window } = input;
  if (!Number.isInteger(rateLimit) || rateLimit < RATE_LIMIT_MIN || rateLimit > RATE_LIMIT_MAX) {
    problems.push(
      `rateLimit must be an integer from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX} requests per window (AWS WAF's limits); got ${rateLimit}`,
    );
  }
  if (!RATE_WINDOWS_SECONDS.includes(window)) {
    problems.push(
      `rateEvaluationWindowSeconds must be one of ${RATE_WINDOWS_SECONDS.join(", ")} (the windows AWS WAF offers); got ${window}`,
    );
  }
  const known = Object.keys(MANAGED_RULE_GROUP_WCUS);
  const seen = new Set<string>();
  for (const [i, g] of input.managedRuleGroups.entries()) {
    if (!known.includes(g)) {
      problems.push(
        `managedRuleGroups[${i}] is "${g}", whose WCU cost this program does not know; use one of ${known.join(", ")} or add it to MANAGED_RULE_GROUP_WCUS with its published WCUs`,
      );
    } else if (seen.has(g)) {
      problems.push(`managedRuleGroups[${i}] lists "${g}" twice; remove the duplicate`);
    }
    seen.add(g);
  }
  if (problems.length > 0) return problems;

  const budget = wcuBudgetProblem(planWafRules(input));
  return budget ? [budget] : [];
}

/**
 * Explains why these rules exceed the WCUs the basic web ACL price covers, or returns
 * `undefined` when they fit.
 */
export function wcuBudgetProblem(rules: readonly WafRuleSpec[]): string | undefined {
  const total = webAclWcus(rules);
  if (total <= WEB_ACL_INCLUDED_WCUS) return undefined;
  const parts = rules.map((r) => `${r.ruleName} ${ruleWcus(r)}`).join(" + ");
  return `the web ACL needs ${total} WCUs (${parts}), over the ${WEB_ACL_INCLUDED_WCUS} the basic web ACL price covers; drop a managed rule group from managedRuleGroups or simplify the rate-based rule`;
}

/** The body returned with every request this web ACL blocks with a custom response. */
export const BLOCKED_RESPONSE_BODY_KEY = "blocked";

/** Options for {@link toWebAclRule}. */
export interface WebAclRuleOptions {
  /** Prefix of each rule's CloudWatch metric name, e.g. the web ACL's logical name. */
  readonly metricPrefix: string;
  /** HTTP status of blocked requests from rules that can send a custom response. */
  readonly blockedStatusCode: number;
  /** Host names Route 53's health checks send (the load balancers' DNS names). @default [] */
  readonly healthCheckHosts?: readonly pulumi.Input<string>[];
}

/** An exact, case-insensitive match of the Host header. */
function hostIs(host: pulumi.Input<string>): aws.types.input.wafv2.WebAclRuleStatement {
  return {
    byteMatchStatement: {
      fieldToMatch: { singleHeader: { name: "host" } },
      positionalConstraint: "EXACTLY",
      searchString: pulumi.output(host).apply((h) => h.toLowerCase()),
      textTransformations: [{ priority: 0, type: "LOWERCASE" }],
    },
  };
}

/**
 * The `aws.wafv2.WebAcl` rule for a spec: metrics and sampled requests on for every rule.
 * Managed groups keep their own actions (`overrideAction: none`); Bot Control runs at the
 * `COMMON` inspection level with {@link BOT_CONTROL_COUNTED_RULES} counted. The rate-based rule
 * blocks with the custom response body. The health-check rule allows requests whose Host is one
 * of the load balancers' DNS names, whose path is exactly the health-check path, whose method is
 * GET and which have no query string and no body: what Route 53's checkers send (their requests
 * appear as `"GET http://<ALB>:80/ HTTP/1.1"` in ALB access logs, AWS Knowledge Center "Route 53
 * fix unwanted health checks"). An Allow ends evaluation, so anything looser (a POST with a body,
 * a query string) would reach the app past every managed rule group.
 */
export function toWebAclRule(
  rule: WafRuleSpec,
  opts: WebAclRuleOptions,
): aws.types.input.wafv2.WebAclRule {
  const visibilityConfig = {
    cloudwatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName: `${opts.metricPrefix}-${rule.ruleName}`,
  };
  if (rule.kind === "allow-health-check") {
    const hosts = opts.healthCheckHosts ?? [];
    if (hosts.length !== rule.hostCount) {
      throw new Error(
        `healthCheckHosts has ${hosts.length} host names; the plan priced ${rule.hostCount}`,
      );
    }
    const host =
      hosts.length === 1 ? hostIs(hosts[0]) : { orStatement: { statements: hosts.map(hostIs) } };
    return {
      name: rule.ruleName,
      priority: rule.priority,
      action: { allow: {} },
      statement: {
        andStatement: {
          statements: [
            host,
            {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: "EXACTLY",
                searchString: rule.path,
                textTransformations: [{ priority: 0, type: "NONE" }],
              },
            },
            {
              byteMatchStatement: {
                fieldToMatch: { method: {} },
                positionalConstraint: "EXACTLY",
                searchString: "GET",
                textTransformations: [{ priority: 0, type: "NONE" }],
              },
            },
            {
              sizeConstraintStatement: {
                fieldToMatch: { queryString: {} },
                comparisonOperator: "EQ",
                size: 0,
                textTransformations: [{ priority: 0, type: "NONE" }],
              },
            },
            {
              // A body over WAF's inspection limit is measured at that limit, never 0, so an
              // oversized body can't match either.
              sizeConstraintStatement: {
                fieldToMatch: { body: { oversizeHandling: "CONTINUE" } },
                comparisonOperator: "EQ",
                size: 0,
                textTransformations: [{ priority: 0, type: "NONE" }],
              },
            },
          ],
        },
      },
      visibilityConfig,
    };
  }
  if (rule.kind === "rate") {
    return {
      name: rule.ruleName,
      priority: rule.priority,
      action: {
        block: {
          customResponse: {
            responseCode: opts.blockedStatusCode,
            customResponseBodyKey: BLOCKED_RESPONSE_BODY_KEY,
          },
        },
      },
      statement: {
        rateBasedStatement: {
          aggregateKeyType: "IP",
          limit: rule.limit,
          evaluationWindowSec: rule.evaluationWindowSeconds,
        },
      },
      visibilityConfig,
    };
  }
  return {
    name: rule.ruleName,
    priority: rule.priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: "AWS",
        name: rule.group,
        ...(rule.group === "AWSManagedRulesBotControlRuleSet"
          ? {
              managedRuleGroupConfigs: [
                { awsManagedRulesBotControlRuleSet: { inspectionLevel: "COMMON" } },
              ],
              ruleActionOverrides: BOT_CONTROL_COUNTED_RULES.map((r) => ({
                name: r,
                actionToUse: { count: {} },
              })),
            }
          : {}),
      },
    },
    visibilityConfig,
  };
}
