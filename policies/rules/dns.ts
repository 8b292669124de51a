/** Route 53 rules: routing that depends on health must have a health check to depend on. */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isSet } from "./common";

export const route53RoutingHealthCheck: ResourceValidationPolicy = {
  name: "route53-routing-health-check",
  description:
    "A failover PRIMARY or latency record without a health check is always considered healthy, so Route 53 keeps sending shoppers to a dead region.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.route53.Record, (record, args, report) => {
    const primary = (record.failoverRoutingPolicies ?? []).some(
      (p) => p.type.toUpperCase() === "PRIMARY",
    );
    const latency = (record.latencyRoutingPolicies ?? []).length > 0;
    if (!primary && !latency) return;
    if (!isSet(record, "healthCheckId")) {
      const routing = primary
        ? "a failover PRIMARY"
        : `a latency (${(record.latencyRoutingPolicies ?? []).map((p) => p.region).join(", ")})`;
      report(
        `Route 53 record "${args.name}" (${record.name} ${record.type}, setIdentifier ${JSON.stringify(record.setIdentifier ?? null)}) is ${routing} record with no healthCheckId. Set healthCheckId to the region's aws.route53.HealthCheck id.`,
      );
    }
  }),
};

export const route53SecondaryHealthCheck: ResourceValidationPolicy = {
  name: "route53-secondary-health-check",
  description:
    "A failover SECONDARY record without a health check is returned whenever the primary is unhealthy, even if the standby is down too; with checks on both, Route 53 falls back to the primary.",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.route53.Record, (record, args, report) => {
    const secondary = (record.failoverRoutingPolicies ?? []).some(
      (p) => p.type.toUpperCase() === "SECONDARY",
    );
    if (secondary && !isSet(record, "healthCheckId")) {
      report(
        `Route 53 record "${args.name}" (${record.name} ${record.type}) is a failover SECONDARY record with no healthCheckId. Set healthCheckId to the standby region's aws.route53.HealthCheck id.`,
      );
    }
  }),
};

/** Route 53 rules. */
export const dnsPolicies: ResourceValidationPolicy[] = [
  route53RoutingHealthCheck,
  route53SecondaryHealthCheck,
];
