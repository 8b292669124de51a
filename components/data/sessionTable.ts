import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyDocument } from "./databasePolicies";
import { CapacityRange, ScalingPolicy } from "../scaling/scalingPolicy";

/** Arguments of {@link SessionTable}. */
export interface SessionTableArgs {
  /**
   * Table name, the same in every region of the global table. Set explicitly so the standby
   * region's services can name it without reading this stack's outputs.
   */
  readonly tableName: string;
  /**
   * Regions of the replicas: every other region of the deployment. Each replica is keyed by its
   * region, so adding or reordering regions never replaces one. Empty for a single-region table.
   */
  readonly replicaRegions: readonly string[];
  /**
   * Deletion protection on the table and its replicas.
   * @default true
   */
  readonly deletionProtection?: boolean;
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
   * Ceiling of read auto scaling.
   * @default 10 × readCapacity
   */
  readonly maxReadCapacity?: number;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Item-level actions an application needs on the sessions table; no Scan, no table or stream
 * administration. Query and the batch calls act on items of the one table named in Resource.
 * Transactions need no action of their own: "Permissions for Put, Update, Delete, and Get actions
 * are governed by the permissions used for the underlying PutItem, UpdateItem, DeleteItem, and
 * GetItem operations. For the ConditionCheck action, you can use the dynamodb:ConditionCheckItem
 * permission" (DynamoDB developer guide, "Using IAM with DynamoDB transactions").
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
export const SESSION_ITEM_ACTIONS: readonly string[] = [
  "dynamodb:BatchGetItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
];

/**
 * The ARN of a global table's copy in one region. Every replica of a global table has the same
 * name, and its ARN carries its own region, so a service must be granted the table in its own
 * region: the primary's ARN does not cover the replica it talks to.
 */
export function sessionTableArn(region: string, accountId: string, tableName: string): string {
  return `arn:aws:dynamodb:${region}:${accountId}:table/${tableName}`;
}

/**
 * Secondary indexes of the sessions table, by name: none today (items are read by `pk`/`sk`).
 * {@link SessionTable} declares exactly these and {@link sessionTableAccessPolicy} grants Query on
 * exactly these, so adding an index here grants it too; test/wiring.test.ts fails when the table
 * has an index that its clients may not query.
 */
export const SESSION_TABLE_INDEXES: readonly string[] = [];

/**
 * Item-level read/write on exactly one region's copy of the sessions table, and Query on each of
 * its secondary indexes. An index is a resource of its own to IAM
 * (`arn:aws:dynamodb:<region>:<account>:table/<name>/index/<index>`), which the table's ARN does
 * not cover (DynamoDB developer guide, "IAM policy to grant access to a specific DynamoDB table
 * and its indexes").
 */
export function sessionTableAccessPolicy(
  region: string,
  accountId: string,
  tableName: string,
  indexNames: readonly string[] = SESSION_TABLE_INDEXES,
): PolicyDocument {
  const table = sessionTableArn(region, accountId, tableName);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SessionItems",
        Effect: "Allow",
        Action: [...SESSION_ITEM_ACTIONS],
        Resource: table,
      },
      ...(indexNames.length > 0
        ? [
            {
              Sid: "SessionIndexes",
              Effect: "Allow",
              Action: ["dynamodb:Query"],
              Resource: indexNames.map((index) => `${table}/index/${index}`),
            },
          ]
        : []),
    ],
  };
}

/** Provisioned capacity of one replica, as auto scaling bounds. */
export interface SessionCapacity {
  readonly read: CapacityRange;
  readonly write: CapacityRange;
}

/**
 * Auto scaling bounds of the sessions global table. They are registered once, on the table in
 * the primary region; DynamoDB passes them to every replica (see {@link SessionTable}).
 */
export function sessionCapacity(args: {
  readonly readCapacity: number;
  readonly writeCapacity: number;
  readonly maxReadCapacity?: number;
  readonly maxWriteCapacity?: number;
}): SessionCapacity {
  return {
    read: { min: args.readCapacity, max: args.maxReadCapacity ?? args.readCapacity * 10 },
    write: { min: args.writeCapacity, max: args.maxWriteCapacity ?? args.writeCapacity * 10 },
  };
}

/**
 * The UpdateTableReplicaAutoScaling input that applies the sessions table's auto scaling bounds
 * (and the 70 % target tracking that SessionTable declares) to the table and every replica at
 * once: write settings are the global table's, read settings are given per replica region.
 * @pulumi/aws 7.48 has no resource that calls this API (docs/aws-fidelity.md, item 3), so an
 * operator runs it after changing capacity: `aws dynamodb update-table-replica-auto-scaling
 * --region <primary> --cli-input-json '<this, as JSON>'`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTableReplicaAutoScaling.html
 */
export function replicaAutoScalingUpdate(args: {
  readonly tableName: string;
  readonly regions: readonly string[];
  readonly capacity: SessionCapacity;
  readonly targetPercent: number;
  /**
   * The existing policies' physical names, as describe-table-replica-auto-scaling lists them
   * (`ScalingPolicies[].PolicyName`): the write policy, and the read policy per region. Pulumi
   * autonames the primary's policies and DynamoDB names the replicas', so neither is known
   * offline. AutoScalingPolicyUpdate.PolicyName is optional in the API reference; naming the
   * policy makes the update modify it rather than leave AWS to pick one.
   * @default - no PolicyName
   */
  readonly policyNames?: {
    readonly write?: string;
    readonly read?: Readonly<Record<string, string>>;
  };
}): Record<string, unknown> {
  const settings = (range: CapacityRange, policyName: string | undefined) => ({
    MinimumUnits: range.min,
    MaximumUnits: range.max,
    ScalingPolicyUpdate: {
      ...(policyName === undefined ? {} : { PolicyName: policyName }),
      TargetTrackingScalingPolicyConfiguration: { TargetValue: args.targetPercent },
    },
  });
  return {
    TableName: args.tableName,
    ProvisionedWriteCapacityAutoScalingUpdate: settings(
      args.capacity.write,
      args.policyNames?.write,
    ),
    ReplicaUpdates: [...args.regions].sort().map((region) => ({
      RegionName: region,
      ReplicaProvisionedReadCapacityAutoScalingUpdate: settings(
        args.capacity.read,
        args.policyNames?.read?.[region],
      ),
    })),
  };
}

/**
 * Sessions and carts: a DynamoDB global table (version 2019.11.21) with a replica in every other
 * region of the deployment, so a region failover never loses a cart or logs a customer out.
 *
 * - Items are keyed by `pk`/`sk` (e.g. `SESSION#<id>`/`META`, `CART#<id>`/`ITEM#<sku>`) and
 *   expire through TTL on `expiresAt`.
 * - Point-in-time recovery and deletion protection on, in every region; encrypted at rest.
 * - Provisioned capacity. DynamoDB refuses a replica on a provisioned table whose write capacity
 *   isn't auto scaled ("Table write capacity should either be Pay-Per-Request or AutoScaled"),
 *   so read and write auto scaling (a {@link ScalingPolicy}, 70 % utilisation) is registered
 *   here and the replica waits for it.
 * - For a provisioned global table (version 2019.11.21), AWS manages auto scaling for the global
 *   table: "Minimum and maximum throughput and target utilization are established globally for
 *   the table and passed to all replicas" (DynamoDB developer guide, global tables best practices).
 *   The replica therefore gets this policy from DynamoDB, and nothing may declare a second one on
 *   it: Application Auto Scaling refuses it with "Only one TargetTrackingScaling policy for a
 *   given metric specification is allowed" (terraform-provider-aws #41179). To change the
 *   settings later for every replica at once, use UpdateTableReplicaAutoScaling
 *   (docs/aws-fidelity.md).
 */
export class SessionTable extends pulumi.ComponentResource {
  /** The table's name (the same in every region). */
  public readonly tableName: pulumi.Output<string>;
  /** The table's ARN in this region. */
  public readonly tableArn: pulumi.Output<string>;
  /** The table's stream ARN (replication runs on it). */
  public readonly streamArn: pulumi.Output<string>;
  /** Application Auto Scaling resource ID, `table/<name>`, for further scaling policies. */
  public readonly scalingResourceId: pulumi.Output<string>;

  constructor(name: string, args: SessionTableArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:SessionTable", name, {}, opts);
    const capacity = sessionCapacity(args);
    const tags = args.tags ?? {};
    const deletionProtection = args.deletionProtection ?? true;

    const regions = args.replicaRegions;
    if (new Set(regions).size !== regions.length) {
      throw new pulumi.ResourceError(
        `replicaRegions lists a region twice; a global table has one replica per region; got ${regions.join(", ")}`,
        this,
      );
    }
    for (const [key, n] of [
      ["readCapacity", args.readCapacity],
      ["writeCapacity", args.writeCapacity],
    ] as const) {
      if (!Number.isInteger(n) || n < 1) {
        throw new pulumi.ResourceError(`${key} must be a positive integer; got ${n}`, this);
      }
    }
    for (const [key, range] of [
      ["maxReadCapacity", capacity.read],
      ["maxWriteCapacity", capacity.write],
    ] as const) {
      if (!Number.isInteger(range.max) || range.max < range.min) {
        throw new pulumi.ResourceError(
          `${key} must be an integer >= ${key === "maxReadCapacity" ? "readCapacity" : "writeCapacity"} (${range.min}); got ${range.max}`,
          this,
        );
      }
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
        // No secondary index: the clients' grants cover exactly SESSION_TABLE_INDEXES, so an index
        // added here must be named there too (test/wiring.test.ts checks both agree).
        ttl: { attributeName: "expiresAt", enabled: true },
        // Replication to the other regions reads this stream.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: deletionProtection,
        serverSideEncryption: { enabled: true },
        tags,
      },
      // Auto scaling owns the live capacity; the replica is its own resource below.
      { parent: this, ignoreChanges: ["readCapacity", "writeCapacity", "replicas"] },
    );

    const scalingResourceId = pulumi.interpolate`table/${table.name}`;
    const scaling = new ScalingPolicy(
      `${name}-scaling`,
      { target: { kind: "dynamodb-table", tableName: table.name, ...capacity } },
      child,
    );

    for (const region of regions) {
      new aws.dynamodb.TableReplica(
        `${name}-replica-${region}`,
        {
          globalTableArn: table.arn,
          region,
          pointInTimeRecovery: true,
          deletionProtectionEnabled: deletionProtection,
          tags,
        },
        // No alias to the name replicas had before they were keyed by region (`<name>-replica`):
        // no stack was ever deployed with it, and an alias chosen by list position would bind
        // that old state to whichever region came first, replacing a replica (docs/topology.md).
        { parent: this, dependsOn: [scaling] },
      );
    }

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
