/**
 * Scaling of every Auto Scaling group in a regional stack, and the warm-standby capacity check.
 *
 * - Every group (the six web services and payments) tracks average CPU (default 60 %).
 * - Groups behind the ALB also track ALBRequestCountPerTarget on their own target group.
 * - Schedules from config (checkout and storefront: before and after the evening rush) run in
 *   `securecart:scalingTimeZone` unless a schedule names its own zone.
 */
import * as pulumi from "@pulumi/pulumi";
import { Fleet, LoadBalancedService, ScalingPolicy, ScheduledActionArgs } from "../components";
import { PaymentsConfig, ScheduleConfig, ServiceConfig, StackConfig } from "./config";

/** A service whose maxSize here is below the peer region's maxSize for it. */
export interface CapacityShortfall {
  readonly service: string;
  /** This stack's maxSize. */
  readonly maxSize: number;
  /** The peer region's maxSize, from `securecart:peerCapacity`. */
  readonly peerMaxSize: number;
}

/** The `maxSize` of every fleet in the stack, keyed as in `securecart:peerCapacity`. */
export function fleetMaxSizes(cfg: StackConfig): Record<string, number> {
  return {
    ...Object.fromEntries(Object.entries(cfg.services).map(([name, s]) => [name, s.maxSize])),
    payments: cfg.payments.maxSize,
  };
}

/** Services whose own max cannot absorb the peer's max, in the order of `own`. */
export function capacityShortfalls(
  own: Readonly<Record<string, number>>,
  peer: Readonly<Record<string, number>>,
): CapacityShortfall[] {
  return Object.entries(own)
    .filter(([service, maxSize]) => peer[service] !== undefined && maxSize < peer[service])
    .map(([service, maxSize]) => ({ service, maxSize, peerMaxSize: peer[service] }));
}

function configKeyOf(service: string, cfg: StackConfig): string {
  return service in cfg.services
    ? `securecart:services.${service}.maxSize`
    : `securecart:${service}.maxSize`;
}

/**
 * Warm-standby check: a standby (or, with latency routing, either region) must be able to grow
 * to the peer's peak. The peer's figures come from `securecart:peerCapacity` in this stack's own
 * file. Returns the warnings it issued through `warn`.
 */
export function checkStandbyCapacity(
  cfg: StackConfig,
  warn: (message: string) => void = (m) => pulumi.log.warn(m),
): string[] {
  const messages: string[] = [];
  const mustAbsorb = cfg.role === "secondary" || cfg.routing === "latency";
  // A standby absorbs the primary; with latency routing, the primary absorbs any of the others.
  const peer = cfg.role === "secondary" ? cfg.deployment.primary : cfg.peerRegions.join(", ");
  if (!cfg.peerCapacity) {
    if (mustAbsorb) {
      messages.push(
        `warm standby not checked: set securecart:peerCapacity in Pulumi.${cfg.stack}.yaml to the ${peer} stack's maxSize per service (payments included), so a max too low to absorb it is caught in preview`,
      );
    }
  } else {
    for (const s of capacityShortfalls(fleetMaxSizes(cfg), cfg.peerCapacity)) {
      messages.push(
        `warm standby: ${s.service} can grow to only ${s.maxSize} instances in ${cfg.region} (${configKeyOf(s.service, cfg)}), ` +
          `but ${peer} runs up to ${s.peerMaxSize} (securecart:peerCapacity.${s.service}). ` +
          `If ${peer} fails at peak, ${s.service} here cannot absorb its load: raise maxSize to at least ${s.peerMaxSize}.`,
      );
    }
  }
  messages.forEach((m) => warn(m));
  return messages;
}

function scheduledActions(
  schedules: Readonly<Record<string, ScheduleConfig>>,
  defaultTimeZone: string,
): Record<string, ScheduledActionArgs> {
  return Object.fromEntries(
    Object.entries(schedules).map(([name, s]) => [
      name,
      {
        schedule: s.recurrence,
        timeZone: s.timeZone ?? defaultTimeZone,
        minCapacity: s.minSize,
        maxCapacity: s.maxSize,
        desiredCapacity: s.desiredCapacity,
      },
    ]),
  );
}

function predictive(fleet: ServiceConfig | PaymentsConfig) {
  const mode = fleet.scaling.predictiveScaling;
  return mode === "off" ? undefined : { mode };
}

/**
 * Declares a ScalingPolicy `scale-<service>` for every fleet of `web` (ALB) and `pay` (NLB),
 * keyed by service name, and `scale-inspection` for the inspection appliances when they exist.
 */
export function createScaling(
  cfg: StackConfig,
  web: LoadBalancedService,
  pay: LoadBalancedService,
  appliances?: Fleet,
): Record<string, ScalingPolicy> {
  const policies: Record<string, ScalingPolicy> = {};
  for (const [name, s] of Object.entries(cfg.services)) {
    policies[name] = new ScalingPolicy(`scale-${name}`, {
      target: {
        kind: "ec2",
        autoScalingGroupName: web.fleets[name].autoScalingGroupName,
        minSize: s.minSize,
        maxSize: s.maxSize,
      },
      targetTracking: [
        {
          predefinedMetricType: "ASGAverageCPUUtilization",
          targetValue: s.scaling.cpuTargetPercent,
        },
        {
          predefinedMetricType: "ALBRequestCountPerTarget",
          targetValue: s.scaling.requestsPerTarget,
          loadBalancer: {
            loadBalancerArnSuffix: web.loadBalancerArnSuffix,
            targetGroupArnSuffix: web.targetGroups[name].arnSuffix,
            attachedBy: web.targetGroupAttachments[name],
          },
        },
      ],
      scheduledActions: scheduledActions(s.scaling.schedules, cfg.scalingTimeZone),
      predictiveScaling: predictive(s),
    });
  }
  const p = cfg.payments;
  policies.payments = new ScalingPolicy("scale-payments", {
    target: {
      kind: "ec2",
      autoScalingGroupName: pay.fleets.payments.autoScalingGroupName,
      minSize: p.minSize,
      maxSize: p.maxSize,
    },
    targetTracking: [
      { predefinedMetricType: "ASGAverageCPUUtilization", targetValue: p.scaling.cpuTargetPercent },
    ],
    scheduledActions: scheduledActions(p.scaling.schedules, cfg.scalingTimeZone),
    predictiveScaling: predictive(p),
  });
  if (appliances) {
    const i = cfg.inspection;
    policies.inspection = new ScalingPolicy("scale-inspection", {
      target: {
        kind: "ec2",
        autoScalingGroupName: appliances.autoScalingGroupName,
        minSize: i.minSize,
        maxSize: i.maxSize,
      },
      targetTracking: [
        { predefinedMetricType: "ASGAverageCPUUtilization", targetValue: i.cpuTargetPercent },
      ],
    });
  }
  checkStandbyCapacity(cfg);
  return policies;
}
