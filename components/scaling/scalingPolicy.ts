import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  CapacityDimension,
  DEFAULT_METRICS,
  PREDEFINED_METRICS,
  PredefinedMetricType,
  SERVICE_NAMESPACES,
  albResourceLabel,
  dynamoDbIndexResourceId,
  dynamoDbTableResourceId,
  ecsResourceId,
  lambdaResourceId,
  scalableDimension,
} from "./scalingRules";
import { scalingPolicyProblem } from "./scalingValidation";

/** Smallest and largest capacity Application Auto Scaling may set. */
export interface CapacityRange {
  /** Lowest capacity (tasks, capacity units or provisioned concurrency). */
  readonly min: number;
  /** Highest capacity; at least `min`. */
  readonly max: number;
}

/** An EC2 Auto Scaling group. Its bounds stay on the group itself (see Fleet). */
export interface Ec2ScalableTarget {
  readonly kind: "ec2";
  /** Name of the Auto Scaling group. */
  readonly autoScalingGroupName: pulumi.Input<string>;
  /** The group's `minSize`, to check scheduled actions against. @default - not checked */
  readonly minSize?: number;
  /** The group's `maxSize`, to check scheduled actions against. @default - not checked */
  readonly maxSize?: number;
}

/** An ECS service's desired count (resource ID `service/<cluster>/<service>`). */
export interface EcsScalableTarget {
  readonly kind: "ecs";
  /** ECS cluster name. */
  readonly clusterName: pulumi.Input<string>;
  /** ECS service name. */
  readonly serviceName: pulumi.Input<string>;
  /** Bounds of the desired task count. */
  readonly capacity: CapacityRange;
}

/** A DynamoDB table's provisioned read and write capacity (resource ID `table/<name>`). */
export interface DynamoDbTableScalableTarget {
  readonly kind: "dynamodb-table";
  /** Table name. For a global table, scale each replica in its own region. */
  readonly tableName: pulumi.Input<string>;
  /** Bounds of read capacity units. */
  readonly read: CapacityRange;
  /** Bounds of write capacity units. */
  readonly write: CapacityRange;
}

/** A global secondary index's capacity (resource ID `table/<name>/index/<index>`). */
export interface DynamoDbIndexScalableTarget {
  readonly kind: "dynamodb-index";
  /** Table name. */
  readonly tableName: pulumi.Input<string>;
  /** Global secondary index name. */
  readonly indexName: pulumi.Input<string>;
  /** Bounds of read capacity units. */
  readonly read: CapacityRange;
  /** Bounds of write capacity units. */
  readonly write: CapacityRange;
}

/** A Lambda alias's provisioned concurrency (resource ID `function:<name>:<alias>`). */
export interface LambdaScalableTarget {
  readonly kind: "lambda";
  /** Function name. */
  readonly functionName: pulumi.Input<string>;
  /** Alias carrying provisioned concurrency; not `$LATEST`, which cannot have any. */
  readonly alias: pulumi.Input<string>;
  /** Bounds of provisioned concurrency. */
  readonly capacity: CapacityRange;
}

/** The one thing a ScalingPolicy scales. */
export type ScalableTarget =
  | Ec2ScalableTarget
  | EcsScalableTarget
  | DynamoDbTableScalableTarget
  | DynamoDbIndexScalableTarget
  | LambdaScalableTarget;

/** One target-tracking policy on a predefined metric. */
export interface TargetTrackingArgs {
  /** AWS's predefined metric; it must suit the target's kind (see scalingRules.ts). */
  readonly predefinedMetricType: PredefinedMetricType;
  /**
   * Value to hold the metric at: a percentage for CPU, memory and DynamoDB, a ratio for Lambda,
   * requests per target per minute for ALBRequestCountPerTarget.
   * @default 60 for CPU, 70 for memory and DynamoDB, 0.7 for Lambda, 1000 for requests
   */
  readonly targetValue?: number;
  /**
   * ALBRequestCountPerTarget only: the ALB's and target group's `arnSuffix`, which make the
   * resource label `app/…/targetgroup/…`. The target group must be attached to the target.
   * @default - required for ALBRequestCountPerTarget
   */
  readonly loadBalancer?: {
    readonly loadBalancerArnSuffix: pulumi.Input<string>;
    readonly targetGroupArnSuffix: pulumi.Input<string>;
    /**
     * The listener or listener rule that attaches the target group to the load balancer. AWS
     * refuses a resource label whose target group isn't attached to the load balancer yet, so
     * the policy waits for it. Pass it whenever this program attaches the target group.
     * @default - no extra dependency (the target group is attached elsewhere, already)
     */
    readonly attachedBy?: pulumi.Input<pulumi.Resource>;
  };
  /** Only scale out; never remove capacity. @default false */
  readonly disableScaleIn?: boolean;
  /** Application Auto Scaling only: seconds between scale-in activities. @default - AWS's default for the service */
  readonly scaleInCooldownSeconds?: number;
  /** Application Auto Scaling only: seconds between scale-out activities. @default - AWS's default for the service */
  readonly scaleOutCooldownSeconds?: number;
}

/** A scheduled change of capacity bounds. */
export interface ScheduledActionArgs {
  /**
   * When it runs. EC2: 5-field Unix cron (`30 17 * * *`). Application Auto Scaling:
   * `cron(30 17 * * ? *)`, `at(2026-11-27T06:00:00)` or `rate(1 day)`.
   */
  readonly schedule: string;
  /** Canonical IANA time zone the schedule is read in. @default "UTC" */
  readonly timeZone?: string;
  /** New minimum capacity. @default - unchanged */
  readonly minCapacity?: number;
  /** New maximum capacity. @default - unchanged */
  readonly maxCapacity?: number;
  /** EC2 only: new desired capacity. @default - unchanged */
  readonly desiredCapacity?: number;
  /** DynamoDB only, required there: which dimension the action changes. @default - none */
  readonly dimension?: CapacityDimension;
}

/** EC2 predictive scaling on the CPU metric pair. */
export interface PredictiveScalingArgs {
  /**
   * `ForecastOnly` publishes forecasts without acting; `ForecastAndScale` also launches
   * capacity ahead of the forecast. Predictive scaling needs 24 h of history first.
   * @default "ForecastOnly"
   */
  readonly mode?: "ForecastOnly" | "ForecastAndScale";
  /** CPU utilisation the forecast capacity aims for. @default the CPU target-tracking target, or 60 */
  readonly cpuTargetPercent?: number;
}

/** Arguments of {@link ScalingPolicy}. */
export interface ScalingPolicyArgs {
  /** What to scale. */
  readonly target: ScalableTarget;
  /**
   * Target-tracking policies, at most one per metric. Pass `[]` for none.
   * @default - the kind's utilisation metrics at their default targets: EC2 CPU 60 %, ECS CPU
   * 60 %, DynamoDB read and write 70 %, Lambda 0.7
   */
  readonly targetTracking?: readonly TargetTrackingArgs[];
  /** Scheduled actions keyed by a stable, kebab-case name. @default - none */
  readonly scheduledActions?: Readonly<Record<string, ScheduledActionArgs>>;
  /** EC2 only. @default - off */
  readonly predictiveScaling?: PredictiveScalingArgs;
  /** Tags on Application Auto Scaling targets. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

interface AppTarget {
  readonly resourceId: pulumi.Output<string>;
  readonly scalableDimension: pulumi.Output<string>;
  readonly serviceNamespace: pulumi.Output<string>;
}

/**
 * Scaling for one scalable target: target tracking on predefined metrics, scheduled actions and,
 * for EC2, predictive scaling. EC2 Auto Scaling groups get `aws.autoscaling` policies and
 * schedules; ECS, DynamoDB and Lambda get an Application Auto Scaling scalable target (one per
 * DynamoDB dimension) with its policies and scheduled actions.
 */
export class ScalingPolicy extends pulumi.ComponentResource {
  /** Scaling policy ARNs keyed by role: `cpu`, `memory`, `requests`, `read`, `write`, `concurrency`, `predictive`. */
  public readonly policyArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Scheduled action ARNs keyed by schedule name. */
  public readonly scheduledActionArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Application Auto Scaling target ARNs keyed by `capacity`, `read` or `write`; empty for EC2. */
  public readonly scalableTargetArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ScalingPolicyArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:ScalingPolicy", name, {}, opts);
    const target = args.target;
    const tracking: readonly TargetTrackingArgs[] =
      args.targetTracking ??
      DEFAULT_METRICS[target.kind].map((predefinedMetricType) => ({ predefinedMetricType }));
    const schedules = args.scheduledActions ?? {};
    const tags = args.tags ?? {};

    const problem = scalingPolicyProblem(args, tracking, schedules);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const child = { parent: this };
    const policyArns: Record<string, pulumi.Output<string>> = {};
    const scheduledActionArns: Record<string, pulumi.Output<string>> = {};
    const scalableTargetArns: Record<string, pulumi.Output<string>> = {};

    if (target.kind === "ec2") {
      for (const t of tracking) {
        const info = PREDEFINED_METRICS[t.predefinedMetricType];
        const policy = new aws.autoscaling.Policy(
          `${name}-${info.role}`,
          {
            autoscalingGroupName: target.autoScalingGroupName,
            policyType: "TargetTrackingScaling",
            // No estimatedInstanceWarmup: the group's default instance warm-up applies, as AWS
            // recommends.
            targetTrackingConfiguration: {
              predefinedMetricSpecification: {
                predefinedMetricType: t.predefinedMetricType,
                resourceLabel: this.resourceLabel(t),
              },
              targetValue: t.targetValue ?? info.defaultTarget,
              disableScaleIn: t.disableScaleIn ?? false,
            },
          },
          { parent: this, dependsOn: this.attachments(t) },
        );
        policyArns[info.role] = policy.arn;
      }
      if (args.predictiveScaling) {
        const cpu = tracking.find((t) => t.predefinedMetricType === "ASGAverageCPUUtilization");
        const policy = new aws.autoscaling.Policy(
          `${name}-predictive`,
          {
            autoscalingGroupName: target.autoScalingGroupName,
            policyType: "PredictiveScaling",
            predictiveScalingConfiguration: {
              mode: args.predictiveScaling.mode ?? "ForecastOnly",
              // Never launch beyond maxSize on a forecast; the warm-standby check relies on it.
              maxCapacityBreachBehavior: "HonorMaxCapacity",
              metricSpecification: {
                targetValue:
                  args.predictiveScaling.cpuTargetPercent ??
                  cpu?.targetValue ??
                  PREDEFINED_METRICS.ASGAverageCPUUtilization.defaultTarget,
                predefinedMetricPairSpecification: { predefinedMetricType: "ASGCPUUtilization" },
              },
            },
          },
          child,
        );
        policyArns.predictive = policy.arn;
      }
      for (const [key, s] of Object.entries(schedules)) {
        const schedule = new aws.autoscaling.Schedule(
          `${name}-${key}`,
          {
            autoscalingGroupName: target.autoScalingGroupName,
            scheduledActionName: `${name}-${key}`,
            recurrence: s.schedule,
            timeZone: s.timeZone ?? "UTC",
            // -1 leaves a bound unchanged; the provider's default of 0 would empty the group.
            minSize: s.minCapacity ?? -1,
            maxSize: s.maxCapacity ?? -1,
            desiredCapacity: s.desiredCapacity ?? -1,
          },
          child,
        );
        scheduledActionArns[key] = schedule.arn;
      }
    } else {
      const appTargets: Partial<Record<string, AppTarget>> = {};
      const ranges: [string, CapacityRange, CapacityDimension | undefined][] =
        target.kind === "dynamodb-table" || target.kind === "dynamodb-index"
          ? [
              ["read", target.read, "read"],
              ["write", target.write, "write"],
            ]
          : [["capacity", target.capacity, undefined]];
      const resourceId = this.resourceIdOf(target);
      for (const [role, range, dimension] of ranges) {
        const t = new aws.appautoscaling.Target(
          role === "capacity" ? `${name}-target` : `${name}-${role}-target`,
          {
            serviceNamespace: SERVICE_NAMESPACES[target.kind],
            resourceId,
            scalableDimension: scalableDimension(target.kind, dimension),
            minCapacity: range.min,
            maxCapacity: range.max,
            tags,
          },
          child,
        );
        // Policies and actions take these from the target so they wait for its registration.
        appTargets[role] = {
          resourceId: t.resourceId,
          scalableDimension: t.scalableDimension,
          serviceNamespace: t.serviceNamespace,
        };
        scalableTargetArns[role] = t.arn;
      }
      const targetFor = (dimension: CapacityDimension | undefined): AppTarget =>
        appTargets[dimension ?? "capacity"] as AppTarget;

      for (const t of tracking) {
        const info: { role: string; defaultTarget: number; dimension?: CapacityDimension } =
          PREDEFINED_METRICS[t.predefinedMetricType];
        const policy = new aws.appautoscaling.Policy(
          `${name}-${info.role}`,
          {
            ...targetFor(info.dimension),
            policyType: "TargetTrackingScaling",
            targetTrackingScalingPolicyConfiguration: {
              predefinedMetricSpecification: {
                predefinedMetricType: t.predefinedMetricType,
                resourceLabel: this.resourceLabel(t),
              },
              targetValue: t.targetValue ?? info.defaultTarget,
              disableScaleIn: t.disableScaleIn ?? false,
              scaleInCooldown: t.scaleInCooldownSeconds,
              scaleOutCooldown: t.scaleOutCooldownSeconds,
            },
          },
          { parent: this, dependsOn: this.attachments(t) },
        );
        policyArns[info.role] = policy.arn;
      }
      for (const [key, s] of Object.entries(schedules)) {
        const action = new aws.appautoscaling.ScheduledAction(
          `${name}-${key}`,
          {
            ...targetFor(s.dimension),
            schedule: s.schedule,
            timezone: s.timeZone ?? "UTC",
            scalableTargetAction: { minCapacity: s.minCapacity, maxCapacity: s.maxCapacity },
          },
          child,
        );
        scheduledActionArns[key] = action.arn;
      }
    }

    this.policyArns = policyArns;
    this.scheduledActionArns = scheduledActionArns;
    this.scalableTargetArns = scalableTargetArns;
    this.registerOutputs({
      policyArns: this.policyArns,
      scheduledActionArns: this.scheduledActionArns,
      scalableTargetArns: this.scalableTargetArns,
    });
  }

  /** What a request-count policy must wait for: the target group's attachment to the ALB. */
  private attachments(t: TargetTrackingArgs): pulumi.Input<pulumi.Resource>[] {
    return t.loadBalancer?.attachedBy ? [t.loadBalancer.attachedBy] : [];
  }

  private resourceLabel(t: TargetTrackingArgs): pulumi.Output<string> | undefined {
    if (t.predefinedMetricType !== "ALBRequestCountPerTarget" || !t.loadBalancer) return undefined;
    return pulumi
      .all([t.loadBalancer.loadBalancerArnSuffix, t.loadBalancer.targetGroupArnSuffix])
      .apply(([lb, tg]) => albResourceLabel(lb, tg));
  }

  private resourceIdOf(target: Exclude<ScalableTarget, Ec2ScalableTarget>): pulumi.Output<string> {
    switch (target.kind) {
      case "ecs":
        return pulumi
          .all([target.clusterName, target.serviceName])
          .apply(([c, s]) => ecsResourceId(c, s));
      case "dynamodb-table":
        return pulumi.output(target.tableName).apply(dynamoDbTableResourceId);
      case "dynamodb-index":
        return pulumi
          .all([target.tableName, target.indexName])
          .apply(([t, i]) => dynamoDbIndexResourceId(t, i));
      case "lambda":
        return pulumi
          .all([target.functionName, target.alias])
          .apply(([f, a]) => lambdaResourceId(f, a));
    }
  }
}
