/**
 * Edge protection rules: every ALB behind a WAF web ACL that carries the baseline managed rule
 * groups and a rate limit, plus advisory Shield Advanced and alarm coverage.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import {
  isLoadBalancer,
  known,
  lbLabel,
  loadBalancerKind,
  propsOf,
  referencedBy,
  stringProp,
} from "./common";

/** Managed rule groups every web ACL must run by default (vendor AWS). */
export const DEFAULT_REQUIRED_RULE_GROUPS: readonly string[] = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesSQLiRuleSet",
];

/** Config of {@link wafRequiredManagedRuleGroups}. */
export interface ManagedRuleGroupsConfig {
  readonly ruleGroups?: string[];
}

function kindOf(r: PolicyResource) {
  return loadBalancerKind(stringProp(r, "loadBalancerType"));
}

function labelOf(r: PolicyResource): string {
  return lbLabel(kindOf(r), r.name);
}

export const albWafAssociation: StackValidationPolicy = {
  name: "alb-waf-association",
  description:
    "Every ALB must sit behind an AWS WAF web ACL: it is the only layer that filters SQL injection, known bad inputs and request floods before they reach the services.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const albs = args.resources.filter((r) => isLoadBalancer(r) && kindOf(r) === "application");
    const covered = new Set(
      args.resources
        .filter((r) => r.isType(aws.wafv2.WebAclAssociation))
        .flatMap((a) => referencedBy(a, "resourceArn", albs, "arn")),
    );
    for (const alb of albs) {
      if (covered.has(alb)) continue;
      report(
        `${labelOf(alb)} has no WAF web ACL: no aws.wafv2.WebAclAssociation has its ARN as resourceArn. Add new aws.wafv2.WebAclAssociation(..., { resourceArn: <alb>.arn, webAclArn: <regional web ACL>.arn }).`,
        alb.urn,
      );
    }
  },
};

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

/** The Elastic IPs in a load balancer's `subnetMappings`. */
function elasticIpsOf(lb: PolicyResource, eips: readonly PolicyResource[]): PolicyResource[] {
  const linked = (lb.propertyDependencies.subnetMappings ?? []).filter((d) => eips.includes(d));
  if (linked.length > 0) return linked;
  const allocationIds =
    known(() => {
      const mappings = propsOf(lb).subnetMappings;
      return (Array.isArray(mappings) ? (mappings as { allocationId?: unknown }[]) : [])
        .map((m) => m.allocationId)
        .filter((v): v is string => typeof v === "string");
    }) ?? [];
  return eips.filter((e) => allocationIds.includes(stringProp(e, "allocationId") ?? ""));
}

export const lbShieldProtection: StackValidationPolicy = {
  name: "lb-shield-protection",
  description:
    "Internet-facing load balancers should have Shield Advanced protections (DDoS response team, cost protection); NLBs are protected through their Elastic IPs. Advisory because the subscription is an account-level cost decision.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const eips = args.resources.filter((r) => r.isType(aws.ec2.Eip));
    const lbs = args.resources.filter(
      (r) => isLoadBalancer(r) && propsOf(r).internal !== true && kindOf(r) !== "gateway",
    );
    const protections = args.resources.filter((r) => r.isType(aws.shield.Protection));
    const isProtected = (target: PolicyResource) =>
      protections.some((p) => referencedBy(p, "resourceArn", [target], "arn").length > 0);
    // Shield names an EIP `…:eip-allocation/<allocationId>`, not by the EIP's own `arn` output
    // (`…:elastic-ip/…`), so without a dependency link the allocation ID is what to compare.
    const isEipProtected = (eip: PolicyResource) =>
      isProtected(eip) ||
      protections.some((p) => {
        const arn = stringProp(p, "resourceArn");
        const allocationId = stringProp(eip, "allocationId") ?? stringProp(eip, "id");
        return !!arn && !!allocationId && arn.endsWith(`:eip-allocation/${allocationId}`);
      });
    for (const lb of lbs) {
      if (kindOf(lb) === "application") {
        if (!isProtected(lb)) {
          report(
            `${labelOf(lb)} is internet-facing and has no aws.shield.Protection. Add one with resourceArn: <alb>.arn.`,
            lb.urn,
          );
        }
        continue;
      }
      const lbEips = elasticIpsOf(lb, eips);
      if (lbEips.length === 0) {
        report(
          `${labelOf(lb)} is internet-facing without Elastic IPs, and Shield Advanced protects an NLB only through its EIPs. Give it subnetMappings with allocationId and protect each EIP.`,
          lb.urn,
        );
        continue;
      }
      const unprotected = lbEips.filter((e) => !isEipProtected(e));
      if (unprotected.length > 0) {
        report(
          `${labelOf(lb)} has Elastic IPs without aws.shield.Protection: ${unprotected.map((e) => e.name).join(", ")}. Add a protection per EIP (resourceArn: arn:aws:ec2:<region>:<account>:eip-allocation/<allocationId>).`,
          lb.urn,
        );
      }
    }
  },
};

/** The `LoadBalancer` dimension values an alarm watches, including inside metric queries. */
function alarmedLoadBalancers(alarm: PolicyResource): string[] {
  const props = propsOf(alarm) as {
    dimensions?: Record<string, string>;
    metricQueries?: { metric?: { dimensions?: Record<string, string> } }[];
  };
  const dimensions = known(() => [
    props.dimensions,
    ...(props.metricQueries ?? []).map((q) => q.metric?.dimensions),
  ]);
  return (dimensions ?? [])
    .map((d) => known(() => d?.LoadBalancer))
    .filter((v): v is string => typeof v === "string");
}

export const lbAlarms: StackValidationPolicy = {
  name: "lb-alarms",
  description:
    "Every load balancer should have at least one CloudWatch alarm on its metrics (5XX, unhealthy hosts, resets) so on-call hears about a failing entry point before customers do.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
    for (const lb of args.resources.filter(isLoadBalancer)) {
      const watched =
        alarms.some((a) => a.dependencies.includes(lb)) ||
        alarms.some((a) => {
          const suffix = stringProp(lb, "arnSuffix");
          return suffix !== undefined && alarmedLoadBalancers(a).includes(suffix);
        });
      if (!watched) {
        report(
          `${labelOf(lb)} has no CloudWatch alarm (no aws.cloudwatch.MetricAlarm with dimension LoadBalancer = its arnSuffix). Add alarms on its error (5XX or TCP reset) and unhealthy-host metrics.`,
          lb.urn,
        );
      }
    }
  },
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

/** WAF, Shield and alarm rules. */
export const edgePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  albWafAssociation,
  wafRequiredManagedRuleGroups,
  wafRateBasedRule,
  wafLogging,
  lbShieldProtection,
  lbAlarms,
];
