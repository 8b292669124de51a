/**
 * Endpoint policies of the S3 and DynamoDB gateway endpoints (pure: tested without mocks).
 *
 * A gateway endpoint on a route table carries every request to that service in the region, so
 * its policy is a perimeter: instances may reach this account's buckets and tables, and nothing
 * else except the AWS-owned buckets the operating system and the SSM agent read from. Without the
 * account condition, stolen instance credentials could copy data into someone else's bucket
 * through the endpoint. See docs/security.md (Gateway endpoints).
 */

/** The largest endpoint policy AWS accepts, white space included (AWS PrivateLink guide). */
export const ENDPOINT_POLICY_MAX_CHARS = 20480;

/**
 * AWS-owned buckets that Amazon Linux 2023 instances with the SSM agent read at boot and while
 * running, as `arn:aws:s3:::<bucket>/*` patterns for `region`. Taken from AWS's data-perimeter
 * examples (aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/
 * s3_endpoint_policy.json) and the Systems Manager guide's "SSM Agent communications with AWS
 * managed S3 buckets":
 * - `al2023-repos-<region>-de612dc2` and `al2023-<region>`: dnf repositories of Amazon Linux
 *   2023. The first name is pinned exactly as AWS's example writes it, suffix included: a
 *   wildcard (`al2023-repos-<region>-*`) would admit any bucket anyone creates with that prefix,
 *   a way out for data. If AWS ever moves the repositories, dnf fails with 403 at boot and this
 *   list is bumped from the example. The boot script may install openssl from them
 *   (components/loadBalancing/fleet.ts).
 * - `amazonlinux-2-repos-<region>`, `amazonlinux.<region>.amazonaws.com`: Amazon Linux 2 and
 *   older repositories, for AL2-based vendor images.
 * - `aws-ssm-<region>`, `amazon-ssm-<region>`, `amazon-ssm-packages-<region>`,
 *   `<region>-birdwatcher-prod`, `aws-ssm-distributor-file-<region>`,
 *   `aws-ssm-document-attachments-<region>`, `patch-baseline-snapshot-<region>`: SSM agent
 *   updates, documents, Distributor packages and Patch Manager baselines.
 * - `amazoncloudwatch-agent-<region>`, `amazoncloudwatch-agent`: the CloudWatch agent's packages,
 *   which the application image (or SSM Distributor's AmazonCloudWatchAgent) installs.
 * Left out from the example: buckets of services these instances don't run (EMR, CodeDeploy,
 * Image Builder, MGN/DRS, Elastic Beanstalk, SageMaker, Neptune, SAP, Windows downloads).
 * These requests are anonymous (dnf) or made with the instance role, against buckets in AWS's
 * accounts, so they need their own statement without the account condition.
 */
export function awsOwnedBucketObjectArns(region: string): string[] {
  return [
    `al2023-repos-${region}-de612dc2`,
    `al2023-${region}`,
    `amazonlinux-2-repos-${region}`,
    `amazonlinux.${region}.amazonaws.com`,
    `aws-ssm-${region}`,
    `amazon-ssm-${region}`,
    `amazon-ssm-packages-${region}`,
    `${region}-birdwatcher-prod`,
    `aws-ssm-distributor-file-${region}`,
    `aws-ssm-document-attachments-${region}`,
    `patch-baseline-snapshot-${region}`,
    `amazoncloudwatch-agent-${region}`,
    "amazoncloudwatch-agent",
  ].map((bucket) => `arn:aws:s3:::${bucket}/*`);
}

/** An IAM policy document, as the endpoint policies here build them. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * The S3 gateway endpoint's policy: any S3 action on buckets owned by `accountId`
 * (`aws:ResourceAccount`; S3 ARNs carry no account, so the condition is the only way to say
 * "this account's buckets"), plus `s3:GetObject` on {@link awsOwnedBucketObjectArns}. Gateway
 * endpoint policies must name `"*"` as principal (AWS PrivateLink guide, "Principals for gateway
 * endpoints").
 */
export function s3EndpointPolicy(region: string, accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ThisAccountsBuckets",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceAccount": accountId } },
      },
      {
        Sid: "AwsOwnedRepositoriesAndAgentBuckets",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: awsOwnedBucketObjectArns(region),
      },
    ],
  };
}

/**
 * The DynamoDB gateway endpoint's policy: any DynamoDB action on this account's tables in
 * `region`, their indexes and streams (`table/<name>/index/…`, `table/<name>/stream/…`). The
 * sessions global table's local replica has this form; the services' instance roles grant the
 * actual access, table by table.
 */
export function dynamoDbEndpointPolicy(region: string, accountId: string): PolicyDocument {
  const tables = `arn:aws:dynamodb:${region}:${accountId}:table`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ThisAccountsTables",
        Effect: "Allow",
        Principal: "*",
        Action: "dynamodb:*",
        Resource: [`${tables}/*`],
      },
    ],
  };
}
