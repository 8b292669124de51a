/**
 * Pure rules for ARC zonal shift and zonal autoshift on load balancers.
 *
 * Facts (ARC API reference, PracticeRunConfiguration and ControlCondition; ELB guides "Enable
 * zonal shift for your Network Load Balancer" and "... Application Load Balancer"):
 * - Zonal shift is off by default on every ALB and NLB (`zonal_shift.config.enabled`,
 *   `enableZonalShift` in Pulumi). Autoshift can only act on a resource that has it on.
 * - Autoshift needs a practice run configuration: 1 to 10 outcome alarms (CloudWatch alarm ARNs,
 *   type `CLOUDWATCH`), optional blocking alarms, up to 15 blocked dates (`YYYY-MM-DD`) and up to
 *   15 allowed *or* blocked windows (`Day:HH:MM-Day:HH:MM`, UTC, starting and ending on the same
 *   day). Allowed and blocked windows cannot be combined.
 * - An NLB with cross-zone load balancing on supports zonal shift only when every target group is
 *   TCP or TLS, is not of type `alb`, keeps cross-zone on (`true` or
 *   `use_load_balancer_configuration`) and has connection termination for unhealthy targets
 *   disabled. (Older ELB docs required cross-zone off; the current ARC guide, "Network Load
 *   Balancers", supports both.)
 */

/** Most outcome or blocking alarms one practice run configuration takes. */
export const PRACTICE_RUN_MAX_ALARMS = 10;
/** Most windows or dates of each kind. */
export const PRACTICE_RUN_MAX_WINDOWS = 15;

const DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
/** `Day:HH:MM-Day:HH:MM`, fixed length 19 (the API's pattern). */
export const PRACTICE_RUN_WINDOW = new RegExp(
  `^${DAY}:([0-9]{2}):([0-9]{2})-${DAY}:([0-9]{2}):([0-9]{2})$`,
);
/** `YYYY-MM-DD`. */
export const PRACTICE_RUN_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
/** A CloudWatch alarm ARN. */
export const CLOUDWATCH_ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/;

/** Problems with one practice-run window: format, clock values, same day, start before end. */
export function windowProblem(window: string): string | undefined {
  const m = PRACTICE_RUN_WINDOW.exec(window);
  if (!m) return `"${window}" is not Day:HH:MM-Day:HH:MM (e.g. Tue:14:00-Tue:20:00)`;
  const [, d1, h1, m1, d2, h2, m2] = m;
  if (Number(h1) > 23 || Number(h2) > 23 || Number(m1) > 59 || Number(m2) > 59) {
    return `"${window}" has an hour above 23 or a minute above 59`;
  }
  if (d1 !== d2) return `"${window}" spans two days; ARC takes windows within one day`;
  if (Number(h1) * 60 + Number(m1) >= Number(h2) * 60 + Number(m2)) {
    return `"${window}" ends before it starts`;
  }
  return undefined;
}

/** What a practice run configuration holds, as plain values. */
export interface PracticeRunInput {
  readonly outcomeAlarmArns: readonly string[];
  readonly blockingAlarmArns?: readonly string[];
  readonly allowedWindows?: readonly string[];
  readonly blockedWindows?: readonly string[];
  readonly blockedDates?: readonly string[];
}

/**
 * Problems ARC would reject a practice run configuration for. Alarm ARNs that are not yet known
 * (undefined) are skipped; their count still matters.
 */
export function practiceRunProblems(input: PracticeRunInput): string[] {
  const problems: string[] = [];
  const alarms = (field: string, arns: readonly (string | undefined)[], min: number) => {
    if (arns.length < min || arns.length > PRACTICE_RUN_MAX_ALARMS) {
      problems.push(
        `${field} must have ${min} to ${PRACTICE_RUN_MAX_ALARMS} alarms; got ${arns.length}`,
      );
    }
    for (const arn of arns) {
      if (typeof arn === "string" && !CLOUDWATCH_ALARM_ARN.test(arn)) {
        problems.push(`${field} must be CloudWatch alarm ARNs; got "${arn}"`);
      }
    }
  };
  alarms("outcomeAlarms", input.outcomeAlarmArns, 1);
  alarms("blockingAlarms", input.blockingAlarmArns ?? [], 0);
  const allowed = input.allowedWindows ?? [];
  const blocked = input.blockedWindows ?? [];
  if (allowed.length > 0 && blocked.length > 0) {
    problems.push(
      "allowedWindows and blockedWindows cannot both be set; ARC takes one or the other",
    );
  }
  for (const [field, list] of [
    ["allowedWindows", allowed],
    ["blockedWindows", blocked],
  ] as const) {
    if (list.length > PRACTICE_RUN_MAX_WINDOWS) {
      problems.push(`${field} takes at most ${PRACTICE_RUN_MAX_WINDOWS}; got ${list.length}`);
    }
    for (const w of list) {
      const p = windowProblem(w);
      if (p) problems.push(`${field}: ${p}`);
    }
  }
  const dates = input.blockedDates ?? [];
  if (dates.length > PRACTICE_RUN_MAX_WINDOWS) {
    problems.push(`blockedDates takes at most ${PRACTICE_RUN_MAX_WINDOWS}; got ${dates.length}`);
  }
  for (const d of dates) {
    if (!PRACTICE_RUN_DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
      problems.push(`blockedDates: "${d}" is not a YYYY-MM-DD date`);
    }
  }
  return problems;
}

/** What an NLB target group must look like for zonal shift on a cross-zone NLB. */
export interface NlbTargetGroupForZonalShift {
  readonly protocol?: string;
  readonly targetType?: string;
  readonly loadBalancingCrossZoneEnabled?: string;
  readonly targetHealthStates?: readonly {
    readonly enableUnhealthyConnectionTermination?: boolean;
  }[];
}

/**
 * Why a target group keeps a cross-zone NLB from enabling zonal shift, or undefined. AWS's
 * default for connection termination of unhealthy targets is on, so it must be turned off
 * explicitly.
 */
export function nlbZonalShiftProblem(tg: NlbTargetGroupForZonalShift): string | undefined {
  if (tg.protocol !== "TCP" && tg.protocol !== "TLS") {
    return `protocol must be TCP or TLS; got ${tg.protocol}`;
  }
  if (tg.targetType === "alb") return "target type must not be alb";
  const crossZone = tg.loadBalancingCrossZoneEnabled ?? "use_load_balancer_configuration";
  if (crossZone === "false")
    return "cross-zone must stay on (true or use_load_balancer_configuration)";
  const termination = tg.targetHealthStates?.[0]?.enableUnhealthyConnectionTermination ?? true;
  if (termination) {
    return "connection termination for unhealthy targets must be disabled (targetHealthStates enableUnhealthyConnectionTermination: false; AWS defaults it to true)";
  }
  return undefined;
}
