import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  HEALTH_CHECK_ALARM,
  HEALTH_CHECK_RULE_PRIORITY,
  PlannedRecord,
  RoutingMode,
  checkerRegionProblems,
  planRecords,
  recordPlanProblems,
} from "./failoverPlan";

/** Route 53 publishes health-check metrics only in this region. */
export const ROUTE53_METRICS_REGION = "us-east-1";

/** A load balancer that serves some of the zone's names. */
export interface DnsEndpointArgs {
  /** The load balancer's DNS name: alias and CNAME target, and what the health check resolves. */
  readonly dnsName: pulumi.Input<string>;
  /** The load balancer's canonical hosted zone, for alias records. */
  readonly zoneId: pulumi.Input<string>;
  /** Host labels this load balancer serves, e.g. `shop`; `@` is the zone apex. */
  readonly hosts: readonly string[];
  /**
   * For an ALB: where to answer the health path. The health check's Host header is the ALB's own
   * DNS name, which no service rule matches, so a rule for that host and path forwards it here.
   * @default - no rule: the load balancer forwards every request (an NLB TLS listener)
   */
  readonly healthCheckRoute?: {
    /** The HTTPS listener. */
    readonly listenerArn: pulumi.Input<string>;
    /** Target group whose app answers the health path. */
    readonly targetGroupArn: pulumi.Input<string>;
  };
  /**
   * Path Route 53 requests on this load balancer, when its app can't answer the region's path:
   * the payments NLB forwards to payments, which is no database client, so it is checked on the
   * ready path even where the web ALB is checked on the deep one.
   * @default - `healthCheck.path`
   */
  readonly healthCheckPath?: string;
}

/** Route 53 health-check settings, shared by every endpoint of the region. */
export interface FailoverDnsHealthCheckArgs {
  /**
   * Deep health path: the app answers 2xx/3xx only when its dependencies are reachable.
   * @default "/healthz/deep"
   */
  readonly path?: string;
  /** Consecutive failures that mark the endpoint unhealthy, 1 to 10. @default 3 */
  readonly failureThreshold?: number;
  /** `RequestInterval`, 10 or 30; it can't be changed after creation. @default 10 */
  readonly requestIntervalSeconds?: number;
  /**
   * Checker regions, at least 3 of Route 53's eight.
   * @default ["eu-west-1", "us-east-1", "us-west-1", "us-west-2"]
   */
  readonly regions?: readonly string[];
  /** Latency graphs in the Route 53 console (charged extra). @default false */
  readonly measureLatency?: boolean;
}

/** Arguments of {@link FailoverDns}. */
export interface FailoverDnsArgs {
  /** Apex of the hosted zone, e.g. `securecart.com`. */
  readonly domain: string;
  /** The public hosted zone of `domain`. */
  readonly zoneId: pulumi.Input<string>;
  /** This stack's region: the records' set identifier and latency region. */
  readonly region: string;
  /** `failover` (active-passive) or `latency` (active-active). Both stacks must agree. */
  readonly routing: RoutingMode;
  /** In failover mode, primary writes PRIMARY records and secondary SECONDARY ones. */
  readonly role: "primary" | "secondary";
  /** Load balancers keyed by a stable name (`web`, `pay`); each gets its own health check. */
  readonly endpoints: Readonly<Record<string, DnsEndpointArgs>>;
  /** Health-check settings. @default - the defaults of {@link FailoverDnsHealthCheckArgs} */
  readonly healthCheck?: FailoverDnsHealthCheckArgs;
  /**
   * Host labels answered by a non-alias CNAME with this TTL (1 to 59 s) instead of an alias, to
   * fail over faster. Such records lose evaluate-target-health and their queries are billed.
   * @default {} - every name is an alias
   */
  readonly cnameTtlSeconds?: Readonly<Record<string, number>>;
  /** Email subscribed to the health-check alarms (AWS asks it to confirm). @default - none */
  readonly alarmEmail?: string;
  /** Tags for every taggable child. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Write the planned records here. `false` leaves them to the global stack
   * (components/recovery/regionSwitchRecords.ts), which gates the PRIMARY ones on the Region
   * switch plan's health check; this component then only plans them ({@link FailoverDns.delegated}).
   * @default true
   */
  readonly writeRecords?: boolean;
}

/** A record this stack planned but leaves to the global stack, with everything it points at. */
export interface DelegatedRecord {
  /** Stable key: the label, `apex` for the zone apex. */
  readonly key: string;
  /** Fully qualified name, lower case, no trailing dot. */
  readonly fqdn: string;
  readonly type: "A" | "CNAME";
  /** A CNAME's TTL; absent for an alias. */
  readonly ttlSeconds?: number;
  /** The record's set identifier: the region. */
  readonly setIdentifier: string;
  readonly failover: "PRIMARY" | "SECONDARY";
  /** The load balancer it points at. */
  readonly target: {
    readonly dnsName: pulumi.Input<string>;
    readonly zoneId: pulumi.Input<string>;
  };
  /** The region's own Route 53 health check of that load balancer. */
  readonly healthCheckId: pulumi.Input<string>;
}

/**
 * The arguments of one failover or latency record, shared by the regional stacks and the global
 * stack so both write the same record: an alias (evaluate-target-health on) or a short-TTL CNAME
 * to the load balancer, never overwriting a record someone else owns.
 */
export function recordArgs(
  rec: Pick<
    PlannedRecord,
    "fqdn" | "type" | "ttlSeconds" | "setIdentifier" | "failover" | "latencyRegion"
  >,
  target: { readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> },
  zoneId: pulumi.Input<string>,
  healthCheckId: pulumi.Input<string>,
): aws.route53.RecordArgs {
  const routing = rec.failover
    ? { failoverRoutingPolicies: [{ type: rec.failover }] }
    : { latencyRoutingPolicies: [{ region: rec.latencyRegion as string }] };
  const to =
    rec.type === "A"
      ? { aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }] }
      : { ttl: rec.ttlSeconds, records: [target.dnsName] };
  return {
    zoneId,
    name: rec.fqdn,
    type: rec.type,
    setIdentifier: rec.setIdentifier,
    healthCheckId,
    ...routing,
    ...to,
    // Each region owns its own set identifier. Finding one already there means the two
    // stacks disagree (or a hand-made record exists): fail instead of taking it over.
    allowOverwrite: false,
  };
}

/**
 * One region's share of cross-region DNS: a Route 53 health check per load balancer, the region's
 * failover or latency records for every public name, and an alarm on each health check.
 *
 * Each stack writes only records with its own set identifier (the region) and reads nothing from
 * the other stack. Route 53 health-check metrics exist only in us-east-1, so the alarms and their
 * SNS topic are created there in every region, through aws v7's per-resource `region` on the
 * stack's own provider (so they keep the stack's `aws:*` settings: profile, assumed role, default
 * tags).
 */
export class FailoverDns extends pulumi.ComponentResource {
  /** Route 53 health-check IDs keyed by endpoint. */
  public readonly healthCheckIds: Record<string, pulumi.Output<string>>;
  /** The records this stack writes, as planned. */
  public readonly records: readonly PlannedRecord[];
  /** Worst designed failover time over this stack's names, in seconds. */
  public readonly failoverBudgetSeconds: number;
  /** SNS topic (in us-east-1) the health-check alarms notify. */
  public readonly alarmTopicArn: pulumi.Output<string>;
  /** Health-check alarm ARNs keyed by endpoint. */
  public readonly alarmArns: Record<string, pulumi.Output<string>>;
  /** The failover records left to the global stack; empty when this stack writes them. */
  public readonly delegated: readonly DelegatedRecord[];

  constructor(name: string, args: FailoverDnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:FailoverDns", name, {}, opts);
    const hc = args.healthCheck ?? {};
    const path = hc.path ?? "/healthz/deep";
    const failureThreshold = hc.failureThreshold ?? 3;
    const requestIntervalSeconds = hc.requestIntervalSeconds ?? 10;
    const regions = [...(hc.regions ?? ["eu-west-1", "us-east-1", "us-west-1", "us-west-2"])];
    const measureLatency = hc.measureLatency ?? false;
    const cnameTtlSeconds = args.cnameTtlSeconds ?? {};
    const tags = args.tags ?? {};
    const writeRecords = args.writeRecords ?? true;

    const planInput = {
      domain: args.domain,
      region: args.region,
      routing: args.routing,
      role: args.role,
      hostsByEndpoint: Object.fromEntries(
        Object.entries(args.endpoints).map(([k, e]) => [k, e.hosts]),
      ),
      cnameTtlSeconds,
      requestIntervalSeconds,
      failureThreshold,
    };
    const problems = [
      ...recordPlanProblems(planInput).map((p) =>
        /^(requestIntervalSeconds|failureThreshold)/.test(p) ? `healthCheck.${p}` : p,
      ),
      ...checkerRegionProblems(regions).map((p) => `healthCheck.${p}`),
    ];
    if (!/^\/\S*$/.test(path)) {
      problems.push(`healthCheck.path must start with "/" and have no spaces; got "${path}"`);
    }
    for (const [key, e] of Object.entries(args.endpoints)) {
      if (e.healthCheckPath !== undefined && !/^\/\S*$/.test(e.healthCheckPath)) {
        problems.push(
          `endpoints.${key}.healthCheckPath must start with "/" and have no spaces; got "${e.healthCheckPath}"`,
        );
      }
    }
    if (Object.values(args.endpoints).every((e) => e.hosts.length === 0)) {
      problems.push("endpoints must serve at least one host name; got none");
    }
    if (!writeRecords && args.routing !== "failover") {
      problems.push(
        `writeRecords false needs failover routing (the global stack writes only failover records); got routing ${args.routing}`,
      );
    }
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`FailoverDns ${name}: ${problems.join("; ")}`, this);
    }
    this.records = planRecords(planInput);
    this.failoverBudgetSeconds = Math.max(...this.records.map((r) => r.budgetSeconds));

    const child = { parent: this };
    // Where Route 53 publishes health-check metrics, whatever the stack's region. A per-resource
    // `region` (aws v7) rather than a second provider, which would not inherit the stack's
    // `aws:*` config.
    const region = ROUTE53_METRICS_REGION;
    // Unencrypted on purpose: CloudWatch can't publish to a topic under the AWS-managed SNS key,
    // and the messages hold only alarm state.
    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      { region, tags: { ...tags, Name: `${name}-alarms` } },
      child,
    );
    if (args.alarmEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { region, topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
        child,
      );
    }

    this.healthCheckIds = {};
    this.alarmArns = {};
    for (const [key, endpoint] of Object.entries(args.endpoints)) {
      const endpointPath = endpoint.healthCheckPath ?? path;
      if (endpoint.healthCheckRoute) {
        new aws.lb.ListenerRule(
          `${name}-${key}-hc-rule`,
          {
            listenerArn: endpoint.healthCheckRoute.listenerArn,
            priority: HEALTH_CHECK_RULE_PRIORITY,
            actions: [
              { type: "forward", targetGroupArn: endpoint.healthCheckRoute.targetGroupArn },
            ],
            // GET only, as Route 53's checkers send: the web ACL's matching Allow rule skips
            // every managed rule group, so nothing else may take this shortcut
            // (components/edge/wafRules.ts, allow-route53-health-checks).
            conditions: [
              { hostHeader: { values: [endpoint.dnsName] } },
              { pathPattern: { values: [endpointPath] } },
              { httpRequestMethod: { values: ["GET"] } },
            ],
            tags,
          },
          child,
        );
      }
      const check = new aws.route53.HealthCheck(
        `${name}-${key}-hc`,
        {
          type: "HTTPS",
          // The load balancer's own name, never the public record: checking shop.<domain> would
          // follow the failover answer and check the other region.
          fqdn: endpoint.dnsName,
          port: 443,
          resourcePath: endpointPath,
          // Sends the name in the TLS client hello; Route 53 doesn't validate certificates, so
          // the ALB's default certificate answering for its own DNS name is fine.
          enableSni: true,
          requestInterval: requestIntervalSeconds,
          failureThreshold,
          regions: [...regions].sort(),
          measureLatency,
          tags: { ...tags, Name: `${name}-${key}-${args.region}` },
        },
        // With delegated records, prod-global's records and gates still name this check until
        // its next `up`: a regional `up` that replaces or drops it must not delete it under them
        // (Route 53 lets DeleteHealthCheck remove a check records use). Retained checks are deleted
        // by hand once prod-global moved (docs/failover.md, "Deploy order").
        { ...child, retainOnDelete: !writeRecords },
      );
      this.healthCheckIds[key] = check.id;

      const alarm = new aws.cloudwatch.MetricAlarm(
        `${name}-${key}-hc-alarm`,
        {
          region,
          alarmDescription: pulumi.interpolate`Route 53 health check of ${key} in ${args.region} (${endpoint.dnsName}${endpointPath}) is unhealthy: Route 53 stops answering with this region (failover to the other region, or loss of the standby).`,
          namespace: "AWS/Route53",
          metricName: "HealthCheckStatus",
          dimensions: { HealthCheckId: check.id },
          statistic: "Minimum",
          period: HEALTH_CHECK_ALARM.periodSeconds,
          evaluationPeriods: HEALTH_CHECK_ALARM.evaluationPeriods,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          // No data means Route 53 stopped reporting on the check: treat it as a failure.
          treatMissingData: "breaching",
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          tags,
        },
        child,
      );
      this.alarmArns[key] = alarm.arn;
    }

    for (const rec of writeRecords ? this.records : []) {
      new aws.route53.Record(
        `${name}-${rec.key}`,
        recordArgs(
          rec,
          args.endpoints[rec.endpoint],
          args.zoneId,
          this.healthCheckIds[rec.endpoint],
        ),
        child,
      );
    }
    this.delegated = writeRecords
      ? []
      : this.records.map((rec) => ({
          key: rec.key,
          fqdn: rec.fqdn,
          type: rec.type,
          ...(rec.ttlSeconds === undefined ? {} : { ttlSeconds: rec.ttlSeconds }),
          setIdentifier: rec.setIdentifier,
          failover: rec.failover as "PRIMARY" | "SECONDARY",
          target: {
            dnsName: args.endpoints[rec.endpoint].dnsName,
            zoneId: args.endpoints[rec.endpoint].zoneId,
          },
          healthCheckId: this.healthCheckIds[rec.endpoint],
        }));

    this.alarmTopicArn = topic.arn;
    this.registerOutputs({
      healthCheckIds: this.healthCheckIds,
      records: this.records,
      failoverBudgetSeconds: this.failoverBudgetSeconds,
      alarmTopicArn: this.alarmTopicArn,
      alarmArns: this.alarmArns,
      delegated: this.delegated,
    });
  }
}
