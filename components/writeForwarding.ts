/**
 * When a region's Aurora cluster must forward writes to the global database's writer, and
 * whether the engine version can. Pure rules shared by config validation, the data tier and
 * the mocks (docs/topology.md, "Checkout writes with latency routing").
 *
 * With latency routing every region takes checkout, but only the primary region's cluster has a
 * writer: a secondary cluster of an Aurora global database is read-only unless global write
 * forwarding is on ("By default, write operations are not allowed on Aurora DB clusters that
 * are secondary clusters in an Aurora global database", RDS API reference, CreateDBCluster
 * `EnableGlobalWriteForwarding`).
 */

/**
 * Oldest minor version of each Aurora PostgreSQL major that supports global write forwarding:
 * "In Aurora PostgreSQL version 16 and higher major versions, global write forwarding is
 * supported in all minor versions. For earlier Aurora PostgreSQL versions, global write
 * forwarding is supported with version 15.4 and higher minor versions, and version 14.9 and
 * higher minor versions" (Aurora user guide, "Using write forwarding in an Aurora PostgreSQL
 * global database"). Majors below 14 don't support it.
 */
export const GLOBAL_WRITE_FORWARDING_MIN_MINOR: Readonly<Record<number, number>> = {
  14: 9,
  15: 4,
};

/** First major version with global write forwarding in every minor version. */
export const GLOBAL_WRITE_FORWARDING_ALL_MINORS_FROM = 16;

/** Whether Aurora PostgreSQL `version` ("major.minor") supports global write forwarding. */
export function supportsGlobalWriteForwarding(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major >= GLOBAL_WRITE_FORWARDING_ALL_MINORS_FROM) return true;
  const min = GLOBAL_WRITE_FORWARDING_MIN_MINOR[major];
  return min !== undefined && minor >= min;
}

/**
 * Whether every cluster of the deployment forwards writes: latency routing over an Aurora
 * global database. Every member gets it, the primary too: "For the primary DB cluster of an
 * Aurora global database, this value is used immediately if the primary is demoted by a global
 * cluster API operation, but it does nothing until then" (CreateDBCluster), so after a
 * switchover or failover the old primary keeps taking checkout. Failover routing sends traffic
 * to one region at a time, the writer's, and a regional cluster is its own writer.
 */
export function forwardsWrites(routing: "failover" | "latency", globalDatabase: boolean): boolean {
  return routing === "latency" && globalDatabase;
}
