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
 *
 * And, for the protocol-specific attributes ({@link validateTargetGroupProtocolAttributes}):
 * - `deregistration_delay.connection_termination.enabled` is a Network Load Balancer attribute.
 * - `target_health_state.unhealthy.connection_termination.enabled` can't be enabled for UDP and
 *   TCP_UDP target groups; `…draining_interval_seconds` is 0-360000 and can only be configured
 *   when connection termination is false. The provider sends both for TCP and TLS only.
 * - Stickiness types: `lb_cookie`/`app_cookie` for ALB (HTTP, HTTPS) target groups, `source_ip`
 *   for NLB ones; NLB supports no sticky sessions with TLS listeners and TLS target groups (NLB
 *   guide, "Edit target group attributes", Sticky sessions).
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

const NLB_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP"];

/** Throws what CreateTargetGroup/ModifyTargetGroupAttributes would answer for protocol-bound attributes. */
export function validateTargetGroupProtocolAttributes(inputs: Record<string, any>): void {
  const protocol = String(inputs.protocol ?? "HTTP").toUpperCase();
  const nlb = NLB_PROTOCOLS.includes(protocol);
  if (inputs.connectionTermination === true && !nlb) {
    throw elbError(
      `deregistration_delay.connection_termination.enabled is supported by Network Load Balancer target groups only; got protocol ${protocol}`,
    );
  }
  for (const state of (inputs.targetHealthStates ?? []) as Record<string, unknown>[]) {
    const terminate = state.enableUnhealthyConnectionTermination;
    const draining = state.unhealthyDrainingInterval;
    if (!nlb) {
      throw elbError(
        `target_health_state.unhealthy.* attributes are supported by Network Load Balancer target groups only; got protocol ${protocol}`,
      );
    }
    if (terminate === true && (protocol === "UDP" || protocol === "TCP_UDP")) {
      throw elbError(
        `target_health_state.unhealthy.connection_termination.enabled can't be enabled for ${protocol} target groups`,
      );
    }
    if (draining !== undefined) {
      if (terminate !== false) {
        throw elbError(
          "target_health_state.unhealthy.draining_interval_seconds can only be configured when target_health_state.unhealthy.connection_termination.enabled is false",
        );
      }
      if (
        !Number.isInteger(draining) ||
        (draining as number) < 0 ||
        (draining as number) > 360000
      ) {
        throw elbError(
          `target_health_state.unhealthy.draining_interval_seconds must be 0-360000; got ${JSON.stringify(draining)}`,
        );
      }
    }
  }
  const stickiness = inputs.stickiness as { type?: string; enabled?: boolean } | undefined;
  if (stickiness !== undefined) {
    const type = stickiness.type;
    const allowed = nlb ? ["source_ip"] : protocol === "GENEVE" ? [] : ["lb_cookie", "app_cookie"];
    if (protocol !== "GENEVE" && type !== undefined && !allowed.includes(type)) {
      throw elbError(
        `InvalidConfigurationRequest: Stickiness type '${type}' is not supported for target groups with the ${protocol} protocol`,
      );
    }
    if (protocol === "TLS" && stickiness.enabled !== false) {
      throw elbError(
        "sticky sessions are not supported with TLS listeners and TLS target groups; leave stickiness unset on a TLS target group",
      );
    }
  }
}
