/**
 * How a fleet rolls onto a new launch template version (a new AMI, new user data): pure, so the
 * rules are tested without mocks and shared by the Fleet component and the mocks.
 */

/** Instance refresh preferences as the Auto Scaling API takes them. */
export interface RolloutPreferences {
  /** Share of desired capacity that stays in service and healthy throughout (0-100). */
  readonly minHealthyPercentage: number;
  /**
   * Share of desired capacity that may be in service or pending during the refresh (100-200, at
   * most 100 above the minimum). Above 100 the group launches replacements before it terminates
   * the instances they replace.
   */
  readonly maxHealthyPercentage: number;
  /** Percentages of the group replaced at which the refresh pauses, ascending, ending at 100. */
  readonly checkpointPercentages: readonly number[];
  /** Seconds each checkpoint waits before the refresh goes on (0-172800). */
  readonly checkpointDelaySeconds: number;
}

/**
 * The default rollout: launch before terminating. The whole desired capacity stays in service
 * (minimum 100 %) and the group may grow to 150 % while replacements warm up, so even a fleet of
 * two gets one extra instance and never drops below two. With the old 90 % minimum and AWS's
 * default 100 % maximum a fleet of two lost one instance (half its capacity) per step, because
 * Auto Scaling had to terminate before it could launch. The refresh pauses after a fifth and
 * after half of the fleet, so alarms (which fail and stop the refresh; FleetArgs
 * rollbackAlarmNames) and the on-call engineer see the new image serve real traffic before it
 * reaches everything.
 */
export const DEFAULT_ROLLOUT: RolloutPreferences = {
  minHealthyPercentage: 100,
  maxHealthyPercentage: 150,
  checkpointPercentages: [20, 50, 100],
  checkpointDelaySeconds: 600,
};

/**
 * What is wrong with `p`, or undefined. Ranges from the Auto Scaling API reference
 * (RefreshPreferences, InstanceMaintenancePolicy): MinHealthyPercentage 0-100;
 * MaxHealthyPercentage 100-200, needs MinHealthyPercentage and may be at most 100 above it;
 * CheckpointPercentages ascending and unique, and the last must be 100 to replace every
 * instance; CheckpointDelay 0-172800 seconds. Ours, not AWS's: a minimum of 100 needs a maximum
 * above 100, or no instance can ever be replaced, and below 50 a refresh is an outage.
 */
export function rolloutProblem(p: RolloutPreferences): string | undefined {
  const { minHealthyPercentage: min, maxHealthyPercentage: max } = p;
  const { checkpointPercentages: cps, checkpointDelaySeconds: d } = p;
  if (!Number.isInteger(min) || min < 50 || min > 100) {
    return `minHealthyPercentage must be an integer from 50 to 100 (below half the fleet a refresh is an outage); got ${min}`;
  }
  if (!Number.isInteger(max) || max < 100 || max > 200 || max - min > 100) {
    return `maxHealthyPercentage must be an integer from 100 to 200 and at most 100 above minHealthyPercentage (${min}); got ${max}`;
  }
  if (min === 100 && max === 100) {
    return "maxHealthyPercentage must be above 100 when minHealthyPercentage is 100, or no instance can be replaced; got 100";
  }
  if (cps.length < 2) {
    return `checkpointPercentages must pause at least once before 100; got ${JSON.stringify(cps)}`;
  }
  for (let i = 0; i < cps.length; i++) {
    if (
      !Number.isInteger(cps[i]) ||
      cps[i] < 1 ||
      cps[i] > 100 ||
      (i > 0 && cps[i] <= cps[i - 1])
    ) {
      return `checkpointPercentages must be unique integers 1-100 in ascending order; got ${JSON.stringify(cps)}`;
    }
  }
  if (cps[cps.length - 1] !== 100) {
    return `checkpointPercentages must end at 100, or the refresh leaves old instances behind; got ${JSON.stringify(cps)}`;
  }
  if (!Number.isInteger(d) || d < 0 || d > 172800) {
    return `checkpointDelaySeconds must be an integer from 0 to 172800; got ${d}`;
  }
  return undefined;
}

/**
 * The maximum healthy percentage a group of `size` instances actually gets. With a minimum of
 * 100 % the refresh can replace an instance only by first launching one above the desired
 * capacity, within the maximum. Whether Auto Scaling rounds `size × max / 100` up or down was not
 * found in its documentation, so this assumes down: a group of 1 at 150 % (1.5) would get no room
 * and its refresh could never replace anything. It then gets the smallest maximum that leaves
 * room for one instance, within AWS's limits (at most 200, at most 100 above the minimum).
 */
export function effectiveMaxHealthyPercentage(p: RolloutPreferences, size: number): number {
  if (p.minHealthyPercentage < 100 || size < 1) return p.maxHealthyPercentage;
  const needed = Math.ceil((100 * (size + 1)) / size);
  const limit = Math.min(200, p.minHealthyPercentage + 100);
  return Math.min(Math.max(p.maxHealthyPercentage, needed), limit);
}
