/**
 * Pure helpers of {@link ProxiedDatabase}: IAM policy documents, identifier naming, instance
 * placement and argument validation. No Pulumi resources here, so all of it is testable directly.
 */

/** The only engine this design supports: RDS Proxy's POSTGRESQL family over Aurora PostgreSQL. */
export const AURORA_ENGINE = "aurora-postgresql";

/** PostgreSQL's port; the proxy and the cluster both listen on it. */
export const POSTGRES_PORT = 5432;

/**
 * Days of Performance Insights data kept: 7 is the free tier. RDS accepts 7, 31 × (1–23) months
 * or 731 (CreateDBInstance, `PerformanceInsightsRetentionPeriod`).
 */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** AWS limits the database design validates against (AWS-FACTS.md §3 and §4). */
export const DATABASE_LIMITS = {
  /** RDS keeps automated backups 1–35 days; we require at least a week. */
  backupRetentionMinDays: 7,
  backupRetentionMaxDays: 35,
  /** Aurora allows up to 15 replicas per cluster. */
  readersMin: 1,
  readersMax: 15,
  /** RDS Proxy connection pool: MaxConnectionsPercent 1–100. */
  maxConnectionsPercentMin: 1,
  maxConnectionsPercentMax: 100,
  /** ConnectionBorrowTimeout 0–300 s. */
  borrowTimeoutMaxSeconds: 300,
  /** IdleClientTimeout 1–28,800 s. */
  idleClientTimeoutMinSeconds: 1,
  idleClientTimeoutMaxSeconds: 28800,
  /** DB cluster identifiers: 1–63 characters. */
  identifierMaxLength: 63,
} as const;

/**
 * RDS identifiers: a letter first, then letters, digits and single hyphens, no trailing hyphen.
 * Global cluster and cluster identifiers follow the same rule.
 */
export const RDS_IDENTIFIER = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** Aurora global databases want memory-optimised classes, db.r5 or newer (AWS-FACTS.md §4). */
export const GLOBAL_INSTANCE_CLASS = /^db\.(r[5-9][a-z]*|x2[a-z]*)\.[a-z0-9]+$/;

/**
 * The regional cluster's identifier: the global cluster's plus the region. Both stacks derive it
 * from config alone, so neither needs the other's outputs, and AWS's rule that cluster names are
 * unique across the global database's regions holds by construction.
 */
export function regionalClusterIdentifier(globalClusterIdentifier: string, region: string): string {
  return `${globalClusterIdentifier}-${region}`;
}

/** A DB instance's identifier: the regional cluster's plus the placement key (`…-us-east-1-a`). */
export function instanceIdentifier(clusterIdentifier: string, key: string): string {
  return `${clusterIdentifier}-${key}`;
}

/** One DB instance of the cluster, keyed by its AZ letter. */
export interface InstancePlacement {
  /**
   * The AZ letter, plus the round for a second instance in the same AZ: `a`, `b`, `c`, `a2`, …
   * It names the instance, so it must not depend on the order of the configured AZs.
   */
  readonly key: string;
  readonly availabilityZone: string;
  /**
   * Aurora promotes the lowest tier first. The instance created first becomes the writer, and
   * the next in line sits in another AZ.
   */
  readonly promotionTier: number;
}

/** Aurora accepts promotion tiers 0–15. */
export const PROMOTION_TIER_MAX = 15;

/**
 * Places `readers + 1` instances round-robin over the AZs in the order of their letters, not of
 * the list: reordering `availabilityZones` in config must not move (and so replace) an instance,
 * the rule that already keys subnets by AZ letter. The first instance (created first, so the
 * writer) goes to the lowest letter and the next ones to the following AZs, so the writer and
 * its first failover target are never in the same AZ and a lost AZ never takes both.
 */
export function instancePlacement(
  availabilityZones: readonly string[],
  readers: number,
): InstancePlacement[] {
  const byLetter = [...new Set(availabilityZones)].sort();
  const placements: InstancePlacement[] = [];
  for (let i = 0; i <= readers; i++) {
    const az = byLetter[i % byLetter.length];
    const round = Math.floor(i / byLetter.length);
    placements.push({
      key: `${az.slice(-1)}${round === 0 ? "" : round + 1}`,
      availabilityZone: az,
      promotionTier: Math.min(i, PROMOTION_TIER_MAX),
    });
  }
  return placements;
}

/** Connection pool of the proxy's default target group. */
export interface PoolSettings {
  /** Share of the database's max_connections the proxy may open (1–100). */
  readonly maxConnectionsPercent: number;
  /** Share it may keep idle (0..maxConnectionsPercent). */
  readonly maxIdleConnectionsPercent: number;
  /** Seconds a client waits for a pooled connection (0–300). */
  readonly connectionBorrowTimeoutSeconds: number;
}

/** The plain values {@link databaseProblems} checks. */
export interface DatabaseSettings {
  readonly engine: string;
  readonly globalClusterIdentifier: string;
  readonly region: string;
  readonly instanceClass: string;
  readonly readers: number;
  readonly backupRetentionDays: number;
  readonly availabilityZones: readonly string[];
  readonly pool: PoolSettings;
  readonly idleClientTimeoutSeconds: number;
  /** Whether the cluster is a member of a global database. @default true */
  readonly global?: boolean;
}

const isInt = (n: number) => Number.isInteger(n);

/**
 * Every problem with the settings, as messages that name the argument, the value found and the
 * fix. Empty when they can deploy.
 */
export function databaseProblems(s: DatabaseSettings): string[] {
  const L = DATABASE_LIMITS;
  const problems: string[] = [];
  if (s.engine !== AURORA_ENGINE) {
    problems.push(
      `engine must be "${AURORA_ENGINE}" (the only engine the proxy and the global database are built for); got "${s.engine}"`,
    );
  }
  const clusterId = regionalClusterIdentifier(s.globalClusterIdentifier, s.region);
  if (!RDS_IDENTIFIER.test(s.globalClusterIdentifier)) {
    problems.push(
      `globalClusterIdentifier must start with a letter and hold only lower-case letters, digits and single hyphens, not ending in a hyphen; got "${s.globalClusterIdentifier}"`,
    );
  } else if (clusterId.length > L.identifierMaxLength) {
    problems.push(
      `globalClusterIdentifier is too long: the regional cluster "${clusterId}" has ${clusterId.length} characters, RDS allows ${L.identifierMaxLength}. Shorten it`,
    );
  } else if (isInt(s.readers) && s.readers >= 0 && s.availabilityZones.length > 0) {
    const longest = instancePlacement(s.availabilityZones, s.readers)
      .map((p) => instanceIdentifier(clusterId, p.key))
      .reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length > L.identifierMaxLength) {
      problems.push(
        `globalClusterIdentifier is too long: DB instance "${longest}" has ${longest.length} characters, RDS allows ${L.identifierMaxLength}. Shorten it`,
      );
    }
  }
  if ((s.global ?? true) && !GLOBAL_INSTANCE_CLASS.test(s.instanceClass)) {
    problems.push(
      `instanceClass must be a memory-optimised class db.r5 or newer (e.g. db.r7g.large), as Aurora global databases need; got "${s.instanceClass}"`,
    );
  }
  if (!isInt(s.readers) || s.readers < L.readersMin || s.readers > L.readersMax) {
    problems.push(
      `readers must be an integer from ${L.readersMin} to ${L.readersMax}: the writer needs a reader in another AZ to fail over to; got ${s.readers}`,
    );
  }
  if (
    !isInt(s.backupRetentionDays) ||
    s.backupRetentionDays < L.backupRetentionMinDays ||
    s.backupRetentionDays > L.backupRetentionMaxDays
  ) {
    problems.push(
      `backupRetentionDays must be an integer from ${L.backupRetentionMinDays} to ${L.backupRetentionMaxDays}; got ${s.backupRetentionDays}`,
    );
  }
  if (new Set(s.availabilityZones).size < 2) {
    problems.push(
      `availabilityZones must name at least 2 distinct AZs (RDS Proxy needs subnets in 2 AZs, the writer and reader need their own); got ${JSON.stringify(s.availabilityZones)}`,
    );
  }
  const p = s.pool;
  if (
    !isInt(p.maxConnectionsPercent) ||
    p.maxConnectionsPercent < L.maxConnectionsPercentMin ||
    p.maxConnectionsPercent > L.maxConnectionsPercentMax
  ) {
    problems.push(
      `pool.maxConnectionsPercent must be an integer from ${L.maxConnectionsPercentMin} to ${L.maxConnectionsPercentMax}; got ${p.maxConnectionsPercent}`,
    );
  } else if (
    !isInt(p.maxIdleConnectionsPercent) ||
    p.maxIdleConnectionsPercent < 0 ||
    p.maxIdleConnectionsPercent > p.maxConnectionsPercent
  ) {
    problems.push(
      `pool.maxIdleConnectionsPercent must be an integer from 0 to maxConnectionsPercent (${p.maxConnectionsPercent}); got ${p.maxIdleConnectionsPercent}`,
    );
  }
  if (
    !isInt(p.connectionBorrowTimeoutSeconds) ||
    p.connectionBorrowTimeoutSeconds < 0 ||
    p.connectionBorrowTimeoutSeconds > L.borrowTimeoutMaxSeconds
  ) {
    problems.push(
      `pool.connectionBorrowTimeoutSeconds must be an integer from 0 to ${L.borrowTimeoutMaxSeconds}; got ${p.connectionBorrowTimeoutSeconds}`,
    );
  }
  if (
    !isInt(s.idleClientTimeoutSeconds) ||
    s.idleClientTimeoutSeconds < L.idleClientTimeoutMinSeconds ||
    s.idleClientTimeoutSeconds > L.idleClientTimeoutMaxSeconds
  ) {
    problems.push(
      `idleClientTimeoutSeconds must be an integer from ${L.idleClientTimeoutMinSeconds} to ${L.idleClientTimeoutMaxSeconds}; got ${s.idleClientTimeoutSeconds}`,
    );
  }
  return problems;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/** Trust policy that lets one AWS service assume a role. */
export function serviceTrustPolicy(service: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  };
}

/**
 * What the proxy's role may do with the master secret: read exactly that secret, and decrypt
 * with exactly its key, and only when Secrets Manager in this region asks KMS on its behalf.
 */
export function proxySecretPolicy(
  secretArn: string,
  kmsKeyArn: string,
  region: string,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadTheMasterSecret",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: secretArn,
      },
      {
        Sid: "DecryptItThroughSecretsManager",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
      },
    ],
  };
}

/**
 * ARN that `rds-db:connect` grants on: a database user behind a cluster (`cluster-…`) or a proxy
 * (`prx-…`) resource ID.
 */
export function dbUserArn(
  region: string,
  accountId: string,
  resourceId: string,
  dbUser: string,
): string {
  return `arn:aws:rds-db:${region}:${accountId}:dbuser:${resourceId}/${dbUser}`;
}

/** `rds-db:connect` as exactly one database user behind exactly one resource. */
export function dbConnectPolicy(
  region: string,
  accountId: string,
  resourceId: string,
  dbUser: string,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConnectWithIamAuth",
        Effect: "Allow",
        Action: "rds-db:connect",
        Resource: dbUserArn(region, accountId, resourceId, dbUser),
      },
    ],
  };
}

/** The proxy's resource ID (`prx-…`), the last part of its ARN. */
export function proxyResourceId(proxyArn: string): string {
  return proxyArn.slice(proxyArn.lastIndexOf(":") + 1);
}
