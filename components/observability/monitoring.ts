import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  AlarmThresholds,
  DEFAULT_ALARM_THRESHOLDS,
  WatchedAutoScalingGroup,
  WatchedLoadBalancer,
  planAlarms,
  thresholdProblems,
} from "./alarmPlan";
import { dashboardBody } from "./dashboardBody";
import {
  ROTATION_FAILED_EVENT_PATTERN,
  WatchedDatabase,
  eventsToTopicPolicy,
} from "./databaseAlarms";

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs {
  /** Address the alarm topic mails; AWS sends it a confirmation link first. */
  readonly alarmEmail: string;
  /** Region the dashboard's widgets read from (the stack's region). */
  readonly region: string;
  /** Load balancers keyed by stable name (`web`, `pay`). */
  readonly loadBalancers: Readonly<Record<string, WatchedLoadBalancer>>;
  /** Auto Scaling groups keyed by service name. */
  readonly autoScalingGroups: Readonly<Record<string, WatchedAutoScalingGroup>>;
  /** X-Ray groups of slow checkout traces, keyed by stable name. @default - none */
  readonly slowTraceGroups?: Readonly<Record<string, pulumi.Input<string>>>;
  /** The web ACL's name, for the dashboard's WAF widget. @default - no WAF widget */
  readonly webAclName?: pulumi.Input<string>;
  /** Route 53 health check IDs keyed by name, for the dashboard. @default - no such widget */
  readonly route53HealthCheckIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Proxied Aurora clusters keyed by stable name (`db`): CPU, connections, replication lag (on a
   * global secondary) and RDS Proxy alarms, and a dashboard row.
   * @default - none
   */
  readonly databases?: Readonly<Record<string, WatchedDatabase>>;
  /** Alarm thresholds; missing fields take the defaults. @default DEFAULT_ALARM_THRESHOLDS */
  readonly thresholds?: Partial<AlarmThresholds>;
  /**
   * Prefix of alarm and dashboard names, which AWS shows in every notification.
   * @default name
   */
  readonly namePrefix?: string;
  /**
   * Whether a Secrets Manager secret rotates in this region: then an EventBridge rule sends every
   * `RotationFailed` event to the ops topic (scheduled rotation retries silently otherwise).
   * @default false
   */
  readonly secretRotationAlerts?: boolean;
  /** Tags added to every taggable resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The region's paging path and overview: an SNS topic with an email subscription, alarms on
 * target groups, load balancers, Auto Scaling groups, slow X-Ray traces and the proxied Aurora
 * clusters (each notifying on ALARM and OK), and a dashboard with the same metrics plus the alarm states.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** The alarm topic's ARN; further alarms may publish to it. */
  public readonly alarmTopicArn: pulumi.Output<string>;
  /** Alarm ARNs keyed by alarm key (`web-checkout-p99`, …). */
  public readonly alarmArns: Record<string, pulumi.Output<string>>;
  /** The dashboard's name. */
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:Monitoring", name, {}, opts);
    const thresholds = { ...DEFAULT_ALARM_THRESHOLDS, ...args.thresholds };
    const slowTraceGroups = args.slowTraceGroups ?? {};
    const databases = args.databases ?? {};
    const namePrefix = args.namePrefix ?? name;
    const tags = args.tags ?? {};

    const problems = thresholdProblems(thresholds);
    if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(args.alarmEmail)) {
      problems.push(`alarmEmail must be an email address; got "${args.alarmEmail}"`);
    }
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(namePrefix)) {
      problems.push(`namePrefix must be 1–200 letters, digits, "-" or "_"; got "${namePrefix}"`);
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const child = { parent: this };
    const topic = new aws.sns.Topic(`${name}-alarms`, { tags }, child);
    new aws.sns.TopicSubscription(
      `${name}-email`,
      { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
      child,
    );

    if (args.secretRotationAlerts ?? false) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-rotation-failed`,
        {
          description: "Secrets Manager rotation failed in this region",
          eventPattern: JSON.stringify(ROTATION_FAILED_EVENT_PATTERN),
          tags,
        },
        child,
      );
      const policy = new aws.sns.TopicPolicy(
        `${name}-alarms-policy`,
        {
          arn: topic.arn,
          policy: pulumi
            .all([topic.arn, rule.arn])
            .apply(([topicArn, ruleArn]) => eventsToTopicPolicy(topicArn, ruleArn)),
        },
        child,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-rotation-failed-target`,
        { rule: rule.name, arn: topic.arn },
        { parent: this, dependsOn: [policy] },
      );
    }

    const specs = planAlarms({
      loadBalancers: args.loadBalancers,
      autoScalingGroups: args.autoScalingGroups,
      slowTraceGroups,
      databases,
      thresholds,
    });
    this.alarmArns = {};
    for (const spec of specs) {
      this.alarmArns[spec.key] = new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.key}`,
        {
          ...spec.args,
          name: `${namePrefix}-${spec.key}`,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags,
        },
        child,
      ).arn;
    }

    const lbs = Object.entries(args.loadBalancers);
    const body = pulumi
      .output({
        lbs: lbs.map(([, lb]) => ({
          arnSuffix: lb.arnSuffix,
          targetGroups: lb.targetGroupArnSuffixes,
        })),
        asgs: Object.fromEntries(
          Object.entries(args.autoScalingGroups).map(([k, a]) => [k, a.name]),
        ),
        webAclName: args.webAclName,
        traceGroups: Object.values(slowTraceGroups),
        checks: args.route53HealthCheckIds ?? {},
        databases: Object.fromEntries(
          Object.entries(databases).map(([k, d]) => [
            k,
            { clusterIdentifier: d.clusterIdentifier, proxyName: d.proxyName },
          ]),
        ),
        alarms: Object.values(this.alarmArns),
      })
      .apply((v) =>
        JSON.stringify(
          dashboardBody({
            region: args.region,
            loadBalancers: Object.fromEntries(
              lbs.map(([key, lb], i) => [key, { type: lb.type, ...v.lbs[i] }]),
            ),
            autoScalingGroups: v.asgs,
            webAclName: v.webAclName,
            slowTraceGroups: v.traceGroups,
            route53HealthCheckIds: v.checks,
            databases: Object.fromEntries(
              Object.entries(v.databases).map(([k, d]) => [
                k,
                { ...d, replicationSourceRegion: databases[k].replicationSourceRegion },
              ]),
            ),
            alarmArns: v.alarms,
          }),
        ),
      );
    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: namePrefix, dashboardBody: body },
      child,
    );

    this.alarmTopicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({
      alarmTopicArn: this.alarmTopicArn,
      alarmArns: this.alarmArns,
      dashboardName: this.dashboardName,
    });
  }
}
