/**
 * Pure helpers for the regional alarms: thresholds with their defaults and limits, and the alarm
 * definitions for load balancers, target groups, Auto Scaling groups and X-Ray groups, plus the
 * data tier's from databaseAlarms.ts. No Pulumi
 * resources here; values may still be unresolved Inputs (ARN suffixes), which are only passed
 * through into dimensions.
 *
 * CloudWatch dimensions use the `arnSuffix` forms: `LoadBalancer` = `app/<name>/<id>` (ALB) or
 * `net/<name>/<id>` (NLB) and `TargetGroup` = `targetgroup/<name>/<id>`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import {
  DEFAULT_DATABASE_ALARM_THRESHOLDS,
  DatabaseAlarmThresholds,
  WatchedDatabase,
  databaseThresholdProblems,
  planDatabaseAlarms,
} from "./databaseAlarms";

/** Alarm thresholds, the data tier's included. */
export interface AlarmThresholds extends DatabaseAlarmThresholds {
  /** p99 TargetResponseTime of a target group, in seconds, above which it alarms. */
  readonly targetResponseTimeP99Seconds: number;
  /** Percentage of ALB requests answered 5XX by the load balancer itself. */
  readonly elb5xxRatePercent: number;
  /** Percentage of a target group's requests its targets answer 5XX. */
  readonly target5xxRatePercent: number;
  /** TCP resets the NLB sends per minute. */
  readonly nlbTcpResetsPerMinute: number;
  /** Slow checkout traces X-Ray records per 5 minutes (sampled traces, not all requests). */
  readonly slowCheckoutTracesPer5Minutes: number;
  /** Minutes looked at per evaluation. */
  readonly evaluationPeriods: number;
  /** Of those minutes, how many must breach (M of N), damping one-minute blips. */
  readonly datapointsToAlarm: number;
}

/** Thresholds used where config gives none. */
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  targetResponseTimeP99Seconds: 1.5,
  elb5xxRatePercent: 1,
  target5xxRatePercent: 2,
  nlbTcpResetsPerMinute: 100,
  slowCheckoutTracesPer5Minutes: 10,
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  ...DEFAULT_DATABASE_ALARM_THRESHOLDS,
};

/** Everything wrong with these thresholds, naming the field, the value and what is allowed. */
export function thresholdProblems(t: AlarmThresholds): string[] {
  const problems: string[] = [];
  const positive = (field: keyof AlarmThresholds, max: number) => {
    const v = t[field];
    if (!(v > 0 && v <= max))
      problems.push(`thresholds.${field} must be > 0 and <= ${max}; got ${v}`);
  };
  positive("targetResponseTimeP99Seconds", 3600);
  positive("elb5xxRatePercent", 100);
  positive("target5xxRatePercent", 100);
  positive("nlbTcpResetsPerMinute", 1e9);
  positive("slowCheckoutTracesPer5Minutes", 1e9);
  problems.push(...databaseThresholdProblems(t));
  const { evaluationPeriods: n, datapointsToAlarm: m } = t;
  if (!Number.isInteger(n) || n < 1 || n > 60) {
    problems.push(`thresholds.evaluationPeriods must be an integer from 1 to 60; got ${n}`);
  }
  if (!Number.isInteger(m) || m < 1 || m > n) {
    problems.push(
      `thresholds.datapointsToAlarm must be an integer from 1 to evaluationPeriods (${n}); got ${m}`,
    );
  }
  return problems;
}

/** A load balancer to watch. */
export interface WatchedLoadBalancer {
  readonly type: "application" | "network" | "gateway";
  /** `app/<name>/<id>`, `net/<name>/<id>` or `gwy/<name>/<id>`. */
  readonly arnSuffix: pulumi.Input<string>;
  /** `targetgroup/<name>/<id>` keyed by backend name. */
  readonly targetGroupArnSuffixes: Readonly<Record<string, pulumi.Input<string>>>;
}

/** An Auto Scaling group to watch. */
export interface WatchedAutoScalingGroup {
  readonly name: pulumi.Input<string>;
  /** The group's minimum size: fewer in-service instances than this alarms. */
  readonly minSize: number;
}

/** Inputs of {@link planAlarms}. */
export interface AlarmPlanInput {
  readonly loadBalancers: Readonly<Record<string, WatchedLoadBalancer>>;
  readonly autoScalingGroups: Readonly<Record<string, WatchedAutoScalingGroup>>;
  /** X-Ray groups of slow checkout traces keyed by a stable name. */
  readonly slowTraceGroups: Readonly<Record<string, pulumi.Input<string>>>;
  /** Proxied Aurora clusters keyed by a stable name (`db`). @default - none */
  readonly databases?: Readonly<Record<string, WatchedDatabase>>;
  readonly thresholds: AlarmThresholds;
}

/** One alarm: its stable key (`<lb>-<backend>-unhealthy`, …) and its arguments, minus actions. */
export interface AlarmSpec {
  readonly key: string;
  readonly args: aws.cloudwatch.MetricAlarmArgs;
}

const PERIOD_SECONDS = 60;

/**
 * Keys of the alarms that judge a backend's freshly launched instances: its targets failing
 * health checks and, behind an ALB, its targets answering 5XX. An instance refresh watches them
 * and fails (stops) when one fires (FleetArgs rollbackAlarmNames). Both are alarms that
 * {@link planAlarms} creates for every backend; load-balancer-wide alarms are left out, so a
 * refresh of one service is never stopped for another's errors.
 */
export function rollbackAlarmKeys(
  lbKey: string,
  backend: string,
  type: WatchedLoadBalancer["type"],
): string[] {
  const keys = [`${lbKey}-${backend}-unhealthy`];
  if (type === "application") keys.push(`${lbKey}-${backend}-target-5xx`);
  return keys;
}

/** CloudWatch namespace of each load balancer type. */
export const ELB_NAMESPACES = {
  application: "AWS/ApplicationELB",
  network: "AWS/NetworkELB",
  // A GWLB reports unhealthy appliances like an NLB; it has no TCP reset metrics.
  gateway: "AWS/GatewayELB",
} as const;

/** The alarm definitions, in a stable order. */
export function planAlarms(input: AlarmPlanInput): AlarmSpec[] {
  const t = input.thresholds;
  const window = {
    period: PERIOD_SECONDS,
    evaluationPeriods: t.evaluationPeriods,
    datapointsToAlarm: t.datapointsToAlarm,
  };
  const specs: AlarmSpec[] = [];
  const rate = (
    key: string,
    description: string,
    namespace: string,
    errors: string,
    dimensions: Record<string, pulumi.Input<string>>,
    threshold: number,
  ): AlarmSpec => {
    const metric = (metricName: string) => ({
      namespace,
      metricName,
      dimensions,
      stat: "Sum",
      period: PERIOD_SECONDS,
    });
    return {
      key,
      args: {
        alarmDescription: description,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        evaluationPeriods: t.evaluationPeriods,
        datapointsToAlarm: t.datapointsToAlarm,
        // With no requests the rate is 0, except ELB errors with no requests at all (no targets
        // to route to), which then count in full.
        metricQueries: [
          { id: "errors", metric: metric(errors), returnData: false },
          { id: "requests", metric: metric("RequestCount"), returnData: false },
          {
            id: "rate",
            expression: "100 * FILL(errors, 0) / FILL(requests, 1)",
            label: `${errors} % of RequestCount`,
            returnData: true,
          },
        ],
        treatMissingData: "notBreaching",
      },
    };
  };

  for (const [lbKey, lb] of Object.entries(input.loadBalancers)) {
    const isAlb = lb.type === "application";
    const namespace = ELB_NAMESPACES[lb.type];
    const lbDims = { LoadBalancer: lb.arnSuffix };
    for (const [backend, tg] of Object.entries(lb.targetGroupArnSuffixes)) {
      const tgDims = { LoadBalancer: lb.arnSuffix, TargetGroup: tg };
      specs.push({
        key: `${lbKey}-${backend}-unhealthy`,
        args: {
          alarmDescription: `${backend}: a target behind ${lbKey} is failing health checks`,
          namespace,
          metricName: "UnHealthyHostCount",
          dimensions: tgDims,
          statistic: "Maximum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          ...window,
          treatMissingData: "notBreaching",
        },
      });
      if (!isAlb) continue;
      specs.push({
        key: `${lbKey}-${backend}-p99`,
        args: {
          alarmDescription: `${backend}: p99 response time above ${t.targetResponseTimeP99Seconds} s`,
          namespace,
          metricName: "TargetResponseTime",
          dimensions: tgDims,
          extendedStatistic: "p99",
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.targetResponseTimeP99Seconds,
          ...window,
          treatMissingData: "notBreaching",
        },
      });
      specs.push(
        rate(
          `${lbKey}-${backend}-target-5xx`,
          `${backend}: more than ${t.target5xxRatePercent} % of requests fail with 5XX from the targets`,
          namespace,
          "HTTPCode_Target_5XX_Count",
          tgDims,
          t.target5xxRatePercent,
        ),
      );
    }
    if (isAlb) {
      // ELB-generated errors have no TargetGroup dimension: they are counted per load balancer.
      specs.push(
        rate(
          `${lbKey}-elb-5xx`,
          `${lbKey}: more than ${t.elb5xxRatePercent} % of requests fail with 5XX from the ALB itself`,
          namespace,
          "HTTPCode_ELB_5XX_Count",
          lbDims,
          t.elb5xxRatePercent,
        ),
      );
    } else if (lb.type === "network") {
      specs.push({
        key: `${lbKey}-tcp-resets`,
        args: {
          alarmDescription: `${lbKey}: NLB sends more than ${t.nlbTcpResetsPerMinute} TCP resets a minute`,
          namespace,
          metricName: "TCP_ELB_Reset_Count",
          dimensions: lbDims,
          statistic: "Sum",
          comparisonOperator: "GreaterThanThreshold",
          threshold: t.nlbTcpResetsPerMinute,
          ...window,
          treatMissingData: "notBreaching",
        },
      });
    }
  }

  for (const [key, asg] of Object.entries(input.autoScalingGroups)) {
    specs.push({
      key: `${key}-in-service`,
      args: {
        alarmDescription: `${key}: fewer than ${asg.minSize} (its minimum) instances in service`,
        namespace: "AWS/AutoScaling",
        metricName: "GroupInServiceInstances",
        dimensions: { AutoScalingGroupName: asg.name },
        statistic: "Minimum",
        comparisonOperator: "LessThanThreshold",
        threshold: asg.minSize,
        ...window,
        treatMissingData: "missing",
      },
    });
  }

  for (const [key, groupName] of Object.entries(input.slowTraceGroups)) {
    specs.push({
      key: `${key}-slow-traces`,
      args: {
        alarmDescription: `${key}: ${t.slowCheckoutTracesPer5Minutes} or more slow checkout traces in 5 minutes (X-Ray group)`,
        namespace: "AWS/X-Ray",
        metricName: "ApproximateTraceCount",
        dimensions: { GroupName: groupName },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: t.slowCheckoutTracesPer5Minutes,
        treatMissingData: "notBreaching",
      },
    });
  }

  specs.push(...planDatabaseAlarms(input.databases ?? {}, t, window));
  return specs;
}
