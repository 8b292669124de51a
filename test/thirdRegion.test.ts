/**
 * Topology as data, end to end: a third region from a stack file under test/fixtures, and a
 * service added to generated config. Both preview through the real composition under the mocks
 * and the policy pack; expectations come from the config under test, not from the prod files.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { StackConfig, parseStackConfig, sharedWebHosts } from "../stacks/config";
import { hostName } from "../components/loadBalancing/routing";
import { agreementProblems } from "../stacks/agreement";
import { SessionTable } from "../components";
import { ELB_HOSTED_ZONE_IDS } from "../testing/elbHostedZones";
import {
  PROJECT_ROOT,
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runComponents,
  runStack,
} from "../testing/harness";
import { policyReport } from "../testing/policyRunner";
import { requiresWriter } from "../components/recovery/healthSemantics";

const FIXTURES = path.join(__dirname, "fixtures");
const fixture = (overrides: Record<string, unknown> = {}) =>
  parseStackConfig("prod-eu", readStackConfig("prod-eu", overrides, PROJECT_ROOT, FIXTURES));
const config = (stack: string, overrides: Record<string, unknown> = {}): StackConfig =>
  parseStackConfig(stack, readStackConfig(stack, overrides));

const mandatoryOf = async (run: ProgramRun) =>
  (await policyReport(run)).violations
    .filter((v) => v.enforcementLevel === "mandatory")
    .map((v) => `${v.policyName}: ${v.message}`);

describe("a third region: eu-west-1 with latency routing (test/fixtures/Pulumi.prod-eu.yaml)", () => {
  // The fixture is a copy of prod-west's file; compared with the prod files it takes their
  // current services, so a service added to both prod files is in the copy too.
  const west = readStackConfig("prod-west");
  const eu = fixture({
    "securecart:services": west["securecart:services"],
    "securecart:payments": west["securecart:payments"],
  });
  // What the fixture's deployment says the other stacks must now hold.
  const sameTopology = {
    "securecart:routing": eu.routing,
    "securecart:deployment": eu.deployment,
  };

  it("agrees with prod-east and prod-west once they use latency routing and list eu-west-1", () => {
    const east = config("prod-east", sameTopology);
    const west = config("prod-west", sameTopology);
    assert.deepEqual(agreementProblems([east, west, eu]), []);
    // The primary derives one sessions replica per other region from the same list.
    assert.deepEqual(east.peerRegions, ["us-west-2", "eu-west-1"]);
    assert.equal(eu.role, "secondary");
  });

  it("fails the agreement check while prod-east and prod-west stay on failover", () => {
    const problems = agreementProblems([config("prod-east"), config("prod-west"), eu]);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(
      problems[0],
      /^stacks of deployment prod disagree on `securecart:deployment`: prod-east has .*"secondaries":\["us-west-2"\]\}, prod-eu has .*"secondaries":\["us-west-2","eu-west-1"\]\}/,
    );
    assert.match(problems[1], /prod-east has "failover", prod-eu has "latency"/);
  });

  describe("previews cleanly", () => {
    let run: ProgramRun;
    before(async () => {
      run = await runStack("prod-eu", {}, { stackDir: FIXTURES });
    });

    it("with no mandatory policy violation", async () => {
      assert.deepEqual(await mandatoryOf(run), []);
    });

    it("with region-correct load balancers, ARNs and latency records", () => {
      const lbs = ofType(run, "aws:lb/loadBalancer:LoadBalancer");
      const alb = lbs.find((l) => l.inputs.loadBalancerType === "application")!;
      const nlb = lbs.find((l) => l.inputs.loadBalancerType === "network")!;
      assert.equal(alb.state.zoneId, ELB_HOSTED_ZONE_IDS["eu-west-1"].application);
      assert.equal(nlb.state.zoneId, ELB_HOSTED_ZONE_IDS["eu-west-1"].network);
      for (const lb of lbs) assert.match(lb.state.arn, /^arn:aws:elasticloadbalancing:eu-west-1:/);
      const records = ofType(run, "aws:route53/record:Record").filter(
        (r) => r.inputs.setIdentifier !== undefined,
      );
      assert.ok(records.length > 0);
      for (const r of records) {
        assert.deepEqual(r.inputs.latencyRoutingPolicies, [{ region: "eu-west-1" }], r.name);
        assert.equal(r.inputs.setIdentifier, "eu-west-1", r.name);
      }
    });

    it("taking checkout writes: its cluster forwards them, while its records check only what it serves on its own", () => {
      // Latency routing sends shoppers here for checkout too, while this region's Aurora cluster
      // is a read-only secondary: without write forwarding every checkout write would fail.
      const cluster = byName(run, "aws:rds/cluster:Cluster", "db-cluster");
      assert.equal(cluster.inputs.enableGlobalWriteForwarding, true);
      const checks = ofType(run, "aws:route53/healthCheck:HealthCheck").filter(
        (c) => c.inputs.type === "HTTPS",
      );
      assert.ok(checks.length > 0);
      // Judged by what it serves on its own: a deep check would fail in every region at once
      // when the primary is down, and Route 53 would then fail open to the dead region.
      for (const c of checks) {
        assert.equal(c.inputs.resourcePath, eu.dns.healthCheck.readPath, c.name);
        assert.equal(requiresWriter(c.inputs.resourcePath), false, c.name);
      }
      for (const svc of eu.database.clients) {
        const userData = Buffer.from(
          String(
            byName(run, "aws:ec2/launchTemplate:LaunchTemplate", `web-${svc}-lt`).inputs.userData,
          ),
          "base64",
        ).toString("utf8");
        assert.match(userData, /^DB_WRITE_FORWARDING=global$/m, svc);
      }
    });

    it("joining the global database, and neither creating nor scaling the sessions table", () => {
      const cluster = byName(run, "aws:rds/cluster:Cluster", "db-cluster");
      assert.equal(cluster.inputs.globalClusterIdentifier, eu.database.globalClusterIdentifier);
      assert.equal(
        cluster.inputs.clusterIdentifier,
        `${eu.database.globalClusterIdentifier}-eu-west-1`,
      );
      assert.deepEqual(ofType(run, "aws:rds/globalCluster:GlobalCluster"), []);
      assert.deepEqual(ofType(run, "aws:dynamodb/table:Table"), []);
      const targets = ofType(run, "aws:appautoscaling/target:Target").map(
        (t) => t.inputs.resourceId,
      );
      // DynamoDB applies the primary's table auto scaling to every replica (SessionTable).
      assert.ok(!targets.includes(`table/${eu.sessions.tableName}`), targets.join(", "));
    });
  });
});

describe("the primary's sessions table with several other regions", () => {
  it("creates one replica per region, keyed by region", async () => {
    const run = await runComponents(
      () =>
        new SessionTable("sessions", {
          tableName: "securecart-sessions",
          replicaRegions: ["us-west-2", "eu-west-1"],
          readCapacity: 5,
          writeCapacity: 5,
        }),
    );
    const replicas = ofType(run, "aws:dynamodb/tableReplica:TableReplica");
    // Registration order is the engine's; the set is what matters.
    assert.deepEqual(replicas.map((r) => [r.name, r.inputs.region]).sort(), [
      ["sessions-replica-eu-west-1", "eu-west-1"],
      ["sessions-replica-us-west-2", "us-west-2"],
    ]);
    const table = byName(run, "aws:dynamodb/table:Table", "sessions-table");
    for (const r of replicas) assert.equal(r.inputs.globalTableArn, table.state.arn);
  });
});

describe("a service added to generated config", () => {
  // The issue's own example: a `search` service in both prod stack files.
  const search = { paths: ["/search*"], minSize: 2, maxSize: 6, instanceType: "m7i.large" };
  const withSearch = (stack: string) => ({
    "securecart:services": {
      ...JSON.parse(readStackConfig(stack)["securecart:services"]),
      search,
    },
  });

  it("keeps the stacks in agreement", () => {
    assert.deepEqual(
      agreementProblems([
        config("prod-east", withSearch("prod-east")),
        config("prod-west", withSearch("prod-west")),
      ]),
      [],
    );
  });

  describe("is planned end to end", () => {
    let run: ProgramRun;
    let cfg: StackConfig;
    before(async () => {
      const overrides = withSearch("prod-west");
      cfg = config("prod-west", overrides);
      run = await runStack("prod-west", overrides);
    });

    it("behind the ALB: target group, listener rule for its paths, fleet at its sizes", () => {
      const tg = byName(run, "aws:lb/targetGroup:TargetGroup", "web-search-tg");
      const rule = byName(run, "aws:lb/listenerRule:ListenerRule", "web-search-rule");
      assert.deepEqual(rule.inputs.actions, [{ type: "forward", targetGroupArn: tg.state.arn }]);
      assert.deepEqual(rule.inputs.conditions, [
        { hostHeader: { values: sharedWebHosts(cfg).map((h) => hostName(h, cfg.domain)) } },
        { pathPattern: { values: ["/search*"] } },
      ]);
      const asg = byName(run, "aws:autoscaling/group:Group", "web-search-asg");
      assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize], [2, 6]);
      assert.deepEqual(asg.inputs.targetGroupArns, [tg.state.arn]);
    });

    it("with one rule per service plus the health-check rule, and its own scaling and alarms", () => {
      const rules = ofType(run, "aws:lb/listenerRule:ListenerRule").filter(
        (r) =>
          r.inputs.listenerArn === byName(run, "aws:lb/listener:Listener", "web-https").state.arn,
      );
      assert.equal(rules.length, Object.keys(cfg.services).length + 1);
      const policies = ofType(run, "aws:autoscaling/policy:Policy").map((p) => p.name);
      assert.ok(
        policies.includes("scale-search-cpu") && policies.includes("scale-search-requests"),
      );
      const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
        a.name.includes("search"),
      );
      assert.ok(alarms.length > 0, "the new service gets alarms");
    });

    it("with no mandatory policy violation", async () => {
      assert.deepEqual(await mandatoryOf(run), []);
    });
  });
});
