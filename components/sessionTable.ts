import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Arguments of {@link SessionTable}. */
export interface SessionTableArgs {
  /**
   * Table name, the same in every region of the global table. Set explicitly so the standby
   * region's services can name it without reading this stack's outputs.
   */
  readonly tableName: string;
  /** Region of the replica (the peer region). */
  readonly replicaRegion: string;
  /** Provisioned read capacity units. */
  readonly readCapacity: number;
  /** Provisioned write capacity units: the floor of write auto scaling. */
  readonly writeCapacity: number;
  /**
   * Ceiling of write auto scaling.
   * @default 10 × writeCapacity
   */
  readonly maxWriteCapacity?: number;
  /**
   * Write utilisation (%) that write auto scaling tracks.
   * @default 70
   */
  readonly targetWriteUtilizationPercent?: number;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Application Auto Scaling's limits on DynamoDB target tracking. */
const TARGET_UTILIZATION = { min: 20, max: 90 } as const;

/**
 * Sessions and carts: a DynamoDB global table (version 2019.11.21) with a replica in the peer
 * region, so a region failover never loses a cart or logs a customer out.
 *
 * - Items are keyed by `pk`/`sk` (e.g. `SESSION#<id>`/`META`, `CART#<id>`/`ITEM#<sku>`) and
 *   expire through TTL on `expiresAt`.
 * - Point-in-time recovery and deletion protection on, in both regions; encrypted at rest.
 * - Provisioned capacity. DynamoDB refuses a replica on a provisioned table whose write capacity
 *   isn't auto scaled ("Table write capacity should either be Pay-Per-Request or AutoScaled"),
 *   so write auto scaling is registered here and the replica waits for it. Read scaling and
 *   tuning belong to the scaling work (ScalingPolicy).
 */
export class SessionTable extends pulumi.ComponentResource {
  /** The table's name (the same in both regions). */
  public readonly tableName: pulumi.Output<string>;
  /** The table's ARN in this region. */
  public readonly tableArn: pulumi.Output<string>;
  /** The table's stream ARN (replication runs on it). */
  public readonly streamArn: pulumi.Output<string>;
  /** Application Auto Scaling resource ID, `table/<name>`, for further scaling policies. */
  public readonly scalingResourceId: pulumi.Output<string>;

  constructor(name: string, args: SessionTableArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:SessionTable", name, {}, opts);
    const maxWriteCapacity = args.maxWriteCapacity ?? args.writeCapacity * 10;
    const targetWriteUtilizationPercent = args.targetWriteUtilizationPercent ?? 70;
    const tags = args.tags ?? {};

    const positive = (key: string, n: number) => {
      if (!Number.isInteger(n) || n < 1) {
        throw new pulumi.ResourceError(`${key} must be a positive integer; got ${n}`, this);
      }
    };
    positive("readCapacity", args.readCapacity);
    positive("writeCapacity", args.writeCapacity);
    if (!Number.isInteger(maxWriteCapacity) || maxWriteCapacity < args.writeCapacity) {
      throw new pulumi.ResourceError(
        `maxWriteCapacity must be an integer >= writeCapacity (${args.writeCapacity}); got ${maxWriteCapacity}`,
        this,
      );
    }
    if (
      targetWriteUtilizationPercent < TARGET_UTILIZATION.min ||
      targetWriteUtilizationPercent > TARGET_UTILIZATION.max
    ) {
      throw new pulumi.ResourceError(
        `targetWriteUtilizationPercent must be from ${TARGET_UTILIZATION.min} to ${TARGET_UTILIZATION.max}; got ${targetWriteUtilizationPercent}`,
        this,
      );
    }

    const child = { parent: this };
    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: args.tableName,
        billingMode: "PROVISIONED",
        readCapacity: args.readCapacity,
        writeCapacity: args.writeCapacity,
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
        ],
        ttl: { attributeName: "expiresAt", enabled: true },
        // Replication to the peer region reads this stream.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        serverSideEncryption: { enabled: true },
        tags,
      },
      // Auto scaling owns the live capacity; the replica is its own resource below.
      { parent: this, ignoreChanges: ["readCapacity", "writeCapacity", "replicas"] },
    );

    const scalingResourceId = pulumi.interpolate`table/${table.name}`;
    const writeTarget = new aws.appautoscaling.Target(
      `${name}-write-target`,
      {
        serviceNamespace: "dynamodb",
        resourceId: scalingResourceId,
        scalableDimension: "dynamodb:table:WriteCapacityUnits",
        minCapacity: args.writeCapacity,
        maxCapacity: maxWriteCapacity,
        tags,
      },
      child,
    );
    const writePolicy = new aws.appautoscaling.Policy(
      `${name}-write-tracking`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: writeTarget.serviceNamespace,
        resourceId: writeTarget.resourceId,
        scalableDimension: writeTarget.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: {
            predefinedMetricType: "DynamoDBWriteCapacityUtilization",
          },
          targetValue: targetWriteUtilizationPercent,
        },
      },
      child,
    );

    new aws.dynamodb.TableReplica(
      `${name}-replica`,
      {
        globalTableArn: table.arn,
        region: args.replicaRegion,
        pointInTimeRecovery: true,
        deletionProtectionEnabled: true,
        tags,
      },
      { parent: this, dependsOn: [writePolicy] },
    );

    this.tableName = table.name;
    this.tableArn = table.arn;
    this.streamArn = table.streamArn;
    this.scalingResourceId = scalingResourceId;
    this.registerOutputs({
      tableName: this.tableName,
      tableArn: this.tableArn,
      streamArn: this.streamArn,
      scalingResourceId: this.scalingResourceId,
    });
  }
}
