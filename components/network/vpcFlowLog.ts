import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { LOG_RETENTION_DAYS } from "../edge/regionalWebAcl";

/** What a flow log records: every flow, or only those security groups and network ACLs reject. */
export type FlowLogTrafficType = "ALL" | "REJECT";

/** Arguments of {@link VpcFlowLog}. */
export interface VpcFlowLogArgs {
  /** The VPC whose traffic is logged. */
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's region (the CloudWatch Logs service principal is regional). */
  readonly region: string;
  /** Name of the log group, e.g. `/securecart/prod-east/vpc-flow-logs`; unique per region. */
  readonly logGroupName: string;
  /** `ALL`, or `REJECT` to log only refused flows at a fraction of the volume. */
  readonly trafficType: FlowLogTrafficType;
  /** Days CloudWatch Logs keeps the records; one of its retention periods. */
  readonly retentionDays: number;
  /**
   * Seconds over which a flow is aggregated into one record: 60 or 600.
   * @default 600
   */
  readonly maxAggregationIntervalSeconds?: 60 | 600;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** CloudWatch Logs' name rule: 1–512 of `[.\-_/#A-Za-z0-9]`. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/**
 * The key policy that lets CloudWatch Logs in `region` use the key for exactly one log group
 * (CloudWatch Logs guide, "Encrypt log data in CloudWatch Logs using AWS KMS": the principal is
 * `logs.<region>.amazonaws.com`, and `kms:EncryptionContext:aws:logs:arn` pins the log group).
 * The account statement keeps the key manageable through IAM.
 */
export function logGroupKeyPolicy(region: string, accountId: string, logGroupArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersTheKey",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsThisLogGroup",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ],
        Resource: "*",
        Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
      },
    ],
  };
}

/**
 * VPC flow logs into a CloudWatch Logs group encrypted with its own customer-managed KMS key,
 * with a retention period, delivered by a role that only the flow-logs service of this account
 * can assume. See docs/security.md (Flow logs) for the REJECT-or-ALL choice and the cost.
 */
export class VpcFlowLog extends pulumi.ComponentResource {
  /** The log group's name. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The KMS key that encrypts the log group. */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** The flow log's ID. */
  public readonly flowLogId: pulumi.Output<string>;

  constructor(name: string, args: VpcFlowLogArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:VpcFlowLog", name, {}, opts);
    const interval = args.maxAggregationIntervalSeconds ?? 600;
    const tags = args.tags ?? {};

    const problems: string[] = [];
    if (!LOG_GROUP_NAME.test(args.logGroupName)) {
      problems.push(
        `logGroupName must be 1-512 characters of letters, digits and . - _ / #; got "${args.logGroupName}"`,
      );
    }
    if (!LOG_RETENTION_DAYS.includes(args.retentionDays)) {
      problems.push(
        `retentionDays must be one of CloudWatch Logs' periods (${LOG_RETENTION_DAYS.join(", ")}); got ${args.retentionDays}`,
      );
    }
    if (args.trafficType !== "ALL" && args.trafficType !== "REJECT") {
      problems.push(`trafficType must be ALL or REJECT; got ${String(args.trafficType)}`);
    }
    if (interval !== 60 && interval !== 600) {
      problems.push(`maxAggregationIntervalSeconds must be 60 or 600; got ${String(interval)}`);
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const child = { parent: this };
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const logGroupArn = pulumi.interpolate`arn:aws:logs:${args.region}:${account}:log-group:${args.logGroupName}`;
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the VPC flow log group ${args.logGroupName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .all([account, logGroupArn])
          .apply(([a, arn]) => JSON.stringify(logGroupKeyPolicy(args.region, a, arn))),
        tags,
      },
      child,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: args.logGroupName,
        retentionInDays: args.retentionDays,
        kmsKeyId: key.arn,
        tags,
      },
      child,
    );

    // Confused-deputy guard: only flow logs of this account may assume the delivery role.
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: account.apply((a) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                  StringEquals: { "aws:SourceAccount": a },
                  ArnLike: { "aws:SourceArn": `arn:aws:ec2:${args.region}:${a}:vpc-flow-log/*` },
                },
              },
            ],
          }),
        ),
        tags,
      },
      child,
    );
    const delivery = new aws.iam.RolePolicy(
      `${name}-delivery`,
      {
        role: role.id,
        policy: pulumi.all([account, logGroup.arn]).apply(([a, arn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [arn, `${arn}:*`],
              },
              {
                Effect: "Allow",
                Action: "logs:DescribeLogGroups",
                Resource: `arn:aws:logs:${args.region}:${a}:log-group:*`,
              },
            ],
          }),
        ),
      },
      child,
    );
    const flowLog = new aws.ec2.FlowLog(
      `${name}-vpc`,
      {
        vpcId: args.vpcId,
        trafficType: args.trafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: interval,
        tags: { ...tags, Name: name },
      },
      { parent: this, dependsOn: [delivery] },
    );

    this.logGroupName = logGroup.name;
    this.kmsKeyArn = key.arn;
    this.flowLogId = flowLog.id;
    this.registerOutputs({
      logGroupName: this.logGroupName,
      kmsKeyArn: this.kmsKeyArn,
      flowLogId: this.flowLogId,
    });
  }
}
