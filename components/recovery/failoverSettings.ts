/**
 * Builds the failover model's settings from the stacks' validated config, plus the figures AWS
 * documents and the few it does not (named assumptions, to be replaced by drill measurements).
 */
import { StackConfig } from "../../stacks/config";
import { GlobalConfig } from "../../stacks/globalConfig";
import { ELB_ALIAS_TTL_SECONDS, HEALTH_CHECK_ALARM } from "../failoverPlan";
import { DEFAULT_WARMUP_SECONDS } from "../fleet";
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
} as const;

/** The checkout fleet's capacity at the evening peak: its minimum raised by its schedules. */
export function checkoutAtPeak(cfg: StackConfig): number {
  const checkout = cfg.services.checkout;
  if (!checkout) throw new Error(`stack ${cfg.stack} has no checkout service to model`);
  const scheduled = Object.values(checkout.scaling.schedules).map((s) => s.minSize);
  return Math.max(checkout.minSize, ...scheduled);
}

/** The model's settings for a primary, its secondary and the global stack. */
export function failoverSettings(
  primary: StackConfig,
  secondary: StackConfig,
  global: GlobalConfig,
): FailoverSettings {
  const hc = primary.dns.healthCheck;
  const checkoutHc = primary.services.checkout.healthCheck;
  const ttls = Object.values(primary.dns.cnameTtlSeconds);
  const pathOf = (cfg: StackConfig) =>
    healthCheckPathFor(cfg.role, cfg.routing, cfg.dns.healthCheck);
  const rs = global.regionSwitch;
  return {
    route53: { intervalSeconds: hc.requestIntervalSeconds, failureThreshold: hc.failureThreshold },
    // Resolvers keep the longest answer: ELB aliases carry 60 s; a CNAME its own, shorter TTL.
    dnsTtlSeconds: Math.max(ELB_ALIAS_TTL_SECONDS, ...ttls),
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
    },
    capacity: {
      primaryPeak: checkoutAtPeak(primary),
      standbyAtPeak: checkoutAtPeak(secondary),
    },
    health: {
      primaryRequiresWriter: requiresWriter(pathOf(primary)) ?? false,
      secondaryRequiresWriter: requiresWriter(pathOf(secondary)) ?? true,
      writerGraceSeconds: WRITER_GRACE_SECONDS,
    },
    zones: { count: primary.availabilityZones.length, autoshift: primary.zonalAutoshift.enabled },
  };
}
