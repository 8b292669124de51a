/**
 * Pure helpers for the data tier's alarms: Aurora cluster CPU and connections, Aurora global
 * replication lag, and RDS Proxy client connections and borrow latency. No Pulumi resources here;
 * identifiers may still be unresolved Inputs, which are only passed through into dimensions.
 *
 * What AWS publishes, in namespace `AWS/RDS`:
 * - `CPUUtilization` (percent) and `DatabaseConnections` (count) per instance, also aggregated
 *   per cluster under the `DBClusterIdentifier` dimension.
 * - `AuroraGlobalDBReplicationLag` (milliseconds): "the amount of lag when replicating updates
 *   from the primary AWS Region". It is published in the secondary region, for the secondary
 *   cluster. Which dimension set it carries besides `DBClusterIdentifier` (the Aurora labs
 *   workshop adds `SourceRegion`) is not in AWS's reference, and an alarm on a wrong set would
 *   see no data and, treating that as not breaching, stay OK forever. So the alarm is a Metrics
 *   Insights query over the namespace, which "matches all … metrics in the namespace regardless
 *   of their dimensions and returns a single aggregated time series" (CloudWatch user guide,
 *   "Query components and syntax in CloudWatch Metrics Insights"), filtered on this cluster:
 *   {@link replicationLagQuery}. Which cluster is secondary changes with every switchover, so
 *   each region watches its own cluster and treats missing data as not breaching.
 * - `AuroraForwardingReplicaErrorSessionsLimit` (count) on the readers of a secondary cluster
 *   that forwards writes: the same kind of query ({@link forwardingLimitQuery}).
 * - RDS Proxy metrics under dimension set 1, `ProxyName`: `ClientConnections` (count, published
 *   by each of the proxy's nodes, so summed) and `DatabaseConnectionsBorrowLatency`
 *   (microseconds: the time the proxy waits for a pooled database connection).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";

/** Thresholds of the data tier's alarms. */
export interface DatabaseAlarmThresholds {
  /** Average CPU of the cluster's instances, in percent, above which it alarms. */
  readonly dbCpuPercent: number;
  /** Connections to any one instance of the cluster above which it alarms. */
  readonly dbConnections: number;
  /**
   * Global replication lag of the secondary cluster, in milliseconds. AWS says replication is
   * "typically under a second", so the default alarms on a lag that stays above that.
   */
  readonly dbReplicationLagMilliseconds: number;
  /** Client connections open to the RDS Proxy (all its nodes) above which it alarms. */
  readonly proxyClientConnections: number;
  /** Average wait for a pooled database connection, in microseconds (AWS's unit). */
  readonly proxyBorrowLatencyMicroseconds: number;
}

/** Data tier thresholds used where config gives none. */
export const DEFAULT_DATABASE_ALARM_THRESHOLDS: DatabaseAlarmThresholds = {
  dbCpuPercent: 80,
  dbConnections: 1000,
  dbReplicationLagMilliseconds: 1000,
  proxyClientConnections: 2000,
  proxyBorrowLatencyMicroseconds: 50_000,
};

/** Upper limits of the thresholds; a borrow never waits past ConnectionBorrowTimeout's 300 s. */
export const DATABASE_THRESHOLD_LIMITS = {
  dbCpuPercent: 100,
  dbConnections: 1_000_000,
  dbReplicationLagMilliseconds: 3_600_000,
  proxyClientConnections: 1_000_000,
  proxyBorrowLatencyMicroseconds: 300_000_000,
} as const satisfies Record<keyof DatabaseAlarmThresholds, number>;

/** Everything wrong with these thresholds, naming the field, the value and what is allowed. */
export function databaseThresholdProblems(t: DatabaseAlarmThresholds): string[] {
  const problems: string[] = [];
  for (const [field, max] of Object.entries(DATABASE_THRESHOLD_LIMITS)) {
    const v = t[field as keyof DatabaseAlarmThresholds];
    if (!(v > 0 && v <= max)) {
      problems.push(`thresholds.${field} must be > 0 and <= ${max}; got ${v}`);
    }
  }
  return problems;
}

/** One region's proxied Aurora cluster to watch. */
export interface WatchedDatabase {
  /** The regional cluster's identifier (`DBClusterIdentifier`). */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** The RDS Proxy's name (`ProxyName`). */
  readonly proxyName: pulumi.Input<string>;
  /**
   * The peer region of a global database: while this cluster is the secondary, AWS publishes
   * `AuroraGlobalDBReplicationLag` for it with the primary's region as `SourceRegion`.
   * @default - not part of a global database: no replication lag alarm
   */
  readonly replicationSourceRegion?: string;
  /**
   * The cluster forwards writes while it is a secondary (components/data/writeForwarding.ts): alarm
   * on sessions the primary rejects at its forwarding quota.
   * @default false
   */
  readonly writeForwarding?: boolean;
}

/**
 * The Metrics Insights query of a cluster's global replication lag: the largest value over every
 * series of the metric for that cluster, whatever other dimensions AWS adds (a plain namespace in
 * FROM, not SCHEMA(...), which would demand an exact dimension set). No GROUP BY: an alarm's
 * expression "must return a single time series" (PutMetricAlarm, MetricDataQuery).
 */
export function replicationLagQuery(clusterIdentifier: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(clusterIdentifier)) {
    throw new Error(
      `cluster identifier ${JSON.stringify(clusterIdentifier)} can't be quoted in a Metrics Insights query`,
    );
  }
  return `SELECT MAX(AuroraGlobalDBReplicationLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${clusterIdentifier}'`;
}

/**
 * The Metrics Insights query of forwarded sessions the primary rejected from this cluster: the
 * largest series of the cluster (its READER role aggregate or an instance's), so one rejection
 * anywhere in it shows. Same form and reason as {@link replicationLagQuery}.
 */
export function forwardingLimitQuery(clusterIdentifier: string): string {
  return replicationLagQuery(clusterIdentifier).replace(
    "MAX(AuroraGlobalDBReplicationLag)",
    "MAX(AuroraForwardingReplicaErrorSessionsLimit)",
  );
}

/** `query` of a plain or resolved-later cluster identifier. */
function queryOf(
  id: pulumi.Input<string>,
  query: (clusterIdentifier: string) => string,
): pulumi.Input<string> {
  if (typeof id === "string") return query(id);
  if (typeof (id as pulumi.Output<string>).apply === "function") {
    return (id as pulumi.Output<string>).apply(query);
  }
  return (id as Promise<string>).then(query);
}

/** An alarm's key and arguments, minus name and actions (as in alarmPlan). */
export interface DatabaseAlarmSpec {
  readonly key: string;
  readonly args: aws.cloudwatch.MetricAlarmArgs;
}

/** The M-of-N window every one-minute alarm shares. */
export interface AlarmWindow {
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The data tier's alarm definitions, keyed `<db>-cpu`, `<db>-proxy-clients`, …, stable order. */
export function planDatabaseAlarms(
  databases: Readonly<Record<string, WatchedDatabase>>,
  t: DatabaseAlarmThresholds,
  window: AlarmWindow,
): DatabaseAlarmSpec[] {
  const specs: DatabaseAlarmSpec[] = [];
  const above = (
    key: string,
    alarmDescription: string,
    metricName: string,
    dimensions: Record<string, pulumi.Input<string>>,
    statistic: string,
    threshold: number,
    treatMissingData: string,
  ) =>
    specs.push({
      key,
      args: {
        alarmDescription,
        namespace: "AWS/RDS",
        metricName,
        dimensions,
        statistic,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        ...window,
        treatMissingData,
      },
    });

  for (const [key, db] of Object.entries(databases)) {
    const cluster = { DBClusterIdentifier: db.clusterIdentifier };
    const proxy = { ProxyName: db.proxyName };
    above(
      `${key}-cpu`,
      `${key}: Aurora cluster CPU above ${t.dbCpuPercent} % (average of its instances)`,
      "CPUUtilization",
      cluster,
      "Average",
      t.dbCpuPercent,
      "missing",
    );
    above(
      `${key}-connections`,
      `${key}: more than ${t.dbConnections} connections to an instance of the Aurora cluster`,
      "DatabaseConnections",
      cluster,
      "Maximum",
      t.dbConnections,
      "missing",
    );
    if (db.replicationSourceRegion !== undefined) {
      // AWS publishes the lag only while this cluster is a secondary. Both regions alarm, so
      // lag stays watched after a switchover; the cluster that is primary has no data, which
      // is not a breach (and must not page as INSUFFICIENT_DATA in every normal hour).
      // A Metrics Insights alarm carries no namespace, metric, dimensions, period or statistic
      // of its own ("If you use the Metrics parameter, you cannot include …", PutMetricAlarm).
      const { period, ...rest } = window;
      specs.push({
        key: `${key}-replication-lag`,
        args: {
          alarmDescription: `${key}: Aurora global replication from ${db.replicationSourceRegion} lags more than ${t.dbReplicationLagMilliseconds} ms (AWS: typically under a second); no data while this cluster is the primary`,
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.dbReplicationLagMilliseconds,
          ...rest,
          metricQueries: [
            {
              id: "lag",
              expression: queryOf(db.clusterIdentifier, replicationLagQuery),
              label: "AuroraGlobalDBReplicationLag (ms), largest series of this cluster",
              period,
              returnData: true,
            },
          ],
          treatMissingData: "notBreaching",
        },
      });
    }
    if (db.writeForwarding === true) {
      // "Number of sessions rejected by the primary cluster because the limit for max
      // connections or max write forward connections was reached", measured "on each reader DB
      // instance in a secondary cluster with write forwarding enabled" (Aurora user guide,
      // "Using write forwarding in an Aurora PostgreSQL global database", CloudWatch metrics).
      // Its dimension sets are not in AWS's reference, so a query over the namespace filtered on
      // the cluster, as for the lag. Any rejected checkout write is a page; no data while this
      // cluster is the writer or forwards nothing.
      const { period, ...rest } = window;
      specs.push({
        key: `${key}-forwarding-session-limit`,
        args: {
          alarmDescription: `${key}: the primary rejects forwarded write sessions from this cluster (apg_write_forward.max_forwarding_connections_percent or max_connections reached): checkout writes fail here`,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          ...rest,
          metricQueries: [
            {
              id: "rejected",
              expression: queryOf(db.clusterIdentifier, forwardingLimitQuery),
              label: "AuroraForwardingReplicaErrorSessionsLimit, largest series of this cluster",
              period,
              returnData: true,
            },
          ],
          treatMissingData: "notBreaching",
        },
      });
    }
    // A proxy publishes only once clients connect, so no data means no load.
    above(
      `${key}-proxy-clients`,
      `${key}: more than ${t.proxyClientConnections} client connections to the RDS Proxy`,
      "ClientConnections",
      proxy,
      "Sum",
      t.proxyClientConnections,
      "notBreaching",
    );
    above(
      `${key}-proxy-borrow-latency`,
      `${key}: RDS Proxy waits more than ${t.proxyBorrowLatencyMicroseconds / 1000} ms on average for a pooled database connection`,
      "DatabaseConnectionsBorrowLatency",
      proxy,
      "Average",
      t.proxyBorrowLatencyMicroseconds,
      "notBreaching",
    );
  }
  return specs;
}

/**
 * EventBridge pattern for a failed Secrets Manager rotation in this account and region.
 * Secrets Manager records `RotationFailed` ("Secret rotation failed") in CloudTrail, and
 * EventBridge matches Secrets Manager events from CloudTrail entries with `source`
 * `aws.secretsmanager` (Secrets Manager user guide, "Logging … with AWS CloudTrail" and "Match …
 * events with Amazon EventBridge"). Which `detail-type` AWS gives rotation entries could not be
 * read from AWS's page here (its API-call entries are "AWS API Call via CloudTrail", service
 * events "AWS Service Event via CloudTrail"), so both are matched. Only the stack whose secret
 * rotates has one, so the pattern does not filter on the secret.
 */
export const ROTATION_FAILED_EVENT_PATTERN = {
  source: ["aws.secretsmanager"],
  "detail-type": ["AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"],
  detail: {
    eventSource: ["secretsmanager.amazonaws.com"],
    eventName: ["RotationFailed"],
  },
} as const;

/**
 * The ops topic's access policy once EventBridge delivers `ruleArn`'s matches to it (an SNS target
 * needs one: EventBridge publishes as `events.amazonaws.com`).
 *
 * A topic policy replaces the topic's whole access policy, including SNS's default one, and the
 * default is what lets CloudWatch alarms in this account publish: without a
 * `cloudwatch.amazonaws.com` statement every alarm action to the topic would be denied ("is not
 * authorized to perform: SNS:Publish"; AWS Knowledge Center,
 * cloudwatch-receive-sns-for-alarm-trigger). So the policy admits exactly two publishers: this
 * account's alarms in the topic's region, and this rule.
 */
export function eventsToTopicPolicy(topicArn: string, ruleArn: string): string {
  const [, , , region, account] = topicArn.split(":");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudWatchAlarms",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${account}:alarm:*` },
          StringEquals: { "aws:SourceAccount": account },
        },
      },
      {
        Sid: "EventBridgeRotationFailed",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
    ],
  });
}
