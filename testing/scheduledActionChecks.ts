/**
 * What EC2 Auto Scaling refuses when a scheduled action is put (PutScheduledUpdateGroupAction),
 * for the mocks. Pure: the caller passes what exists and the time.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html
 */
import { ec2CronProblem, timeZoneProblem } from "../components/scaling/scheduleRules";
import type { PriorResource } from "./awsBehaviour";

const SCHEDULE = "aws:autoscaling/schedule:Schedule";

/** A bound the provider sends, or undefined for -1 (the provider's "leave unchanged"). */
function bound(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 ? value : undefined;
}

/** `YYYY-MM-DDThh:mm:ssZ` (UTC only), as the API takes StartTime and EndTime. */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Why EC2 Auto Scaling would refuse this `aws.autoscaling.Schedule`, given the actions created
 * before it in the run and the current time `nowMs`; empty when it would accept it.
 * - "You must specify at least one of the following properties: MaxSize, MinSize, or
 *   DesiredCapacity."
 * - The new bounds must be consistent: min <= max, and a desired capacity within the bounds the
 *   action sets ("The desired capacity must be equal to or greater than the minimum group size,
 *   and equal to or less than the maximum group size": Set scaling limits, EC2 Auto Scaling
 *   user guide).
 * - Recurrence is 5-field Unix cron, the time zone an IANA name.
 * - "If you try to schedule your action in the past, Amazon EC2 Auto Scaling returns an error
 *   message." StartTime and EndTime are UTC timestamps; EndTime comes after StartTime.
 * - Names are per group, and the call "creates or updates": a second resource with a name that
 *   another one already uses on the same group would silently overwrite that action, so the
 *   mocks refuse it.
 */
export function scheduledActionErrors(
  state: Readonly<Record<string, any>>,
  region: string,
  prior: readonly PriorResource[],
  nowMs: number,
): string[] {
  const errors: string[] = [];
  const min = bound(state.minSize);
  const max = bound(state.maxSize);
  const desired = bound(state.desiredCapacity);
  if (min === undefined && max === undefined && desired === undefined) {
    errors.push(
      "ValidationError: You must specify at least one of the following properties: MaxSize, MinSize, or DesiredCapacity",
    );
  }
  if (min !== undefined && max !== undefined && min > max) {
    errors.push(`ValidationError: MinSize (${min}) must be less than or equal to MaxSize (${max})`);
  }
  if (desired !== undefined && min !== undefined && desired < min) {
    errors.push(`ValidationError: DesiredCapacity (${desired}) must be >= MinSize (${min})`);
  }
  if (desired !== undefined && max !== undefined && desired > max) {
    errors.push(`ValidationError: DesiredCapacity (${desired}) must be <= MaxSize (${max})`);
  }
  if (typeof state.recurrence === "string" && state.recurrence !== "") {
    const problem = ec2CronProblem(state.recurrence);
    if (problem) errors.push(`ValidationError: Recurrence ${problem}`);
  }
  if (typeof state.timeZone === "string" && state.timeZone !== "") {
    const problem = timeZoneProblem(state.timeZone);
    if (problem) errors.push(`ValidationError: TimeZone ${problem}`);
  }
  const times: Record<string, number> = {};
  for (const key of ["startTime", "endTime"] as const) {
    const value = state[key];
    if (value === undefined || value === "") continue;
    if (typeof value !== "string" || !UTC_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      errors.push(
        `ValidationError: ${key} must be a UTC time as YYYY-MM-DDThh:mm:ssZ; got ${JSON.stringify(value)}`,
      );
      continue;
    }
    times[key] = Date.parse(value);
  }
  if (times.startTime !== undefined && times.startTime < nowMs) {
    errors.push(
      `ValidationError: Given start time ${state.startTime} is in the past (EC2 Auto Scaling refuses an action scheduled in the past)`,
    );
  }
  if (times.endTime !== undefined && times.endTime < nowMs) {
    errors.push(`ValidationError: Given end time ${state.endTime} is in the past`);
  }
  if (
    times.startTime !== undefined &&
    times.endTime !== undefined &&
    times.endTime <= times.startTime
  ) {
    errors.push(
      `ValidationError: EndTime ${state.endTime} must be after StartTime ${state.startTime}`,
    );
  }
  const clash = prior.find(
    (r) =>
      r.type === SCHEDULE &&
      r.region === region &&
      r.state.autoscalingGroupName === state.autoscalingGroupName &&
      r.state.scheduledActionName === state.scheduledActionName,
  );
  if (clash) {
    errors.push(
      `scheduled action ${state.scheduledActionName} already exists on group ${state.autoscalingGroupName}; PutScheduledUpdateGroupAction would overwrite it instead of creating a second one`,
    );
  }
  return errors;
}
