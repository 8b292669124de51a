/**
 * Scaling of every Auto Scaling group in a regional stack. (The warm-standby capacity check
 * compares stacks, so it lives in stacks/agreement.ts.)
 *
 * - Every group (the six web services and payments) tracks average CPU (default 60 %).
 * - Groups behind the ALB also track ALBRequestCountPerTarget on their own target group.
 * - Schedules from config (checkout and storefront: before and after the evening rush) run in
 *   `securecart:scalingTimeZone` unless a schedule names its own zone.
 */
import { Fleet, LoadBalancedService, ScalingPolicy, ScheduledActionArgs } from "../components";
import { PaymentsConfig, ScheduleConfig, ServiceConfig, StackConfig } from "./config";

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
  return policies;
}
