import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { ConfigError, parseStackConfig, regionHealthServices } from "../stacks/config";
import {
  PROJECT_ROOT,
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runComponents,
  runStack,
} from "../testing/harness";
import { ELB_HOSTED_ZONE_IDS, MOCK_ACCOUNT_ID, RecordedResource } from "../testing/mocks";
import { FailoverDns, FailoverDnsArgs } from "../components";
import { recordArgs } from "../components/dns/failoverDns";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const LB = "aws:lb/loadBalancer:LoadBalancer";

/** The records FailoverDns writes (not ACM's validation records). */
function dnsRecords(run: ProgramRun): RecordedResource[] {
  return ofType(run, RECORD).filter((r) => r.name.startsWith("dns-"));
}

/** Stack runs shared between describe blocks: each costs about 2 s. */
const runs = new Map<string, Promise<ProgramRun>>();
function runOnce(stack: string, overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
  const key = JSON.stringify([stack, overrides]);
  if (!runs.has(key)) runs.set(key, runStack(stack, overrides));
  return runs.get(key) as Promise<ProgramRun>;
}

const stacks = [
  { stack: "prod-east", region: "us-east-1", failover: "PRIMARY" },
  { stack: "prod-west", region: "us-west-2", failover: "SECONDARY" },
] as const;

for (const { stack, region, failover } of stacks) {
  for (const routing of ["failover", "latency"] as const) {
    describe(`FailoverDns in ${stack}, routing ${routing}`, () => {
      // Only a failover primary's web records follow the writer; latency regions and standbys
      // are judged by what they serve on their own (components/recovery/healthSemantics.ts).
      const deepChecked = stack === "prod-east" && routing === "failover";
      let run: ProgramRun;
      before(async () => {
        run = await runOnce(stack, routing === "failover" ? {} : { "securecart:routing": routing });
      });

      it("plans exactly apex, admin, shop and pay records, each aliasing its region's load balancer: written here with latency routing, left to prod-global with failover", () => {
        const alb = byName(run, LB, "web-alb").state;
        const nlb = byName(run, LB, "pay-nlb").state;
        const hcWeb = byName(run, HEALTH_CHECK, "dns-web-hc").id;
        const hcPay = byName(run, HEALTH_CHECK, "dns-pay-hc").id;
        if (routing === "failover") {
          // prod-global writes them, gated on the Region switch plan (test/regionSwitch.test.ts).
          assert.deepEqual(dnsRecords(run), []);
          const delegated = (
            fqdn: string,
            key: string,
            lb: typeof alb,
            hc: string | undefined,
          ) => ({
            key,
            fqdn,
            type: "A",
            setIdentifier: region,
            failover,
            target: { dnsName: lb.dnsName, zoneId: lb.zoneId },
            healthCheckId: hc,
          });
          assert.deepEqual(run.outputs.failoverRecords, [
            delegated("admin.securecart.com", "admin", alb, hcWeb),
            delegated("pay.securecart.com", "pay", nlb, hcPay),
            delegated("securecart.com", "apex", alb, hcWeb),
            delegated("shop.securecart.com", "shop", alb, hcWeb),
          ]);
        } else {
          const expected = (name: string, lb: typeof alb, hc: string | undefined) => ({
            zoneId: zoneId(run),
            name,
            type: "A",
            setIdentifier: region,
            healthCheckId: hc,
            latencyRoutingPolicies: [{ region }],
            aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
            allowOverwrite: false,
          });
          assert.deepEqual(Object.fromEntries(dnsRecords(run).map((r) => [r.name, r.inputs])), {
            "dns-admin": expected("admin.securecart.com", alb, hcWeb),
            "dns-apex": expected("securecart.com", alb, hcWeb),
            "dns-shop": expected("shop.securecart.com", alb, hcWeb),
            "dns-pay": expected("pay.securecart.com", nlb, hcPay),
          });
          // Latency: each region writes its own records, so it leaves none to prod-global.
          for (const out of ["failoverRecords", "failoverRecordNames"]) {
            assert.equal(run.outputs[out], undefined, out);
          }
        }
        // The alias targets are the region's own ELB hosted zones, never the peer's.
        assert.equal(alb.zoneId, ELB_HOSTED_ZONE_IDS[region].application);
        assert.equal(nlb.zoneId, ELB_HOSTED_ZONE_IDS[region].network);
        assert.ok(String(alb.dnsName).endsWith(`.${region}.elb.amazonaws.com`));
      });

      it("health-checks each load balancer over HTTPS every 10 s from 4 checker regions: the web ALB on the region's path, the payments NLB on the ready path (payments is no database client)", () => {
        const checks = ofType(run, HEALTH_CHECK);
        assert.deepEqual(
          checks.map((c) => c.name),
          ["dns-web-hc", "dns-pay-hc"],
        );
        const lbs = { web: byName(run, LB, "web-alb"), pay: byName(run, LB, "pay-nlb") };
        for (const [key, lb] of Object.entries(lbs)) {
          const hc = byName(run, HEALTH_CHECK, `dns-${key}-hc`);
          assert.deepEqual(hc.inputs, {
            type: "HTTPS",
            fqdn: lb.state.dnsName,
            port: 443,
            // The failover primary's web records follow the writer; a failover standby's need only
            // reads; with latency routing a region is judged by what it serves on its own, or an
            // outage of the primary fails every region at once and Route 53 fails open.
            resourcePath: deepChecked && key === "web" ? "/healthz/deep" : "/healthz/ready",
            enableSni: true,
            requestInterval: 10,
            failureThreshold: 3,
            regions: ["eu-west-1", "us-east-1", "us-west-1", "us-west-2"],
            measureLatency: false,
            tags: {
              Name: `dns-${key}-${region}`,
              Project: "securecart",
              Stack: stack,
              Role: stack === "prod-east" ? "primary" : "secondary",
            },
          });
          assert.match(
            String(hc.id),
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          );
          assert.equal(hc.state.arn, `arn:aws:route53:::healthcheck/${hc.id}`);
        }
      });

      it("forwards checkout writes from the Aurora cluster exactly when every region takes them (latency)", () => {
        const cluster = byName(run, "aws:rds/cluster:Cluster", "db-cluster");
        assert.equal(
          cluster.inputs.enableGlobalWriteForwarding,
          routing === "latency" || undefined,
        );
        // Forwarding's parameters come from the cluster's own group, never engine defaults; the
        // proxy pool leaves the forwarding quota of the writer's connections free.
        const groups = ofType(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
        const cfg = parseStackConfig(
          stack,
          readStackConfig(stack, routing === "failover" ? {} : { "securecart:routing": routing }),
        );
        const pool = byName(
          run,
          "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
          "db-proxy-pool",
        ).inputs.connectionPoolConfig.maxConnectionsPercent;
        const alarms = ofType(run, ALARM).filter((a) =>
          String(a.inputs.metricQueries?.[0]?.expression).includes(
            "AuroraForwardingReplicaErrorSessionsLimit",
          ),
        );
        if (routing === "failover") {
          assert.deepEqual([groups, alarms], [[], []]);
          assert.equal(cluster.inputs.dbClusterParameterGroupName, undefined);
          assert.ok(pool <= 100);
          return;
        }
        assert.equal(groups.length, 1);
        assert.equal(cluster.inputs.dbClusterParameterGroupName, groups[0].state.name);
        assert.equal(
          groups[0].inputs.family,
          `aurora-postgresql${cfg.database.engineVersion.split(".")[0]}`,
        );
        const wf = cfg.database.writeForwarding;
        assert.deepEqual(
          Object.fromEntries(
            groups[0].inputs.parameters.map((p: { name: string; value: string }) => [
              p.name,
              p.value,
            ]),
          ),
          {
            "apg_write_forward.connect_timeout": String(wf.connectTimeoutSeconds),
            "apg_write_forward.consistency_mode": wf.consistencyMode,
            "apg_write_forward.max_forwarding_connections_percent": String(
              wf.maxForwardingConnectionsPercent,
            ),
          },
        );
        assert.ok(pool + wf.maxForwardingConnectionsPercent <= 100, `pool ${pool}`);
        assert.equal(alarms.length, 1);
        assert.equal(
          alarms[0].inputs.metricQueries[0].expression,
          `SELECT MAX(AuroraForwardingReplicaErrorSessionsLimit) FROM "AWS/RDS" WHERE DBClusterIdentifier = '${cluster.state.clusterIdentifier}'`,
        );
      });

      it("answers the ALB health check (Host = the ALB's own name) from the configured database client before any service rule", () => {
        const rule = byName(run, "aws:lb/listenerRule:ListenerRule", "dns-web-hc-rule");
        const alb = byName(run, LB, "web-alb").state;
        assert.equal(rule.inputs.priority, 1);
        assert.deepEqual(rule.inputs.conditions, [
          { hostHeader: { values: [alb.dnsName] } },
          { pathPattern: { values: [deepChecked ? "/healthz/deep" : "/healthz/ready"] } },
          { httpRequestMethod: { values: ["GET"] } },
        ]);
        assert.deepEqual(rule.inputs.actions, [
          {
            type: "forward",
            targetGroupArn: byName(
              run,
              "aws:lb/targetGroup:TargetGroup",
              `web-${parseStackConfig(stack, readStackConfig(stack)).dns.healthCheck.service}-tg`,
            ).state.arn,
          },
        ]);
        assert.equal(
          rule.inputs.listenerArn,
          byName(run, "aws:lb/listener:Listener", "web-https").state.arn,
        );
        // The NLB forwards every TLS connection to payments, so it needs no rule.
        assert.equal(
          ofType(run, "aws:lb/listenerRule:ListenerRule").filter((r) => r.name.startsWith("dns-"))
            .length,
          1,
        );
      });

      it("alarms on each health check in us-east-1, through the stack's own provider with region us-east-1, to a us-east-1 topic", () => {
        const topic = byName(run, TOPIC, "dns-alarms");
        assert.match(
          String(topic.state.arn),
          new RegExp(`^arn:aws:sns:us-east-1:${MOCK_ACCOUNT_ID}:dns-alarms-[0-9a-f]{7}$`),
        );
        // The regional alarms of test/observability.test.ts (ops-*) have their own topic.
        const dnsAlarms = ofType(run, ALARM).filter((a) => a.name.startsWith("dns-"));
        assert.equal(dnsAlarms.length, 2);
        // A second provider would not inherit the stack's aws:* settings (profile, assumed role,
        // default tags); aws v7 takes the region per resource instead.
        const sub = byName(run, "aws:sns/topicSubscription:TopicSubscription", "dns-alarms-email");
        for (const r of [topic, sub, ...dnsAlarms]) {
          assert.equal(r.inputs.region, "us-east-1", r.name);
          // No provider reference: the stack's default provider (mocks register none).
          assert.equal(r.provider, undefined, r.name);
        }
        assert.deepEqual(ofType(run, "pulumi:providers:aws"), []);
        assert.deepEqual(
          dnsAlarms.map((a) => a.name),
          ["dns-web-hc-alarm", "dns-pay-hc-alarm"],
        );
        for (const key of ["web", "pay"]) {
          const alarm = byName(run, ALARM, `dns-${key}-hc-alarm`);
          const { alarmDescription, tags, ...rest } = alarm.inputs;
          assert.deepEqual(rest, {
            region: "us-east-1",
            namespace: "AWS/Route53",
            metricName: "HealthCheckStatus",
            dimensions: { HealthCheckId: byName(run, HEALTH_CHECK, `dns-${key}-hc`).id },
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
            alarmActions: [topic.state.arn],
            okActions: [topic.state.arn],
          });
          assert.match(alarmDescription, new RegExp(`of ${key} in ${region} `));
          assert.equal(tags.Stack, stack);
          assert.match(
            String(alarm.state.arn),
            /^arn:aws:cloudwatch:us-east-1:123456789012:alarm:/,
          );
        }
        assert.deepEqual(sub.inputs, {
          region: "us-east-1",
          topic: topic.state.arn,
          protocol: "email",
          endpoint: "sre-oncall@securecart.com",
        });
      });

      it("exports a failover budget of 10 s × 3 + 60 s = 90 s, within the 90 s goal", () => {
        assert.equal(run.outputs.failoverBudgetSeconds, 90);
        assert.ok((run.outputs.failoverBudgetSeconds as number) <= 90);
        assert.deepEqual(run.outputs.healthCheckIds, {
          web: byName(run, HEALTH_CHECK, "dns-web-hc").id,
          pay: byName(run, HEALTH_CHECK, "dns-pay-hc").id,
        });
        assert.equal(run.outputs.dnsAlarmTopicArn, byName(run, TOPIC, "dns-alarms").state.arn);
      });
    });
  }
}

/** The hosted zone the stack writes to (the one ACM's validation record went into). */
function zoneId(run: ProgramRun): string {
  return String(byName(run, RECORD, "tls-validation-apex").inputs.zoneId);
}

describe("FailoverDns across the two prod stacks", () => {
  let east: ProgramRun;
  let west: ProgramRun;
  before(async () => {
    east = await runOnce("prod-east");
    west = await runOnce("prod-west");
  });

  it("gives every name one PRIMARY (us-east-1) and one SECONDARY (us-west-2) record, with distinct set identifiers", () => {
    const byFqdn = new Map<string, string[]>();
    for (const r of [east, west].flatMap(
      (run) =>
        run.outputs.failoverRecords as { fqdn: string; setIdentifier: string; failover: string }[],
    )) {
      const entry = `${r.setIdentifier}:${r.failover}`;
      byFqdn.set(r.fqdn, [...(byFqdn.get(r.fqdn) ?? []), entry]);
    }
    assert.deepEqual(Object.fromEntries(byFqdn), {
      "admin.securecart.com": ["us-east-1:PRIMARY", "us-west-2:SECONDARY"],
      "pay.securecart.com": ["us-east-1:PRIMARY", "us-west-2:SECONDARY"],
      "securecart.com": ["us-east-1:PRIMARY", "us-west-2:SECONDARY"],
      "shop.securecart.com": ["us-east-1:PRIMARY", "us-west-2:SECONDARY"],
    });
  });

  it("writes identical ACM validation records in both stacks, overwritable and kept on delete", () => {
    const validation = (run: ProgramRun) =>
      ofType(run, RECORD)
        .filter((r) => r.name.startsWith("tls-validation-"))
        .map((r) => ({ logical: r.name, inputs: r.inputs, retain: r.options.retainOnDelete }));
    const e = validation(east);
    assert.deepEqual(
      e.map((r) => r.logical),
      ["tls-validation-apex"],
    );
    // Same name, value, type and TTL from both regions, so neither stack's write changes DNS.
    assert.deepEqual(validation(west), e);
    const { inputs, retain } = e[0];
    assert.equal(inputs.allowOverwrite, true);
    assert.equal(retain, true);
    assert.equal(inputs.type, "CNAME");
    assert.equal(inputs.ttl, 300);
    assert.match(inputs.name, /^_[0-9a-f]{32}\.securecart\.com\.$/);
    assert.match(inputs.records[0], /^_[0-9a-f]{32}\.[0-9a-f]{10}\.acm-validations\.aws\.$/);
  });

  it("reads nothing from the other stack", () => {
    for (const run of [east, west]) {
      assert.equal(ofType(run, "pulumi:pulumi:StackReference").length, 0);
    }
  });

  it("keeps routing and securecart:dns identical in both prod stack files", () => {
    const file = (s: string) =>
      parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${s}.yaml`), "utf8")).config;
    const [e, w] = [file("prod-east"), file("prod-west")];
    assert.equal(e["securecart:routing"], w["securecart:routing"]);
    assert.deepEqual(e["securecart:dns"], w["securecart:dns"]);
  });
});

describe("which services can fail a region over (evaluate-target-health)", () => {
  for (const { stack } of stacks) {
    it(`${stack}: only the region-health services' target groups mark the ALB unhealthy in DNS`, async () => {
      const run = await runOnce(stack);
      const cfg = parseStackConfig(stack, readStackConfig(stack));
      const critical = regionHealthServices(cfg);
      // The default: the health check's service (a database client) and the checkout path,
      // never admin.
      assert.deepEqual(critical, ["checkout", "storefront", "cart"]);
      for (const svc of Object.keys(cfg.services)) {
        const tg = run.resources.find(
          (r) => r.type === "aws:lb/targetGroup:TargetGroup" && r.name === `web-${svc}-tg`,
        );
        assert.deepEqual(
          tg?.inputs.targetGroupHealth,
          {
            dnsFailover: {
              minimumHealthyTargetsCount: critical.includes(svc) ? "1" : "off",
              minimumHealthyTargetsPercentage: "off",
            },
          },
          svc,
        );
      }
      // The ALB records still evaluate target health, which now only those target groups feed.
      for (const r of dnsRecords(run).filter((x) => x.inputs.type === "A")) {
        assert.equal(r.inputs.aliases[0].evaluateTargetHealth, true, r.inputs.name);
      }
    });
  }

  it("takes the list from config, or defaults to the deep check's service and the checkout path", () => {
    const cfg = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const withHc = (patch: Record<string, unknown>) => ({
      ...cfg,
      dns: { ...cfg.dns, healthCheck: { ...cfg.dns.healthCheck, ...patch } },
    });
    assert.deepEqual(regionHealthServices(withHc({ regionHealthServices: ["checkout"] })), [
      "checkout",
    ]);
    assert.deepEqual(regionHealthServices(withHc({ service: "products" })), [
      "products",
      "storefront",
      "cart",
      "checkout",
    ]);
    // Defaults a stack doesn't have are left out rather than failing.
    const { cart: _cart, ...noCart } = cfg.services;
    assert.deepEqual(regionHealthServices({ ...cfg, services: noCart }), [
      "checkout",
      "storefront",
    ]);
  });
});

describe("FailoverDns short-TTL CNAMEs", () => {
  type Delegated = {
    key: string;
    type: string;
    ttlSeconds?: number;
    target: { dnsName: string; zoneId: string };
    healthCheckId: string;
  };
  const byKey = (run: ProgramRun) =>
    Object.fromEntries(
      (run.outputs.failoverRecords as Delegated[]).map((r) => [r.key, r] as const),
    );

  it("answers configured names with a CNAME to the load balancer and shortens the budget", async () => {
    const dns = readStackConfig("prod-west")["securecart:dns"];
    const run = await runStack("prod-west", {
      "securecart:dns": {
        ...JSON.parse(dns),
        apex: false,
        cnameTtlSeconds: { shop: 15, admin: 15, pay: 20 },
      },
    });
    const alb = byName(run, LB, "web-alb").state;
    const nlb = byName(run, LB, "pay-nlb").state;
    const records = byKey(run);
    assert.deepEqual(Object.keys(records).sort(), ["admin", "pay", "shop"]);
    const shop = records.shop;
    assert.deepEqual([shop.type, shop.ttlSeconds, shop.target.dnsName], ["CNAME", 15, alb.dnsName]);
    assert.deepEqual([records.pay.type, records.pay.ttlSeconds], ["CNAME", 20]);
    assert.equal(records.pay.target.dnsName, nlb.dnsName);
    // What prod-global writes from it (the same helper writes latency records here).
    assert.deepEqual(
      recordArgs(
        {
          fqdn: "shop.securecart.com",
          type: "CNAME",
          ttlSeconds: 15,
          setIdentifier: "us-west-2",
          failover: "SECONDARY",
        },
        shop.target,
        "Z1",
        shop.healthCheckId,
      ),
      {
        zoneId: "Z1",
        name: "shop.securecart.com",
        type: "CNAME",
        ttl: 15,
        records: [alb.dnsName],
        setIdentifier: "us-west-2",
        healthCheckId: byName(run, HEALTH_CHECK, "dns-web-hc").id,
        failoverRoutingPolicies: [{ type: "SECONDARY" }],
        allowOverwrite: false,
      },
    );
    // Worst name is pay: 10 s × 3 + 20 s.
    assert.equal(run.outputs.failoverBudgetSeconds, 50);
  });

  it("keeps the budget at the alias's 90 s while any name (the apex) is still an alias", async () => {
    const dns = JSON.parse(readStackConfig("prod-east")["securecart:dns"]);
    const run = await runStack("prod-east", {
      "securecart:dns": { ...dns, cnameTtlSeconds: { shop: 15 } },
    });
    const records = byKey(run);
    assert.equal(records.shop.type, "CNAME");
    assert.equal(records.apex.type, "A");
    assert.equal(run.outputs.failoverBudgetSeconds, 90);
  });
});

describe("securecart:dns config errors", () => {
  const dns = JSON.parse(readStackConfig("prod-east")["securecart:dns"]);
  const hc = dns.healthCheck;
  const services = JSON.parse(readStackConfig("prod-east")["securecart:services"]);
  const problemsOf = (overrides: Record<string, unknown>): string[] => {
    try {
      parseStackConfig("prod-east", readStackConfig("prod-east", overrides));
    } catch (err) {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      return [...err.problems];
    }
    return [];
  };
  const withDns = (patch: Record<string, unknown>) => ({ "securecart:dns": { ...dns, ...patch } });
  const withHc = (patch: Record<string, unknown>) => withDns({ healthCheck: { ...hc, ...patch } });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      "failure threshold 11",
      withHc({ failureThreshold: 11 }),
      "`securecart:dns.healthCheck.failureThreshold` must be an integer from 1 to 10; got 11",
    ],
    [
      "failure threshold 0",
      withHc({ failureThreshold: 0 }),
      "`securecart:dns.healthCheck.failureThreshold` must be an integer from 1 to 10; got 0",
    ],
    [
      "interval 15",
      withHc({ requestIntervalSeconds: 15 }),
      "`securecart:dns.healthCheck.requestIntervalSeconds` must be 10 or 30; got 15",
    ],
    [
      "two checker regions",
      withHc({ regions: ["us-east-1", "us-west-2"] }),
      '`securecart:dns.healthCheck.regions` must name at least 3 distinct checker regions; got ["us-east-1","us-west-2"]',
    ],
    [
      "a checker region listed twice",
      withHc({ regions: ["us-east-1", "us-west-2", "eu-west-1", "eu-west-1"] }),
      '`securecart:dns.healthCheck.regions` lists a region twice; got ["us-east-1","us-west-2","eu-west-1","eu-west-1"]',
    ],
    [
      "a region without checkers",
      withHc({ regions: ["us-east-1", "us-west-2", "eu-central-1"] }),
      '`securecart:dns.healthCheck.regions` has "eu-central-1", where Route 53 runs no health checkers; use some of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1; got ["us-east-1","us-west-2","eu-central-1"]',
    ],
    [
      "a health path with a wildcard",
      withHc({ path: "/healthz/*" }),
      '`securecart:dns.healthCheck.path` must be a literal path starting with "/", at most 128 characters, no wildcards; got "/healthz/*"',
    ],
    [
      "a health-check service that does not exist",
      withHc({ service: "web" }),
      '`securecart:dns.healthCheck.service` must name a service of securecart:services, whose app answers the deep health path; got "web"',
    ],
    [
      "a region-health service that does not exist",
      withHc({ regionHealthServices: ["storefront", "basket"] }),
      '`securecart:dns.healthCheck.regionHealthServices[1]` must name a service of securecart:services (admin, cart, checkout, orders, products, storefront); got "basket"',
    ],
    [
      "a region-health service listed twice",
      withHc({ regionHealthServices: ["cart", "cart"] }),
      '`securecart:dns.healthCheck.regionHealthServices[1]` lists "cart" twice',
    ],
    [
      "no region-health service",
      withHc({ regionHealthServices: [] }),
      "`securecart:dns.healthCheck.regionHealthServices` must name at least one service; got []",
    ],
    [
      "a CNAME at the apex",
      withDns({ cnameTtlSeconds: { "@": 10 } }),
      "`securecart:dns.cnameTtlSeconds.@` is the apex, where DNS allows no CNAME; remove it (the apex stays an alias, 10 s asked)",
    ],
    [
      "a CNAME for an unknown host",
      withDns({ cnameTtlSeconds: { www: 10 } }),
      "`securecart:dns.cnameTtlSeconds.www` names no host of securecart:services or securecart:payments; use one of shop, admin, pay",
    ],
    [
      "a CNAME TTL of 60 s",
      withDns({ cnameTtlSeconds: { shop: 60 } }),
      "`securecart:dns.cnameTtlSeconds.shop` must be an integer from 1 to 59; got 60",
    ],
    [
      "a misspelt key",
      withDns({ apexx: true }),
      "`securecart:dns.apexx` is not a known setting; got true; did you mean securecart:dns.apex?",
    ],
    [
      "a bad alarm email",
      withDns({ alarmEmail: "oncall" }),
      '`securecart:dns.alarmEmail` must be an email address; got "oncall"',
    ],
    [
      "a deep-checked service that is no database client (its role and SGs can't reach RDS Proxy)",
      withHc({ service: "storefront" }),
      `\`securecart:dns.healthCheck.service\` must be one of \`securecart:database.clients\` (${JSON.parse(readStackConfig("prod-east")["securecart:database"]).clients.join(", ")}): Route 53 checks /healthz/deep on it, which passes only when a checkout write commits, and only a database client's role and security groups reach RDS Proxy (docs/failover.md, "Health semantics"). Use checkout, or add storefront to the clients; got "storefront"`,
    ],
    [
      "a service rule on the health-check rule's priority",
      { "securecart:services": { ...services, cart: { ...services.cart, priority: 1 } } },
      "`securecart:services.cart.priority` is 1, which the ALB rule for Route 53 health checks uses; pick another priority",
    ],
    [
      "a rule quota that leaves no room for the health-check rule",
      { "securecart:albRuleQuota": Object.keys(services).length },
      `\`securecart:services\` need ${Object.keys(services).length} listener rules plus 1 for Route 53 health checks; the ALB quota allows ${Object.keys(services).length}. Merge services or raise the quota with AWS and then securecart:albRuleQuota`,
    ],
  ];
  for (const [title, overrides, message] of cases) {
    it(`rejects ${title}`, () => assert.deepEqual(problemsOf(overrides), [message]));
  }

  it("fills every default when the stack file leaves securecart:dns out", () => {
    const cfg = parseStackConfig(
      "prod-east",
      readStackConfig("prod-east", { "securecart:dns": undefined }),
    );
    assert.deepEqual(cfg.dns, {
      apex: true,
      cnameTtlSeconds: {},
      healthCheck: {
        path: "/healthz/deep",
        readPath: "/healthz/ready",
        service: "checkout",
        failureThreshold: 3,
        requestIntervalSeconds: 10,
        regions: ["eu-west-1", "us-east-1", "us-west-1", "us-west-2"],
        measureLatency: false,
      },
    });
  });
});

describe("FailoverDns argument errors", () => {
  const args: FailoverDnsArgs = {
    domain: "securecart.com",
    zoneId: "Z123",
    region: "us-east-1",
    routing: "failover",
    role: "primary",
    endpoints: { web: { dnsName: "alb.example", zoneId: "Z35SXDOTRQ7X7K", hosts: ["shop"] } },
  };
  const cases: [string, Partial<FailoverDnsArgs>, string][] = [
    [
      "threshold 11",
      { healthCheck: { failureThreshold: 11 } },
      "FailoverDns dns: healthCheck.failureThreshold must be an integer from 1 to 10; got 11",
    ],
    [
      "interval 60",
      { healthCheck: { requestIntervalSeconds: 60 } },
      "FailoverDns dns: healthCheck.requestIntervalSeconds must be 10 or 30 (Route 53 offers no other interval); got 60",
    ],
    [
      "two checker regions",
      { healthCheck: { regions: ["us-east-1", "us-west-2"] } },
      "FailoverDns dns: healthCheck.regions must name at least 3 distinct checker regions; got 2",
    ],
    [
      "a relative health path",
      { healthCheck: { path: "healthz" } },
      'FailoverDns dns: healthCheck.path must start with "/" and have no spaces; got "healthz"',
    ],
    [
      "no host names",
      { endpoints: { web: { dnsName: "alb.example", zoneId: "Z", hosts: [] } } },
      "FailoverDns dns: endpoints must serve at least one host name; got none",
    ],
  ];
  for (const [title, patch, message] of cases) {
    it(`rejects ${title}`, async () => {
      await assert.rejects(
        runComponents(() => new FailoverDns("dns", { ...args, ...patch })),
        (err: unknown) => {
          assert.ok(err instanceof pulumi.ResourceError, String(err));
          assert.equal(err.message, message);
          return true;
        },
      );
    });
  }
});

describe("FailoverDns defaults (component under mocks)", () => {
  it("uses the documented defaults, sorts checker regions and skips the optional children", async () => {
    const run = await runComponents(
      () =>
        new FailoverDns("dns", {
          domain: "example.com",
          zoneId: "Z123",
          region: "us-west-2",
          routing: "latency",
          role: "secondary",
          endpoints: { pay: { dnsName: "nlb.example", zoneId: "Z18D5FSROUN65G", hosts: ["pay"] } },
          healthCheck: { regions: ["us-west-2", "eu-west-1", "ap-northeast-1"] },
        }),
      "us-west-2",
    );
    const hc = byName(run, HEALTH_CHECK, "dns-pay-hc").inputs;
    assert.deepEqual(
      [hc.resourcePath, hc.requestInterval, hc.failureThreshold, hc.measureLatency, hc.regions],
      ["/healthz/deep", 10, 3, false, ["ap-northeast-1", "eu-west-1", "us-west-2"]],
    );
    assert.deepEqual(byName(run, RECORD, "dns-pay").inputs.latencyRoutingPolicies, [
      { region: "us-west-2" },
    ]);
    assert.equal(ofType(run, "aws:lb/listenerRule:ListenerRule").length, 0);
    assert.equal(ofType(run, "aws:sns/topicSubscription:TopicSubscription").length, 0);
    assert.equal(run.result.failoverBudgetSeconds, 90);
    assert.deepEqual(
      run.result.records.map((r) => r.fqdn),
      ["pay.example.com"],
    );
  });
});
