import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  POSTGRES_PORT,
  PoolSettings,
  dbConnectPolicy,
  proxyResourceId,
  proxySecretPolicy,
  serviceTrustPolicy,
} from "./databasePolicies";

/** How the proxy logs in to the database. */
export type ProxyLogin =
  /** With a Secrets Manager secret it may read (and decrypt with exactly its key). */
  | {
      readonly kind: "secret";
      readonly secretArn: pulumi.Input<string>;
      readonly kmsKeyArn: pulumi.Input<string>;
    }
  /** End-to-end IAM auth as one database user (granted `rds_iam`) of one cluster. */
  | {
      readonly kind: "iam";
      readonly clusterResourceId: pulumi.Input<string>;
      readonly databaseUser: string;
    };

/** What a client service brings to the proxy: its security group and its instance role. */
export interface ProxyClientAccess {
  readonly securityGroupId: pulumi.Input<string>;
  readonly roleName: pulumi.Input<string>;
}

/** Arguments of {@link DatabaseProxy}. */
export interface DatabaseProxyArgs {
  /** The proxy's name in RDS; its read-only endpoint is `<name minus -proxy>-ro`. */
  readonly proxyName: string;
  /** Name of the read-only endpoint. */
  readonly readEndpointName: string;
  /** The stack's region (IAM documents name it). */
  readonly region: string;
  /** The AWS account (IAM documents name it). */
  readonly accountId: pulumi.Input<string>;
  /** VPC of the database. */
  readonly vpcId: pulumi.Input<string>;
  /** Subnets of the proxy and its endpoints, in ≥ 2 AZs (AWS requires 2). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The database's security group: the proxy may send to it on 5432. */
  readonly databaseSecurityGroupId: pulumi.Input<string>;
  /** The Aurora cluster the proxy fronts. */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** The cluster's instances: the target waits for them. */
  readonly instances: readonly pulumi.Resource[];
  /** How the proxy logs in to the database. */
  readonly login: ProxyLogin;
  /** The database user clients connect as, with IAM tokens. */
  readonly clientDatabaseUser: string;
  /** The default target group's connection pool. */
  readonly pool: PoolSettings;
  /** Seconds before an idle client connection is closed (1–28,800). */
  readonly idleClientTimeoutSeconds: number;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * RDS Proxy in front of one Aurora PostgreSQL cluster: TLS required, IAM auth required of
 * clients, a pooled default target group, a read-only endpoint, its own security group (no
 * ingress until {@link DatabaseProxy.allowClient}) and a role that may log in and nothing more.
 */
export class DatabaseProxy extends pulumi.ComponentResource {
  /** Default endpoint: the writer (fails while the cluster is a global secondary). */
  public readonly endpoint: pulumi.Output<string>;
  /** Read-only endpoint: the readers. */
  public readonly readEndpoint: pulumi.Output<string>;
  /** The proxy's ARN. */
  public readonly arn: pulumi.Output<string>;
  /** The proxy's name, as RDS knows it (CloudWatch's `ProxyName` dimension). */
  public readonly proxyName: pulumi.Output<string>;
  /** The proxy's security group. */
  public readonly securityGroupId: pulumi.Output<string>;

  private readonly name: string;
  private readonly args: DatabaseProxyArgs;

  constructor(name: string, args: DatabaseProxyArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:DatabaseProxy", name, {}, opts);
    const tags = args.tags ?? {};
    if (args.subnetIds.length < 2) {
      throw new pulumi.ResourceError(
        `subnetIds must span at least 2 AZs (RDS Proxy requires it); got ${args.subnetIds.length}`,
        this,
      );
    }
    this.name = name;
    this.args = args;
    const child = { parent: this };

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `RDS Proxy ${args.proxyName}; admits only the client services of the database`,
        tags: { ...tags, Name: `${name}-sg` },
      },
      child,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-db`,
      {
        securityGroupId: sg.id,
        referencedSecurityGroupId: args.databaseSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: "PostgreSQL to the Aurora cluster",
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Lets RDS Proxy ${args.proxyName} log in to the database`,
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("rds.amazonaws.com")),
        tags,
      },
      child,
    );
    const login = args.login;
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy:
          login.kind === "secret"
            ? pulumi
                .all([login.secretArn, login.kmsKeyArn])
                .apply(([s, k]) => JSON.stringify(proxySecretPolicy(s, k, args.region)))
            : pulumi
                .all([args.accountId, login.clusterResourceId])
                .apply(([account, resourceId]) =>
                  JSON.stringify(
                    dbConnectPolicy(args.region, account, resourceId, login.databaseUser),
                  ),
                ),
      },
      child,
    );

    const subnetIds = [...args.subnetIds];
    const proxy = new aws.rds.Proxy(
      name,
      {
        name: args.proxyName,
        engineFamily: "POSTGRESQL",
        requireTls: true,
        idleClientTimeout: args.idleClientTimeoutSeconds,
        roleArn: role.arn,
        vpcSubnetIds: subnetIds,
        vpcSecurityGroupIds: [sg.id],
        debugLogging: false,
        ...(login.kind === "secret"
          ? {
              auths: [
                {
                  authScheme: "SECRETS",
                  secretArn: login.secretArn,
                  iamAuth: "REQUIRED",
                  description: "Master user; clients authenticate with IAM tokens",
                },
              ],
            }
          : { defaultAuthScheme: "IAM_AUTH" }),
        tags,
      },
      child,
    );
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
      `${name}-pool`,
      {
        dbProxyName: proxy.name,
        connectionPoolConfig: {
          maxConnectionsPercent: args.pool.maxConnectionsPercent,
          maxIdleConnectionsPercent: args.pool.maxIdleConnectionsPercent,
          connectionBorrowTimeout: args.pool.connectionBorrowTimeoutSeconds,
        },
      },
      child,
    );
    new aws.rds.ProxyTarget(
      `${name}-target`,
      {
        dbProxyName: proxy.name,
        targetGroupName: targetGroup.name,
        dbClusterIdentifier: args.clusterIdentifier,
      },
      { parent: this, dependsOn: [...args.instances] },
    );
    const readEndpoint = new aws.rds.ProxyEndpoint(
      `${name}-ro`,
      {
        dbProxyName: proxy.name,
        dbProxyEndpointName: args.readEndpointName,
        targetRole: "READ_ONLY",
        vpcSubnetIds: subnetIds,
        vpcSecurityGroupIds: [sg.id],
        tags,
      },
      child,
    );

    this.endpoint = proxy.endpoint;
    this.readEndpoint = readEndpoint.endpoint;
    this.arn = proxy.arn;
    this.proxyName = proxy.name;
    this.securityGroupId = sg.id;
    this.registerOutputs({
      endpoint: this.endpoint,
      readEndpoint: this.readEndpoint,
      arn: this.arn,
      proxyName: this.proxyName,
      securityGroupId: this.securityGroupId,
    });
  }

  /**
   * Lets one client service in: its security group may reach the proxy on 5432, and its
   * instance role may `rds-db:connect` through this proxy as the client database user only.
   * The client's own egress rule to {@link securityGroupId} belongs to the caller.
   */
  allowClient(client: string, access: ProxyClientAccess): void {
    const child = { parent: this };
    const { region, accountId, clientDatabaseUser } = this.args;
    new aws.vpc.SecurityGroupIngressRule(
      `${this.name}-from-${client}`,
      {
        securityGroupId: this.securityGroupId,
        referencedSecurityGroupId: access.securityGroupId,
        ipProtocol: "tcp",
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        description: `PostgreSQL from ${client}`,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${this.name}-connect-${client}`,
      {
        role: access.roleName,
        policy: pulumi
          .all([accountId, this.arn])
          .apply(([account, arn]) =>
            JSON.stringify(
              dbConnectPolicy(region, account, proxyResourceId(arn), clientDatabaseUser),
            ),
          ),
      },
      child,
    );
  }
}
