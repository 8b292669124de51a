import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * AWS's single-user rotation function for PostgreSQL, published in the Serverless Application
 * Repository by Secrets Manager's account.
 */
export const POSTGRES_ROTATION_APP =
  "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser";

/** Secrets Manager accepts a rotation interval of 1 to 1000 days; we cap it at a year. */
export const ROTATION_DAYS = { min: 1, max: 365 } as const;

/** A copy of the secret that Secrets Manager keeps in another region. */
export interface SecretReplica {
  /** The replica's region; not the secret's own. */
  readonly region: string;
  /** A customer managed key in that region (KMS keys are regional) that encrypts the copy. */
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** Arguments of {@link RotatedDatabaseSecret}. */
export interface RotatedDatabaseSecretArgs {
  /** The stack's region (the rotation function calls Secrets Manager there). */
  readonly region: string;
  /** VPC of the database. */
  readonly vpcId: pulumi.Input<string>;
  /** Isolated subnets for the rotation function and the Secrets Manager endpoint, ≥ 2 AZs. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The database's security group: it admits the rotation function on `port`. */
  readonly databaseSecurityGroupId: pulumi.Input<string>;
  /** Customer-managed key that encrypts the secret. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Fields of the secret (Secrets Manager's RDS format): engine, host, port, username, … */
  readonly value: {
    readonly host: pulumi.Input<string>;
    readonly port: number;
    readonly username: string;
    /** Only ever sent through write-only fields. */
    readonly password: pulumi.Input<string>;
    readonly dbname: string;
    readonly dbClusterIdentifier: string;
  };
  /** Days between rotations (1–365). */
  readonly rotationDays: number;
  /**
   * Regions that keep a read-only replica of the secret, each encrypted with its own key, so the
   * master credential can be read where the writer may move while this region is down. Rotation
   * stays here: "Secrets Manager rotates the secret in the primary Region, and the new secret
   * value propagates to all of the associated replica secrets" (Secrets Manager user guide,
   * "Replicate secrets across Regions").
   * @default - no replica
   */
  readonly replicas?: readonly SecretReplica[];
  /** Resources that must exist before the first rotation, e.g. the DB instances. */
  readonly rotateAfter?: pulumi.Input<pulumi.Resource>[];
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A database's master credential in Secrets Manager, rotated on a schedule by AWS's own
 * rotation function running inside the VPC.
 *
 * The function lives in the isolated subnets, which have no route out, so it reaches Secrets
 * Manager through an interface endpoint; its security group may reach only the database and the
 * endpoint. It connects to the database directly (the proxy admits IAM tokens only).
 */
export class RotatedDatabaseSecret extends pulumi.ComponentResource {
  /** The secret's ARN. */
  public readonly secretArn: pulumi.Output<string>;
  /** The rotation function's security group. */
  public readonly rotatorSecurityGroupId: pulumi.Output<string>;
  /** The rotation function's ARN. */
  public readonly rotationLambdaArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: RotatedDatabaseSecretArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:RotatedDatabaseSecret", name, {}, opts);
    const tags = args.tags ?? {};
    if (
      !Number.isInteger(args.rotationDays) ||
      args.rotationDays < ROTATION_DAYS.min ||
      args.rotationDays > ROTATION_DAYS.max
    ) {
      throw new pulumi.ResourceError(
        `rotationDays must be an integer from ${ROTATION_DAYS.min} to ${ROTATION_DAYS.max}; got ${args.rotationDays}`,
        this,
      );
    }
    if (args.subnetIds.length < 2) {
      throw new pulumi.ResourceError(
        `subnetIds must span at least 2 AZs; got ${args.subnetIds.length}`,
        this,
      );
    }
    const replicas = [...(args.replicas ?? [])].sort((a, b) => a.region.localeCompare(b.region));
    const replicaRegions = replicas.map((r) => r.region);
    if (replicaRegions.includes(args.region) || new Set(replicaRegions).size !== replicas.length) {
      throw new pulumi.ResourceError(
        `replicas must name each region once and not the secret's own region (${args.region}); got ${replicaRegions.join(", ")}`,
        this,
      );
    }
    const child = { parent: this };
    const v = args.value;

    const secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        description: `Master user of Aurora cluster ${v.dbClusterIdentifier}`,
        kmsKeyId: args.kmsKeyArn,
        recoveryWindowInDays: 30,
        // Sorted by region, so reordering regions in config never changes the list.
        replicas: replicas.map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })),
        tags,
      },
      child,
    );
    const version = new aws.secretsmanager.SecretVersion(
      `${name}-value`,
      {
        secretId: secret.id,
        secretStringWo: pulumi.secret(
          pulumi.jsonStringify({ engine: "postgres", ...v, password: args.value.password }),
        ),
        secretStringWoVersion: 1,
      },
      // Rotation moves AWSCURRENT to new versions; that is not drift.
      { parent: this, ignoreChanges: ["versionStages"] },
    );

    const rotatorSg = new aws.ec2.SecurityGroup(
      `${name}-rotator-sg`,
      {
        vpcId: args.vpcId,
        description: `Rotation function of the master secret of ${v.dbClusterIdentifier}`,
        tags: { ...tags, Name: `${name}-rotator-sg` },
      },
      child,
    );
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoint-sg`,
      {
        vpcId: args.vpcId,
        description: "Secrets Manager interface endpoint; admits the rotation function",
        tags: { ...tags, Name: `${name}-endpoint-sg` },
      },
      child,
    );
    const rule = (
      kind: "in" | "out",
      logical: string,
      sg: pulumi.Input<string>,
      peer: pulumi.Input<string>,
      port: number,
      description: string,
    ) => {
      const ruleArgs = {
        securityGroupId: sg,
        referencedSecurityGroupId: peer,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description,
      };
      return kind === "in"
        ? new aws.vpc.SecurityGroupIngressRule(logical, ruleArgs, child)
        : new aws.vpc.SecurityGroupEgressRule(logical, ruleArgs, child);
    };
    rule(
      "out",
      `${name}-rotator-to-db`,
      rotatorSg.id,
      args.databaseSecurityGroupId,
      v.port,
      "PostgreSQL to the cluster, to set the new password",
    );
    rule(
      "in",
      `${name}-db-from-rotator`,
      args.databaseSecurityGroupId,
      rotatorSg.id,
      v.port,
      "PostgreSQL from the rotation function of the master secret",
    );
    rule(
      "out",
      `${name}-rotator-to-endpoint`,
      rotatorSg.id,
      endpointSg.id,
      443,
      "HTTPS to the Secrets Manager endpoint",
    );
    rule(
      "in",
      `${name}-endpoint-from-rotator`,
      endpointSg.id,
      rotatorSg.id,
      443,
      "HTTPS from the rotation function",
    );

    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-endpoint`,
      {
        vpcId: args.vpcId,
        serviceName: `com.amazonaws.${args.region}.secretsmanager`,
        vpcEndpointType: "Interface",
        // Private DNS would point every Secrets Manager call in the VPC at this endpoint, whose
        // security group admits only the rotation function: any other workload would time out
        // instead of using the public endpoint through its NAT gateway. So private DNS is off and
        // the function is handed the endpoint's own DNS name below.
        privateDnsEnabled: false,
        subnetIds: [...args.subnetIds],
        securityGroupIds: [endpointSg.id],
        tags: { ...tags, Name: `${name}-endpoint` },
      },
      child,
    );

    const functionName = `${v.dbClusterIdentifier}-rotator`;
    const rotator = new aws.serverlessrepository.CloudFormationStack(
      `${name}-rotator`,
      {
        name: functionName,
        applicationId: POSTGRES_ROTATION_APP,
        capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
        parameters: {
          // The endpoint-specific Regional name (vpce-….secretsmanager.<region>.vpce.amazonaws.com),
          // which resolves to the endpoint's interfaces in every AZ with private DNS off. AWS
          // does not promise an order in DnsEntries, so the zonal names are filtered out.
          endpoint: pulumi
            .output(endpoint.dnsEntries)
            .apply((entries) => `https://${regionalEndpointDnsName(entries, args.region)}`),
          functionName,
          vpcSubnetIds: pulumi.all([...args.subnetIds]).apply((ids) => ids.join(",")),
          vpcSecurityGroupIds: rotatorSg.id,
          kmsKeyArn: args.kmsKeyArn,
        },
        tags,
      },
      { parent: this, dependsOn: [endpoint] },
    );
    const rotationLambdaArn = rotator.outputs.apply((o) => o["RotationLambdaARN"]);

    new aws.secretsmanager.SecretRotation(
      `${name}-rotation`,
      {
        secretId: secret.id,
        rotationLambdaArn,
        rotationRules: { automaticallyAfterDays: args.rotationDays },
      },
      // The first rotation runs at once: the database must be up and the secret filled.
      { parent: this, dependsOn: [version, ...(args.rotateAfter ?? [])] },
    );

    this.secretArn = secret.arn;
    this.rotatorSecurityGroupId = rotatorSg.id;
    this.rotationLambdaArn = rotationLambdaArn;
    this.registerOutputs({
      secretArn: this.secretArn,
      rotatorSecurityGroupId: this.rotatorSecurityGroupId,
      rotationLambdaArn: this.rotationLambdaArn,
    });
  }
}

/**
 * The Regional DNS name among an interface endpoint's DnsEntries. PrivateLink gives each
 * interface endpoint a Regional name (`vpce-1a2b3c4d-5e6f.<service>.<region>.vpce.amazonaws.com`)
 * that resolves to its interfaces in every AZ, and one zonal name per AZ with the AZ appended to
 * the first label (`vpce-1a2b3c4d-5e6f-us-east-1a.<service>…`) that resolves only in that AZ
 * ("Accessing Neptune Analytics interface endpoints", Neptune Analytics user guide, which spells
 * out both forms). A zonal name would strand the rotation function when that AZ is down.
 */
export function regionalEndpointDnsName(
  entries: readonly { readonly dnsName?: string }[],
  region: string,
): string {
  const zonal = new RegExp(`-${region}[a-z]$`);
  const regional = entries
    .map((e) => e.dnsName ?? "")
    .filter((n) => n !== "" && !zonal.test(n.split(".")[0]));
  if (regional.length !== 1) {
    throw new Error(
      `expected exactly one Regional DNS name among the endpoint's DnsEntries; got ${JSON.stringify(entries.map((e) => e.dnsName))}`,
    );
  }
  return regional[0];
}
