/**
 * What RDS refuses in the DB instance fields this program sets, in AWS's wording where the API
 * reference gives it. The mocks call these before computing a resource, so a value AWS would
 * reject fails the offline run instead of `pulumi up`.
 *
 * Sources: RDS API reference, CreateDBInstance (`DBInstanceIdentifier`,
 * `PerformanceInsightsRetentionPeriod`, `PerformanceInsightsKMSKeyId`, `EnablePerformanceInsights`).
 */

import {
  FORWARDING_PARAMETER_APPLY_TYPES,
  clusterParameterGroupFamily,
  supportsGlobalWriteForwarding,
} from "../components/data/writeForwarding";

/** `DBInstanceIdentifier`: 1–63 letters, digits or hyphens; a letter first; no `--`; no trailing `-`. */
const DB_INSTANCE_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/;

/** Whether RDS accepts `days` as a Performance Insights retention: 7, 31 × (1–23), or 731. */
export function validPerformanceInsightsRetention(days: unknown): boolean {
  return (
    days === 7 ||
    days === 731 ||
    (typeof days === "number" &&
      Number.isInteger(days) &&
      days % 31 === 0 &&
      days >= 31 &&
      days <= 713)
  );
}

/** An RDS request error, worded like the API's. */
function rdsError(code: string, message: string): Error {
  return new Error(`mocks: ${code}: ${message}`);
}

/** Throws what RDS would answer to CreateDBInstance for a cluster member with these inputs. */
export function validateClusterInstance(inputs: Record<string, any>, region: string): void {
  const id = inputs.identifier;
  if (typeof id === "string" && (!DB_INSTANCE_IDENTIFIER.test(id) || id.endsWith("-"))) {
    throw rdsError(
      "InvalidParameterValue",
      `DBInstanceIdentifier "${id}" must be 1 to 63 letters, numbers or hyphens, start with a letter, and contain no two consecutive hyphens or a trailing hyphen`,
    );
  }
  const az = inputs.availabilityZone;
  if (typeof az === "string" && !new RegExp(`^${region}[a-z]$`).test(az)) {
    throw rdsError(
      "InvalidParameterValue",
      `AvailabilityZone "${az}" is not an Availability Zone of ${region}`,
    );
  }
  const enabled = inputs.performanceInsightsEnabled === true;
  if (!enabled && inputs.performanceInsightsKmsKeyId !== undefined) {
    throw rdsError(
      "InvalidParameterCombination",
      "PerformanceInsightsKMSKeyId requires EnablePerformanceInsights",
    );
  }
  const retention = inputs.performanceInsightsRetentionPeriod;
  if (retention !== undefined) {
    if (!enabled) {
      throw rdsError(
        "InvalidParameterCombination",
        "PerformanceInsightsRetentionPeriod requires EnablePerformanceInsights",
      );
    }
    if (!validPerformanceInsightsRetention(retention)) {
      throw rdsError(
        "InvalidParameterValue",
        `Invalid Performance Insights retention period ${retention}. Valid values are 7, month * 31 (month 1-23) and 731`,
      );
    }
  }
  const key = inputs.performanceInsightsKmsKeyId;
  if (typeof key === "string" && !key.startsWith(`arn:aws:kms:${region}:`)) {
    // KMS keys are regional: a key from another region (or an ID the mocks can't place) is
    // not one RDS in this region can use.
    throw rdsError(
      "InvalidParameterValue",
      `PerformanceInsightsKMSKeyId "${key}" must be a KMS key ARN in ${region}`,
    );
  }
}

/** `FinalDBSnapshotIdentifier`: 1–255 letters, digits or hyphens; a letter first; no `--`; no trailing `-`. */
const FINAL_SNAPSHOT_IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,254}$/;

/**
 * Throws what RDS would answer for a DB cluster with these inputs, for the fields it checks:
 *
 * - the global write forwarding flag: "You can set this value only on Aurora DB clusters that
 *   are members of an Aurora global database", and "It requires that the global database uses
 *   an Aurora version that supports write forwarding" (CreateDBCluster
 *   `EnableGlobalWriteForwarding`; Aurora user guide, "Using write forwarding in an Aurora
 *   PostgreSQL global database");
 * - the final snapshot the provider passes to DeleteDBCluster: "Specifying this parameter and
 *   also setting the SkipFinalShapshot parameter to true results in an error", "You must
 *   specify a FinalDBSnapshotIdentifier parameter if SkipFinalSnapshot is false", and the
 *   identifier's pattern (DeleteDBCluster). Checked at plan time, as a teardown is no time to
 *   find out.
 */
export function validateCluster(inputs: Record<string, any>): void {
  const finalId = inputs.finalSnapshotIdentifier;
  if (inputs.skipFinalSnapshot === true && finalId !== undefined) {
    throw rdsError(
      "InvalidParameterCombination",
      "FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is true",
    );
  }
  if (inputs.skipFinalSnapshot !== true && finalId === undefined) {
    throw rdsError(
      "InvalidParameterCombination",
      "FinalDBSnapshotIdentifier is required when SkipFinalSnapshot is false",
    );
  }
  if (
    typeof finalId === "string" &&
    (!FINAL_SNAPSHOT_IDENTIFIER.test(finalId) || finalId.endsWith("-"))
  ) {
    throw rdsError(
      "InvalidParameterValue",
      `FinalDBSnapshotIdentifier "${finalId}" must be 1 to 255 letters, numbers or hyphens, start with a letter, and contain no two consecutive hyphens or a trailing hyphen`,
    );
  }
  if (inputs.enableGlobalWriteForwarding !== true) return;
  if (inputs.globalClusterIdentifier === undefined) {
    throw rdsError(
      "InvalidParameterCombination",
      "EnableGlobalWriteForwarding can be set only on DB clusters that are members of an Aurora global database",
    );
  }
  const version = inputs.engineVersion;
  if (
    String(inputs.engine).includes("postgresql") &&
    typeof version === "string" &&
    !supportsGlobalWriteForwarding(version)
  ) {
    throw rdsError(
      "InvalidParameterCombination",
      `Global write forwarding isn't supported for aurora-postgresql ${version}; it needs 14.9+, 15.4+ or 16 and later`,
    );
  }
}

/**
 * Aurora cluster parameter group families the mocks know: Aurora PostgreSQL 10 to 17 (AWS names
 * them `aurora-postgresql<major>`, e.g. "aurora-postgresql14", CreateDBClusterParameterGroup
 * `DBParameterGroupFamily`) and Aurora MySQL 5.7 and 8.0. Anything else is refused rather than
 * assumed to exist.
 */
const KNOWN_CLUSTER_FAMILIES = /^(aurora-postgresql(1[0-7])|aurora-mysql(5\.7|8\.0))$/;

/** Oldest Aurora PostgreSQL major whose default group has the `apg_write_forward.*` parameters. */
const FORWARDING_PARAMETERS_FROM_MAJOR = 14;

/**
 * Throws what RDS would answer to CreateDBClusterParameterGroup + ModifyDBClusterParameterGroup:
 * an unknown family, a parameter that family doesn't have (only the write-forwarding ones are
 * modelled: Aurora PostgreSQL 14 and later, `MinimumEngineVersion` 14.7 in the engine defaults),
 * or `immediate` for a static parameter, which RDS applies only with `pending-reboot`.
 */
export function validateClusterParameterGroup(inputs: Record<string, any>): void {
  const family = String(inputs.family);
  if (!KNOWN_CLUSTER_FAMILIES.test(family)) {
    throw rdsError(
      "InvalidParameterValue",
      `DBParameterGroupFamily "${family}" is not a cluster parameter group family the mocks know (aurora-postgresql10..17, aurora-mysql5.7, aurora-mysql8.0)`,
    );
  }
  const major = /^aurora-postgresql(\d+)$/.exec(family);
  for (const p of (inputs.parameters ?? []) as { name: string; applyMethod?: string }[]) {
    const applyType = FORWARDING_PARAMETER_APPLY_TYPES[p.name];
    if (p.name.startsWith("apg_write_forward.")) {
      if (
        applyType === undefined ||
        !major ||
        Number(major[1]) < FORWARDING_PARAMETERS_FROM_MAJOR
      ) {
        throw rdsError(
          "InvalidParameterValue",
          `Could not find parameter with name: ${p.name} in family ${family}`,
        );
      }
    }
    // The provider's default apply method is immediate.
    if (applyType === "static" && (p.applyMethod ?? "immediate") !== "pending-reboot") {
      throw rdsError(
        "InvalidParameterCombination",
        `cannot use immediate apply method for static parameter ${p.name}`,
      );
    }
  }
}

/** Throws when a cluster names a parameter group of another family than its engine version's. */
export function validateClusterParameterGroupFamily(
  clusterEngineVersion: string,
  groupFamily: string,
): void {
  const want = clusterParameterGroupFamily(clusterEngineVersion);
  if (want !== groupFamily) {
    throw rdsError(
      "InvalidParameterCombination",
      `The Parameter Group with DBParameterGroupFamily ${groupFamily} cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily ${want}`,
    );
  }
}
