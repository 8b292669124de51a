/**
 * WAF web ACL rules: the baseline AWS managed rule groups in blocking mode, a rate limit per
 * client IP, and (advisory) logging.
 */
import * as aws from "@pulumi/aws";
import {
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import { referencedBy } from "./common";

/** Managed rule groups every web ACL must run by default (vendor AWS). */
export const DEFAULT_REQUIRED_RULE_GROUPS: readonly string[] = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesSQLiRuleSet",
];

/** Config of {@link wafRequiredManagedRuleGroups}. */
export interface ManagedRuleGroupsConfig {
  readonly ruleGroups?: string[];
}

type WebAclProps = Unwrap<aws.wafv2.WebAclArgs>;

/** The parts of one web ACL rule these policies look at, from `rules` or `ruleJson`. */
interface RuleSummary {
  readonly name: string;
  /** `vendor/name` of a managed rule group statement. */
  readonly managedGroup?: { readonly vendor: string; readonly name: string };
  readonly rateBased: boolean;
  /** The rule only counts matches (override action or action `count`) and blocks nothing. */
  readonly countOnly: boolean;
}

/** A rule in `ruleJson`, which uses the WAFv2 API's own (PascalCase) shape. */
interface JsonRule {
  readonly Name?: string;
  readonly Statement?: {
    readonly ManagedRuleGroupStatement?: { readonly VendorName?: string; readonly Name?: string };
    readonly RateBasedStatement?: unknown;
  };
  readonly OverrideAction?: { readonly Count?: unknown };
  readonly Action?: { readonly Count?: unknown };
}

/** Summaries of a web ACL's rules, whether declared as `rules` blocks or as `ruleJson`. */
export function webAclRules(acl: WebAclProps): RuleSummary[] {
  const fromBlocks: RuleSummary[] = (acl.rules ?? []).map((r) => {
    const managed = r.statement?.managedRuleGroupStatement;
    const rateBased = r.statement?.rateBasedStatement !== undefined;
    return {
      name: r.name,
      managedGroup: managed ? { vendor: managed.vendorName, name: managed.name } : undefined,
      rateBased,
      countOnly: managed ? r.overrideAction?.count !== undefined : r.action?.count !== undefined,
    };
  });
  let parsed: unknown = [];
  if (acl.ruleJson) {
    try {
      parsed = JSON.parse(acl.ruleJson);
    } catch {
      parsed = [];
    }
  }
  const fromJson: RuleSummary[] = (Array.isArray(parsed) ? (parsed as JsonRule[]) : []).map((r) => {
    const managed = r?.Statement?.ManagedRuleGroupStatement;
    return {
      name: String(r?.Name ?? ""),
      managedGroup: managed
        ? { vendor: String(managed.VendorName), name: String(managed.Name) }
        : undefined,
      rateBased: r?.Statement?.RateBasedStatement !== undefined,
      countOnly: managed ? r?.OverrideAction?.Count !== undefined : r?.Action?.Count !== undefined,
    };
  });
  return [...fromBlocks, ...fromJson];
}

export const wafRequiredManagedRuleGroups: ResourceValidationPolicy = {
  name: "waf-required-managed-rule-groups",
  description:
    "Every web ACL runs AWS's Common (OWASP top 10) and SQLi managed rule groups in blocking mode; the storefront takes free-text input on every page.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ruleGroups: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        default: [...DEFAULT_REQUIRED_RULE_GROUPS],
        description:
          "AWS managed rule group names every web ACL must run without a count override.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.wafv2.WebAcl, (acl, args, report) => {
    const required = args.getConfig<ManagedRuleGroupsConfig>().ruleGroups ?? [
      ...DEFAULT_REQUIRED_RULE_GROUPS,
    ];
    const rules = webAclRules(acl);
    for (const group of required) {
      const found = rules.filter(
        (r) => r.managedGroup?.vendor === "AWS" && r.managedGroup.name === group,
      );
      if (found.length === 0) {
        report(
          `Web ACL "${args.name}" does not run the AWS managed rule group ${group} (it runs: ${
            rules
              .map((r) => r.managedGroup?.name)
              .filter(Boolean)
              .join(", ") || "none"
          }). Add a rule with statement.managedRuleGroupStatement { vendorName: "AWS", name: "${group}" } and overrideAction { none: {} }.`,
        );
      } else if (found.every((r) => r.countOnly)) {
        report(
          `Web ACL "${args.name}" runs ${group} in rule "${found[0].name}" with overrideAction count, so it blocks nothing. Set overrideAction { none: {} }.`,
        );
      }
    }
  }),
};

export const wafRateBasedRule: ResourceValidationPolicy = {
  name: "waf-rate-based-rule",
  description:
    "A rate-based rule caps requests per client IP so one scraper or credential-stuffing bot cannot exhaust checkout capacity.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.wafv2.WebAcl, (acl, args, report) => {
    const rateRules = webAclRules(acl).filter((r) => r.rateBased);
    if (rateRules.length === 0) {
      report(
        `Web ACL "${args.name}" has no rate-based rule. Add a rule with statement.rateBasedStatement { limit, aggregateKeyType: "IP" } and action { block: {} }.`,
      );
    } else if (rateRules.every((r) => r.countOnly)) {
      report(
        `Web ACL "${args.name}" has only count-mode rate-based rules (${rateRules.map((r) => r.name).join(", ")}), which limit nothing. Set action { block: {} } on one of them.`,
      );
    }
  }),
};

export const wafLogging: StackValidationPolicy = {
  name: "waf-logging",
  description:
    "Every web ACL should log to an aws-waf-logs-* destination; without logs a blocked customer or a missed attack cannot be investigated. Advisory because the log volume is a cost decision.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const acls = args.resources.filter((r) => r.isType(aws.wafv2.WebAcl));
    const logged = new Set(
      args.resources
        .filter((r) => r.isType(aws.wafv2.WebAclLoggingConfiguration))
        .flatMap((c) => referencedBy(c, "resourceArn", acls, "arn")),
    );
    for (const acl of acls) {
      if (logged.has(acl)) continue;
      report(
        `Web ACL "${acl.name}" has no aws.wafv2.WebAclLoggingConfiguration. Add one with resourceArn: <web ACL>.arn and a log group named aws-waf-logs-<name>, redacting the Authorization and Cookie headers.`,
        acl.urn,
      );
    }
  },
};

/** Web ACL rules. */
export const wafPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  wafRequiredManagedRuleGroups,
  wafRateBasedRule,
  wafLogging,
];
