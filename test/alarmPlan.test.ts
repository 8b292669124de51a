import { strict as assert } from "assert";
import {
  DEFAULT_ALARM_THRESHOLDS,
  planAlarms,
  thresholdProblems,
} from "../components/observability/alarmPlan";
import { ALARMS_PER_WIDGET, dashboardBody } from "../components/observability/dashboardBody";
import {
  DEFAULT_DATABASE_ALARM_THRESHOLDS,
  planDatabaseAlarms,
  replicationLagQuery,
} from "../components/observability/databaseAlarms";

const ALB = "app/web-alb-1a2b3c4/0123456789abcdef";
const NLB = "net/pay-nlb-1a2b3c4/0123456789abcdef";
const TG_A = "targetgroup/web-a-tg-1a2b3c4/1111111111111111";
const TG_P = "targetgroup/pay-payments-tg-1a2b3c4/2222222222222222";

describe("alarmPlan (pure)", () => {
  it("plans 3 alarms per ALB target group, 1 per ALB, 1 per NLB target group, 1 per NLB, 1 per ASG, 1 per trace group", () => {
    const specs = planAlarms({
      loadBalancers: {
        web: { type: "application", arnSuffix: ALB, targetGroupArnSuffixes: { a: TG_A, b: TG_A } },
        pay: { type: "network", arnSuffix: NLB, targetGroupArnSuffixes: { payments: TG_P } },
      },
      autoScalingGroups: { "web-a": { name: "web-a-asg-1", minSize: 2 } },
      slowTraceGroups: { checkout: "securecart-slow-checkout" },
      thresholds: DEFAULT_ALARM_THRESHOLDS,
    });
    assert.deepEqual(
      specs.map((s) => s.key),
      [
        "web-a-unhealthy",
        "web-a-p99",
        "web-a-target-5xx",
        "web-b-unhealthy",
        "web-b-p99",
        "web-b-target-5xx",
        "web-elb-5xx",
        "pay-payments-unhealthy",
        "pay-tcp-resets",
        "web-a-in-service",
        "checkout-slow-traces",
      ],
    );
    const nlb = specs.find((s) => s.key === "pay-payments-unhealthy")?.args;
    assert.equal(nlb?.namespace, "AWS/NetworkELB");
    assert.deepEqual(nlb?.dimensions, { LoadBalancer: NLB, TargetGroup: TG_P });
    const asg = specs.find((s) => s.key === "web-a-in-service")?.args;
    assert.deepEqual(
      [asg?.threshold, asg?.comparisonOperator, asg?.dimensions],
      [2, "LessThanThreshold", { AutoScalingGroupName: "web-a-asg-1" }],
    );
  });

  it("defaults: p99 1.5 s, ELB 5XX 1 %, target 5XX 2 %, 100 resets/min, 10 slow traces, 3 of 5 minutes, DB CPU 80 %, 1000 connections, 1 s lag, 2000 proxy clients, 50 ms borrow", () => {
    assert.deepEqual(DEFAULT_ALARM_THRESHOLDS, {
      targetResponseTimeP99Seconds: 1.5,
      elb5xxRatePercent: 1,
      target5xxRatePercent: 2,
      nlbTcpResetsPerMinute: 100,
      slowCheckoutTracesPer5Minutes: 10,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      dbCpuPercent: 80,
      dbConnections: 1000,
      // AWS: global database replication latency is "typically under a second".
      dbReplicationLagMilliseconds: 1000,
      proxyClientConnections: 2000,
      proxyBorrowLatencyMicroseconds: 50_000,
    });
    assert.deepEqual(thresholdProblems(DEFAULT_ALARM_THRESHOLDS), []);
  });

  const cases: [string, Partial<typeof DEFAULT_ALARM_THRESHOLDS>, string][] = [
    [
      "zero latency",
      { targetResponseTimeP99Seconds: 0 },
      "thresholds.targetResponseTimeP99Seconds must be > 0 and <= 3600; got 0",
    ],
    [
      "a rate over 100 %",
      { elb5xxRatePercent: 101 },
      "thresholds.elb5xxRatePercent must be > 0 and <= 100; got 101",
    ],
    [
      "a negative target rate",
      { target5xxRatePercent: -1 },
      "thresholds.target5xxRatePercent must be > 0 and <= 100; got -1",
    ],
    [
      "zero resets",
      { nlbTcpResetsPerMinute: 0 },
      "thresholds.nlbTcpResetsPerMinute must be > 0 and <= 1000000000; got 0",
    ],
    [
      "zero slow traces",
      { slowCheckoutTracesPer5Minutes: 0 },
      "thresholds.slowCheckoutTracesPer5Minutes must be > 0 and <= 1000000000; got 0",
    ],
    [
      "a DB CPU over 100 %",
      { dbCpuPercent: 101 },
      "thresholds.dbCpuPercent must be > 0 and <= 100; got 101",
    ],
    [
      "zero DB connections",
      { dbConnections: 0 },
      "thresholds.dbConnections must be > 0 and <= 1000000; got 0",
    ],
    [
      "a negative replication lag",
      { dbReplicationLagMilliseconds: -5 },
      "thresholds.dbReplicationLagMilliseconds must be > 0 and <= 3600000; got -5",
    ],
    [
      "zero proxy clients",
      { proxyClientConnections: 0 },
      "thresholds.proxyClientConnections must be > 0 and <= 1000000; got 0",
    ],
    [
      "a borrow latency past the 300 s borrow timeout",
      { proxyBorrowLatencyMicroseconds: 300_000_001 },
      "thresholds.proxyBorrowLatencyMicroseconds must be > 0 and <= 300000000; got 300000001",
    ],
    [
      "0 periods",
      { evaluationPeriods: 0, datapointsToAlarm: 0 },
      "thresholds.evaluationPeriods must be an integer from 1 to 60; got 0",
    ],
    [
      "M > N",
      { evaluationPeriods: 2, datapointsToAlarm: 3 },
      "thresholds.datapointsToAlarm must be an integer from 1 to evaluationPeriods (2); got 3",
    ],
  ];
  for (const [label, t, message] of cases) {
    it(`rejects ${label}`, () => {
      assert.ok(thresholdProblems({ ...DEFAULT_ALARM_THRESHOLDS, ...t }).includes(message));
    });
  }
});

describe("dashboardBody (pure)", () => {
  const input = {
    region: "us-west-2",
    loadBalancers: {
      web: { type: "application" as const, arnSuffix: ALB, targetGroups: { a: TG_A } },
      pay: { type: "network" as const, arnSuffix: NLB, targetGroups: { payments: TG_P } },
    },
    autoScalingGroups: { "web-a": "web-a-asg-1" },
    webAclName: "waf-acl-1234567",
    slowTraceGroups: ["securecart-slow-checkout"],
    alarmArns: ["arn:aws:cloudwatch:us-west-2:123456789012:alarm:x"],
  };

  it("round-trips through JSON and names every dimension value it was given", () => {
    const text = JSON.stringify(dashboardBody(input));
    const body = JSON.parse(text);
    for (const v of [
      ALB,
      NLB,
      TG_A,
      TG_P,
      "web-a-asg-1",
      "waf-acl-1234567",
      "securecart-slow-checkout",
    ]) {
      assert.ok(text.includes(JSON.stringify(v)), v);
    }
    assert.deepEqual(
      body.widgets.map((w: { properties: { title: string } }) => w.properties.title),
      [
        "Alarms",
        "web: requests and 5XX",
        "web: p99 response time by service",
        "web: unhealthy targets by service",
        "pay: unhealthy targets and TCP resets",
        "Instances in service",
        "WAF: allowed and blocked requests",
        "X-Ray: slow checkout traces",
      ],
    );
  });

  it("adds Route 53 health checks from us-east-1, where Route 53 publishes them", () => {
    const body = dashboardBody({ ...input, route53HealthCheckIds: { east: "abcd-1234" } });
    const w = body.widgets.at(-1);
    assert.equal(w?.properties.region, "us-east-1");
    assert.deepEqual(w?.properties.metrics, [
      [
        "AWS/Route53",
        "HealthCheckStatus",
        "HealthCheckId",
        "abcd-1234",
        { stat: "Minimum", label: "east", region: "us-east-1" },
      ],
    ]);
  });

  it("splits alarms over widgets of at most 100 and never overflows 24 columns", () => {
    const alarmArns = Array.from(
      { length: 150 },
      (_, i) => `arn:aws:cloudwatch:us-west-2:123456789012:alarm:a${i}`,
    );
    const body = dashboardBody({ ...input, alarmArns });
    const alarmWidgets = body.widgets.filter((w) => w.type === "alarm");
    assert.deepEqual(
      alarmWidgets.map((w) => (w.properties.alarms as string[]).length),
      [ALARMS_PER_WIDGET, 50],
    );
    for (const w of body.widgets) assert.ok(w.x + w.width <= 24);
    const positions = body.widgets.map((w) => `${w.x},${w.y}`);
    assert.equal(new Set(positions).size, positions.length);
  });
});

describe("databaseAlarms (pure)", () => {
  const CLUSTER = "securecart-orders-us-west-2";
  const PROXY = "securecart-orders-us-west-2-proxy";
  const window = { period: 60, evaluationPeriods: 5, datapointsToAlarm: 3 };
  type Args = ReturnType<typeof planDatabaseAlarms>[number]["args"];
  const summary = (a: Args) => [
    a.namespace,
    a.metricName,
    a.dimensions,
    a.statistic,
    a.comparisonOperator,
    a.threshold,
  ];

  it("alarms on cluster CPU and connections and on the proxy; no replication lag outside a global database", () => {
    const specs = planDatabaseAlarms(
      { db: { clusterIdentifier: CLUSTER, proxyName: PROXY } },
      DEFAULT_DATABASE_ALARM_THRESHOLDS,
      window,
    );
    assert.deepEqual(
      specs.map((s) => [s.key, ...summary(s.args)]),
      [
        [
          "db-cpu",
          "AWS/RDS",
          "CPUUtilization",
          { DBClusterIdentifier: CLUSTER },
          "Average",
          "GreaterThanThreshold",
          80,
        ],
        [
          "db-connections",
          "AWS/RDS",
          "DatabaseConnections",
          { DBClusterIdentifier: CLUSTER },
          "Maximum",
          "GreaterThanThreshold",
          1000,
        ],
        [
          "db-proxy-clients",
          "AWS/RDS",
          "ClientConnections",
          { ProxyName: PROXY },
          "Sum",
          "GreaterThanThreshold",
          2000,
        ],
        [
          "db-proxy-borrow-latency",
          "AWS/RDS",
          "DatabaseConnectionsBorrowLatency",
          { ProxyName: PROXY },
          "Average",
          "GreaterThanThreshold",
          50_000,
        ],
      ],
    );
    for (const s of specs) {
      assert.deepEqual(
        [s.args.period, s.args.evaluationPeriods, s.args.datapointsToAlarm],
        [60, 5, 3],
        s.key,
      );
    }
  });

  it("alarms on AuroraGlobalDBReplicationLag (ms) from the peer region, no data counting as OK", () => {
    const specs = planDatabaseAlarms(
      {
        db: { clusterIdentifier: CLUSTER, proxyName: PROXY, replicationSourceRegion: "us-east-1" },
      },
      { ...DEFAULT_DATABASE_ALARM_THRESHOLDS, dbReplicationLagMilliseconds: 2500 },
      window,
    );
    assert.deepEqual(
      specs.map((s) => s.key),
      [
        "db-cpu",
        "db-connections",
        "db-replication-lag",
        "db-proxy-clients",
        "db-proxy-borrow-latency",
      ],
    );
    const lag = specs[2].args;
    // A Metrics Insights query over the whole namespace: whatever dimensions AWS publishes the
    // lag with, the alarm sees this cluster's series (a guessed dimension set could match
    // nothing and, with missing data not breaching, stay OK forever).
    assert.deepEqual(summary(lag), [
      undefined,
      undefined,
      undefined,
      undefined,
      "GreaterThanThreshold",
      2500,
    ]);
    assert.equal(lag.period, undefined);
    assert.deepEqual(lag.metricQueries, [
      {
        id: "lag",
        expression: `SELECT MAX(AuroraGlobalDBReplicationLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${CLUSTER}'`,
        label: "AuroraGlobalDBReplicationLag (ms), largest series of this cluster",
        period: 60,
        returnData: true,
      },
    ]);
    assert.deepEqual([lag.evaluationPeriods, lag.datapointsToAlarm], [5, 3]);
    assert.throws(() => replicationLagQuery("x' OR '1"), /can't be quoted/);
    // Only the cluster that is secondary right now gets data; the primary's alarm (the same
    // alarm after a switchover) must stay OK rather than sit in INSUFFICIENT_DATA.
    assert.equal(lag.treatMissingData, "notBreaching");
  });

  it("planAlarms appends the database alarms after the others", () => {
    const specs = planAlarms({
      loadBalancers: {},
      autoScalingGroups: { "web-a": { name: "web-a-asg-1", minSize: 2 } },
      slowTraceGroups: {},
      databases: { db: { clusterIdentifier: CLUSTER, proxyName: PROXY } },
      thresholds: DEFAULT_ALARM_THRESHOLDS,
    });
    assert.deepEqual(
      specs.map((s) => s.key),
      [
        "web-a-in-service",
        "db-cpu",
        "db-connections",
        "db-proxy-clients",
        "db-proxy-borrow-latency",
      ],
    );
  });

  it("dashboard: a database row naming the cluster and proxy; replication lag only with a source", () => {
    const base = {
      region: "us-west-2",
      loadBalancers: {},
      autoScalingGroups: { "web-a": "web-a-asg-1" },
      slowTraceGroups: [],
      alarmArns: [],
    };
    const primary = dashboardBody({
      ...base,
      databases: { db: { clusterIdentifier: CLUSTER, proxyName: PROXY } },
    });
    const titles = (b: ReturnType<typeof dashboardBody>) =>
      b.widgets.map((w) => w.properties.title);
    assert.deepEqual(titles(primary), [
      "Instances in service",
      "db: Aurora CPU % and connections",
      "db: RDS Proxy clients and borrow latency (µs)",
    ]);
    const secondary = dashboardBody({
      ...base,
      databases: {
        db: { clusterIdentifier: CLUSTER, proxyName: PROXY, replicationSourceRegion: "us-east-1" },
      },
    });
    const [, cpu, lag, proxy] = secondary.widgets;
    // The database row starts on a new line.
    assert.deepEqual(
      [cpu, lag, proxy].map((w) => [w.x, w.y]),
      [
        [0, 6],
        [8, 6],
        [16, 6],
      ],
    );
    assert.deepEqual(cpu.properties.metrics, [
      ["AWS/RDS", "CPUUtilization", "DBClusterIdentifier", CLUSTER, { stat: "Average" }],
      [
        "AWS/RDS",
        "DatabaseConnections",
        "DBClusterIdentifier",
        CLUSTER,
        { stat: "Maximum", yAxis: "right" },
      ],
    ]);
    assert.deepEqual(lag.properties.metrics, [
      [
        "AWS/RDS",
        "AuroraGlobalDBReplicationLag",
        "DBClusterIdentifier",
        CLUSTER,
        "SourceRegion",
        "us-east-1",
        { stat: "Average" },
      ],
    ]);
    assert.deepEqual(proxy.properties.metrics, [
      ["AWS/RDS", "ClientConnections", "ProxyName", PROXY, { stat: "Sum" }],
      [
        "AWS/RDS",
        "DatabaseConnectionsBorrowLatency",
        "ProxyName",
        PROXY,
        { stat: "Average", yAxis: "right" },
      ],
    ]);
  });
});
