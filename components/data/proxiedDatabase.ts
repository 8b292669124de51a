import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  AURORA_ENGINE,
  POSTGRES_PORT,
  PoolSettings,
  databaseProblems,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  instanceIdentifier,
  instancePlacement,
  regionalClusterIdentifier,
} from "./databasePolicies";
import { DatabaseProxy, ProxyClientAccess } from "./databaseProxy";
import { RotatedDatabaseSecret } from "./rotatedSecret";
import {
  WRITE_FORWARDING_DEFAULTS,
  WriteForwardingSettings,
  clusterParameterGroupFamily,
  forwardingParameters,
  maxProxyPoolPercent,
  supportsGlobalWriteForwarding,
} from "./writeForwarding";

/** Arguments of {@link ProxiedDatabase}. */
export interface ProxiedDatabaseArgs {
  /**
   * `primary` creates the global cluster, the master credential and the writer cluster.
   * `secondary` joins the existing global cluster (by identifier) with no credentials of its own.
   */
  readonly role: "primary" | "secondary";
  /**
   * Whether the cluster is a region of an Aurora global database. A regional cluster (false) has
   * no global cluster and no replicas in other regions, so only `primary` is valid with it; it
   * may use any instance class and can turn deletion protection off (see `deletionProtection`).
   * @default true
   */
  readonly global?: boolean;
  /**
   * Deletion protection on the cluster (and `protect` on it). Only a regional cluster may turn
   * it off: a global cluster's regions are production by definition.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Global write forwarding on this cluster (`enableGlobalWriteForwarding`): while it is a
   * secondary, its readers forward DML to the global database's writer. Set it on every member
   * when every region takes checkout (latency routing); on the primary it takes effect once a
   * switchover or failover demotes it. Needs a global database and an engine version that
   * supports it (components/data/writeForwarding.ts).
   * @default false
   */
  readonly globalWriteForwarding?: boolean;
  /**
   * With `globalWriteForwarding`: the forwarding parameters this cluster's own cluster parameter
   * group sets (family from `engineVersion`); the quota also caps `pool.maxConnectionsPercent`.
   * @default WRITE_FORWARDING_DEFAULTS (components/data/writeForwarding.ts)
   */
  readonly writeForwarding?: WriteForwardingSettings;
  /** The stack's region. Names the regional cluster; must be the provider's region. */
  readonly region: string;
  /**
   * Primary only: the other regions of the global database, where the master secret keeps a
   * replica encrypted with a key of that region, so the master credential stays readable in the
   * region the writer moves to while this one is down (docs/data-tier-fixes.md, item 15).
   * @default - no replica
   */
  readonly secretReplicaRegions?: readonly string[];
  /**
   * Identifier of the Aurora global cluster; the same in every region. For a regional cluster it
   * is only the base of the cluster's identifier.
   */
  readonly globalClusterIdentifier: string;
  /**
   * Engine of the global cluster. Only `aurora-postgresql` is supported.
   * @default "aurora-postgresql"
   */
  readonly engine?: string;
  /** Aurora PostgreSQL version, e.g. `16.4`; every region must run the same one. */
  readonly engineVersion: string;
  /** Instance class of the writer and readers, memory-optimised (db.r5 or newer). */
  readonly instanceClass: string;
  /** Readers besides the writer, at least 1. */
  readonly readers: number;
  /** Days of automated backups, 7 to 35. */
  readonly backupRetentionDays: number;
  /**
   * Take the snapshot `<cluster>-final` when the cluster is deleted. Only a regional cluster
   * may turn it off: RDS refuses a final snapshot identifier that already exists
   * (DBClusterSnapshotAlreadyExistsFault), so a cluster torn down and rebuilt under the same
   * name (staging) can be deleted only once with it on.
   * @default true
   */
  readonly finalSnapshot?: boolean;
  /** VPC of the cluster and the proxy. */
  readonly vpcId: pulumi.Input<string>;
  /** AZs of `isolatedSubnetIds`, in the same order; instances are spread over them. */
  readonly availabilityZones: readonly string[];
  /** Isolated subnets (no route out), one per AZ: the cluster's subnet group and the proxy's. */
  readonly isolatedSubnetIds: readonly pulumi.Input<string>[];
  /** The proxy's connection pool. */
  readonly pool: PoolSettings;
  /**
   * Seconds a client connection may stay idle before the proxy closes it (1–28,800).
   * @default 1800
   */
  readonly idleClientTimeoutSeconds?: number;
  /**
   * Primary only: the master user, whose password is generated and kept in Secrets Manager.
   * @default "securecart_admin"
   */
  readonly masterUsername?: string;
  /**
   * Primary only: the database created with the cluster.
   * @default "securecart"
   */
  readonly databaseName?: string;
  /**
   * Primary only: days between rotations of the master secret (1–365).
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * The one application identity, in every region: the database user (granted `rds_iam`, no
   * other privileges than the app's grants) that the proxy and clients use with end-to-end IAM
   * authentication. It is created once on the primary and replicates (bootstrap:
   * docs/data-tier-fixes.md, item 6). No application ever connects as the master user.
   * @default "securecart_app"
   */
  readonly iamDatabaseUser?: string;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** What a client service needs to reach the database, as environment variables. */
export type DatabaseEnvironment = Readonly<Record<string, pulumi.Input<string>>>;

/**
 * An Aurora PostgreSQL cluster that is one region of a global database, reachable only through
 * RDS Proxy.
 *
 * - Cluster: encrypted with its own customer-managed KMS key, isolated subnets, deletion
 *   protection, ≥ 7 days of backups, a final snapshot (a regional cluster may skip it), `protect`, IAM database auth, a writer
 *   and readers in distinct AZs, none publicly accessible.
 * - Credentials (primary): Aurora can't manage the master password of a global database member
 *   (AWS: "DB clusters that are part of an Aurora global database" are unsupported for managed
 *   master passwords), so the password is generated by Secrets Manager, passed through
 *   write-only fields, and kept in a KMS-encrypted secret that AWS's rotation function rotates
 *   (see {@link RotatedDatabaseSecret}). The secondary stack declares no credentials; the
 *   primary keeps a read-only replica of the secret in the secondary's region.
 * - Proxy: POSTGRESQL, TLS required, clients must use IAM auth, pooled per config, a read-only
 *   endpoint. Both regions' proxies use end-to-end IAM auth as the one application user; no
 *   application connects as the master user. On the secondary only the read-only endpoint works
 *   until promotion.
 * - Security groups: the cluster admits 5432 only from the proxy; the proxy only from the
 *   clients given to {@link ProxiedDatabase.allowClient}.
 */
export class ProxiedDatabase extends pulumi.ComponentResource {
  /** The proxy's default (read/write) endpoint: the writer. */
  public readonly proxyEndpoint: pulumi.Output<string>;
  /** The proxy's read-only endpoint: the readers. */
  public readonly proxyReadEndpoint: pulumi.Output<string>;
  /** The proxy's ARN. */
  public readonly proxyArn: pulumi.Output<string>;
  /** The proxy's name (CloudWatch's `ProxyName` dimension). */
  public readonly proxyName: pulumi.Output<string>;
  /** The proxy's security group: clients need egress to it. */
  public readonly proxySecurityGroupId: pulumi.Output<string>;
  /** The cluster's security group. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The regional cluster's identifier. */
  public readonly clusterIdentifier: pulumi.Output<string>;
  /** The regional cluster's ARN. */
  public readonly clusterArn: pulumi.Output<string>;
  /** The KMS key that encrypts the cluster (and, on the primary, the master secret). */
  public readonly kmsKeyArn: pulumi.Output<string>;
  /** Primary: the master secret's ARN. Secondary: undefined. */
  public readonly masterSecretArn: pulumi.Output<string> | undefined;
  /** The database user clients connect as (with an IAM token). */
  public readonly clientDatabaseUser: string;
  /** Variables a client service gets: proxy endpoints, port, user, database (no secret). */
  public readonly clientEnvironment: DatabaseEnvironment;

  private readonly proxy: DatabaseProxy;
  private readonly accountId: pulumi.Output<string>;

  constructor(name: string, args: ProxiedDatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:ProxiedDatabase", name, {}, opts);
    const engine = args.engine ?? AURORA_ENGINE;
    const idleClientTimeoutSeconds = args.idleClientTimeoutSeconds ?? 1800;
    const masterUsername = args.masterUsername ?? "securecart_admin";
    const databaseName = args.databaseName ?? "securecart";
    const iamDatabaseUser = args.iamDatabaseUser ?? "securecart_app";
    const rotationDays = args.rotationDays ?? 30;
    const tags = args.tags ?? {};
    const primary = args.role === "primary";
    const global = args.global ?? true;
    const deletionProtection = args.deletionProtection ?? true;
    const globalWriteForwarding = args.globalWriteForwarding ?? false;
    const writeForwarding = args.writeForwarding ?? WRITE_FORWARDING_DEFAULTS;
    const finalSnapshot = args.finalSnapshot ?? true;
    // One least-privilege identity in every region; the master user is for rotation and
    // bootstrap only, and the proxy has no way to log in as it.
    const clientDatabaseUser = iamDatabaseUser;

    const problems = databaseProblems({
      engine,
      globalClusterIdentifier: args.globalClusterIdentifier,
      region: args.region,
      instanceClass: args.instanceClass,
      readers: args.readers,
      backupRetentionDays: args.backupRetentionDays,
      availabilityZones: args.availabilityZones,
      pool: args.pool,
      idleClientTimeoutSeconds,
      global,
    });
    if (!global && !primary) {
      problems.push(
        "role must be primary for a regional cluster (global: false): there is no global database to join",
      );
    }
    if (global && !deletionProtection) {
      problems.push(
        "deletionProtection must stay on for a global database member; only a regional cluster may turn it off",
      );
    }
    if (global && !finalSnapshot) {
      problems.push(
        "finalSnapshot must stay on for a global database member; only a regional cluster may skip it",
      );
    }
    if (globalWriteForwarding && !global) {
      problems.push(
        "globalWriteForwarding needs a global database: a regional cluster has its own writer and RDS accepts the flag only on global database members",
      );
    }
    const poolCeiling = maxProxyPoolPercent(writeForwarding.maxForwardingConnectionsPercent);
    if (globalWriteForwarding && args.pool.maxConnectionsPercent > poolCeiling) {
      problems.push(
        `pool.maxConnectionsPercent must be at most ${poolCeiling} with globalWriteForwarding: forwarded sessions take writeForwarding.maxForwardingConnectionsPercent (${writeForwarding.maxForwardingConnectionsPercent}) % of the writer's max_connections; got ${args.pool.maxConnectionsPercent}`,
      );
    }
    if (globalWriteForwarding && !supportsGlobalWriteForwarding(args.engineVersion)) {
      problems.push(
        `globalWriteForwarding needs Aurora PostgreSQL 14.9+, 15.4+ or 16 and later; got engineVersion ${args.engineVersion}`,
      );
    }
    if (args.isolatedSubnetIds.length !== args.availabilityZones.length) {
      problems.push(
        `isolatedSubnetIds must have one subnet per AZ (${args.availabilityZones.length}); got ${args.isolatedSubnetIds.length}`,
      );
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const child = { parent: this };
    const clusterId = regionalClusterIdentifier(args.globalClusterIdentifier, args.region);
    this.accountId = aws.getCallerIdentityOutput({}, child).accountId;

    // KMS keys are regional: each region encrypts its cluster with its own key (AWS-FACTS §4).
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        // Only the primary's stack holds the master secret (a KMS key's description changes in
        // place, so correcting it replaces nothing).
        description: primary
          ? `Encrypts Aurora cluster ${clusterId}, its Performance Insights and its master secret`
          : `Encrypts Aurora cluster ${clusterId} and its Performance Insights`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/${clusterId}`, targetKeyId: key.keyId },
      child,
    );

    const dbSg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `Aurora cluster ${clusterId}; admits only its RDS Proxy`,
        tags: { ...tags, Name: `${name}-sg` },
      },
      child,
    );
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        name: clusterId,
        description: `Isolated subnets of ${clusterId}`,
        subnetIds: [...args.isolatedSubnetIds],
        tags,
      },
      child,
    );

    let globalClusterIdentifier: pulumi.Input<string> = args.globalClusterIdentifier;
    let globalWriterEndpoint: pulumi.Output<string> | undefined;
    let credentials: Partial<aws.rds.ClusterArgs> = {};
    let password: pulumi.Output<string> | undefined;
    if (primary && global) {
      const globalCluster = new aws.rds.GlobalCluster(
        `${name}-global`,
        {
          globalClusterIdentifier: args.globalClusterIdentifier,
          engine,
          engineVersion: args.engineVersion,
          databaseName,
          storageEncrypted: true,
          deletionProtection: true,
        },
        { parent: this, protect: true },
      );
      globalClusterIdentifier = globalCluster.globalClusterIdentifier;
      globalWriterEndpoint = globalCluster.endpoint;
    }
    if (primary) {
      // Generated by Secrets Manager at deploy time and only ever passed to write-only fields:
      // never in config or code, and encrypted (as a secret input) in state.
      password = pulumi.secret(
        aws.secretsmanager.getRandomPasswordOutput(
          { passwordLength: 40, excludePunctuation: true, requireEachIncludedType: true },
          child,
        ).randomPassword,
      );
      credentials = {
        masterUsername,
        masterPasswordWo: password,
        masterPasswordWoVersion: 1,
        databaseName,
      };
    }

    // Forwarding's parameters stated rather than left to engine defaults: the default group
    // lists consistency_mode as off (docs/topology.md, "Cluster parameter group").
    const parameterGroup = globalWriteForwarding
      ? new aws.rds.ClusterParameterGroup(
          `${name}-cluster-params`,
          {
            family: clusterParameterGroupFamily(args.engineVersion),
            description: `Global write forwarding settings of ${clusterId}`,
            parameters: forwardingParameters(writeForwarding),
            tags,
          },
          { parent: this },
        )
      : undefined;

    const cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      {
        ...(parameterGroup ? { dbClusterParameterGroupName: parameterGroup.name } : {}),
        clusterIdentifier: clusterId,
        engine,
        engineVersion: args.engineVersion,
        ...(global ? { globalClusterIdentifier } : {}),
        ...(globalWriteForwarding ? { enableGlobalWriteForwarding: true } : {}),
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [dbSg.id],
        port: POSTGRES_PORT,
        storageEncrypted: true,
        kmsKeyId: key.arn,
        iamDatabaseAuthenticationEnabled: true,
        deletionProtection,
        backupRetentionPeriod: args.backupRetentionDays,
        copyTagsToSnapshot: true,
        // RDS refuses a final snapshot identifier together with skipping it.
        ...(finalSnapshot
          ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${clusterId}-final` }
          : { skipFinalSnapshot: true }),
        enabledCloudwatchLogsExports: ["postgresql"],
        ...credentials,
        tags,
      },
      {
        parent: this,
        protect: deletionProtection,
        ignoreChanges: [
          // AWS sets replicationSourceIdentifier on whichever cluster is secondary, and a
          // switchover or failover moves that role without any change to this program.
          "replicationSourceIdentifier",
          // The global cluster owns the version and upgrades every member; a member that
          // compared its own would plan a downgrade after each upgrade (the provider's
          // GlobalCluster docs, "Upgrading Engine Versions"). A regional cluster owns its own.
          ...(global ? ["engineVersion"] : []),
        ],
      },
    );

    const instances = new Map<string, aws.rds.ClusterInstance>();
    let first: aws.rds.ClusterInstance | undefined;
    for (const p of instancePlacement(args.availabilityZones, args.readers)) {
      const instance = new aws.rds.ClusterInstance(
        `${name}-${p.key}`,
        {
          identifier: instanceIdentifier(clusterId, p.key),
          clusterIdentifier: cluster.id,
          engine: engine as aws.rds.EngineType,
          // No engineVersion: the instance runs its cluster's, and upgrades go through the global
          // cluster (docs/data-tier-fixes.md, "Engine upgrades").
          instanceClass: args.instanceClass,
          availabilityZone: p.availabilityZone,
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          promotionTier: p.promotionTier,
          // AWS doesn't apply automatic minor version upgrades to global database members
          // (AWS Knowledge Center, "upgrade an Aurora global database"); left on so that a
          // cluster taken out of the global database keeps getting them.
          autoMinorVersionUpgrade: true,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: key.arn,
          performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
          tags: { ...tags, AvailabilityZone: p.availabilityZone },
        },
        // Aurora makes the first instance the writer: the others wait for it.
        { parent: this, dependsOn: first ? [first] : [] },
      );
      first ??= instance;
      instances.set(p.key, instance);
    }

    if (primary && password) {
      const master = new RotatedDatabaseSecret(
        `${name}-master`,
        {
          region: args.region,
          vpcId: args.vpcId,
          subnetIds: args.isolatedSubnetIds,
          databaseSecurityGroupId: dbSg.id,
          kmsKeyArn: key.arn,
          value: {
            // The global writer endpoint, which Aurora points at the current writer after every
            // switchover or failover, so the secret (and its rotation) follows the writer rather
            // than this region's cluster endpoint (docs/data-tier-fixes.md, item 15). A regional
            // cluster's own endpoint is always its writer.
            host: globalWriterEndpoint ?? cluster.endpoint,
            port: POSTGRES_PORT,
            username: masterUsername,
            password,
            dbname: databaseName,
            dbClusterIdentifier: clusterId,
          },
          rotationDays,
          replicas: (args.secretReplicaRegions ?? []).map((region) => ({
            region,
            kmsKeyArn: new aws.kms.Key(
              `${name}-master-key-${region}`,
              {
                // KMS keys are regional and the replica is configured on this secret, which
                // exists before the other region's stack (and its own key) does, so the key that
                // encrypts the copy in `region` is created here, in that region.
                region,
                description: `Encrypts the ${region} replica of the master secret of ${clusterId}`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags,
              },
              // After a disaster the replica may be promoted to a standalone secret
              // (stop-replication-to-replica) that still uses this key, while this stack keeps
              // the key in its state. Deleting a KMS key makes what it encrypted unrecoverable
              // (KMS developer guide, "Delete an AWS KMS key"), so neither a destroy of this
              // stack nor dropping the region may schedule its deletion: `protect` stops the
              // plan, `retainOnDelete` leaves the key in AWS once someone unprotects it. The
              // runbook (docs/runbooks/role-flip.md) says when it is safe to delete by hand.
              { ...child, protect: true, retainOnDelete: true },
            ).arn,
          })),
          rotateAfter: [...instances.values()],
          tags,
        },
        child,
      );
      this.masterSecretArn = master.secretArn;
    }

    this.proxy = new DatabaseProxy(
      `${name}-proxy`,
      {
        proxyName: `${clusterId}-proxy`,
        readEndpointName: `${clusterId}-ro`,
        region: args.region,
        accountId: this.accountId,
        vpcId: args.vpcId,
        subnetIds: args.isolatedSubnetIds,
        databaseSecurityGroupId: dbSg.id,
        clusterIdentifier: cluster.clusterIdentifier,
        instances: [...instances.values()],
        // End-to-end IAM auth in both regions: the proxy logs in as the application user with
        // its own role's token, and never holds the master secret.
        login: {
          kind: "iam",
          clusterResourceId: cluster.clusterResourceId,
          databaseUser: iamDatabaseUser,
        },
        clientDatabaseUser,
        pool: args.pool,
        idleClientTimeoutSeconds,
        tags,
      },
      child,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-proxy`,
      {
        securityGroupId: dbSg.id,
        referencedSecurityGroupId: this.proxy.securityGroupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "PostgreSQL from the RDS Proxy only",
      },
      child,
    );

    this.proxyEndpoint = this.proxy.endpoint;
    this.proxyReadEndpoint = this.proxy.readEndpoint;
    this.proxyArn = this.proxy.arn;
    this.proxyName = this.proxy.proxyName;
    this.proxySecurityGroupId = this.proxy.securityGroupId;
    this.clusterSecurityGroupId = dbSg.id;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.kmsKeyArn = key.arn;
    this.clientDatabaseUser = clientDatabaseUser;
    this.clientEnvironment = {
      DB_PROXY_ENDPOINT: this.proxyEndpoint,
      DB_PROXY_READ_ENDPOINT: this.proxyReadEndpoint,
      DB_PORT: String(POSTGRES_PORT),
      DB_NAME: databaseName,
      DB_USER: this.clientDatabaseUser,
      DB_AUTH: "iam",
      // Where checkout writes go while this region's cluster is a secondary: "global" means
      // through the proxy's read-only endpoint, whose readers forward DML to the writer (the
      // read/write endpoint has no instance on a secondary). docs/topology.md lists what the
      // app must do (consistency mode, statements forwarding refuses).
      ...(globalWriteForwarding ? { DB_WRITE_FORWARDING: "global" } : {}),
    };
    this.registerOutputs({
      proxyEndpoint: this.proxyEndpoint,
      proxyReadEndpoint: this.proxyReadEndpoint,
      proxyArn: this.proxyArn,
      proxyName: this.proxyName,
      proxySecurityGroupId: this.proxySecurityGroupId,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      kmsKeyArn: this.kmsKeyArn,
      masterSecretArn: this.masterSecretArn,
      clientDatabaseUser: this.clientDatabaseUser,
      clientEnvironment: this.clientEnvironment,
    });
  }

  /**
   * Lets one client service in through the proxy (see {@link DatabaseProxy.allowClient}). The
   * client's own egress rule to {@link proxySecurityGroupId} belongs to the caller.
   */
  allowClient(client: string, access: ProxyClientAccess): void {
    this.proxy.allowClient(client, access);
  }
}
