/**
 * Pure helpers for scaling: Application Auto Scaling resource IDs and scalable dimensions, the
 * predefined metrics each service accepts with their target ranges, the ALB resource label, and
 * validators for schedules (EC2 cron, Application Auto Scaling cron/at/rate) and IANA time zones.
 *
 * Sources (AWS-FACTS.md §5): EC2 Auto Scaling PredefinedMetricSpecification and scheduled scaling;
 * Application Auto Scaling "services that can integrate" pages and its scheduled-scaling page;
 * the EventBridge cron reference that Application Auto Scaling points to.
 */

/** The kinds of scalable target a ScalingPolicy can attach to. */
export type ScalableKind = "ec2" | "ecs" | "dynamodb-table" | "dynamodb-index" | "lambda";

/** Application Auto Scaling kinds (everything except an EC2 Auto Scaling group). */
export type AppScalableKind = Exclude<ScalableKind, "ec2">;

/** DynamoDB has a read and a write dimension; the other kinds have one. */
export type CapacityDimension = "read" | "write";

/** Application Auto Scaling service namespace of each kind. */
export const SERVICE_NAMESPACES: Readonly<Record<AppScalableKind, string>> = {
  ecs: "ecs",
  "dynamodb-table": "dynamodb",
  "dynamodb-index": "dynamodb",
  lambda: "lambda",
};

/** `service/<cluster>/<service>`: an ECS service's desired count. */
export function ecsResourceId(clusterName: string, serviceName: string): string {
  return `service/${clusterName}/${serviceName}`;
}

/** `table/<name>`: a DynamoDB table's provisioned capacity. */
export function dynamoDbTableResourceId(tableName: string): string {
  return `table/${tableName}`;
}

/** `table/<name>/index/<index>`: a global secondary index's provisioned capacity. */
export function dynamoDbIndexResourceId(tableName: string, indexName: string): string {
  return `table/${tableName}/index/${indexName}`;
}

/** `function:<name>:<alias>`: a Lambda alias's provisioned concurrency. */
export function lambdaResourceId(functionName: string, alias: string): string {
  return `function:${functionName}:${alias}`;
}

/**
 * The scalable dimension of an Application Auto Scaling kind. DynamoDB kinds need `dimension`;
 * the others take none.
 */
export function scalableDimension(kind: AppScalableKind, dimension?: CapacityDimension): string {
  switch (kind) {
    case "ecs":
      return "ecs:service:DesiredCount";
    case "lambda":
      return "lambda:function:ProvisionedConcurrency";
    case "dynamodb-table":
    case "dynamodb-index": {
      if (!dimension) throw new Error(`${kind} has a read and a write dimension; pick one`);
      const level = kind === "dynamodb-table" ? "table" : "index";
      return `dynamodb:${level}:${dimension === "read" ? "Read" : "Write"}CapacityUnits`;
    }
  }
}

/** A predefined target-tracking metric and where it may be used. */
export interface PredefinedMetricInfo {
  /** Kinds whose policies accept the metric. */
  readonly kinds: readonly ScalableKind[];
  /** Short role used in child names: `<component>-<role>`. */
  readonly role: string;
  /** The DynamoDB dimension the metric scales, if any. */
  readonly dimension?: CapacityDimension;
  /** Smallest and largest allowed target, inclusive unless `exclusiveMin`. */
  readonly min: number;
  readonly max: number;
  readonly exclusiveMin?: boolean;
  /** Unit of the target, for messages. */
  readonly unit: string;
  /** Target used when none is given. */
  readonly defaultTarget: number;
}

/**
 * Predefined metrics by name (AWS's `PredefinedMetricType`), with allowed target ranges:
 * - CPU and memory utilisation are percentages, 1–100.
 * - DynamoDB utilisation: 20–90 %, the range the DynamoDB console offers (Keyspaces documents the
 *   same 20–90 for its API; CDK enforces 10–90). We use the narrower one.
 * - Lambda's provisioned-concurrency utilisation is a ratio: AWS's examples use 0.7 for 70 %.
 * - ALBRequestCountPerTarget counts requests per target per minute; any positive number.
 */
export const PREDEFINED_METRICS = {
  ASGAverageCPUUtilization: {
    kinds: ["ec2"],
    role: "cpu",
    min: 1,
    max: 100,
    unit: "%",
    defaultTarget: 60,
  },
  ALBRequestCountPerTarget: {
    kinds: ["ec2", "ecs"],
    role: "requests",
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    exclusiveMin: true,
    unit: "requests per target per minute",
    defaultTarget: 1000,
  },
  ECSServiceAverageCPUUtilization: {
    kinds: ["ecs"],
    role: "cpu",
    min: 1,
    max: 100,
    unit: "%",
    defaultTarget: 60,
  },
  ECSServiceAverageMemoryUtilization: {
    kinds: ["ecs"],
    role: "memory",
    min: 1,
    max: 100,
    unit: "%",
    defaultTarget: 70,
  },
  DynamoDBReadCapacityUtilization: {
    kinds: ["dynamodb-table", "dynamodb-index"],
    role: "read",
    dimension: "read",
    min: 20,
    max: 90,
    unit: "%",
    defaultTarget: 70,
  },
  DynamoDBWriteCapacityUtilization: {
    kinds: ["dynamodb-table", "dynamodb-index"],
    role: "write",
    dimension: "write",
    min: 20,
    max: 90,
    unit: "%",
    defaultTarget: 70,
  },
  LambdaProvisionedConcurrencyUtilization: {
    kinds: ["lambda"],
    role: "concurrency",
    min: 0,
    max: 1,
    exclusiveMin: true,
    unit: "ratio (0.7 = 70 %)",
    defaultTarget: 0.7,
  },
} as const satisfies Record<string, PredefinedMetricInfo>;

/** AWS's name of a predefined target-tracking metric. */
export type PredefinedMetricType = keyof typeof PREDEFINED_METRICS;

/** Metrics a kind uses when no target tracking is given: its utilisation metric(s). */
export const DEFAULT_METRICS: Readonly<Record<ScalableKind, readonly PredefinedMetricType[]>> = {
  ec2: ["ASGAverageCPUUtilization"],
  ecs: ["ECSServiceAverageCPUUtilization"],
  "dynamodb-table": ["DynamoDBReadCapacityUtilization", "DynamoDBWriteCapacityUtilization"],
  "dynamodb-index": ["DynamoDBReadCapacityUtilization", "DynamoDBWriteCapacityUtilization"],
  lambda: ["LambdaProvisionedConcurrencyUtilization"],
};

/** Explains why `metric` cannot scale a target of `kind`, or returns undefined. */
export function metricKindProblem(metric: string, kind: ScalableKind): string | undefined {
  const info = (PREDEFINED_METRICS as Record<string, PredefinedMetricInfo>)[metric];
  const allowed = Object.entries(PREDEFINED_METRICS)
    .filter(([, i]) => (i.kinds as readonly ScalableKind[]).includes(kind))
    .map(([m]) => m);
  if (!info || !info.kinds.includes(kind)) {
    return `"${metric}" is not a predefined metric for a ${kind} target; use one of ${allowed.join(", ")}`;
  }
  return undefined;
}

/** Explains why `value` is not a valid target for `metric`, or returns undefined. */
export function targetValueProblem(
  metric: PredefinedMetricType,
  value: number,
): string | undefined {
  const info: PredefinedMetricInfo = PREDEFINED_METRICS[metric];
  const tooLow = info.exclusiveMin ? value <= info.min : value < info.min;
  if (Number.isFinite(value) && !tooLow && value <= info.max) return undefined;
  if (metric === "ALBRequestCountPerTarget") {
    return `must be a number of requests per target per minute greater than 0; got ${value}`;
  }
  if (metric === "LambdaProvisionedConcurrencyUtilization") {
    const hint = value > 1 && value <= 100 ? `; for ${value} % use ${value / 100}` : "";
    return `must be a ratio greater than 0 and at most 1 (0.7 = 70 %); got ${value}${hint}`;
  }
  return `must be a utilisation from ${info.min} to ${info.max} %; got ${value}`;
}

/**
 * The `ResourceLabel` of ALBRequestCountPerTarget: `app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>`,
 * built from the ALB's and the target group's `arnSuffix`. Throws when either is not of that
 * form (an NLB's `net/…` suffix, for example: NLBs have no request count).
 */
export function albResourceLabel(
  loadBalancerArnSuffix: string,
  targetGroupArnSuffix: string,
): string {
  if (!/^app\/[^/]+\/[^/]+$/.test(loadBalancerArnSuffix)) {
    throw new Error(
      `ALBRequestCountPerTarget needs an Application Load Balancer's arnSuffix (app/<name>/<id>); got "${loadBalancerArnSuffix}"`,
    );
  }
  if (!/^targetgroup\/[^/]+\/[^/]+$/.test(targetGroupArnSuffix)) {
    throw new Error(
      `ALBRequestCountPerTarget needs a target group's arnSuffix (targetgroup/<name>/<id>); got "${targetGroupArnSuffix}"`,
    );
  }
  return `${loadBalancerArnSuffix}/${targetGroupArnSuffix}`;
}

// ---------------------------------------------------------------------------------------------
// Schedules

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
