/**
 * The data tier of a region: the Aurora global database behind RDS Proxy, the sessions/carts
 * global table (primary stack only), and the wiring that lets exactly the configured client
 * services reach the proxy.
 *
 * Cross-region coupling is by naming convention, not StackReference: every stack file of a
 * deployment carries the same `securecart:database.globalClusterIdentifier` and
 * `securecart:sessions.tableName` (the cross-stack check in stacks/agreement.ts holds them equal). The
 * secondary joins the global cluster by that identifier, so prod-west deploys after prod-east with
 * no manual edits and needs no read access to prod-east's state (which a StackReference would,
 * and which would also tie the standby's deploys to the primary's backend being reachable during
 * exactly the outage the standby exists for).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  Fleet,
  Network,
  ProxiedDatabase,
  SessionTable,
  sessionTableAccessPolicy,
} from "../components";
import { POSTGRES_PORT } from "../components/data/databasePolicies";
import { forwardsWrites } from "../components/data/writeForwarding";
import { StackConfig } from "./config";

/** The data tier's resources and what services need from them. */
export interface DataTier {
  readonly database: ProxiedDatabase;
  /** The sessions table; only the primary stack creates it (every other region holds a replica). */
  readonly sessions: SessionTable | undefined;
  /**
   * Environment for a service's instances: database variables for database clients, the
   * sessions table's name and the region for sessions clients; undefined for neither.
   */
  environmentFor(service: string): Readonly<Record<string, pulumi.Input<string>>> | undefined;
}

/** Declares the database and, in the primary stack, the sessions table. */
export function createDataTier(
  cfg: StackConfig,
  network: Network,
  tags: Readonly<Record<string, string>>,
): DataTier {
  const db = cfg.database;
  const database = new ProxiedDatabase("db", {
    role: cfg.role,
    global: db.global,
    // Every region takes checkout with latency routing: each cluster forwards writes while it
    // is a secondary (components/data/writeForwarding.ts).
    globalWriteForwarding: forwardsWrites(cfg.routing, db.global),
    writeForwarding: db.writeForwarding,
    region: cfg.region,
    // The master secret's replicas: every other region of the global database.
    secretReplicaRegions: db.global ? cfg.peerRegions : [],
    globalClusterIdentifier: db.globalClusterIdentifier,
    engine: db.engine,
    engineVersion: db.engineVersion,
    instanceClass: db.instanceClass,
    readers: db.readers,
    backupRetentionDays: db.backupRetentionDays,
    finalSnapshot: db.finalSnapshot,
    vpcId: network.vpcId,
    availabilityZones: cfg.availabilityZones,
    isolatedSubnetIds: network.isolatedSubnetIds,
    pool: db.pool,
    idleClientTimeoutSeconds: db.idleClientTimeoutSeconds,
    rotationDays: db.rotationDays,
    tags,
  });
  const s = cfg.sessions;
  const sessions =
    cfg.role === "primary"
      ? new SessionTable("sessions", {
          tableName: s.tableName,
          replicaRegions: cfg.peerRegions,
          readCapacity: s.readCapacity,
          writeCapacity: s.writeCapacity,
          maxWriteCapacity: s.maxWriteCapacity,
          maxReadCapacity: s.maxReadCapacity,
          tags,
        })
      : undefined;
  // No auto scaling is declared for this region's replica in the secondary stack: DynamoDB
  // applies the global table's auto scaling (set up by the primary's SessionTable) to every
  // replica, and a second target-tracking policy on the replica is refused. See SessionTable.
  const clients = new Set(db.clients);
  const sessionClients = new Set(s.clients);
  // Every region's copy of the global table has the same name; AWS_REGION makes the SDK use
  // this region's copy (the one the role below is granted).
  const sessionEnvironment = { SESSIONS_TABLE: s.tableName, AWS_REGION: cfg.region };
  return {
    database,
    sessions,
    environmentFor: (service) => {
      const env = {
        ...(clients.has(service) ? database.clientEnvironment : {}),
        ...(sessionClients.has(service) ? sessionEnvironment : {}),
      };
      return Object.keys(env).length > 0 ? env : undefined;
    },
  };
}

/**
 * Opens the path from each client service to the proxy: egress from the service's security
 * group, ingress on the proxy's, and `rds-db:connect` for its instance role.
 */
export function connectDatabaseClients(
  cfg: StackConfig,
  data: DataTier,
  fleets: Readonly<Record<string, Fleet>>,
): void {
  for (const client of cfg.database.clients) {
    const fleet = fleets[client];
    new aws.vpc.SecurityGroupEgressRule(
      `${client}-to-db-proxy`,
      {
        securityGroupId: fleet.securityGroupId,
        referencedSecurityGroupId: data.database.proxySecurityGroupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "PostgreSQL to the RDS Proxy",
      },
      { parent: fleet },
    );
    data.database.allowClient(client, {
      securityGroupId: fleet.securityGroupId,
      roleName: fleet.roleName,
    });
  }
}

/**
 * Lets each sessions client's instance role read and write items of the sessions table in this
 * stack's own region (the replica here, or the table itself in the primary). HTTPS to DynamoDB
 * leaves through the fleet's egress on 443.
 */
export function connectSessionClients(
  cfg: StackConfig,
  fleets: Readonly<Record<string, Fleet>>,
): void {
  const accountId = aws.getCallerIdentityOutput({}).accountId;
  for (const client of cfg.sessions.clients) {
    const fleet = fleets[client];
    new aws.iam.RolePolicy(
      `${client}-sessions`,
      {
        role: fleet.roleName,
        policy: accountId.apply((account) =>
          JSON.stringify(sessionTableAccessPolicy(cfg.region, account, cfg.sessions.tableName)),
        ),
      },
      { parent: fleet },
    );
  }
}
