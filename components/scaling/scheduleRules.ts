/**
 * Pure validators for scaling schedules and their time zones:
 * - EC2 Auto Scaling recurrences: traditional 5-field Unix cron;
 * - Application Auto Scaling schedules: `cron()` with 6 fields, `at()` and `rate()`;
 * - canonical IANA time zone names, which both services take.
 *
 * Sources (AWS-FACTS.md §5): EC2 Auto Scaling scheduled scaling; Application Auto Scaling
 * scheduled scaling and the EventBridge cron reference it points to.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers, mapped to `nameBase + index`. */
  readonly names?: readonly string[];
  readonly nameBase?: number;
  /** Whole-field or per-item tokens allowed besides numbers, ranges and steps. */
  readonly special?: RegExp;
  /** What the special tokens look like, for messages about a malformed one. */
  readonly specialHelp?: string;
  /** Whether `?` (any) may stand for the whole field. */
  readonly question?: boolean;
}

function cronValue(token: string, f: CronField): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const i = f.names?.indexOf(token.toUpperCase()) ?? -1;
  return i >= 0 ? i + (f.nameBase ?? 0) : undefined;
}

function cronFieldProblem(text: string, f: CronField): string | undefined {
  if (text === "?") {
    return f.question ? undefined : `${f.name} "?" is not allowed here; use "*"`;
  }
  for (const item of text.split(",")) {
    if (f.special?.test(item)) continue;
    if (
      f.specialHelp &&
      /[LW#]/i.test(item) &&
      !f.names?.some((n) => item.toUpperCase().includes(n))
    ) {
      return `${f.name} "${item}" ${f.specialHelp}`;
    }
    const m = /^(\*|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) return `${f.name} "${item}" is not a value, range, list or step`;
    const [, base, step] = m;
    if (step !== undefined && Number(step) < 1)
      return `${f.name} step "/${step}" must be at least 1`;
    if (base === "*") continue;
    for (const part of base.split("-")) {
      const v = cronValue(part, f);
      if (v === undefined || v < f.min || v > f.max) {
        const names = f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : "";
        return `${f.name} "${part}" must be ${f.min}-${f.max}${names}`;
      }
    }
  }
  return undefined;
}

const EC2_CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // Unix cron: 0 and 7 are both Sunday.
  { name: "day-of-week", min: 0, max: 7, names: DAYS, nameBase: 0 },
];

/**
 * Explains why `expr` is not an EC2 Auto Scaling recurrence, or returns undefined. EC2 Auto
 * Scaling takes traditional 5-field Unix cron: `[minute] [hour] [day-of-month] [month]
 * [day-of-week]`, e.g. `30 17 * * *`.
 */
export function ec2CronProblem(expr: string): string | undefined {
  if (/^(cron|at|rate)\(/.test(expr.trim())) {
    return `"${expr}" is Application Auto Scaling syntax; EC2 Auto Scaling takes 5-field Unix cron such as "30 17 * * *"`;
  }
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `"${expr}" has ${fields.length} fields; EC2 Auto Scaling cron has 5: minute hour day-of-month month day-of-week, e.g. "30 17 * * *"`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = cronFieldProblem(fields[i], EC2_CRON_FIELDS[i]);
    if (problem) return `"${expr}": ${problem}`;
  }
  return undefined;
}

const APP_CRON_FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  {
    name: "day-of-month",
    min: 1,
    max: 31,
    special: /^(L|LW|([1-9]|[12]\d|3[01])W)$/,
    specialHelp: "must be L, LW or <day 1-31>W",
    question: true,
  },
  { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // EventBridge-style cron: 1 is Sunday, 7 is Saturday.
  {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: DAYS,
    nameBase: 1,
    special: /^(L|[1-7]L|[1-7]#[1-5])$/,
    specialHelp: "must be L, <day 1-7>L or <day 1-7>#<week 1-5>",
    question: true,
  },
  { name: "year", min: 1970, max: 2199 },
];

/**
 * Explains why `expr` is not an Application Auto Scaling schedule, or returns undefined:
 * - `cron(minutes hours day-of-month month day-of-week year)`: 6 fields, exactly one of
 *   day-of-month and day-of-week is `?`;
 * - `at(yyyy-mm-ddThh:mm:ss)` for one run;
 * - `rate(<positive integer> minute|minutes|hour|hours|day|days)`.
 */
export function appScheduleProblem(expr: string): string | undefined {
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return `"${expr}" has ${fields.length} cron fields; Application Auto Scaling takes 6: minutes hours day-of-month month day-of-week year, e.g. "cron(30 17 * * ? *)"`;
    }
    for (let i = 0; i < 6; i++) {
      const problem = cronFieldProblem(fields[i], APP_CRON_FIELDS[i]);
      if (problem) return `"${expr}": ${problem}`;
    }
    if ((fields[2] === "?") === (fields[4] === "?")) {
      return `"${expr}": exactly one of day-of-month and day-of-week must be "?"`;
    }
    return undefined;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expr);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
    const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    const same =
      t.getUTCFullYear() === y &&
      t.getUTCMonth() === mo - 1 &&
      t.getUTCDate() === d &&
      t.getUTCHours() === h &&
      t.getUTCMinutes() === mi &&
      t.getUTCSeconds() === s;
    return same ? undefined : `"${expr}" is not a real date and time`;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  if (rate) {
    return Number(rate[1]) >= 1 ? undefined : `"${expr}": the rate must be a positive integer`;
  }
  if (/^\S+(\s+\S+){4}$/.test(expr.trim())) {
    return `"${expr}" is EC2 Auto Scaling cron; Application Auto Scaling takes cron() with 6 fields such as "cron(30 17 * * ? *)"`;
  }
  return `"${expr}" must be cron(6 fields), at(yyyy-mm-ddThh:mm:ss) or rate(<n> minutes|hours|days)`;
}

/**
 * Explains why `tz` is not a canonical IANA time zone name, or returns undefined. Uses the ICU
 * data behind `Intl` (which knows `UTC` and `Etc/*` even though `Intl.supportedValuesOf` omits
 * them). Offsets such as `+01:00`, wrong case and aliases (`US/Eastern`, `GMT`) are refused:
 * AWS asks for canonical names.
 */
export function timeZoneProblem(tz: string): string | undefined {
  const hint = 'such as "America/New_York" or "UTC"';
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) {
    return `"${tz}" is not an IANA time zone name ${hint}`;
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return `"${tz}" is not an IANA time zone name ${hint}`;
  }
  if (resolved === tz) return undefined;
  if (resolved.toLowerCase() === tz.toLowerCase()) return `"${tz}" must be spelled "${resolved}"`;
  return `"${tz}" is an alias; use the canonical IANA name "${resolved}"`;
}

/** An EC2 Auto Scaling group's capacity: its bounds and its desired capacity. */
export interface GroupCapacity {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
}

/**
 * What EC2 Auto Scaling does to a group when a scheduled action runs: it sets the bounds the
 * action names (-1 or undefined leaves one unchanged) and the desired capacity if the action names
 * one; otherwise the desired capacity stays, moved only as far as the new bounds require ("The
 * desired capacity must be equal to or greater than the minimum group size, and equal to or less
 * than the maximum group size", and when a scheduled action runs "without specifying new minimum
 * and maximum size limits for the group, then the group's current minimum and maximum size
 * limits apply": EC2 Auto Scaling user guide, "Set scaling limits for your Auto Scaling group").
 * Used to show what a schedule does to capacity a Region switch raised (docs/scaling.md).
 */
export function groupAfterScheduledAction(
  group: GroupCapacity,
  action: {
    readonly minSize?: number;
    readonly maxSize?: number;
    readonly desiredCapacity?: number;
  },
): GroupCapacity {
  const set = (v: number | undefined, current: number) => (v === undefined || v < 0 ? current : v);
  const min = set(action.minSize, group.min);
  const max = set(action.maxSize, group.max);
  const desired = set(action.desiredCapacity, group.desired);
  return { min, max, desired: Math.min(max, Math.max(min, desired)) };
}
