/**
 * What AWS's APIs refuse, for the fields this program sets: EC2 description characters and
 * lengths, and the name patterns and lengths of every resource type the program names or Pulumi
 * autonames. The mocks (testing/mocks.ts) run {@link awsInputErrors} on every resource's final
 * state (inputs plus the autoname the mock computed), so a name or description AWS would refuse
 * fails offline, with AWS's own error wording where we know it.
 *
 * Sources: each API reference page is named beside its rule (docs.aws.amazon.com/<service>/latest/
 * APIReference/API_<Action>.html); see docs/aws-fidelity.md.
 */

/**
 * Characters EC2 accepts in security-group names and descriptions and in security-group rule
 * descriptions (CreateSecurityGroup `GroupDescription`/`GroupName`; IpRange, UserIdGroupPair and
 * SecurityGroupRuleRequest `Description`): `a-z A-Z 0-9`, spaces and `._-:/()#,@[]+=&;{}!$*`.
 * No apostrophe, quote, question mark, `%`, `<`, `>` or non-ASCII character.
 */
export const EC2_DESCRIPTION_CHARS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;

/** EC2's limit on security-group names and descriptions and on rule descriptions. */
export const EC2_DESCRIPTION_MAX = 255;

/** The characters of `s` outside {@link EC2_DESCRIPTION_CHARS}, each once, in order. */
export function invalidEc2DescriptionChars(s: string): string[] {
  return [...new Set([...s].filter((c) => !EC2_DESCRIPTION_CHARS.test(c)))];
}

/**
 * Why EC2 would refuse `description` for a security group, or undefined. The wording is
 * CreateSecurityGroup's InvalidParameterValue.
 */
export function securityGroupDescriptionError(description: unknown): string | undefined {
  // The provider sends "Managed by Pulumi" when the program sets none.
  if (description === undefined) return undefined;
  if (typeof description !== "string" || description.length === 0) {
    return "MissingParameter: The request must contain the parameter GroupDescription";
  }
  const bad = invalidEc2DescriptionChars(description);
  if (bad.length > 0 || description.length > EC2_DESCRIPTION_MAX) {
    return `InvalidParameterValue: Value (${description}) for parameter GroupDescription is invalid. Constraints: up to ${EC2_DESCRIPTION_MAX} characters; valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*${bad.length ? ` (refused: ${bad.map((c) => JSON.stringify(c)).join(" ")})` : ""}`;
  }
  return undefined;
}

/**
 * Why EC2 would refuse a security-group rule description, or undefined. The wording is
 * AuthorizeSecurityGroupIngress/Egress's InvalidParameterValue, verbatim.
 */
export function ruleDescriptionError(description: unknown): string | undefined {
  if (description === undefined) return undefined;
  const s = typeof description === "string" ? description : JSON.stringify(description);
  if (invalidEc2DescriptionChars(s).length === 0 && s.length <= EC2_DESCRIPTION_MAX) {
    return undefined;
  }
  return `InvalidParameterValue: Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$* (got ${JSON.stringify(s)})`;
}

/** A name rule: the field that holds the name, its length range, its pattern and AWS's error. */
interface NameRule {
  /** State field holding the physical name. */
  readonly field: string;
  readonly min: number;
  readonly max: number;
  readonly pattern: { test(value: string): boolean };
  /** What the pattern means, in AWS's words. */
  readonly allowed: string;
  /** AWS's error code for a bad name. */
  readonly code: string;
}

/** Any characters but ASCII control characters (which AWS's "printable" patterns exclude). */
const NO_CONTROL_CHARS = {
  test: (value: string) => ![...value].some((c) => c.charCodeAt(0) < 0x20 || c === "\u007f"),
};

const ELB_NAME: Omit<NameRule, "field"> = {
  min: 1,
  max: 32,
  // CreateLoadBalancer/CreateTargetGroup: alphanumerics and hyphens, no hyphen at either end.
  pattern: /^(?!-)[a-zA-Z0-9-]+(?<!-)$/,
  allowed: "only alphanumeric characters or hyphens, and must not begin or end with a hyphen",
  code: "ValidationError",
};
const IAM_NAME = (max: number): Omit<NameRule, "field"> => ({
  min: 1,
  max,
  pattern: /^[\w+=,.@-]+$/,
  allowed: "upper and lower case alphanumeric characters with no spaces, and _+=,.@-",
  code: "ValidationError",
});
const RDS_IDENTIFIER = (field: string, max = 63): NameRule => ({
  field,
  min: 1,
  max,
  // CreateDBCluster/CreateDBInstance/CreateDBProxy: a letter first, letters digits and hyphens,
  // no two consecutive hyphens, no hyphen at the end.
  pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*(?<!-)$/,
  allowed:
    "letters, digits or hyphens; first character a letter; no hyphen at the end and no two consecutive hyphens",
  code: "InvalidParameterValue",
});

/** Name rules per resource type, for every type this program names or autonames. */
export const NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  // elasticloadbalancing CreateLoadBalancer / CreateTargetGroup.
  "aws:lb/loadBalancer:LoadBalancer": [{ field: "name", ...ELB_NAME }],
  "aws:alb/loadBalancer:LoadBalancer": [{ field: "name", ...ELB_NAME }],
  "aws:lb/targetGroup:TargetGroup": [{ field: "name", ...ELB_NAME }],
  "aws:alb/targetGroup:TargetGroup": [{ field: "name", ...ELB_NAME }],
  // IAM CreateRole (64), PutRolePolicy (128), CreateInstanceProfile (128).
  "aws:iam/role:Role": [{ field: "name", ...IAM_NAME(64) }],
  "aws:iam/rolePolicy:RolePolicy": [{ field: "name", ...IAM_NAME(128) }],
  "aws:iam/instanceProfile:InstanceProfile": [{ field: "name", ...IAM_NAME(128) }],
  // EC2 CreateSecurityGroup GroupName: the description's character set, not starting with sg-.
  "aws:ec2/securityGroup:SecurityGroup": [
    {
      field: "name",
      min: 1,
      max: EC2_DESCRIPTION_MAX,
      pattern: /^(?!sg-)[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
      allowed: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*; cannot start with sg-",
      code: "InvalidParameterValue",
    },
  ],
  // EC2 CreateLaunchTemplate LaunchTemplateName.
  "aws:ec2/launchTemplate:LaunchTemplate": [
    {
      field: "name",
      min: 3,
      max: 128,
      pattern: /^[a-zA-Z0-9().\-/_]+$/,
      allowed: "letters, digits and ().-/_",
      code: "InvalidLaunchTemplateName.MalformedException",
    },
  ],
  // EC2 Auto Scaling CreateAutoScalingGroup, PutScalingPolicy, PutScheduledUpdateGroupAction.
  "aws:autoscaling/group:Group": [
    {
      field: "name",
      min: 1,
      max: 255,
      pattern: NO_CONTROL_CHARS,
      allowed: "no control characters",
      code: "ValidationError",
    },
  ],
  "aws:autoscaling/policy:Policy": [
    {
      field: "name",
      min: 1,
      max: 255,
      pattern: NO_CONTROL_CHARS,
      allowed: "no control characters",
      code: "ValidationError",
    },
  ],
  "aws:autoscaling/schedule:Schedule": [
    {
      field: "scheduledActionName",
      min: 1,
      max: 255,
      pattern: NO_CONTROL_CHARS,
      allowed: "no control characters",
      code: "ValidationError",
    },
  ],
  // Application Auto Scaling PutScalingPolicy (1600, printable) and PutScheduledAction (256; no
  // ':', '/' or '|', no leading or trailing space).
  "aws:appautoscaling/policy:Policy": [
    {
      field: "name",
      min: 1,
      max: 256,
      pattern: /^[ -~]+$/,
      allowed: "printable characters",
      code: "ValidationException",
    },
  ],
  "aws:appautoscaling/scheduledAction:ScheduledAction": [
    {
      field: "name",
      min: 1,
      max: 256,
      pattern: {
        test: (v: string) => NO_CONTROL_CHARS.test(v) && /^(?! )[^:/|]+(?<! )$/.test(v),
      },
      allowed: "no ':', '/', '|' or control characters, and no leading or trailing space",
      code: "ValidationException",
    },
  ],
  // S3 bucket naming rules (general purpose buckets).
  "aws:s3/bucket:Bucket": [
    {
      field: "bucket",
      min: 3,
      max: 63,
      pattern: /^[a-z0-9](?!.*\.\.)[a-z0-9.-]*[a-z0-9]$/,
      allowed:
        "lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit",
      code: "InvalidBucketName",
    },
  ],
  // CloudWatch Logs CreateLogGroup; CloudWatch PutMetricAlarm and PutDashboard.
  "aws:cloudwatch/logGroup:LogGroup": [
    {
      field: "name",
      min: 1,
      max: 512,
      pattern: /^[.\-_/#A-Za-z0-9]+$/,
      allowed: "a-z, A-Z, 0-9 and ._-/#",
      code: "InvalidParameterException",
    },
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    {
      field: "name",
      min: 1,
      max: 255,
      pattern: NO_CONTROL_CHARS,
      allowed: "no control characters",
      code: "ValidationError",
    },
  ],
  "aws:cloudwatch/dashboard:Dashboard": [
    {
      field: "dashboardName",
      min: 1,
      max: 255,
      pattern: /^[A-Za-z0-9\-_.]+$/,
      allowed: "A-Z, a-z, 0-9, - and _",
      code: "InvalidParameterInput",
    },
  ],
  // SNS CreateTopic.
  "aws:sns/topic:Topic": [
    {
      field: "name",
      min: 1,
      max: 256,
      pattern: /^[A-Za-z0-9_-]+$/,
      allowed: "letters, numbers, underscores and hyphens",
      code: "InvalidParameter",
    },
  ],
  // KMS CreateAlias.
  "aws:kms/alias:Alias": [
    {
      field: "name",
      min: 7,
      max: 256,
      pattern: /^alias\/(?!aws\/)[a-zA-Z0-9/_-]+$/,
      allowed: "alias/ followed by a-z, A-Z, 0-9, /, _ and -; alias/aws/ is reserved",
      code: "ValidationException",
    },
  ],
  // RDS identifiers.
  "aws:rds/cluster:Cluster": [RDS_IDENTIFIER("clusterIdentifier")],
  "aws:rds/clusterInstance:ClusterInstance": [RDS_IDENTIFIER("identifier")],
  "aws:rds/globalCluster:GlobalCluster": [RDS_IDENTIFIER("globalClusterIdentifier", 255)],
  "aws:rds/proxy:Proxy": [RDS_IDENTIFIER("name")],
  "aws:rds/proxyEndpoint:ProxyEndpoint": [RDS_IDENTIFIER("dbProxyEndpointName")],
  "aws:rds/subnetGroup:SubnetGroup": [
    {
      field: "name",
      min: 1,
      max: 255,
      pattern: /^(?!default$)[a-z0-9._ -]+$/,
      allowed: "lowercase letters, digits, periods, underscores, spaces and hyphens; not default",
      code: "InvalidParameterValue",
    },
  ],
  // DynamoDB CreateTable.
  "aws:dynamodb/table:Table": [
    {
      field: "name",
      min: 3,
      max: 255,
      pattern: /^[a-zA-Z0-9_.-]+$/,
      allowed: "a-z, A-Z, 0-9, _, - and .",
      code: "ValidationException",
    },
  ],
  // Secrets Manager CreateSecret.
  "aws:secretsmanager/secret:Secret": [
    {
      field: "name",
      min: 1,
      max: 512,
      pattern: /^[A-Za-z0-9/_+=.@-]+$/,
      allowed: "ASCII letters, numbers, and /_+=.@-",
      code: "ValidationException",
    },
  ],
  // Shield CreateProtection and CreateProtectionGroup.
  "aws:shield/protection:Protection": [
    {
      field: "name",
      min: 1,
      max: 128,
      pattern: /^[ a-zA-Z0-9_.-]+$/,
      allowed: "letters, digits, spaces and _.-",
      code: "InvalidParameterException",
    },
  ],
  "aws:shield/protectionGroup:ProtectionGroup": [
    {
      field: "protectionGroupId",
      min: 1,
      max: 36,
      pattern: /^[a-zA-Z0-9-]+$/,
      allowed: "letters, digits and hyphens",
      code: "InvalidParameterException",
    },
  ],
  // CloudFormation CreateStack, for the Serverless Application Repository's serverlessrepo-<name>.
  "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": [
    {
      field: "name",
      min: 1,
      max: 128 - "serverlessrepo-".length,
      pattern: /^[a-zA-Z0-9-]+$/,
      allowed: "alphanumeric characters and hyphens (the stack is named serverlessrepo-<name>)",
      code: "ValidationError",
    },
  ],
};

/** Why AWS would refuse the name in `state[rule.field]`, or undefined. */
function nameError(
  type: string,
  rule: NameRule,
  state: Record<string, unknown>,
): string | undefined {
  const value = state[rule.field];
  if (typeof value !== "string") return undefined;
  if (value.length >= rule.min && value.length <= rule.max && rule.pattern.test(value)) {
    if (!(type.endsWith("loadBalancer:LoadBalancer") && value.startsWith("internal-"))) {
      return undefined;
    }
  }
  return `${rule.code}: ${type.split(":").pop()} ${rule.field} "${value}" (${value.length} characters) is invalid: it must be ${rule.min}-${rule.max} characters of ${rule.allowed}`;
}

/**
 * Every reason AWS would refuse this resource's inputs: names (explicit or autonamed, as found in
 * the state the mock computed) and EC2 descriptions. Empty when AWS would accept them.
 */
export function awsInputErrors(type: string, state: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const rule of NAME_RULES[type] ?? []) {
    const e = nameError(type, rule, state);
    if (e) errors.push(e);
  }
  if (type === "aws:ec2/securityGroup:SecurityGroup") {
    const e = securityGroupDescriptionError(state.description);
    if (e) errors.push(e);
    for (const r of [
      ...((state.ingress as { description?: string }[]) ?? []),
      ...((state.egress as { description?: string }[]) ?? []),
    ]) {
      const re = ruleDescriptionError(r.description);
      if (re) errors.push(re);
    }
  }
  if (
    type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" ||
    type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" ||
    type === "aws:ec2/securityGroupRule:SecurityGroupRule"
  ) {
    const e = ruleDescriptionError(state.description);
    if (e) errors.push(e);
  }
  return errors;
}
