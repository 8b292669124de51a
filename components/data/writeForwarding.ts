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

/**
 * Settings of write forwarding a deployment chooses; every other `apg_write_forward.*`
 * parameter keeps its engine default.
 */
export interface WriteForwardingSettings {
  /**
   * `apg_write_forward.max_forwarding_connections_percent`: "the upper limit on database
   * connection slots that can be used to handle queries forwarded from readers … a percentage of
   * the `max_connections` setting for the writer DB instance in the primary cluster. … These
   * connections come from the same connection pool managed by the `max_connections` setting"
   * (Aurora user guide, "Using write forwarding in an Aurora PostgreSQL global database",
   * "Configuration parameters": Global scope, default 25, valid 1–100).
   */
  readonly maxForwardingConnectionsPercent: number;
  /**
   * `apg_write_forward.connect_timeout`: "the maximum number of seconds the secondary cluster
   * waits when establishing a connection to the primary cluster before giving up. A value of 0
   * means to wait indefinitely" (same page; default 30).
   */
  readonly connectTimeoutSeconds: number;
  /**
   * `apg_write_forward.consistency_mode`: `session` lets a forwarding session read its own
   * writes; `off` "disables write forwarding in the session" (same page).
   */
  readonly consistencyMode: "session" | "eventual" | "global";
}

/** What the stacks set unless config says otherwise. */
export const WRITE_FORWARDING_DEFAULTS: WriteForwardingSettings = {
  // AWS's default: the proxy pool below is reduced by it.
  maxForwardingConnectionsPercent: 25,
  // Below the guide's 30 s: a checkout request should fail fast when the writer's region is gone.
  connectTimeoutSeconds: 10,
  consistencyMode: "session",
};

/**
 * Apply type of each forwarding parameter in the engine's default cluster parameter group.
 * `describe-engine-default-cluster-parameters` for aurora-postgresql lists every
 * `apg_write_forward.*` parameter with `"ApplyType": "static"` (published copies of its output;
 * AWS's own table gives only scope and default): RDS accepts them only with ApplyMethod
 * `pending-reboot`, and they reach a running cluster after its instances reboot.
 */
export const FORWARDING_PARAMETER_APPLY_TYPES: Readonly<Record<string, "static" | "dynamic">> = {
  "apg_write_forward.connect_timeout": "static",
  "apg_write_forward.consistency_mode": "static",
  "apg_write_forward.idle_in_transaction_session_timeout": "static",
  "apg_write_forward.idle_session_timeout": "static",
  "apg_write_forward.max_forwarding_connections_percent": "static",
};

/** A cluster parameter as `aws.rds.ClusterParameterGroup` takes it. */
export interface ClusterParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: "immediate" | "pending-reboot";
}

/** The cluster parameters that carry `settings`, in a stable order. */
export function forwardingParameters(settings: WriteForwardingSettings): ClusterParameter[] {
  return [
    ["apg_write_forward.connect_timeout", String(settings.connectTimeoutSeconds)],
    ["apg_write_forward.consistency_mode", settings.consistencyMode],
    [
      "apg_write_forward.max_forwarding_connections_percent",
      String(settings.maxForwardingConnectionsPercent),
    ],
  ].map(([name, value]) => ({
    name,
    value,
    applyMethod:
      FORWARDING_PARAMETER_APPLY_TYPES[name] === "static" ? "pending-reboot" : "immediate",
  }));
}

/**
 * Cluster parameter group family of an Aurora PostgreSQL version ("16.4" -> "aurora-postgresql16");
 * the family of a major version before 10 keeps its minor ("9.6" -> "aurora-postgresql9.6").
 */
export function clusterParameterGroupFamily(engineVersion: string): string {
  const m = /^(\d+)\.(\d+)/.exec(engineVersion);
  if (!m) throw new Error(`not an Aurora PostgreSQL version: ${engineVersion}`);
  return Number(m[1]) >= 10 ? `aurora-postgresql${m[1]}` : `aurora-postgresql${m[1]}.${m[2]}`;
}

/**
 * Highest RDS Proxy `MaxConnectionsPercent` next to write forwarding: the proxy and forwarded
 * sessions share the writer's `max_connections`, so "reduce your proxy's MaxConnectionsPercent
 * value by the quota that's allotted for write forwarding" (Aurora user guide, "Using RDS Proxy
 * with Aurora global databases").
 */
export function maxProxyPoolPercent(maxForwardingConnectionsPercent: number): number {
  return 100 - maxForwardingConnectionsPercent;
}
