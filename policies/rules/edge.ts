/**
 * Edge protection rules: every ALB behind a WAF web ACL, plus advisory Shield Advanced and
 * alarm coverage. What the web ACL itself must contain is in ./waf.ts.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  isLoadBalancer,
  known,
  lbLabel,
  loadBalancerKind,
  propsOf,
  referencedBy,
  stringProp,
} from "./common";

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
      // `internal` is unknown in a first-deploy preview when the program leaves it unset, and
      // then AWS's default applies: internet-facing.
      (r) =>
        isLoadBalancer(r) && known(() => propsOf(r).internal) !== true && kindOf(r) !== "gateway",
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

/** Whether an alarm reads an Elastic Load Balancing namespace (directly or in a metric query). */
function watchesElbMetrics(alarm: PolicyResource): boolean {
  const props = propsOf(alarm) as {
    namespace?: string;
    metricQueries?: { metric?: { namespace?: string } }[];
  };
  const namespaces = known(() => [
    props.namespace,
    ...(props.metricQueries ?? []).map((q) => q.metric?.namespace),
  ]);
  return (namespaces ?? []).some(
    (n) => typeof n === "string" && /^AWS\/(Application|Network|Gateway)ELB$/.test(n),
  );
}

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
        // During preview the arnSuffix is unknown, so an ELB-metric alarm that depends on the
        // load balancer counts too. Depending on it alone is not enough: a Route 53 health-check
        // alarm mentions the load balancer's name but watches none of its metrics.
        alarms.some((a) => a.dependencies.includes(lb) && watchesElbMetrics(a)) ||
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

/** WAF association, Shield and alarm rules. */
export const edgePolicies: StackValidationPolicy[] = [
  albWafAssociation,
  lbShieldProtection,
  lbAlarms,
];
