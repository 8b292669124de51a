import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Arguments of {@link AccessLogBucket}. */
export interface AccessLogBucketArgs {
  /** Days before log objects expire (1–3650). */
  readonly retentionDays: number;
  /**
   * Key prefix under which each load balancer gets its own folder, `<prefix>/<loadBalancer>`.
   * @default "elb"
   */
  readonly prefix?: string;
  /**
   * Keys of the load balancers that log here (e.g. `web`, `pay`). Each logs under
   * `<prefix>/<key>` ({@link AccessLogBucket.prefixFor}), and ELB writes below that at
   * `AWSLogs/<account>/`, so the bucket policy grants exactly `<prefix>/<key>/AWSLogs/<account>/*`
   * for each key and nothing else.
   */
  readonly loadBalancers: readonly string[];
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An S3 bucket that ALB and NLB access logs can be written to: encrypted, private, owner-enforced,
 * TLS-only, and expiring old logs.
 *
 * Encryption is SSE-S3 because ALB access logs support nothing else (NLB would also take a
 * customer-managed KMS key, but one bucket serves both).
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  /** The bucket's name. */
  public readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  public readonly bucketArn: pulumi.Output<string>;
  /** The common prefix of every load balancer's folder. */
  public readonly prefix: string;
  /** The load balancers the policy admits, by key. */
  public readonly loadBalancers: readonly string[];
  /**
   * The bucket policy. ELB checks it can write when logging is turned on, so a load balancer
   * must depend on this resource, not only on the bucket.
   */
  public readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: AccessLogBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:AccessLogBucket", name, {}, opts);
    const prefix = args.prefix ?? "elb";
    const tags = args.tags ?? {};
    if (
      !Number.isInteger(args.retentionDays) ||
      args.retentionDays < 1 ||
      args.retentionDays > 3650
    ) {
      throw new pulumi.ResourceError(
        `retentionDays must be an integer from 1 to 3650; got ${args.retentionDays}`,
        this,
      );
    }
    for (const [key, value] of [
      ["prefix", prefix],
      ...args.loadBalancers.map((k) => ["loadBalancers", k]),
    ]) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(value)) {
        throw new pulumi.ResourceError(
          `${key} must be lower-case letters, digits and hyphens; got ${JSON.stringify(value)}`,
          this,
        );
      }
    }
    if (
      args.loadBalancers.length === 0 ||
      new Set(args.loadBalancers).size !== args.loadBalancers.length
    ) {
      throw new pulumi.ResourceError(
        `loadBalancers must name at least one load balancer, each once; got ${JSON.stringify(args.loadBalancers)}`,
        this,
      );
    }

    const child = { parent: this };
    const bucket = new aws.s3.Bucket(`${name}`, { forceDestroy: false, tags }, child);
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      child,
    );

    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const region = aws.getRegionOutput({}, child).region;
    const policyDocument = pulumi
      .all([bucket.arn, account, region])
      .apply(([arn, accountId, regionName]) =>
        accessLogBucketPolicy(
          arn,
          args.loadBalancers.map((lb) => `${prefix}/${lb}`),
          accountId,
          regionName,
        ),
      );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: policyDocument },
      // Applying a policy while the public access block is being created can fail; order them.
      { parent: this, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.prefix = prefix;
    this.loadBalancers = [...args.loadBalancers];
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      prefix,
      loadBalancers: this.loadBalancers,
    });
  }

  /**
   * The access-log prefix of load balancer `key`, which the bucket policy admits. Throws for a
   * key not declared in `loadBalancers`, whose logs the policy would refuse.
   */
  public prefixFor(key: string): string {
    if (!this.loadBalancers.includes(key)) {
      throw new pulumi.ResourceError(
        `load balancer "${key}" is not in loadBalancers (${this.loadBalancers.join(", ")}); the bucket policy would refuse its logs, so add it there`,
        this,
      );
    }
    return `${this.prefix}/${key}`;
  }
}

/**
 * The AWS account through which Elastic Load Balancing delivered access logs in each Region that
 * existed before August 2022, which that Region's legacy bucket policy names as principal
 * (`arn:aws:iam::<id>:root`). Regions not listed "never supported the legacy bucket policy".
 * Source: ELB user guide, "Enable access logs" (Step 2: Attach a policy to your S3 bucket), the
 * same list on the ALB, NLB and Classic pages; `aws.elb.getServiceAccount` answers from the same
 * table but fails in a Region without an entry, hence this table.
 */
export const ELB_LEGACY_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-east-1": "190560391635",
  "us-gov-west-1": "048591011584",
};

/**
 * The bucket policy ELB log delivery needs, and nothing more:
 * - ALB: the `logdelivery.elasticloadbalancing.amazonaws.com` service principal, which AWS
 *   recommends in every region, may put objects under `<prefix>/AWSLogs/<account>/` for each of
 *   the load balancers' own prefixes (ELB writes `<prefix>/AWSLogs/<account>/elasticloadbalancing/
 *   <region>/…`; a grant on a parent folder alone fails ELB's test write with Access Denied).
 * - ALB in a Region that existed before August 2022: also the Region's ELB account
 *   ({@link ELB_LEGACY_LOG_ACCOUNTS}) on the same objects. Older editions of the guide required
 *   that account there (and the service principal only in newer Regions); today's calls it
 *   legacy but "still supported". Which principal ELB's test write uses in such a Region is not
 *   documented, so the policy admits both and the mocks (testing/awsBehaviour.ts) demand both.
 * - NLB (TLS listeners): `delivery.logs.amazonaws.com` may read the bucket ACL and put objects
 *   with `bucket-owner-full-control`, only on behalf of this account.
 * - Every request must use TLS.
 */
export function accessLogBucketPolicy(
  bucketArn: string,
  prefixes: readonly string[],
  accountId: string,
  region: string,
): string {
  const logs = prefixes.map((p) => `${bucketArn}/${p}/AWSLogs/${accountId}/*`);
  const legacyAccount = ELB_LEGACY_LOG_ACCOUNTS[region];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AlbLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: logs,
      },
      ...(legacyAccount
        ? [
            {
              Sid: "AlbLogDeliveryLegacyRegion",
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${legacyAccount}:root` },
              Action: "s3:PutObject",
              Resource: logs,
            },
          ]
        : []),
      {
        Sid: "NlbLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: logs,
        Condition: {
          StringEquals: {
            "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:SourceAccount": accountId,
          },
        },
      },
      {
        Sid: "NlbLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}
