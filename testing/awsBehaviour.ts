/**
 * What AWS checks or does across resources when one is created, so the mocks (testing/mocks.ts)
 * fail where `pulumi up` would. Each check sees the resources created before this one in the
 * same run, as AWS sees the account's state.
 */
import { ELB_LEGACY_LOG_ACCOUNTS } from "../components/loadBalancing/accessLogBucket";
import { policiesAllow } from "./policyEval";
import { proxyDefaultTargetGroupErrors, proxyTargetErrors } from "./proxyTargetChecks";
import { scheduledActionErrors } from "./scheduledActionChecks";

/** A resource the mocks already created in this run. */
export interface PriorResource {
  readonly type: string;
  readonly region: string;
  /** The ID AWS returned (a subnet's `subnet-…`), when the check needs it. */
  readonly id?: string;
  readonly state: Readonly<Record<string, any>>;
}

/**
 * Service principal that writes ALB access logs (and NLB's, through CloudWatch Logs delivery).
 * In Regions older than August 2022 ALB delivery also comes from the Region's ELB account
 * ({@link ELB_LEGACY_LOG_ACCOUNTS}); see {@link bucketPolicyAdmitsElbLogs}.
 */
export const ELB_LOG_PRINCIPAL = {
  application: "logdelivery.elasticloadbalancing.amazonaws.com",
  network: "delivery.logs.amazonaws.com",
} as const;

/**
 * The object key ELB writes for a load balancer logging under `prefix`:
 * `<prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/<file>`.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export function elbLogObjectArn(
  bucket: string,
  prefix: string | undefined,
  account: string,
  region: string,
): string {
  const folder = prefix ? `${prefix}/` : "";
  return `arn:aws:s3:::${bucket}/${folder}AWSLogs/${account}/elasticloadbalancing/${region}/2026/01/01/${account}_elasticloadbalancing_${region}_test.log.gz`;
}

/**
 * Whether `policy` (a bucket policy document) lets ELB deliver a load balancer's logs under
 * `prefix`, with the request context ELB's delivery sends.
 */
export function bucketPolicyAdmitsElbLogs(
  policy: unknown,
  lb: {
    readonly type: "application" | "network";
    readonly bucket: string;
    readonly prefix?: string;
  },
  account: string,
  region: string,
): boolean {
  const request = {
    action: "s3:PutObject",
    resource: elbLogObjectArn(lb.bucket, lb.prefix, account, region),
    context: {
      "aws:SecureTransport": "true",
      "aws:SourceAccount": account,
      "s3:x-amz-acl": "bucket-owner-full-control",
    },
  };
  const asService = policiesAllow([policy], {
    ...request,
    servicePrincipal: ELB_LOG_PRINCIPAL[lb.type],
  });
  // In a Region older than August 2022, ALB logs were delivered by the Region's ELB account and
  // the guide now calls that policy legacy but supported, without saying which principal the
  // test write uses there: the mock demands both, so a policy that works only with one fails
  // here instead of at CreateLoadBalancer. Newer Regions never had such an account.
  const legacy = lb.type === "application" ? ELB_LEGACY_LOG_ACCOUNTS[region] : undefined;
  return (
    asService &&
    (legacy === undefined || policiesAllow([policy], { ...request, awsAccount: legacy }))
  );
}

/** Why AWS would refuse creating this resource given what exists, or an empty list. */
export function awsBehaviourErrors(
  type: string,
  state: Readonly<Record<string, any>>,
  region: string,
  account: string,
  prior: readonly PriorResource[],
): string[] {
  const errors: string[] = [];
  // Turning access logs on makes ELB write a test file with the bucket's policy in force; a
  // policy that doesn't cover `<prefix>/AWSLogs/<account>/` fails CreateLoadBalancer.
  if (
    (type === "aws:lb/loadBalancer:LoadBalancer" || type === "aws:alb/loadBalancer:LoadBalancer") &&
    (state.loadBalancerType ?? "application") === "application" &&
    state.accessLogs?.enabled &&
    typeof state.accessLogs.bucket === "string"
  ) {
    const bucket: string = state.accessLogs.bucket;
    // A bucket this run didn't create (a component test's plain name) can't be checked here.
    const known = prior.some(
      (r) =>
        (r.type === "aws:s3/bucket:Bucket" && r.state.bucket === bucket) ||
        (r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.state.bucket === bucket),
    );
    const policies = prior
      .filter((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.state.bucket === bucket)
      .map((r) => r.state.policy);
    const ok = policies.some((p) =>
      bucketPolicyAdmitsElbLogs(
        p,
        { type: "application", bucket, prefix: state.accessLogs.prefix },
        account,
        region,
      ),
    );
    if (known && !ok) {
      errors.push(
        `InvalidConfigurationRequest: Access Denied for bucket: ${bucket}. Please check S3bucket permission (ELB's test write under ${state.accessLogs.prefix ?? ""}/AWSLogs/${account}/)`,
      );
    }
  }
  // A provisioned global table's replicas get the table's auto scaling from DynamoDB
  // (UpdateTableReplicaAutoScaling manages it for every replica); a second target-tracking
  // policy on a replica's metric is refused.
  if (type === "aws:appautoscaling/policy:Policy" && state.serviceNamespace === "dynamodb") {
    const table = String(state.resourceId).replace(/^table\//, "");
    const replicated = prior.some(
      (r) =>
        r.type === "aws:dynamodb/tableReplica:TableReplica" &&
        r.state.region === region &&
        String(r.state.globalTableArn).endsWith(`:table/${table}`),
    );
    if (replicated) {
      errors.push(
        "ValidationException: Only one TargetTrackingScaling policy for a given metric specification is allowed. " +
          `(${state.resourceId} in ${region} is a global table replica; DynamoDB applies the global table's auto scaling to it)`,
      );
    }
  }
  // An ALBRequestCountPerTarget label names `app/<lb>/<id>/targetgroup/<tg>/<id>`; EC2 Auto
  // Scaling refuses it unless that target group is attached to that load balancer (a listener's
  // default action or a listener rule forwards to it).
  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PredefinedMetricSpecification.html
  const spec = state.targetTrackingConfiguration?.predefinedMetricSpecification;
  if (
    type === "aws:autoscaling/policy:Policy" &&
    spec?.predefinedMetricType === "ALBRequestCountPerTarget" &&
    typeof spec.resourceLabel === "string"
  ) {
    if (!albTargetGroupAttached(spec.resourceLabel, prior)) {
      errors.push(
        `ValidationError: resource label ${spec.resourceLabel} names a target group that is not attached to the load balancer (no listener or listener rule forwards to it yet)`,
      );
    }
  }
  errors.push(...alarmTopicErrors(type, state, account, prior));
  if (type === "aws:autoscaling/schedule:Schedule") {
    errors.push(...scheduledActionErrors(state, region, prior, Date.now()));
  }
  if (type === "aws:secretsmanager/secret:Secret") {
    errors.push(...secretReplicaErrors(state, region, prior));
  }
  if (type === "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup") {
    errors.push(...proxyDefaultTargetGroupErrors(state, region, prior));
  }
  if (type === "aws:rds/proxyTarget:ProxyTarget") {
    errors.push(...proxyTargetErrors(state, region, prior));
  }
  return errors;
}

/**
 * A topic policy replaces an SNS topic's whole access policy, SNS's default included, and only the
 * default lets CloudWatch alarms publish. AWS accepts such a policy, then denies every alarm
 * action to the topic at alarm time ("not authorized to perform: SNS:Publish"; Knowledge Center
 * cloudwatch-receive-sns-for-alarm-trigger). The mocks report it when either side is created,
 * whichever comes second.
 */
export function alarmTopicErrors(
  type: string,
  state: Readonly<Record<string, any>>,
  account: string,
  prior: readonly PriorResource[],
): string[] {
  const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm";
  const policyType = "aws:sns/topicPolicy:TopicPolicy";
  const pairs: { alarm: Record<string, any>; topicPolicy: Record<string, any> }[] = [];
  if (type === alarmType) {
    for (const r of prior.filter((p) => p.type === policyType)) {
      if ((state.alarmActions ?? []).includes(r.state.arn))
        pairs.push({ alarm: state, topicPolicy: r.state });
    }
  }
  if (type === policyType) {
    for (const r of prior.filter((p) => p.type === alarmType)) {
      if ((r.state.alarmActions ?? []).includes(state.arn))
        pairs.push({ alarm: r.state, topicPolicy: state });
    }
  }
  return pairs
    .filter(
      ({ alarm, topicPolicy }) =>
        typeof topicPolicy.policy === "string" &&
        !policiesAllow([topicPolicy.policy], {
          action: "sns:Publish",
          resource: topicPolicy.arn,
          servicePrincipal: "cloudwatch.amazonaws.com",
          context: { "aws:SourceArn": alarm.arn, "aws:SourceAccount": account },
        }),
    )
    .map(
      ({ alarm, topicPolicy }) =>
        `AuthorizationError: alarm ${alarm.name ?? alarm.arn} is not authorized to perform SNS:Publish on ${topicPolicy.arn}: its topic policy replaced SNS's default policy and admits no cloudwatch.amazonaws.com publisher`,
    );
}

/**
 * Why Secrets Manager would refuse a secret's replica list (ReplicateSecretToRegions): a replica
 * in the secret's own region or a region named twice, or a KMS key that is not in the replica's
 * region (KMS keys are regional; the replica is re-encrypted "with the new KMS key in the replica
 * Region": Troubleshoot Secrets Manager replication). A key this run created must exist before the
 * secret: a key still being created fails replication.
 */
export function secretReplicaErrors(
  state: Readonly<Record<string, any>>,
  region: string,
  prior: readonly PriorResource[],
): string[] {
  const errors: string[] = [];
  const replicas: Record<string, any>[] = state.replicas ?? [];
  const regions = replicas.map((r) => String(r.region));
  if (regions.includes(region)) {
    errors.push(`InvalidParameterException: can't replicate a secret to its own region ${region}`);
  }
  if (new Set(regions).size !== regions.length) {
    errors.push(
      `InvalidParameterException: a replica region is named twice: ${regions.join(", ")}`,
    );
  }
  for (const r of replicas) {
    const key = String(r.kmsKeyId ?? "");
    const m = /^arn:aws:kms:([a-z0-9-]+):\d{12}:key\//.exec(key);
    if (m && m[1] !== r.region) {
      errors.push(
        `InvalidParameterException: the ${r.region} replica's KMS key ${key} is in ${m[1]}; KMS keys are regional, use a key in ${r.region}`,
      );
    }
    const created = prior.some((p) => p.type === "aws:kms/key:Key" && p.state.arn === key);
    if (m && m[1] === r.region && !created && prior.some((p) => p.type === "aws:kms/key:Key")) {
      errors.push(`NotFoundException: KMS key ${key} (replica ${r.region}) does not exist yet`);
    }
    // ReplicateSecretToRegions: ForceOverwriteReplicaSecret "Specifies whether to overwrite a
    // secret with the same name in the destination Region. By default, secrets aren't
    // overwritten." A replica promoted by stop-replication-to-replica is such a secret.
    const clash = prior.some(
      (p) =>
        p.type === "aws:secretsmanager/secret:Secret" &&
        p.region === r.region &&
        p.state.name === state.name,
    );
    if (clash && state.forceOverwriteReplicaSecret !== true) {
      errors.push(
        `InvalidRequestException: a secret named ${state.name} already exists in ${r.region}; it isn't overwritten unless ForceOverwriteReplicaSecret is set`,
      );
    }
  }
  return errors;
}

const isType = (r: PriorResource, kind: string) =>
  r.type === `aws:lb/${kind}` || r.type === `aws:alb/${kind}`;

/** Whether a listener or rule created so far forwards to the target group of `label`. */
export function albTargetGroupAttached(label: string, prior: readonly PriorResource[]): boolean {
  const [lbSuffix, tgPart] = label.split("/targetgroup/");
  const lbArn = prior.find(
    (r) => isType(r, "loadBalancer:LoadBalancer") && r.state.arnSuffix === lbSuffix,
  )?.state.arn;
  const tgArn = prior.find(
    (r) => isType(r, "targetGroup:TargetGroup") && r.state.arnSuffix === `targetgroup/${tgPart}`,
  )?.state.arn;
  // A label naming resources this run didn't create (a component test's plain strings) can't
  // be checked here.
  if (!lbArn && !tgArn) return true;
  if (!lbArn || !tgArn) return false;
  type Action = { targetGroupArn?: string; forward?: { targetGroups?: { arn?: string }[] } };
  const forwards = (actions: Action[] | undefined) =>
    (actions ?? []).some(
      (a) =>
        a.targetGroupArn === tgArn || (a.forward?.targetGroups ?? []).some((t) => t.arn === tgArn),
    );
  const listeners = prior.filter(
    (r) => isType(r, "listener:Listener") && r.state.loadBalancerArn === lbArn,
  );
  return (
    listeners.some((l) => forwards(l.state.defaultActions)) ||
    prior.some(
      (r) =>
        isType(r, "listenerRule:ListenerRule") &&
        listeners.some((l) => l.state.arn === r.state.listenerArn) &&
        forwards(r.state.actions),
    )
  );
}

/**
 * WCUs AWS charges for a custom rule statement, or undefined for a statement this doesn't price.
 * String match: 2 for exact/starts/ends, 10 for contains, plus 10 per text transformation other
 * than NONE; AND/OR/NOT: the sum of their statements.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-string-match.html
 */
export function wafStatementWcus(statement: any): number | undefined {
  if (!statement || typeof statement !== "object") return undefined;
  const nested = statement.andStatement ?? statement.orStatement;
  if (nested) {
    let sum = 0;
    for (const s of nested.statements ?? []) {
      const w = wafStatementWcus(s);
      if (w === undefined) return undefined;
      sum += w;
    }
    return sum;
  }
  if (statement.notStatement) return wafStatementWcus(statement.notStatement.statements?.[0]);
  const bm = statement.byteMatchStatement;
  if (bm) {
    const base = ["CONTAINS", "CONTAINS_WORD"].includes(bm.positionalConstraint) ? 10 : 2;
    const transforms = (bm.textTransformations ?? []).filter(
      (t: { type?: string }) => t.type !== "NONE",
    ).length;
    return base + 10 * transforms;
  }
  // "1 WCU, as a base cost. If you use the request component All query parameters, add 10 WCUs.
  // If you use the request component JSON body, double the base cost WCUs. For each Text
  // transformation that you apply, add 10 WCUs." (Size constraint rule statement.)
  const sc = statement.sizeConstraintStatement;
  if (sc) {
    const field = sc.fieldToMatch ?? {};
    const base = (field.jsonBody ? 2 : 1) + (field.allQueryArguments ? 10 : 0);
    const transforms = (sc.textTransformations ?? []).filter(
      (t: { type?: string }) => t.type !== "NONE",
    ).length;
    return base + 10 * transforms;
  }
  return undefined;
}

/** A web request as AWS WAF inspects it, for {@link wafStatementMatches}. */
export interface WafRequest {
  readonly method: string;
  /** The URI path, without the query string. */
  readonly path: string;
  /** The query string without `?`; empty when there is none. */
  readonly query: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function wafField(field: any, req: WafRequest): string | undefined {
  if (field?.uriPath !== undefined) return req.path;
  if (field?.method !== undefined) return req.method;
  if (field?.queryString !== undefined) return req.query;
  if (field?.body !== undefined) return req.body;
  if (field?.singleHeader !== undefined) {
    return req.headers[String(field.singleHeader.name).toLowerCase()] ?? "";
  }
  return undefined;
}

function wafTransform(value: string, transforms: readonly { type?: string }[]): string | undefined {
  let v = value;
  for (const t of transforms ?? []) {
    if (t.type === "LOWERCASE") v = v.toLowerCase();
    else if (t.type !== "NONE") return undefined;
  }
  return v;
}

/**
 * Whether a WAF rule statement matches `req`, for the statements this program writes outside
 * managed groups (and/or/not, exact byte matches, size constraints with EQ). `undefined` for
 * anything else, so a test can't pass on a statement this doesn't understand.
 */
export function wafStatementMatches(statement: any, req: WafRequest): boolean | undefined {
  if (statement?.andStatement || statement?.orStatement) {
    const parts = ((statement.andStatement ?? statement.orStatement).statements ?? []).map(
      (s: any) => wafStatementMatches(s, req),
    );
    if (parts.some((p: boolean | undefined) => p === undefined)) return undefined;
    return statement.andStatement ? parts.every(Boolean) : parts.some(Boolean);
  }
  if (statement?.notStatement) {
    const inner = wafStatementMatches(statement.notStatement.statements?.[0], req);
    return inner === undefined ? undefined : !inner;
  }
  const bm = statement?.byteMatchStatement;
  if (bm) {
    const raw = wafField(bm.fieldToMatch, req);
    const value = raw === undefined ? undefined : wafTransform(raw, bm.textTransformations);
    if (value === undefined || bm.positionalConstraint !== "EXACTLY") return undefined;
    return value === bm.searchString;
  }
  const sc = statement?.sizeConstraintStatement;
  if (sc) {
    const raw = wafField(sc.fieldToMatch, req);
    const value = raw === undefined ? undefined : wafTransform(raw, sc.textTransformations);
    if (value === undefined || sc.comparisonOperator !== "EQ") return undefined;
    return Buffer.byteLength(value) === sc.size;
  }
  return undefined;
}
