/**
 * Where AWS acts by itself: scheduled actions (EC2 Auto Scaling sets a group's size at their time)
 * and RDS Proxy targets (RDS registers a tracked cluster's writer and readers as targets). The
 * mocks refuse what AWS refuses when these are created (testing/scheduledActionChecks.ts,
 * testing/proxyTargetChecks.ts); the stacks' own schedules and proxies are pinned against what AWS
 * then does, with expectations from each regional stack's loaded config.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { ProgramRun, ofType, runComponents, runStack } from "../testing/harness";
import { regionalStackConfigs } from "../tools/deployments";
import { PriorResource } from "../testing/awsBehaviour";
import { scheduledActionErrors } from "../testing/scheduledActionChecks";
import {
  endpointHasTarget,
  proxyDefaultTargetGroupErrors,
  proxyTargetErrors,
  trackedClusterTargets,
} from "../testing/proxyTargetChecks";
import { groupAfterScheduledAction } from "../components/scaling/scheduleRules";
import { requiresWriter } from "../components/recovery/healthSemantics";
import { healthCheckPath } from "../stacks/dns";
import { environmentOf } from "./support";
import { replicaAutoScalingUpdate, sessionCapacity } from "../components/data/sessionTable";

const T = {
  asg: "aws:autoscaling/group:Group",
  schedule: "aws:autoscaling/schedule:Schedule",
  proxy: "aws:rds/proxy:Proxy",
  target: "aws:rds/proxyTarget:ProxyTarget",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
};

// A fixed "now" for the pure checks: 2026-06-01T00:00:00Z.
const NOW = Date.parse("2026-06-01T00:00:00Z");

describe("scheduled actions: what EC2 Auto Scaling refuses (mocks)", () => {
  const ok = {
    autoscalingGroupName: "web-checkout-asg-1",
    scheduledActionName: "rush",
    recurrence: "30 17 * * *",
    timeZone: "America/New_York",
    minSize: 6,
    maxSize: -1,
    desiredCapacity: -1,
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "no size at all",
      { minSize: -1 },
      /You must specify at least one of the following properties: MaxSize, MinSize, or DesiredCapacity/,
    ],
    [
      "min above max",
      { minSize: 8, maxSize: 4 },
      /MinSize \(8\) must be less than or equal to MaxSize \(4\)/,
    ],
    ["desired below min", { desiredCapacity: 2 }, /DesiredCapacity \(2\) must be >= MinSize \(6\)/],
    [
      "desired above max",
      { minSize: -1, maxSize: 4, desiredCapacity: 5 },
      /DesiredCapacity \(5\) must be <= MaxSize \(4\)/,
    ],
    [
      "Application Auto Scaling cron",
      { recurrence: "cron(30 17 * * ? *)" },
      /Recurrence .*Application Auto Scaling syntax/,
    ],
    ["a 6-field cron", { recurrence: "0 30 17 * * *" }, /Recurrence .*has 6 fields/],
    ["a zone alias", { timeZone: "US/Eastern" }, /TimeZone /],
    [
      "a one-off action in the past",
      { recurrence: undefined, startTime: "2026-05-31T23:59:00Z" },
      /start time 2026-05-31T23:59:00Z is in the past/,
    ],
    [
      "a start time with an offset",
      { startTime: "2026-07-01T06:00:00+02:00" },
      /must be a UTC time/,
    ],
    [
      "an end before the start",
      { startTime: "2026-07-02T00:00:00Z", endTime: "2026-07-01T00:00:00Z" },
      /EndTime 2026-07-01T00:00:00Z must be after StartTime/,
    ],
  ];
  for (const [title, change, message] of cases) {
    it(`refuses ${title}`, () => {
      const errors = scheduledActionErrors({ ...ok, ...change }, "us-east-1", [], NOW);
      assert.equal(errors.length, 1, errors.join("; "));
      assert.match(errors[0], message);
    });
  }

  it("accepts the stacks' shape: a recurrence in a zone that sets minSize only", () => {
    assert.deepEqual(scheduledActionErrors(ok, "us-east-1", [], NOW), []);
    const future = { ...ok, recurrence: undefined, startTime: "2026-11-27T06:00:00Z" };
    assert.deepEqual(scheduledActionErrors(future, "us-east-1", [], NOW), []);
  });

  it("refuses a second action of the same name on the same group (AWS would overwrite it)", () => {
    const prior: PriorResource[] = [{ type: T.schedule, region: "us-east-1", state: ok }];
    assert.match(
      scheduledActionErrors(ok, "us-east-1", prior, NOW).join(),
      /already exists on group web-checkout-asg-1; PutScheduledUpdateGroupAction would overwrite it/,
    );
    const otherGroup = { ...ok, autoscalingGroupName: "web-cart-asg-1" };
    assert.deepEqual(scheduledActionErrors(otherGroup, "us-east-1", prior, NOW), []);
    assert.deepEqual(scheduledActionErrors(ok, "us-west-2", prior, NOW), []);
  });

  it("is what the mocks apply: a one-off action in the past fails the run", async () => {
    await assert.rejects(
      runComponents(
        () =>
          new aws.autoscaling.Schedule("past", {
            autoscalingGroupName: "g",
            scheduledActionName: "past",
            startTime: "2020-01-01T00:00:00Z",
            minSize: 2,
          }),
      ),
      /start time 2020-01-01T00:00:00Z is in the past/,
    );
  });
});

describe("RDS Proxy targets: what RDS refuses (mocks)", () => {
  const subnet = (id: string, vpcId: string): PriorResource => ({
    type: "aws:ec2/subnet:Subnet",
    region: "us-east-1",
    id,
    state: { vpcId },
  });
  const prior: PriorResource[] = [
    subnet("subnet-a", "vpc-1"),
    subnet("subnet-b", "vpc-1"),
    subnet("subnet-x", "vpc-2"),
    {
      type: "aws:rds/subnetGroup:SubnetGroup",
      region: "us-east-1",
      state: { name: "db-subnets", subnetIds: ["subnet-a", "subnet-b"] },
    },
    {
      type: T.cluster,
      region: "us-east-1",
      state: {
        clusterIdentifier: "orders-us-east-1",
        engine: "aurora-postgresql",
        dbSubnetGroupName: "db-subnets",
      },
    },
    {
      type: T.proxy,
      region: "us-east-1",
      state: { name: "orders-proxy", engineFamily: "POSTGRESQL", vpcSubnetIds: ["subnet-a"] },
    },
  ];
  const ok = {
    dbProxyName: "orders-proxy",
    targetGroupName: "default",
    dbClusterIdentifier: "orders-us-east-1",
  };

  it("accepts the proxy's own cluster in its own region and VPC", () => {
    assert.deepEqual(proxyTargetErrors(ok, "us-east-1", prior), []);
  });

  const cases: [string, Record<string, unknown>, PriorResource[], RegExp][] = [
    [
      "a cluster of another region",
      ok,
      prior.map((r) => ({ ...r, region: "us-west-2" })),
      /DBProxyNotFoundFault.*DBClusterNotFoundFault|DBProxyNotFoundFault/,
    ],
    [
      "an unknown cluster",
      { ...ok, dbClusterIdentifier: "orders-us-west-2" },
      prior,
      /DBClusterNotFoundFault: DBCluster orders-us-west-2 not found in us-east-1/,
    ],
    [
      "another target group",
      { ...ok, targetGroupName: "readers" },
      prior,
      /DBProxyTargetGroupNotFoundFault/,
    ],
    [
      "both a cluster and an instance",
      { ...ok, dbInstanceIdentifier: "i" },
      prior,
      /exactly one of dbClusterIdentifier or dbInstanceIdentifier/,
    ],
    [
      "a MySQL proxy in front of PostgreSQL",
      ok,
      prior.map((r) =>
        r.type === T.proxy ? { ...r, state: { ...r.state, engineFamily: "MYSQL" } } : r,
      ),
      /engine aurora-postgresql of orders-us-east-1 is not in the proxy's engine family MYSQL/,
    ],
    [
      "a proxy in another VPC",
      ok,
      prior.map((r) =>
        r.type === T.proxy ? { ...r, state: { ...r.state, vpcSubnetIds: ["subnet-x"] } } : r,
      ),
      /proxy orders-proxy is in VPC vpc-2 and orders-us-east-1 in vpc-1/,
    ],
  ];
  for (const [title, state, before, message] of cases) {
    it(`refuses ${title}`, () => {
      assert.match(proxyTargetErrors(state, "us-east-1", before).join("; "), message);
    });
  }

  it("refuses a default target group of a proxy not in its region, or pool settings RDS refuses", () => {
    const pool = {
      maxConnectionsPercent: 90,
      maxIdleConnectionsPercent: 50,
      connectionBorrowTimeout: 120,
    };
    const group = { dbProxyName: "orders-proxy", connectionPoolConfig: pool };
    assert.deepEqual(proxyDefaultTargetGroupErrors(group, "us-east-1", prior), []);
    assert.match(
      proxyDefaultTargetGroupErrors(group, "us-west-2", prior).join(),
      /DBProxyNotFoundFault: DBProxy orders-proxy not found in us-west-2/,
    );
    const bad = (change: Record<string, number>) =>
      proxyDefaultTargetGroupErrors(
        { ...group, connectionPoolConfig: { ...pool, ...change } },
        "us-east-1",
        prior,
      ).join();
    assert.match(
      bad({ connectionBorrowTimeout: 301 }),
      /ConnectionBorrowTimeout must be between 0 and 300; got 301/,
    );
    assert.deepEqual(bad({ connectionBorrowTimeout: 300 }), "");
    assert.deepEqual(bad({ connectionBorrowTimeout: 0 }), "");
    assert.match(
      bad({ maxConnectionsPercent: 0 }),
      /MaxConnectionsPercent must be between 1 and 100/,
    );
    assert.match(
      bad({ maxIdleConnectionsPercent: 95 }),
      /MaxIdleConnectionsPercent \(95\) must not exceed/,
    );
  });

  it("models the targets RDS registers: a writer only while the cluster is the writer's", () => {
    const primary = trackedClusterTargets(["db-b", "db-a"], "db-a");
    assert.deepEqual(
      primary.map((t) => [t.rdsResourceId, t.role]),
      [
        ["db-a", "READ_WRITE"],
        ["db-b", "READ_ONLY"],
      ],
    );
    const secondary = trackedClusterTargets(["db-a", "db-b"], undefined);
    assert.ok(!endpointHasTarget(secondary, "READ_WRITE"));
    assert.ok(endpointHasTarget(secondary, "READ_ONLY"));
  });
});

/** Instances of the cluster, and which one Aurora makes the writer (undefined on a secondary). */
function clusterMembers(run: ProgramRun, role: "primary" | "secondary") {
  const instances = ofType(run, T.instance);
  const instanceUrns = new Set(instances.map((i) => i.urn));
  // The first instance is the writer: the others depend on it (components/data/proxiedDatabase.ts).
  const first = instances.find((i) => !i.dependencies.some((d) => instanceUrns.has(d)));
  return {
    ids: instances.map((i) => String(i.inputs.identifier)),
    writer: role === "primary" ? String(first?.inputs.identifier) : undefined,
  };
}

for (const cfg of regionalStackConfigs()) {
  describe(`what AWS does by itself in ${cfg.stack} (${cfg.role}, ${cfg.routing} routing)`, () => {
    let run: ProgramRun;
    before(async function () {
      this.timeout(120_000);
      run = await runStack(cfg.stack);
    });

    it("keeps every scheduled action at or above the service's minimum, never lowering max or setting desired", () => {
      const fleets = { ...cfg.services, payments: cfg.payments };
      let checked = 0;
      for (const schedule of ofType(run, T.schedule)) {
        const group = ofType(run, T.asg).find(
          (g) => g.state.name === schedule.inputs.autoscalingGroupName,
        );
        assert.ok(group, `${schedule.name} names a group of this stack`);
        const fleet = Object.entries(fleets).find(([svc]) =>
          [`web-${svc}-asg`, `${svc}-asg`].includes(group.name),
        )?.[1];
        assert.ok(fleet, `${group.name} belongs to a configured fleet`);
        assert.ok(schedule.inputs.minSize >= fleet.minSize, schedule.name);
        assert.ok(schedule.inputs.maxSize === -1 || schedule.inputs.maxSize >= fleet.maxSize);
        assert.equal(schedule.inputs.desiredCapacity, -1, schedule.name);
        checked++;
      }
      const configured = Object.values(fleets).reduce(
        (n, f) => n + Object.keys(f.scaling.schedules).length,
        0,
      );
      assert.equal(checked, configured);
    });

    it("never lets a scheduled action undo a Region switch's scale-up", () => {
      // ARC's EC2 Auto Scaling block raises the activated region's desired capacity to
      // ceil(percent x source capacity), at most the group's max, and never scales in. Whatever
      // it raised a group to, running the group's schedules after it leaves desired there.
      for (const group of ofType(run, T.asg)) {
        const schedules = ofType(run, T.schedule).filter(
          (s) => s.inputs.autoscalingGroupName === group.state.name,
        );
        if (schedules.length === 0) continue;
        const { minSize: min, maxSize: max } = group.inputs;
        for (let raised = min; raised <= max; raised++) {
          let state = { min, max, desired: raised };
          for (const s of schedules) {
            state = groupAfterScheduledAction(state, s.inputs);
            assert.ok(state.desired >= raised, `${s.name} lowers ${group.name} below ${raised}`);
          }
        }
      }
    });

    it("registers its own region's cluster as the proxy's target, in the default target group", () => {
      const targets = ofType(run, T.target);
      assert.equal(targets.length, 1);
      const cluster = ofType(run, T.cluster)[0];
      assert.equal(targets[0].inputs.dbClusterIdentifier, cluster.state.clusterIdentifier);
      assert.equal(cluster.state.arn.split(":")[3], cfg.region);
      assert.equal(targets[0].inputs.targetGroupName, "default");
      assert.equal(targets[0].state.type, "TRACKED_CLUSTER");
      // End-to-end IAM from the proxy needs IAM database authentication on the cluster.
      const proxy = ofType(run, T.proxy)[0];
      assert.equal(proxy.inputs.defaultAuthScheme, "IAM_AUTH");
      assert.equal(cluster.inputs.iamDatabaseAuthenticationEnabled, true);
    });

    it("tells a service the read/write endpoint only where that is a documented situation", () => {
      const members = clusterMembers(run, cfg.role);
      const targets = trackedClusterTargets(members.ids, members.writer);
      const writerHere = endpointHasTarget(targets, "READ_WRITE");
      assert.equal(writerHere, cfg.role === "primary");
      assert.ok(endpointHasTarget(targets, "READ_ONLY"));
      const path = healthCheckPath(cfg);
      let told = 0;
      for (const svc of Object.keys(cfg.services)) {
        const env = environmentOf(run, svc);
        if (env.DB_PROXY_ENDPOINT === undefined) continue;
        told++;
        assert.ok(env.DB_PROXY_READ_ENDPOINT, `${svc} also gets the read-only endpoint`);
        if (writerHere) continue;
        // No writer here: the read/write endpoint refuses every connection until a switchover
        // or failover promotes this cluster (RDS Proxy with Aurora global databases).
        if (cfg.routing === "latency") {
          // Every region takes checkout: writes go through the read-only endpoint's readers,
          // which forward them to the writer.
          assert.equal(env.DB_WRITE_FORWARDING, "global", svc);
        } else {
          // The standby takes traffic only after DNS failover, and its health check asks only
          // for reads, so DNS never claims checkout works here before the writer arrives.
          assert.equal(requiresWriter(path), false, `${cfg.stack} checks ${path}`);
        }
      }
      assert.equal(told, cfg.database.clients.length);
      // Only a failover primary's records follow the writer; a latency region is judged by what
      // it serves on its own (Route 53 fails open when every record is unhealthy).
      if (writerHere) {
        assert.equal(
          requiresWriter(path),
          cfg.routing === "failover",
          `${cfg.stack} checks ${path}`,
        );
      }
    });
  });
}

for (const cfg of regionalStackConfigs().filter((c) => c.role === "primary")) {
  describe(`sessions replica auto scaling of ${cfg.stack}`, () => {
    it("documents an UpdateTableReplicaAutoScaling input equal to what the stack declares", async function () {
      this.timeout(120_000);
      const run = await runStack(cfg.stack);
      const targets = ofType(run, "aws:appautoscaling/target:Target").filter(
        (t) => t.inputs.resourceId === `table/${cfg.sessions.tableName}`,
      );
      const policies = ofType(run, "aws:appautoscaling/policy:Policy").filter(
        (p) => p.inputs.resourceId === `table/${cfg.sessions.tableName}`,
      );
      const declared = (dimension: string) => {
        const t = targets.find((x) => x.inputs.scalableDimension === dimension);
        const p = policies.find((x) => x.inputs.scalableDimension === dimension);
        assert.ok(t && p, dimension);
        return {
          MinimumUnits: t.inputs.minCapacity,
          MaximumUnits: t.inputs.maxCapacity,
          ScalingPolicyUpdate: {
            TargetTrackingScalingPolicyConfiguration: {
              TargetValue: p.inputs.targetTrackingScalingPolicyConfiguration.targetValue,
            },
          },
        };
      };
      const write = declared("dynamodb:table:WriteCapacityUnits");
      const read = declared("dynamodb:table:ReadCapacityUnits");
      const update = replicaAutoScalingUpdate({
        tableName: cfg.sessions.tableName,
        regions: [cfg.region, ...cfg.peerRegions],
        capacity: sessionCapacity(cfg.sessions),
        targetPercent:
          write.ScalingPolicyUpdate.TargetTrackingScalingPolicyConfiguration.TargetValue,
      });
      assert.deepEqual(update, {
        TableName: cfg.sessions.tableName,
        ProvisionedWriteCapacityAutoScalingUpdate: write,
        ReplicaUpdates: [cfg.region, ...cfg.peerRegions].sort().map((region) => ({
          RegionName: region,
          ReplicaProvisionedReadCapacityAutoScalingUpdate: read,
        })),
      });
      // With the physical names read from describe-table-replica-auto-scaling, each update
      // names the policy it modifies.
      const named = replicaAutoScalingUpdate({
        tableName: cfg.sessions.tableName,
        regions: [cfg.region, ...cfg.peerRegions],
        capacity: sessionCapacity(cfg.sessions),
        targetPercent: 70,
        policyNames: {
          write: "sessions-write-1a2b",
          read: Object.fromEntries([cfg.region, ...cfg.peerRegions].map((r) => [r, `read-${r}`])),
        },
      }) as any;
      assert.equal(
        named.ProvisionedWriteCapacityAutoScalingUpdate.ScalingPolicyUpdate.PolicyName,
        "sessions-write-1a2b",
      );
      for (const u of named.ReplicaUpdates) {
        assert.equal(
          u.ReplicaProvisionedReadCapacityAutoScalingUpdate.ScalingPolicyUpdate.PolicyName,
          `read-${u.RegionName}`,
        );
      }
    });
  });
}
