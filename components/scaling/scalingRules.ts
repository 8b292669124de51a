/**
 * Pure helpers for scaling: Application Auto Scaling resource IDs and scalable dimensions, the
 * predefined metrics each service accepts with their target ranges, and the ALB resource label.
 * Schedule and time-zone validators are in scheduleRules.ts.
 *
 * Sources (AWS-FACTS.md §5): EC2 Auto Scaling PredefinedMetricSpecification; Application Auto
 * Scaling "services that can integrate" pages.
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
