/**
 * Builds the failover model's settings from the stacks' validated config, plus the figures AWS
 * documents and the few it does not (named assumptions, to be replaced by drill measurements).
 */
import { StackConfig, webHostLabels } from "../../stacks/config";
import { trafficAudiences } from "../../stacks/dns";
import { APEX } from "../dns/failoverPlan";
import { audienceOf, trafficStepOrder } from "./trafficOrder";
import { GlobalConfig } from "../../stacks/globalConfig";
import { ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_ALARM } from "../dns/failoverPlan";
import { DEFAULT_WARMUP_SECONDS } from "../loadBalancing/fleet";
import { FailoverSettings } from "./failoverModel";
import { WRITER_GRACE_SECONDS, healthCheckPathFor, requiresWriter } from "./healthSemantics";

/**
 * Aurora figures. AWS publishes ranges, not guarantees:
 * - replication "latency typically under a second" (Aurora user guide, "Using Amazon Aurora
 *   Global Database"): RPO of an unplanned failover, 1 s;
 * - global failover RTO "in the order of minutes" (aurora-global-database-disaster-recovery):
 *   120 s, an assumption within that phrase;
 * - switchover: the database "is unavailable for a short time" (API_SwitchoverGlobalCluster):
 *   60 s, an assumption;
 * - in-region failover "less than 60 seconds, often less than 30" (Concepts.AuroraHighAvailability).
 */
export const AURORA_FIGURES = {
  globalFailoverSeconds: 120,
  switchoverSeconds: 60,
  inRegionFailoverSeconds: 60,
  replicationLagSeconds: 1,
} as const;

/**
 * Assumptions no AWS page gives: time for on-call to start the plan after the page, time to
 * approve a waiting step, and an instance's boot to InService (Amazon Linux 2023, placeholder app).
 */
export const ASSUMED = {
  humanStartSeconds: 300,
  humanApproveSeconds: 60,
  bootSeconds: 90,
  /**
   * One Route 53 traffic step, from its start to ARC reporting the plan's checks flipped. The ARC
   * guide says only that "the Route 53 health check state is updated" (Route 53 health check
   * execution block): no duration.
   */
  trafficStepSeconds: 30,
} as const;

/**
 * Per failed Route 53 check when the endpoint does not answer: TCP connect within 4 s, then an
 * HTTP status within 2 s (Route 53 developer guide, "How Amazon Route 53 determines whether a
 * health check is healthy"; /work/shared/AWS-FACTS.md section 1).
 */
export const ROUTE53_CHECK_TIMEOUT_SECONDS = 4 + 2;

/** The checkout fleet's capacity at the evening peak: its minimum raised by its schedules. */
export function checkoutAtPeak(cfg: StackConfig): number {
  const checkout = cfg.services.checkout;
  if (!checkout) throw new Error(`stack ${cfg.stack} has no checkout service to model`);
  const scheduled = Object.values(checkout.scaling.schedules).map((s) => s.minSize);
  return Math.max(checkout.minSize, ...scheduled);
}

/**
 * The primary's failover records in the plan's traffic-step order (as stacks/region.ts exports
 * them), with the load balancer each points at and its TTL: a CNAME's own, or an alias's 60 s.
 */
export function planRecordsInOrder(cfg: StackConfig): FailoverSettings["records"] {
  const fqdn = (label: string) => (label === APEX ? cfg.domain : `${label}.${cfg.domain}`);
  const labels = [
    ...webHostLabels(cfg).map((label) => ({ label, endpoint: "web" as const })),
    { label: cfg.payments.host, endpoint: "pay" as const },
  ].map((r) => ({ ...r, fqdn: fqdn(r.label).toLowerCase() }));
  const audiences = trafficAudiences(cfg);
  return trafficStepOrder(labels, audiences).map((name) => {
    const r = labels.find((l) => l.fqdn === name) as (typeof labels)[number];
    return {
      fqdn: name,
      endpoint: r.endpoint,
      audience: audienceOf(r.label, audiences),
      ttlSeconds: cfg.dns.cnameTtlSeconds[r.label] ?? ELB_ALIAS_TTL_SECONDS,
    };
  });
}

/** The model's settings for a primary, its secondary and the global stack. */
export function failoverSettings(
  primary: StackConfig,
  secondary: StackConfig,
  global: GlobalConfig,
): FailoverSettings {
  const hc = primary.dns.healthCheck;
  const checkoutHc = primary.services.checkout.healthCheck;
  const pathOf = (cfg: StackConfig) =>
    healthCheckPathFor(cfg.role, cfg.routing, cfg.dns.healthCheck);
  const rs = global.regionSwitch;
  return {
    route53: {
      intervalSeconds: hc.requestIntervalSeconds,
      failureThreshold: hc.failureThreshold,
      checkTimeoutSeconds: ROUTE53_CHECK_TIMEOUT_SECONDS,
    },
    records: planRecordsInOrder(primary),
    // No AWS figure for how soon a calculated check sees a child flip: assumed up to the time
    // Route 53 needs to flip an endpoint check (interval x threshold).
    trafficStep: {
      runSeconds: ASSUMED.trafficStepSeconds,
      flipDetectionHighSeconds: hc.requestIntervalSeconds * hc.failureThreshold,
    },
    triggerAlarm: HEALTH_CHECK_ALARM,
    automaticFailover: rs.automaticFailover,
    planTimeouts: {
      approvalSeconds: rs.approvalTimeoutMinutes * 60,
      auroraSeconds: rs.auroraTimeoutMinutes * 60,
      scalingSeconds: rs.scalingTimeoutMinutes * 60,
      trafficSeconds: rs.trafficTimeoutMinutes * 60,
    },
    planRtoSeconds: rs.recoveryTimeObjectiveMinutes * 60,
    human: { startSeconds: ASSUMED.humanStartSeconds, approveSeconds: ASSUMED.humanApproveSeconds },
    aurora: AURORA_FIGURES,
    fleet: {
      bootSeconds: ASSUMED.bootSeconds,
      warmupSeconds: DEFAULT_WARMUP_SECONDS,
      targetHealthySeconds: checkoutHc.healthyThreshold * checkoutHc.intervalSeconds,
      targetUnhealthySeconds: checkoutHc.unhealthyThreshold * checkoutHc.intervalSeconds,
      targetTimeoutSeconds: checkoutHc.timeoutSeconds,
      targetUnhealthyThreshold: checkoutHc.unhealthyThreshold,
    },
    capacity: {
      primaryPeak: checkoutAtPeak(primary),
      standbyAtPeak: checkoutAtPeak(secondary),
    },
    health: {
      paths: {
        primary: pathOf(primary),
        secondary: pathOf(secondary),
        payments: primary.dns.healthCheck.readPath,
      },
      paymentsRequiresWriter: requiresWriter(primary.dns.healthCheck.readPath) ?? false,
      primaryRequiresWriter: requiresWriter(pathOf(primary)) ?? false,
      secondaryRequiresWriter: requiresWriter(pathOf(secondary)) ?? true,
      writerGraceSeconds: WRITER_GRACE_SECONDS,
    },
    zones: { count: primary.availabilityZones.length, autoshift: primary.zonalAutoshift.enabled },
  };
}
