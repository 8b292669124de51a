/**
 * Validation of {@link ScalingPolicyArgs}: every plain value is checked before the component
 * creates a child. Pure, so it runs without mocks; the component turns a problem into a
 * ResourceError. Unresolved Outputs (names, arnSuffixes) are skipped.
 */
import type {
  CapacityRange,
  ScalingPolicyArgs,
  ScheduledActionArgs,
  TargetTrackingArgs,
} from "./scalingPolicy";
import { albResourceLabel, metricKindProblem, targetValueProblem } from "./scalingRules";
import { appScheduleProblem, ec2CronProblem, timeZoneProblem } from "./scheduleRules";

const SCHEDULE_KEY = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Carries a problem message out of the nested checks; never escapes this module. */
class Problem extends Error {}

/**
 * The first problem with `args`, naming the argument, the value found and the fix, or undefined.
 * `tracking` and `schedules` are the args' policies and actions after defaults.
 */
export function scalingPolicyProblem(
  args: ScalingPolicyArgs,
  tracking: readonly TargetTrackingArgs[],
  schedules: Readonly<Record<string, ScheduledActionArgs>>,
): string | undefined {
  try {
    check(args, tracking, schedules);
    return undefined;
  } catch (e) {
    if (e instanceof Problem) return e.message;
    throw e;
  }
}

function check(
  args: ScalingPolicyArgs,
  tracking: readonly TargetTrackingArgs[],
  schedules: Readonly<Record<string, ScheduledActionArgs>>,
): void {
  const fail = (message: string): never => {
    throw new Problem(message);
  };
  const target = args.target;
  const kind = target.kind;
  const isDynamo = kind === "dynamodb-table" || kind === "dynamodb-index";
  const isInt = (n: number) => Number.isInteger(n) && n >= 0;

  // Capacity bounds of the target, by dimension, where known.
  const bounds: Partial<Record<string, { min?: number; max?: number }>> = {};
  const checkRange = (key: string, r: CapacityRange, lowest: number) => {
    if (!Number.isInteger(r.min) || r.min < lowest) {
      fail(`target.${key}.min must be an integer >= ${lowest}; got ${r.min}`);
    }
    if (!Number.isInteger(r.max) || r.max < r.min) {
      fail(
        `target.${key}.max must be an integer >= min (${r.min}); got ${r.max}. Lower min or raise max`,
      );
    }
  };
  if (kind === "ec2") {
    const { minSize, maxSize } = target;
    if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
      fail(`target.minSize must be <= maxSize; got ${minSize} > ${maxSize}`);
    }
    bounds.capacity = { min: minSize, max: maxSize };
  } else if (isDynamo) {
    // DynamoDB provisioned capacity is at least 1 unit.
    checkRange("read", target.read, 1);
    checkRange("write", target.write, 1);
    bounds.read = target.read;
    bounds.write = target.write;
  } else {
    checkRange("capacity", target.capacity, 0);
    bounds.capacity = target.capacity;
  }
  if (kind === "lambda" && target.alias === "$LATEST") {
    fail(
      'target.alias must name an alias or version; "$LATEST" cannot have provisioned concurrency',
    );
  }

  const seen = new Set<string>();
  tracking.forEach((t, i) => {
    const at = `targetTracking[${i}]`;
    const kindProblem = metricKindProblem(t.predefinedMetricType, kind);
    if (kindProblem) fail(`${at}.predefinedMetricType ${kindProblem}`);
    if (seen.has(t.predefinedMetricType)) {
      fail(
        `${at}.predefinedMetricType "${t.predefinedMetricType}" is tracked twice; keep one policy per metric`,
      );
    }
    seen.add(t.predefinedMetricType);
    if (t.targetValue !== undefined) {
      const problem = targetValueProblem(t.predefinedMetricType, t.targetValue);
      if (problem) fail(`${at}.targetValue (${t.predefinedMetricType}) ${problem}`);
    }
    const isRequests = t.predefinedMetricType === "ALBRequestCountPerTarget";
    if (isRequests && !t.loadBalancer) {
      fail(
        `${at}.loadBalancer is required for ALBRequestCountPerTarget: pass the ALB's and target group's arnSuffix (resource label app/…/targetgroup/…)`,
      );
    }
    const lb = t.loadBalancer;
    if (
      lb &&
      typeof lb.loadBalancerArnSuffix === "string" &&
      typeof lb.targetGroupArnSuffix === "string"
    ) {
      try {
        albResourceLabel(lb.loadBalancerArnSuffix, lb.targetGroupArnSuffix);
      } catch (e) {
        fail(`${at}.loadBalancer: ${(e as Error).message}`);
      }
    }
    if (!isRequests && t.loadBalancer) {
      fail(`${at}.loadBalancer applies only to ALBRequestCountPerTarget; remove it`);
    }
    for (const field of ["scaleInCooldownSeconds", "scaleOutCooldownSeconds"] as const) {
      const v = t[field];
      if (v === undefined) continue;
      if (kind === "ec2") {
        fail(
          `${at}.${field} is Application Auto Scaling only; EC2 uses the group's default instance warm-up`,
        );
      }
      if (!isInt(v)) fail(`${at}.${field} must be a whole number of seconds >= 0; got ${v}`);
    }
  });

  if (args.predictiveScaling) {
    if (kind !== "ec2") fail(`predictiveScaling is EC2 Auto Scaling only; got a ${kind} target`);
    const cpu = args.predictiveScaling.cpuTargetPercent;
    const problem =
      cpu === undefined ? undefined : targetValueProblem("ASGAverageCPUUtilization", cpu);
    if (problem) fail(`predictiveScaling.cpuTargetPercent ${problem}`);
  }

  for (const [key, s] of Object.entries(schedules)) {
    const at = `scheduledActions.${key}`;
    if (!SCHEDULE_KEY.test(key)) {
      fail(`scheduledActions key "${key}" must be kebab-case (a-z, 0-9, -), at most 64 characters`);
    }
    const scheduleProblem =
      kind === "ec2" ? ec2CronProblem(s.schedule) : appScheduleProblem(s.schedule);
    if (scheduleProblem) fail(`${at}.schedule ${scheduleProblem}`);
    if (s.timeZone !== undefined) {
      const tzProblem = timeZoneProblem(s.timeZone);
      if (tzProblem) fail(`${at}.timeZone ${tzProblem}`);
    }
    if (isDynamo && !s.dimension) {
      fail(`${at}.dimension is required on a DynamoDB target: "read" or "write"`);
    }
    if (!isDynamo && s.dimension) {
      fail(`${at}.dimension applies only to DynamoDB targets; remove it`);
    }
    if (kind !== "ec2" && s.desiredCapacity !== undefined) {
      fail(`${at}.desiredCapacity is EC2 only; Application Auto Scaling sets min and max`);
    }
    const { minCapacity: min, maxCapacity: max, desiredCapacity: desired } = s;
    if (min === undefined && max === undefined && desired === undefined) {
      fail(`${at} changes nothing; set minCapacity, maxCapacity or both`);
    }
    for (const [field, v] of Object.entries({
      minCapacity: min,
      maxCapacity: max,
      desiredCapacity: desired,
    })) {
      if (v !== undefined && !isInt(v)) fail(`${at}.${field} must be an integer >= 0; got ${v}`);
    }
    const b = bounds[s.dimension ?? "capacity"] ?? {};
    const effectiveMax = max ?? b.max;
    if (min !== undefined && effectiveMax !== undefined && min > effectiveMax) {
      const source = max !== undefined ? "maxCapacity" : "the target's max";
      fail(
        `${at}.minCapacity must be <= ${source} (${effectiveMax}); got ${min}. Lower minCapacity or raise the max`,
      );
    }
    const effectiveMin = min ?? b.min;
    if (max !== undefined && min === undefined && b.min !== undefined && max < b.min) {
      fail(
        `${at}.maxCapacity must be >= the target's min (${b.min}); got ${max}. Raise maxCapacity or lower the min too`,
      );
    }
    if (desired !== undefined) {
      if (effectiveMin !== undefined && desired < effectiveMin) {
        fail(`${at}.desiredCapacity must be >= the minimum (${effectiveMin}); got ${desired}`);
      }
      if (effectiveMax !== undefined && desired > effectiveMax) {
        fail(`${at}.desiredCapacity must be <= the maximum (${effectiveMax}); got ${desired}`);
      }
    }
  }
}
