import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../stacks/config";
import { regionalClusterIdentifier } from "../components/data/databasePolicies";
import { PROJECT_ROOT, ProgramRun, ofType, readStackConfig, runStack } from "../testing/harness";
import { policyConfigFileFor, regionalStackConfigs } from "../tools/deployments";
import { policyReport } from "../testing/policyRunner";
import { readPolicyPackConfig } from "../tools/policyConfig";

const STAGING_POLICY_CONFIG = path.join(PROJECT_ROOT, "policies", "staging.policy-config.json");

describe("staging", () => {
  const cfg = parseStackConfig("staging", readStackConfig("staging"));

  it("is a one-region deployment of its own, in its own zone, with a regional database", () => {
    assert.equal(cfg.region, "us-east-2");
    assert.deepEqual(cfg.deployment.secondaries, []);
    assert.notEqual(
      cfg.deployment.name,
      parseStackConfig("prod-east", readStackConfig("prod-east")).deployment.name,
    );
    assert.equal(cfg.role, "primary");
    assert.equal(cfg.database.global, false);
    assert.equal(cfg.shieldAdvanced, false);
    assert.equal(cfg.inspection.enabled, false);
    assert.match(cfg.domain, /^staging\./);
  });

  it("runs with policies/staging.policy-config.json, prod with the pack's own levels", () => {
    const configs = regionalStackConfigs();
    assert.equal(policyConfigFileFor("staging", PROJECT_ROOT, configs), STAGING_POLICY_CONFIG);
    assert.equal(policyConfigFileFor("prod-east", PROJECT_ROOT, configs), undefined);
    assert.equal(policyConfigFileFor("prod-west", PROJECT_ROOT, configs), undefined);
  });

  it("says why for every relaxation and turns no mandatory policy off", async () => {
    const { policies } = await import("../policies/rules");
    const config = readPolicyPackConfig(STAGING_POLICY_CONFIG);
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "topology.md"), "utf8");
    for (const [name, entry] of Object.entries(config)) {
      const policy = policies.find((p) => p.name === name);
      assert.ok(policy, `${name} is a policy of the pack`);
      const level = typeof entry === "string" ? entry : entry.enforcementLevel;
      const row = new RegExp(`^\\| \`${name}\` +\\| ${level} +\\| \\S.{20,}\\|$`, "m");
      assert.match(doc, row, `docs/topology.md gives a reason for ${name}: ${level}`);
      if (policy.enforcementLevel === "mandatory") {
        assert.notEqual(
          level,
          "disabled",
          `${name} is mandatory: lower it to advisory, don't hide it`,
        );
      }
    }
  });

  describe("previews with that config", () => {
    let run: ProgramRun;
    before(async () => {
      run = await runStack("staging");
    });

    it("with no mandatory policy violation", async () => {
      const report = await policyReport(run, readPolicyPackConfig(STAGING_POLICY_CONFIG));
      assert.deepEqual(
        report.violations
          .filter((v) => v.enforcementLevel === "mandatory")
          .map((v) => `${v.policyName}: ${v.message}`),
        [],
      );
      assert.equal(report.exitCode, 0);
      // Without it, the load balancers' deletion protection is what the pack stops.
      const strict = await policyReport(run);
      assert.deepEqual(
        [
          ...new Set(
            strict.violations
              .filter((v) => v.enforcementLevel === "mandatory")
              .map((v) => v.policyName),
          ),
        ],
        ["lb-deletion-protection"],
      );
    });

    it("taking part in no Region switch plan: it writes its own records and exports nothing for prod-global", () => {
      for (const out of [
        "failoverRecordNames",
        "failoverRecords",
        "autoScalingGroupArns",
        "dbClusterArn",
        "dnsHealthAlarmArns",
        "appHealthAlarmArns",
      ]) {
        assert.equal(run.outputs[out], undefined, out);
      }
      const records = ofType(run, "aws:route53/record:Record").filter((r) =>
        r.name.startsWith("dns-"),
      );
      assert.ok(records.length > 0);
      for (const r of records) assert.ok(r.inputs.latencyRoutingPolicies, r.name);
    });

    it("with a regional cluster, no replicas, no Shield and no inspection", () => {
      assert.deepEqual(ofType(run, "aws:rds/globalCluster:GlobalCluster"), []);
      const [cluster] = ofType(run, "aws:rds/cluster:Cluster");
      assert.equal(cluster.inputs.globalClusterIdentifier, undefined);
      assert.equal(cluster.inputs.deletionProtection, true);
      // Torn down and rebuilt under the same cluster name: a fixed final snapshot name would
      // make the second teardown fail (DBClusterSnapshotAlreadyExistsFault).
      assert.equal(cluster.inputs.skipFinalSnapshot, true);
      assert.equal(cluster.inputs.finalSnapshotIdentifier, undefined);
      // A regional cluster belongs to no global database: nothing for prod-global to read.
      assert.equal(run.outputs.dbGlobalClusterIdentifier, undefined);
      assert.deepEqual(ofType(run, "aws:dynamodb/tableReplica:TableReplica"), []);
      assert.deepEqual(ofType(run, "aws:shield/protection:Protection"), []);
      const lbs = ofType(run, "aws:lb/loadBalancer:LoadBalancer");
      assert.deepEqual(lbs.map((l) => l.inputs.loadBalancerType).sort(), [
        "application",
        "network",
      ]);
      for (const lb of lbs) assert.equal(lb.inputs.enableDeletionProtection, false, lb.name);
      const asgs = ofType(run, "aws:autoscaling/group:Group");
      assert.equal(asgs.length, Object.keys(cfg.services).length + 1);
      for (const asg of asgs) assert.ok(asg.inputs.maxSize <= 4, asg.name);
    });
  });
});

describe("staging teardown steps (docs/topology.md)", () => {
  it("name the cluster and table the staging stack file derives, and lift every protection the stack keeps", () => {
    const cfg = parseStackConfig("staging", readStackConfig("staging"));
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "topology.md"), "utf8");
    const cluster = regionalClusterIdentifier(cfg.database.globalClusterIdentifier, cfg.region);
    for (const step of [
      `aws rds modify-db-cluster --region ${cfg.region} \\\n  --db-cluster-identifier ${cluster} --no-deletion-protection`,
      `aws dynamodb update-table --region ${cfg.region} \\\n  --table-name ${cfg.sessions.tableName} --no-deletion-protection-enabled`,
      "pulumi state unprotect --stack staging --all --yes",
      "pulumi destroy --stack staging",
    ]) {
      assert.ok(doc.includes(step), `docs/topology.md lacks:\n${step}`);
    }
  });
});
