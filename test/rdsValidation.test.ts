import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { runComponents } from "../testing/harness";
import {
  validPerformanceInsightsRetention,
  validateClusterInstance,
  validateCluster,
  validateClusterParameterGroup,
  validateClusterParameterGroupFamily,
} from "../testing/rdsValidation";
import {
  WRITE_FORWARDING_DEFAULTS,
  clusterParameterGroupFamily,
  forwardingParameters,
  maxProxyPoolPercent,
  supportsGlobalWriteForwarding,
} from "../components/data/writeForwarding";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/0b0e7c1e-0000-4000-a000-000000000000";
const instance = (patch: Record<string, unknown> = {}) => ({
  identifier: "orders-us-east-1-a",
  availabilityZone: "us-east-1a",
  performanceInsightsEnabled: true,
  performanceInsightsKmsKeyId: KEY,
  performanceInsightsRetentionPeriod: 7,
  ...patch,
});

describe("RDS mock validation (CreateDBInstance)", () => {
  it("accepts exactly the Performance Insights retentions RDS lists: 7, 31 × 1–23, 731", () => {
    const valid = [7, 31, 93, 341, 589, 713, 731];
    for (const d of valid) assert.ok(validPerformanceInsightsRetention(d), String(d));
    // 94 is AWS's own example of a value it rejects.
    for (const d of [0, 1, 14, 30, 62.5, 94, 744, 730, "7"]) {
      assert.ok(!validPerformanceInsightsRetention(d), String(d));
    }
  });

  it("accepts the instance this program declares", () => {
    validateClusterInstance(instance(), "us-east-1");
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["a retention RDS refuses", { performanceInsightsRetentionPeriod: 94 }, /retention period 94/],
    [
      "a key without Performance Insights",
      { performanceInsightsEnabled: false, performanceInsightsRetentionPeriod: undefined },
      /PerformanceInsightsKMSKeyId requires EnablePerformanceInsights/,
    ],
    [
      "a retention without Performance Insights",
      { performanceInsightsEnabled: undefined, performanceInsightsKmsKeyId: undefined },
      /PerformanceInsightsRetentionPeriod requires EnablePerformanceInsights/,
    ],
    [
      "another region's key",
      { performanceInsightsKmsKeyId: KEY.replace("us-east-1", "us-west-2") },
      /must be a KMS key ARN in us-east-1/,
    ],
    ["an AZ of another region", { availabilityZone: "us-west-2a" }, /not an Availability Zone/],
    ["a double hyphen", { identifier: "orders--a" }, /DBInstanceIdentifier "orders--a"/],
    ["a trailing hyphen", { identifier: "orders-" }, /DBInstanceIdentifier "orders-"/],
    ["64 characters", { identifier: "o".repeat(64) }, /must be 1 to 63/],
  ];
  for (const [label, patch, message] of cases) {
    it(`rejects ${label}`, () => {
      assert.throws(() => validateClusterInstance(instance(patch), "us-east-1"), message);
    });
  }
});

describe("RDS mocks enforce it", () => {
  it("fail the run on a DB instance RDS would refuse", async () => {
    await assert.rejects(
      runComponents(
        () =>
          new aws.rds.ClusterInstance("i", {
            identifier: "orders-a",
            clusterIdentifier: "orders",
            engine: "aurora-postgresql",
            instanceClass: "db.r7g.large",
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: 30,
          }),
        "us-east-1",
      ),
      /InvalidParameterValue: Invalid Performance Insights retention period 30/,
    );
  });
});

describe("RDS mock validation (DB cluster: final snapshot, EnableGlobalWriteForwarding)", () => {
  it("knows which Aurora PostgreSQL versions support global write forwarding", () => {
    // Aurora user guide: all 16+ minors; 15.4+; 14.9+.
    for (const v of ["14.9", "14.12", "15.4", "15.10", "16.0", "16.4", "17.1"]) {
      assert.ok(supportsGlobalWriteForwarding(v), v);
    }
    for (const v of ["13.12", "14.8", "15.3", "12.20", "x"]) {
      assert.ok(!supportsGlobalWriteForwarding(v), v);
    }
  });

  const member = {
    engine: "aurora-postgresql",
    engineVersion: "16.4",
    globalClusterIdentifier: "g",
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "g-us-east-1-final",
  };
  it("accepts the flag on a global database member of a supporting version", () => {
    validateCluster({ ...member, enableGlobalWriteForwarding: true });
  });
  it("refuses it on a regional cluster, as RDS does", () => {
    assert.throws(
      () =>
        validateCluster({
          ...member,
          globalClusterIdentifier: undefined,
          enableGlobalWriteForwarding: true,
        }),
      /InvalidParameterCombination: EnableGlobalWriteForwarding can be set only on DB clusters that are members of an Aurora global database/,
    );
  });
  it("refuses it on a version without write forwarding", () => {
    assert.throws(
      () =>
        validateCluster({
          ...member,
          engineVersion: "15.3",
          enableGlobalWriteForwarding: true,
        }),
      /isn't supported for aurora-postgresql 15.3/,
    );
  });

  const snapshotCases: [string, Record<string, unknown>, RegExp][] = [
    [
      "an identifier with skipping",
      { skipFinalSnapshot: true },
      /FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is true/,
    ],
    [
      "neither an identifier nor skipping",
      { finalSnapshotIdentifier: undefined },
      /FinalDBSnapshotIdentifier is required when SkipFinalSnapshot is false/,
    ],
    [
      "an identifier RDS refuses",
      { finalSnapshotIdentifier: "1-final" },
      /FinalDBSnapshotIdentifier "1-final" must be 1 to 255/,
    ],
  ];
  for (const [label, patch, message] of snapshotCases) {
    it(`refuses ${label} for the final snapshot`, () => {
      assert.throws(() => validateCluster({ ...member, ...patch }), message);
    });
  }
  it("accepts skipping the final snapshot without an identifier", () => {
    validateCluster({ ...member, skipFinalSnapshot: true, finalSnapshotIdentifier: undefined });
  });
});

describe("write forwarding's cluster parameter group (pure)", () => {
  const group = (parameters: { name: string; value: string; applyMethod?: string }[]) => ({
    family: "aurora-postgresql16",
    description: "x",
    parameters,
  });

  it("sets consistency mode, connect timeout and the forwarding quota, each pending-reboot (static)", () => {
    const params = forwardingParameters(WRITE_FORWARDING_DEFAULTS);
    assert.deepEqual(
      params.map((p) => [p.name, p.value, p.applyMethod]),
      [
        ["apg_write_forward.connect_timeout", "10", "pending-reboot"],
        ["apg_write_forward.consistency_mode", "session", "pending-reboot"],
        ["apg_write_forward.max_forwarding_connections_percent", "25", "pending-reboot"],
      ],
    );
    assert.doesNotThrow(() => validateClusterParameterGroup(group(params)));
  });

  it("names the family after the engine's major version", () => {
    assert.equal(clusterParameterGroupFamily("16.4"), "aurora-postgresql16");
    assert.equal(clusterParameterGroupFamily("14.9"), "aurora-postgresql14");
    assert.equal(clusterParameterGroupFamily("9.6"), "aurora-postgresql9.6");
  });

  it("caps the proxy pool at what the forwarding quota leaves", () => {
    assert.equal(maxProxyPoolPercent(25), 75);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    [
      "an unknown family",
      { ...group([]), family: "aurora-postgresql99" },
      /InvalidParameterValue: DBParameterGroupFamily "aurora-postgresql99"/,
    ],
    [
      "a static forwarding parameter applied immediately",
      group([{ name: "apg_write_forward.consistency_mode", value: "session" }]),
      /InvalidParameterCombination: cannot use immediate apply method for static parameter apg_write_forward.consistency_mode/,
    ],
    [
      "a forwarding parameter name the engine doesn't have",
      group([{ name: "apg_write_forward.mode", value: "x", applyMethod: "pending-reboot" }]),
      /Could not find parameter with name: apg_write_forward.mode/,
    ],
    [
      "forwarding parameters in a family older than 14",
      {
        ...group(forwardingParameters(WRITE_FORWARDING_DEFAULTS)),
        family: "aurora-postgresql13",
      },
      /Could not find parameter with name: apg_write_forward.connect_timeout in family aurora-postgresql13/,
    ],
  ];
  for (const [label, inputs, error] of refused) {
    it(`refuses ${label}`, () => assert.throws(() => validateClusterParameterGroup(inputs), error));
  }

  it("refuses a cluster whose parameter group is of another family than its engine version", () => {
    assert.throws(
      () => validateClusterParameterGroupFamily("16.4", "aurora-postgresql15"),
      /DBParameterGroupFamily aurora-postgresql15 cannot be used .* aurora-postgresql16/,
    );
    assert.doesNotThrow(() => validateClusterParameterGroupFamily("16.4", "aurora-postgresql16"));
  });
});
