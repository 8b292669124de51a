/**
 * What Elastic Load Balancing refuses in a target group's health attributes
 * (`target_group_health.*`), in the API's wording. The mocks call it before computing a target
 * group, so a value AWS would reject fails offline.
 *
 * Source: ELB API reference, TargetGroupAttribute (also the AWS SDKs' copy of the service model):
 * - `dns_failover.minimum_healthy_targets.count`: `off` or an integer from 1 to the number of
 *   targets; `…percentage`: `off` or an integer from 1 to 100.
 * - `unhealthy_state_routing.minimum_healthy_targets.count`: 1 to the number of targets;
 *   `…percentage`: `off` or 1 to 100.
 * - Supported by Application and Network Load Balancers only (not GENEVE target groups, not
 *   Lambda targets); with thresholds for both actions, DNS failover's must be >= routing's.
 */

/** `off`, or a whole number from 1 to `max` written as a string (as the API takes it). */
function offOrInteger(v: unknown, max: number): number | "off" | undefined {
  if (v === "off") return "off";
  if (typeof v === "string" && /^[1-9][0-9]*$/.test(v) && Number(v) <= max) return Number(v);
  return undefined;
}

function elbError(message: string): Error {
  return new Error(`mocks: ValidationError: ${message}`);
}

/** Throws what ModifyTargetGroupAttributes would answer for `targetGroupHealth`. */
export function validateTargetGroupHealth(inputs: Record<string, any>): void {
  const health = inputs.targetGroupHealth;
  if (health === undefined) return;
  if (inputs.protocol === "GENEVE" || inputs.targetType === "lambda") {
    throw elbError(
      "target_group_health attributes are supported by Application and Network Load Balancer target groups with instance or IP targets only",
    );
  }
  const dns = health.dnsFailover ?? {};
  const routing = health.unhealthyStateRouting ?? {};
  const key = "target_group_health";
  const dnsCount = dns.minimumHealthyTargetsCount;
  if (dnsCount !== undefined && offOrInteger(dnsCount, Number.MAX_SAFE_INTEGER) === undefined) {
    throw elbError(
      `${key}.dns_failover.minimum_healthy_targets.count must be off or an integer from 1 to the maximum number of targets; got ${JSON.stringify(dnsCount)}`,
    );
  }
  for (const [name, v] of [
    ["dns_failover", dns.minimumHealthyTargetsPercentage],
    ["unhealthy_state_routing", routing.minimumHealthyTargetsPercentage],
  ] as const) {
    if (v !== undefined && offOrInteger(v, 100) === undefined) {
      throw elbError(
        `${key}.${name}.minimum_healthy_targets.percentage must be off or an integer from 1 to 100; got ${JSON.stringify(v)}`,
      );
    }
  }
  const routingCount = routing.minimumHealthyTargetsCount;
  if (routingCount !== undefined && !(Number.isInteger(routingCount) && routingCount >= 1)) {
    throw elbError(
      `${key}.unhealthy_state_routing.minimum_healthy_targets.count must be an integer from 1 to the maximum number of targets; got ${JSON.stringify(routingCount)}`,
    );
  }
  const dnsNumber = offOrInteger(dnsCount, Number.MAX_SAFE_INTEGER);
  if (
    typeof dnsNumber === "number" &&
    typeof routingCount === "number" &&
    dnsNumber < routingCount
  ) {
    throw elbError(
      `${key}: the DNS failover threshold (${dnsNumber}) must be greater than or equal to the routing failover threshold (${routingCount})`,
    );
  }
}
