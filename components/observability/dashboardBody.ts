/**
 * Pure builder of the regional CloudWatch dashboard body (the JSON `PutDashboard` takes), from
 * resolved names and ARN suffixes. Widgets are laid out top to bottom in rows of 24 columns.
 */

/** A load balancer on the dashboard, with resolved dimension values. */
export interface DashboardLoadBalancer {
  readonly type: "application" | "network" | "gateway";
  /** `app/<name>/<id>`, `net/<name>/<id>` or `gwy/<name>/<id>`. */
  readonly arnSuffix: string;
  /** `targetgroup/<name>/<id>` keyed by backend name. */
  readonly targetGroups: Readonly<Record<string, string>>;
}

/** A proxied Aurora cluster on the dashboard, with resolved dimension values. */
export interface DashboardDatabase {
  /** The regional cluster's identifier. */
  readonly clusterIdentifier: string;
  /** The RDS Proxy's name. */
  readonly proxyName: string;
  /** The primary's region on a global secondary. @default - primary: no replication lag widget */
  readonly replicationSourceRegion?: string;
}

/** Everything the dashboard shows, resolved. */
export interface DashboardInput {
  readonly region: string;
  /** Keyed by stable name (`web`, `pay`). */
  readonly loadBalancers: Readonly<Record<string, DashboardLoadBalancer>>;
  /** Auto Scaling group names keyed by service. */
  readonly autoScalingGroups: Readonly<Record<string, string>>;
  /** The web ACL's name (CloudWatch's `WebACL` dimension). @default - no WAF widget */
  readonly webAclName?: string;
  /** X-Ray group names of slow traces. */
  readonly slowTraceGroups: readonly string[];
  /** Route 53 health check IDs keyed by name. @default - no health check widget */
  readonly route53HealthCheckIds?: Readonly<Record<string, string>>;
  /** Proxied Aurora clusters keyed by stable name (`db`). @default - no database row */
  readonly databases?: Readonly<Record<string, DashboardDatabase>>;
  /** ARNs of every alarm, for the alarm status widget. */
  readonly alarmArns: readonly string[];
}

/** CloudWatch's limit on alarms in one alarm status widget. */
export const ALARMS_PER_WIDGET = 100;

type Metric = (string | Record<string, unknown>)[];
interface Widget {
  type: "metric" | "alarm" | "text";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** The dashboard body as an object; `JSON.stringify` it for `dashboardBody`. */
export function dashboardBody(input: DashboardInput): { widgets: Widget[] } {
  const widgets: Widget[] = [];
  let x = 0;
  let y = 0;
  const place = (type: Widget["type"], width: number, height: number, properties: object) => {
    if (x + width > 24) {
      x = 0;
      y += 6;
    }
    widgets.push({ type, x, y, width, height, properties: properties as Record<string, unknown> });
    x += width;
  };
  const graph = (title: string, metrics: Metric[], extra: object = {}) =>
    place("metric", 8, 6, {
      title,
      region: input.region,
      view: "timeSeries",
      stacked: false,
      period: 60,
      metrics,
      ...extra,
    });

  // An alarm status widget shows at most 100 alarms.
  for (let i = 0; i < input.alarmArns.length; i += ALARMS_PER_WIDGET) {
    place("alarm", 24, 6, {
      title: i === 0 ? "Alarms" : "Alarms (continued)",
      alarms: input.alarmArns.slice(i, i + ALARMS_PER_WIDGET),
    });
  }

  for (const [key, lb] of Object.entries(input.loadBalancers)) {
    const tgs = Object.entries(lb.targetGroups);
    if (lb.type === "application") {
      const ns = "AWS/ApplicationELB";
      graph(`${key}: requests and 5XX`, [
        [ns, "RequestCount", "LoadBalancer", lb.arnSuffix, { stat: "Sum" }],
        [ns, "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb.arnSuffix, { stat: "Sum" }],
        [ns, "HTTPCode_Target_5XX_Count", "LoadBalancer", lb.arnSuffix, { stat: "Sum" }],
      ]);
      graph(
        `${key}: p99 response time by service`,
        tgs.map(([svc, tg]) => [
          ns,
          "TargetResponseTime",
          "LoadBalancer",
          lb.arnSuffix,
          "TargetGroup",
          tg,
          { stat: "p99", label: svc },
        ]),
      );
      graph(
        `${key}: unhealthy targets by service`,
        tgs.map(([svc, tg]) => [
          ns,
          "UnHealthyHostCount",
          "LoadBalancer",
          lb.arnSuffix,
          "TargetGroup",
          tg,
          { stat: "Maximum", label: svc },
        ]),
      );
    } else if (lb.type === "gateway") {
      graph(
        `${key}: unhealthy appliances`,
        tgs.map(([svc, tg]): Metric => [
          "AWS/GatewayELB",
          "UnHealthyHostCount",
          "LoadBalancer",
          lb.arnSuffix,
          "TargetGroup",
          tg,
          { stat: "Maximum", label: svc },
        ]),
      );
    } else {
      const ns = "AWS/NetworkELB";
      graph(`${key}: unhealthy targets and TCP resets`, [
        ...tgs.map(([svc, tg]): Metric => [
          ns,
          "UnHealthyHostCount",
          "LoadBalancer",
          lb.arnSuffix,
          "TargetGroup",
          tg,
          { stat: "Maximum", label: `${svc} unhealthy` },
        ]),
        [ns, "TCP_ELB_Reset_Count", "LoadBalancer", lb.arnSuffix, { stat: "Sum" }],
        [ns, "TCP_Target_Reset_Count", "LoadBalancer", lb.arnSuffix, { stat: "Sum" }],
      ]);
    }
  }

  graph(
    "Instances in service",
    Object.entries(input.autoScalingGroups).map(([svc, name]) => [
      "AWS/AutoScaling",
      "GroupInServiceInstances",
      "AutoScalingGroupName",
      name,
      { stat: "Minimum", label: svc },
    ]),
  );
  if (input.webAclName !== undefined) {
    const acl = input.webAclName;
    graph("WAF: allowed and blocked requests", [
      ["AWS/WAFV2", "AllowedRequests", "WebACL", acl, "Region", input.region, "Rule", "ALL"],
      ["AWS/WAFV2", "BlockedRequests", "WebACL", acl, "Region", input.region, "Rule", "ALL"],
    ]);
  }
  if (input.slowTraceGroups.length > 0) {
    graph(
      "X-Ray: slow checkout traces",
      input.slowTraceGroups.map((g) => [
        "AWS/X-Ray",
        "ApproximateTraceCount",
        "GroupName",
        g,
        { stat: "Sum" },
      ]),
      { period: 300 },
    );
  }
  for (const [key, db] of Object.entries(input.databases ?? {})) {
    // A row of its own, so the data tier reads left to right: cluster, replication, proxy.
    // Marking the current row full makes the next widget wrap.
    if (x > 0) x = 24;
    const cluster = ["DBClusterIdentifier", db.clusterIdentifier];
    graph(`${key}: Aurora CPU % and connections`, [
      ["AWS/RDS", "CPUUtilization", ...cluster, { stat: "Average" }],
      ["AWS/RDS", "DatabaseConnections", ...cluster, { stat: "Maximum", yAxis: "right" }],
    ]);
    if (db.replicationSourceRegion !== undefined) {
      graph(`${key}: global replication lag (ms)`, [
        [
          "AWS/RDS",
          "AuroraGlobalDBReplicationLag",
          ...cluster,
          "SourceRegion",
          db.replicationSourceRegion,
          { stat: "Average" },
        ],
      ]);
    }
    const proxy = ["ProxyName", db.proxyName];
    graph(`${key}: RDS Proxy clients and borrow latency (µs)`, [
      ["AWS/RDS", "ClientConnections", ...proxy, { stat: "Sum" }],
      [
        "AWS/RDS",
        "DatabaseConnectionsBorrowLatency",
        ...proxy,
        { stat: "Average", yAxis: "right" },
      ],
    ]);
  }
  const checks = Object.entries(input.route53HealthCheckIds ?? {});
  if (checks.length > 0) {
    // Route 53 publishes health check metrics only in us-east-1, whatever the stack's region.
    graph(
      "Route 53 health checks (1 = healthy)",
      checks.map(([name, id]) => [
        "AWS/Route53",
        "HealthCheckStatus",
        "HealthCheckId",
        id,
        { stat: "Minimum", label: name, region: "us-east-1" },
      ]),
      { region: "us-east-1" },
    );
  }
  return { widgets };
}
