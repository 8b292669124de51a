import { strict as assert } from "assert";
import { ProgramRun, byName, ofType, runStack } from "../testing/harness";
import { RecordedResource } from "../testing/mocks";
import { policiesAllow } from "../testing/policyEval";
import { alarmTopicErrors } from "../testing/awsBehaviour";
import { eventsToTopicPolicy } from "../components/observability/databaseAlarms";
import { parseStackConfig } from "../stacks/config";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

interface MetricQuery {
  id: string;
  expression?: string;
  metric?: { metricName: string; dimensions: Record<string, string> };
}
interface Widget {
  type: string;
  x: number;
  width: number;
  properties: { metrics?: unknown[][]; alarms?: string[]; region?: string };
}

function lbOf(run: ProgramRun, type: "application" | "network"): RecordedResource {
  const [lb, ...more] = ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter(
    (r) => r.inputs.loadBalancerType === type,
  );
  assert.equal(more.length, 0);
  return lb;
}

/**
 * Alarms a stack declares besides the DNS ones, from its config: four per web service
 * (unhealthy hosts, p99, target 5xx, in service), the ALB's 5xx, three for payments (unhealthy,
 * TCP resets, in service), slow checkout traces, two for the inspection appliances, and five for
 * the Aurora cluster and RDS Proxy (replication lag only in a global database).
 */
function expectedAlarms(run: ProgramRun): number {
  const cfg = parseStackConfig(run.stack, run.config);
  const web = Object.keys(cfg.services).length * 4 + 1;
  const inspection = cfg.inspection.enabled ? 2 : 0;
  const database = cfg.database.global ? 5 : 4;
  return web + 3 + 1 + inspection + database;
}

/** The region a stack's cluster replicates from, from its own config (a secondary: the primary). */
function lagSourceOf(run: ProgramRun): string {
  const cfg = parseStackConfig(run.stack, run.config);
  return cfg.role === "secondary" ? cfg.deployment.primary : cfg.deployment.secondaries[0];
}

describe("observability in the stacks (mocks)", () => {
  let east: ProgramRun;
  before(async () => {
    east = await runStack("prod-east");
  });

  it("pages oncall@securecart.com through one SNS topic that every alarm notifies on ALARM and OK", () => {
    // The Route 53 health-check alarms live in us-east-1 with their own topic (FailoverDns).
    const [topic, ...moreTopics] = ofType(east, "aws:sns/topic:Topic").filter(
      (t) => !t.name.startsWith("dns-"),
    );
    assert.equal(moreTopics.length, 0);
    const [sub] = ofType(east, "aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(
      [sub.inputs.topic, sub.inputs.protocol, sub.inputs.endpoint],
      [topic.state.arn, "email", "oncall@securecart.com"],
    );
    const alarms = ofType(east, ALARM).filter((a) => !a.name.startsWith("dns-"));
    // Replication lag included in both regions: after a switchover this cluster is the secondary.
    assert.equal(alarms.length, expectedAlarms(east));
    for (const a of alarms) {
      assert.deepEqual(a.inputs.alarmActions, [topic.state.arn], a.name);
      assert.deepEqual(a.inputs.okActions, [topic.state.arn], a.name);
      assert.match(a.inputs.name, /^securecart-prod-east-/);
    }
  });

  it("alarms on each ALB target group with the real LoadBalancer and TargetGroup arnSuffix forms", () => {
    const alb = lbOf(east, "application");
    assert.match(alb.state.arnSuffix, /^app\/web-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    const tg = byName(east, "aws:lb/targetGroup:TargetGroup", "web-checkout-tg");
    assert.match(tg.state.arnSuffix, /^targetgroup\/web-checkout-tg-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    const dims = { LoadBalancer: alb.state.arnSuffix, TargetGroup: tg.state.arnSuffix };

    const unhealthy = byName(east, ALARM, "ops-web-checkout-unhealthy").inputs;
    assert.deepEqual(
      [unhealthy.namespace, unhealthy.metricName, unhealthy.statistic, unhealthy.dimensions],
      ["AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", dims],
    );
    assert.deepEqual(
      [unhealthy.comparisonOperator, unhealthy.threshold],
      ["GreaterThanThreshold", 0],
    );

    const p99 = byName(east, ALARM, "ops-web-checkout-p99").inputs;
    assert.deepEqual(
      [p99.metricName, p99.extendedStatistic, p99.threshold, p99.dimensions],
      ["TargetResponseTime", "p99", 1.5, dims],
    );
    assert.deepEqual([p99.period, p99.evaluationPeriods, p99.datapointsToAlarm], [60, 5, 3]);

    const t5xx = byName(east, ALARM, "ops-web-checkout-target-5xx").inputs;
    assert.equal(t5xx.threshold, 2);
    assert.deepEqual(
      t5xx.metricQueries.map((q: MetricQuery) => [
        q.id,
        q.metric?.metricName,
        q.metric?.dimensions,
        q.expression,
      ]),
      [
        ["errors", "HTTPCode_Target_5XX_Count", dims, undefined],
        ["requests", "RequestCount", dims, undefined],
        ["rate", undefined, undefined, "100 * FILL(errors, 0) / FILL(requests, 1)"],
      ],
    );

    const elb = byName(east, ALARM, "ops-web-elb-5xx").inputs;
    assert.equal(elb.threshold, 1);
    assert.deepEqual(elb.metricQueries[0].metric.dimensions, { LoadBalancer: alb.state.arnSuffix });
    assert.equal(elb.metricQueries[0].metric.metricName, "HTTPCode_ELB_5XX_Count");

    for (const svc of Object.keys(parseStackConfig(east.stack, east.config).services)) {
      for (const kind of ["unhealthy", "p99", "target-5xx"])
        byName(east, ALARM, `ops-web-${svc}-${kind}`);
    }
  });

  it("alarms on the NLB's unhealthy hosts and TCP resets with its net/ arnSuffix", () => {
    const nlb = lbOf(east, "network");
    assert.match(nlb.state.arnSuffix, /^net\/pay-nlb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    const tg = byName(east, "aws:lb/targetGroup:TargetGroup", "pay-payments-tg");
    const unhealthy = byName(east, ALARM, "ops-pay-payments-unhealthy").inputs;
    assert.deepEqual(
      [unhealthy.namespace, unhealthy.metricName, unhealthy.dimensions],
      [
        "AWS/NetworkELB",
        "UnHealthyHostCount",
        { LoadBalancer: nlb.state.arnSuffix, TargetGroup: tg.state.arnSuffix },
      ],
    );
    const resets = byName(east, ALARM, "ops-pay-tcp-resets").inputs;
    assert.deepEqual(
      [resets.metricName, resets.statistic, resets.threshold, resets.dimensions],
      ["TCP_ELB_Reset_Count", "Sum", 100, { LoadBalancer: nlb.state.arnSuffix }],
    );
  });

  it("alarms when an Auto Scaling group has fewer in-service instances than its minimum", () => {
    // Every web service, payments, and the inspection appliances when enabled.
    const cfg = parseStackConfig(east.stack, east.config);
    const asgs = ofType(east, "aws:autoscaling/group:Group");
    assert.equal(
      asgs.length,
      Object.keys(cfg.services).length + 1 + (cfg.inspection.enabled ? 1 : 0),
    );
    for (const asg of asgs) {
      const key = asg.name.replace(/-asg$/, "");
      const alarm = byName(east, ALARM, `ops-${key}-in-service`).inputs;
      assert.deepEqual(
        [alarm.namespace, alarm.metricName, alarm.statistic, alarm.dimensions],
        [
          "AWS/AutoScaling",
          "GroupInServiceInstances",
          "Minimum",
          { AutoScalingGroupName: asg.state.name },
        ],
      );
      assert.deepEqual(
        [alarm.comparisonOperator, alarm.threshold],
        ["LessThanThreshold", asg.inputs.minSize],
      );
    }
    assert.equal(
      byName(east, ALARM, "ops-web-checkout-in-service").inputs.threshold,
      cfg.services.checkout.minSize,
    );
  });

  describe("data tier alarms and dashboard row", () => {
    let west: ProgramRun;
    before(async () => {
      west = await runStack("prod-west");
    });
    const dbAlarms = (run: ProgramRun) =>
      ofType(run, ALARM)
        .filter((a) => a.name.startsWith("ops-db-"))
        .map((a) => a.name)
        .sort();
    const cases: [string, () => ProgramRun, string][] = [
      ["prod-east", () => east, "us-east-1"],
      ["prod-west", () => west, "us-west-2"],
    ];
    for (const [stack, run, region] of cases) {
      it(`${stack}: alarms on its own cluster's CPU and connections and its proxy, by their real names`, () => {
        const r = run();
        const cluster = byName(r, "aws:rds/cluster:Cluster", "db-cluster").state;
        const proxy = byName(r, "aws:rds/proxy:Proxy", "db-proxy").state;
        assert.equal(cluster.clusterIdentifier, `securecart-orders-${region}`);
        assert.equal(proxy.name, `securecart-orders-${region}-proxy`);
        const topic = byName(r, "aws:sns/topic:Topic", "ops-alarms").state.arn;
        const expected: [string, string, Record<string, string>, string, number][] = [
          [
            "cpu",
            "CPUUtilization",
            { DBClusterIdentifier: cluster.clusterIdentifier },
            "Average",
            80,
          ],
          [
            "connections",
            "DatabaseConnections",
            { DBClusterIdentifier: cluster.clusterIdentifier },
            "Maximum",
            1000,
          ],
          ["proxy-clients", "ClientConnections", { ProxyName: proxy.name }, "Sum", 2000],
          [
            "proxy-borrow-latency",
            "DatabaseConnectionsBorrowLatency",
            { ProxyName: proxy.name },
            "Average",
            50_000,
          ],
        ];
        for (const [key, metric, dimensions, statistic, threshold] of expected) {
          const a = byName(r, ALARM, `ops-db-${key}`).inputs;
          assert.deepEqual(
            [
              a.namespace,
              a.metricName,
              a.dimensions,
              a.statistic,
              a.comparisonOperator,
              a.threshold,
            ],
            ["AWS/RDS", metric, dimensions, statistic, "GreaterThanThreshold", threshold],
            key,
          );
          assert.equal(a.name, `securecart-${stack}-db-${key}`);
          assert.deepEqual([a.alarmActions, a.okActions], [[topic], [topic]], key);
        }
      });
    }

    it("pages the ops topic on a failed rotation, only where the master secret rotates", () => {
      for (const [stack, run, region] of cases) {
        const r = run();
        const rotates = ofType(r, "aws:secretsmanager/secretRotation:SecretRotation").length > 0;
        const rules = ofType(r, "aws:cloudwatch/eventRule:EventRule");
        assert.equal(rules.length, rotates ? 1 : 0, stack);
        if (!rotates) continue;
        const [rule] = rules;
        const topic = byName(r, "aws:sns/topic:Topic", "ops-alarms").state.arn;
        const pattern = JSON.parse(rule.inputs.eventPattern);
        assert.deepEqual(pattern.source, ["aws.secretsmanager"]);
        assert.deepEqual(pattern.detail.eventName, ["RotationFailed"]);
        assert.ok(pattern["detail-type"].includes("AWS Service Event via CloudTrail"));
        const [target] = ofType(r, "aws:cloudwatch/eventTarget:EventTarget");
        assert.deepEqual([target.inputs.rule, target.inputs.arn], [rule.state.name, topic]);
        assert.equal(rule.state.arn.split(":")[3], region);
        // EventBridge publishes as events.amazonaws.com: the topic policy must admit this rule,
        // and no other.
        const policy = byName(r, "aws:sns/topicPolicy:TopicPolicy", "ops-alarms-policy").inputs;
        assert.equal(policy.arn, topic);
        const publish = (sourceArn: string) =>
          policiesAllow([policy.policy], {
            action: "sns:Publish",
            resource: topic,
            servicePrincipal: "events.amazonaws.com",
            context: { "aws:SourceArn": sourceArn },
          });
        assert.ok(publish(rule.state.arn), stack);
        assert.ok(!publish(rule.state.arn.replace(/rule\/.*/, "rule/other")), stack);
        // A topic policy replaces SNS's default policy, so it must still admit this stack's
        // alarms, or every alarm action to the topic is denied.
        const [, , , topicRegion, account] = topic.split(":");
        const alarmPublish = (sourceArn: string, sourceAccount: string) =>
          policiesAllow([policy.policy], {
            action: "sns:Publish",
            resource: topic,
            servicePrincipal: "cloudwatch.amazonaws.com",
            context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount },
          });
        for (const alarm of ofType(r, ALARM).filter((a) =>
          (a.inputs.alarmActions ?? []).includes(topic),
        )) {
          assert.ok(alarmPublish(alarm.state.arn, account), `${stack}: ${alarm.name}`);
        }
        const elsewhere = `arn:aws:cloudwatch:${topicRegion}:999999999999:alarm:x`;
        assert.ok(!alarmPublish(elsewhere, "999999999999"), stack);
      }
    });

    it("alarms on global replication lag in both regions, from the peer, no data = not breaching", () => {
      // AuroraGlobalDBReplicationLag is reported for whichever cluster is secondary, from the
      // other region. A switchover swaps the roles, so each region watches its own cluster.
      for (const [stack, run] of cases) {
        const r = run();
        assert.deepEqual(
          dbAlarms(r),
          [
            "ops-db-connections",
            "ops-db-cpu",
            "ops-db-proxy-borrow-latency",
            "ops-db-proxy-clients",
            "ops-db-replication-lag",
          ],
          stack,
        );
        const cluster = byName(r, "aws:rds/cluster:Cluster", "db-cluster").state;
        const lag = byName(r, ALARM, "ops-db-replication-lag").inputs;
        assert.match(lag.alarmDescription, new RegExp(`replication from ${lagSourceOf(r)} lags`));
        assert.deepEqual(
          [
            lag.metricName,
            lag.metricQueries.map((q: { expression: string }) => q.expression),
            lag.threshold,
            lag.treatMissingData,
          ],
          [
            undefined,
            [
              `SELECT MAX(AuroraGlobalDBReplicationLag) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${cluster.clusterIdentifier}'`,
            ],
            1000,
            "notBreaching",
          ],
          stack,
        );
      }
      assert.equal(
        ofType(west, ALARM).filter((a) => !a.name.startsWith("dns-")).length,
        expectedAlarms(west),
      );
    });

    it("puts the cluster, its replication lag from the peer and the proxy on each stack's dashboard", () => {
      for (const [stack, run] of cases) {
        const r = run();
        const body = JSON.parse(
          ofType(r, "aws:cloudwatch/dashboard:Dashboard")[0].inputs.dashboardBody,
        );
        const metrics: unknown[][] = body.widgets.flatMap(
          (w: Widget) => w.properties.metrics ?? [],
        );
        const cluster = byName(r, "aws:rds/cluster:Cluster", "db-cluster").state.clusterIdentifier;
        const proxy = byName(r, "aws:rds/proxy:Proxy", "db-proxy").state.name;
        const named = (metric: string) =>
          metrics.filter((m) => m[1] === metric).map((m) => m.slice(2, -1));
        assert.deepEqual(named("CPUUtilization"), [["DBClusterIdentifier", cluster]], stack);
        assert.deepEqual(named("DatabaseConnections"), [["DBClusterIdentifier", cluster]], stack);
        assert.deepEqual(named("ClientConnections"), [["ProxyName", proxy]], stack);
        assert.deepEqual(named("DatabaseConnectionsBorrowLatency"), [["ProxyName", proxy]], stack);
        assert.deepEqual(
          named("AuroraGlobalDBReplicationLag"),
          [["DBClusterIdentifier", cluster, "SourceRegion", lagSourceOf(r)]],
          stack,
        );
      }
    });

    it("defaults the data tier thresholds when config gives only the email", async () => {
      const run = await runStack("prod-west", {
        "securecart:alarms": { email: "sre@securecart.com" },
      });
      assert.deepEqual(
        ["cpu", "connections", "replication-lag", "proxy-clients", "proxy-borrow-latency"].map(
          (k) => byName(run, ALARM, `ops-db-${k}`).inputs.threshold,
        ),
        [80, 1000, 1000, 2000, 50_000],
      );
    });

    it("takes the data tier thresholds from config", async () => {
      const run = await runStack("prod-west", {
        "securecart:alarms": {
          email: "sre@securecart.com",
          dbCpuPercent: 70,
          dbConnections: 1500,
          dbReplicationLagMilliseconds: 5000,
          proxyClientConnections: 4000,
          proxyBorrowLatencyMicroseconds: 20_000,
        },
      });
      assert.deepEqual(
        ["cpu", "connections", "replication-lag", "proxy-clients", "proxy-borrow-latency"].map(
          (k) => byName(run, ALARM, `ops-db-${k}`).inputs.threshold,
        ),
        [70, 1500, 5000, 4000, 20_000],
      );
    });
  });

  it("builds a dashboard whose JSON names the real ALB, NLB, target groups, ASGs, web ACL and alarms", () => {
    const [dash, ...more] = ofType(east, "aws:cloudwatch/dashboard:Dashboard");
    assert.equal(more.length, 0);
    assert.equal(dash.inputs.dashboardName, "securecart-prod-east");
    const body = JSON.parse(dash.inputs.dashboardBody);
    const metrics: unknown[][] = body.widgets.flatMap((w: Widget) => w.properties.metrics ?? []);
    const values = new Set(metrics.flat().filter((v) => typeof v === "string"));
    const mustName = [
      lbOf(east, "application").state.arnSuffix,
      lbOf(east, "network").state.arnSuffix,
      ...ofType(east, "aws:lb/targetGroup:TargetGroup").map((t) => t.state.arnSuffix),
      ...ofType(east, "aws:autoscaling/group:Group").map((g) => g.state.name),
      ofType(east, "aws:wafv2/webAcl:WebAcl")[0].state.name,
      ofType(east, "aws:xray/group:Group")[0].inputs.groupName,
    ];
    for (const v of mustName) assert.ok(values.has(v), `dashboard does not name ${v}`);
    const alarmWidget = body.widgets.find((w: Widget) => w.type === "alarm");
    assert.deepEqual(
      [...alarmWidget.properties.alarms].sort(),
      // The regional alarms; the Route 53 ones live in us-east-1 and have their own widget.
      ofType(east, ALARM)
        .filter((a) => !a.name.startsWith("dns-"))
        .map((a) => a.state.arn)
        .sort(),
    );
    for (const w of body.widgets) {
      if (w.type === "metric") assert.equal(w.properties.region, "us-east-1");
      assert.ok(w.x + w.width <= 24, JSON.stringify(w));
    }
  });

  it("samples /checkout* at 50 %, groups slow checkout traces and alarms on them", () => {
    const [rule] = ofType(east, "aws:xray/samplingRule:SamplingRule");
    assert.deepEqual(
      [
        rule.inputs.ruleName,
        rule.inputs.urlPath,
        rule.inputs.fixedRate,
        rule.inputs.reservoirSize,
        rule.inputs.priority,
      ],
      ["securecart-checkout", "/checkout*", 0.5, 5, 100],
    );
    const [group] = ofType(east, "aws:xray/group:Group");
    assert.deepEqual(
      [group.inputs.groupName, group.inputs.filterExpression],
      ["securecart-slow-checkout", 'http.url CONTAINS "/checkout" AND responsetime > 2'],
    );
    const alarm = byName(east, ALARM, "ops-checkout-slow-traces").inputs;
    assert.deepEqual(
      [
        alarm.namespace,
        alarm.metricName,
        alarm.dimensions,
        alarm.statistic,
        alarm.period,
        alarm.threshold,
      ],
      [
        "AWS/X-Ray",
        "ApproximateTraceCount",
        { GroupName: "securecart-slow-checkout" },
        "Sum",
        300,
        10,
      ],
    );
  });

  it("lets every instance role write traces (AWSXRayDaemonWriteAccess)", () => {
    // The instance roles of the web services and payments; the vendor appliances and the RDS
    // Proxy send no traces.
    const roles = ofType(east, "aws:iam/role:Role").filter((r) =>
      /^(web|pay)-.*-role$/.test(r.name),
    );
    assert.equal(
      roles.length,
      Object.keys(parseStackConfig(east.stack, east.config).services).length + 1,
    );
    const attached = ofType(east, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.inputs.policyArn === "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess")
      .map((a) => a.inputs.role)
      .sort();
    assert.deepEqual(attached, roles.map((r) => r.state.name).sort());
  });

  it("takes thresholds and sampling from config", async () => {
    const run = await runStack("prod-west", {
      "securecart:alarms": { email: "sre@securecart.com", targetResponseTimeP99Seconds: 0.8 },
      "securecart:tracing": { checkoutSampleRate: 1, slowCheckoutSeconds: 3 },
    });
    assert.equal(byName(run, ALARM, "ops-web-cart-p99").inputs.threshold, 0.8);
    assert.equal(byName(run, ALARM, "ops-web-cart-target-5xx").inputs.threshold, 2);
    assert.equal(
      ofType(run, "aws:sns/topicSubscription:TopicSubscription")[0].inputs.endpoint,
      "sre@securecart.com",
    );
    assert.equal(ofType(run, "aws:xray/samplingRule:SamplingRule")[0].inputs.fixedRate, 1);
    assert.match(
      ofType(run, "aws:xray/group:Group")[0].inputs.filterExpression,
      /responsetime > 3$/,
    );
    assert.match(byName(run, ALARM, "ops-web-cart-p99").inputs.name, /^securecart-prod-west-/);
  });

  const bad: [string, unknown, string][] = [
    [
      "securecart:alarms",
      { email: "oncall" },
      '`securecart:alarms.email` must be an email address such as oncall@securecart.com; got "oncall"',
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", evaluationPeriods: 2, datapointsToAlarm: 3 },
      "`securecart:alarms.datapointsToAlarm` must be <= evaluationPeriods (2; M of N). Lower datapointsToAlarm or raise evaluationPeriods; got 3",
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", elb5xxRatePercent: 0 },
      "`securecart:alarms.elb5xxRatePercent` must be a number > 0 and <= 100; got 0",
    ],
    ["securecart:alarms", undefined, "`securecart:alarms` "],
    [
      "securecart:alarms",
      { email: "a@b.com", dbCpuPercent: 120 },
      "`securecart:alarms.dbCpuPercent` must be a number > 0 and <= 100; got 120",
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", dbConnections: 10.5 },
      "`securecart:alarms.dbConnections` must be an integer from 1 to 1000000; got 10.5",
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", dbReplicationLagMilliseconds: 0 },
      "`securecart:alarms.dbReplicationLagMilliseconds` must be a number > 0 and <= 3600000; got 0",
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", proxyClientConnections: 0 },
      "`securecart:alarms.proxyClientConnections` must be an integer from 1 to 1000000; got 0",
    ],
    [
      "securecart:alarms",
      { email: "a@b.com", proxyBorrowLatencyMicroseconds: 400_000_000 },
      "`securecart:alarms.proxyBorrowLatencyMicroseconds` must be a number > 0 and <= 300000000; got 400000000",
    ],
    [
      // prod-east's pool gives up on a borrow after 120 s.
      "securecart:alarms",
      { email: "a@b.com", proxyBorrowLatencyMicroseconds: 120_000_000 },
      "`securecart:alarms.proxyBorrowLatencyMicroseconds` must be below securecart:database.pool.connectionBorrowTimeoutSeconds (120 s = 120000000 µs), after which a borrow fails instead of waiting, or the alarm can never fire. Lower it; got 120000000",
    ],
    [
      "securecart:tracing",
      { checkoutSampleRate: 1.5 },
      "`securecart:tracing.checkoutSampleRate` must be a number from 0 to 1; got 1.5",
    ],
    [
      "securecart:tracing",
      { slowCheckoutSeconds: 0 },
      "`securecart:tracing.slowCheckoutSeconds` must be a number > 0 and <= 60; got 0",
    ],
  ];
  for (const [key, value, message] of bad) {
    it(`rejects ${key} = ${JSON.stringify(value)}`, async () => {
      await assert.rejects(runStack("prod-east", { [key]: value }), (err: Error) => {
        assert.ok(err.message.includes(`  - ${message}`), err.message);
        return true;
      });
    });
  }
});

describe("alarm actions and a topic policy (mocks)", () => {
  const topicArn = "arn:aws:sns:us-east-1:111111111111:ops-alarms";
  const ruleArn = "arn:aws:events:us-east-1:111111111111:rule/rotation-failed";
  const alarm = {
    name: "ops-db-cpu",
    arn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:ops-db-cpu",
    alarmActions: [topicArn],
  };
  const eventsOnly = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
      },
    ],
  });
  const prior = (type: string, state: object) => [{ type, region: "us-east-1", state }];

  it("refuses a topic policy that shuts out the alarms that notify the topic, in either order", () => {
    const policyState = { arn: topicArn, policy: eventsOnly };
    const late = alarmTopicErrors(
      "aws:sns/topicPolicy:TopicPolicy",
      policyState,
      "111111111111",
      prior("aws:cloudwatch/metricAlarm:MetricAlarm", alarm),
    );
    assert.match(late.join(), /ops-db-cpu is not authorized to perform SNS:Publish/);
    const early = alarmTopicErrors(
      "aws:cloudwatch/metricAlarm:MetricAlarm",
      alarm,
      "111111111111",
      prior("aws:sns/topicPolicy:TopicPolicy", policyState),
    );
    assert.equal(early.length, 1);
  });

  it("accepts the ops topic policy the program writes", () => {
    const policyState = { arn: topicArn, policy: eventsToTopicPolicy(topicArn, ruleArn) };
    assert.deepEqual(
      alarmTopicErrors(
        "aws:sns/topicPolicy:TopicPolicy",
        policyState,
        "111111111111",
        prior("aws:cloudwatch/metricAlarm:MetricAlarm", alarm),
      ),
      [],
    );
  });
});
