/**
 * How a fleet rolls onto a new launch template version (a new AMI, new user data): pure, so the
 * rules are tested without mocks and shared by the Fleet component and the mocks.
 */

/** Instance refresh preferences as the Auto Scaling API takes them. */
export interface RolloutPreferences {
  /** Share of desired capacity that stays in service and healthy throughout (0-100). */
  readonly minHealthyPercentage: number;
  /** Percentages of the group replaced at which the refresh pauses, ascending, ending at 100. */
  readonly checkpointPercentages: readonly number[];
  /** Seconds each checkpoint waits before the refresh goes on (0-172800). */
  readonly checkpointDelaySeconds: number;
}

/**
 * The default rollout: never below 90 % healthy capacity, and pauses after a fifth and after
 * half of the fleet so alarms (and the on-call engineer, who can cancel the refresh) see the new
 * image serve real traffic before it reaches everything. Without checkpoints one `pulumi up`
 * would replace the whole fleet in one pass.
 */
export const DEFAULT_ROLLOUT: RolloutPreferences = {
  minHealthyPercentage: 90,
  checkpointPercentages: [20, 50, 100],
  checkpointDelaySeconds: 600,
};

/**
 * What is wrong with `p`, or undefined. Ranges from the Auto Scaling API reference
 * (RefreshPreferences): MinHealthyPercentage 0-100; CheckpointPercentages ascending and unique,
 * and the last must be 100 to replace every instance; CheckpointDelay 0-172800 seconds.
 */
export function rolloutProblem(p: RolloutPreferences): string | undefined {
  const { minHealthyPercentage: min, checkpointPercentages: cps, checkpointDelaySeconds: d } = p;
  if (!Number.isInteger(min) || min < 50 || min > 100) {
    return `minHealthyPercentage must be an integer from 50 to 100 (below half the fleet a refresh is an outage); got ${min}`;
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
