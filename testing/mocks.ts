/**
 * Pulumi mocks that answer like AWS: real ARN formats and the attributes AWS computes (load
 * balancer DNS names, canonical hosted zones, `arnSuffix`, certificate validation options), plus
 * a record of every registered resource with its parent, dependencies and options.
 *
 * One module serves the unit tests, the offline preview and the policy runs. A resource type or
 * invoke it does not know is an error, so a new feature cannot hide behind a generic mock.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { awsBehaviourErrors, PriorResource, wafStatementWcus } from "./awsBehaviour";
import { awsInputErrors } from "./awsValidation";
import { plannedOutputs, withWireUnknowns } from "./plannedOutputs";
import {
  validateCluster,
  validateClusterInstance,
  validateClusterParameterGroup,
  validateClusterParameterGroupFamily,
} from "./rdsValidation";
import { validateListenerRule } from "./listenerRuleValidation";
import {
  validateTargetGroupHealth,
  validateTargetGroupProtocolAttributes,
} from "./targetGroupValidation";
import { ELB_HOSTED_ZONE_IDS } from "./elbHostedZones";
import {
  RECOVERY_FACTORIES,
  listRoute53HealthChecks,
  listenerZonalShiftCheck,
  loadBalancerZonalShiftCheck,
} from "./recoveryMocks";

/** The AWS account the mocks pretend to be. */
export const MOCK_ACCOUNT_ID = "123456789012";

export { ELB_HOSTED_ZONE_IDS } from "./elbHostedZones";

/** A registered resource as the engine would see it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly id: string | undefined;
  /** Inputs as the program passed them. */
  readonly inputs: Record<string, any>;
  /** Outputs: the inputs plus what AWS computes. */
  readonly state: Record<string, any>;
  /** Parent URN, or undefined for a root resource. */
  readonly parent: string | undefined;
  /** Provider reference (`urn::id`), when one was given or defaulted. */
  readonly provider: string | undefined;
  /** URNs this resource depends on. */
  readonly dependencies: readonly string[];
  /** Per input property, the URNs it came from. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** Resource options that change how the engine treats the resource. */
  readonly options: {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: readonly string[];
    /** Outputs (and inputs of the same name) the engine keeps secret; plans mask them. */
    readonly additionalSecretOutputs?: readonly string[];
  };
}

/** An invoke the program made. */
export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, any>;
}

function hex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) {
    out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  }
  return out.slice(0, length);
}

function digits(seed: string, length: number): string {
  return BigInt(`0x${hex(seed, 16)}`)
    .toString()
    .padStart(length, "0")
    .slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `n` characters of [A-Za-z0-9], as in Secrets Manager's ARN suffix. */
function alnum(seed: string, n: number): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const h = hex(seed, n * 2);
  let out = "";
  for (let i = 0; i < n; i++) out += chars[parseInt(h.slice(i * 2, i * 2 + 2), 16) % chars.length];
  return out;
}

/** `n` characters of [A-Z0-9], as in RDS resource IDs (`cluster-…`, `db-…`). */
function upperAlnum(seed: string, n: number): string {
  return alnum(seed, n * 2)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .padEnd(n, "0")
    .slice(0, n);
}

/** Pulumi's autonaming: the logical name plus "-" and 7 hex characters. */
export function autoname(logical: string, seed: string): string {
  return `${logical}-${hex(seed, 7)}`;
}

type Computed = { id: string; state: Record<string, any> };
/** Computes what AWS returns for one resource, or throws as AWS would refuse it. */
export type Factory = (ctx: FactoryContext) => Computed;
/** What a factory gets: the request, its region and the mocks (for what exists already). */
export interface FactoryContext {
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly region: string;
  readonly seed: string;
  readonly mocks: AwsMocks;
}

const ec2Id = (prefix: string) => (ctx: FactoryContext) => `${prefix}-${hex(ctx.seed, 17)}`;

function ec2Resource(prefix: string, arnType?: string): Factory {
  return (ctx) => {
    const id = ec2Id(prefix)(ctx);
    const state: Record<string, any> = { ...ctx.inputs, ownerId: MOCK_ACCOUNT_ID };
    if (arnType) state.arn = `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:${arnType}/${id}`;
    return { id, state };
  };
}

function elbKind(type: string | undefined): { short: string; key: "application" | "network" } {
  if (type === "network") return { short: "net", key: "network" };
  if (type === "gateway") return { short: "gwy", key: "network" };
  return { short: "app", key: "application" };
}

const loadBalancer: Factory = (ctx) => {
  loadBalancerZonalShiftCheck(ctx.inputs);
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const kind = elbKind(ctx.inputs.loadBalancerType);
  const zones = ELB_HOSTED_ZONE_IDS[ctx.region];
  // A Gateway Load Balancer has no DNS name to alias, hence no hosted zone.
  if (!zones && kind.short !== "gwy") {
    throw new Error(
      `mocks: no ELB hosted zone ID known for region ${ctx.region} (load balancer ${ctx.name}); AWS publishes one per region in "Elastic Load Balancing endpoints and quotas": add it to testing/elbHostedZones.ts`,
    );
  }
  const arnSuffix = `${kind.short}/${name}/${hex(ctx.seed + "lb", 16)}`;
  const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${MOCK_ACCOUNT_ID}:loadbalancer/${arnSuffix}`;
  const dnsName =
    kind.short === "app"
      ? `${name}-${digits(ctx.seed, 10)}.${ctx.region}.elb.amazonaws.com`
      : `${name}-${hex(ctx.seed + "dns", 16)}.elb.${ctx.region}.amazonaws.com`;
  return {
    id: arn,
    state: {
      ...ctx.inputs,
      name,
      arn,
      arnSuffix,
      dnsName,
      zoneId: kind.short === "gwy" ? "" : zones[kind.key],
      enableCrossZoneLoadBalancing: ctx.inputs.enableCrossZoneLoadBalancing ?? kind.short === "app",
    },
  };
};

const targetGroup: Factory = (ctx) => {
  validateTargetGroupHealth(ctx.inputs);
  validateTargetGroupProtocolAttributes(ctx.inputs);
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const arnSuffix = `targetgroup/${name}/${hex(ctx.seed, 16)}`;
  const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${MOCK_ACCOUNT_ID}:${arnSuffix}`;
  return { id: arn, state: { ...ctx.inputs, name, arn, arnSuffix } };
};

const listener: Factory = (ctx) => {
  listenerZonalShiftCheck(ctx);
  const lbArn = String(ctx.inputs.loadBalancerArn);
  const arn = `${lbArn.replace(":loadbalancer/", ":listener/")}/${hex(ctx.seed, 16)}`;
  return { id: arn, state: { ...ctx.inputs, arn } };
};

const listenerRule: Factory = (ctx) => {
  validateListenerRule(ctx.inputs);
  const listenerArn = String(ctx.inputs.listenerArn);
  const arn = `${listenerArn.replace(":listener/", ":listener-rule/")}/${hex(ctx.seed, 16)}`;
  return { id: arn, state: { ...ctx.inputs, arn } };
};

/** The validation record ACM asks for: the same for a name in every region, shared by its wildcard. */
export function acmValidationRecord(domainName: string): { name: string; value: string } {
  const base = domainName.replace(/^\*\./, "");
  return {
    name: `_${hex(`acm-name:${base}`, 32)}.${base}.`,
    value: `_${hex(`acm-value:${base}`, 32)}.${hex(`acm-zone:${base}`, 10)}.acm-validations.aws.`,
  };
}

const certificate: Factory = (ctx) => {
  const names: string[] = [ctx.inputs.domainName, ...(ctx.inputs.subjectAlternativeNames ?? [])];
  const arn = `arn:aws:acm:${ctx.region}:${MOCK_ACCOUNT_ID}:certificate/${uuid(ctx.seed)}`;
  return {
    id: arn,
    state: {
      ...ctx.inputs,
      arn,
      status: "PENDING_VALIDATION",
      domainValidationOptions: names.map((domainName) => {
        const rec = acmValidationRecord(domainName);
        return {
          domainName,
          resourceRecordName: rec.name,
          resourceRecordType: "CNAME",
          resourceRecordValue: rec.value,
        };
      }),
    },
  };
};

const record: Factory = (ctx) => {
  const name = String(ctx.inputs.name).replace(/\.$/, "");
  const parts = [ctx.inputs.zoneId, name, ctx.inputs.type, ctx.inputs.setIdentifier].filter(
    Boolean,
  );
  return { id: parts.join("_"), state: { ...ctx.inputs, fqdn: name } };
};

const bucket: Factory = (ctx) => {
  const name: string = ctx.inputs.bucket ?? autoname(ctx.name, ctx.seed).toLowerCase();
  return {
    id: name,
    state: {
      ...ctx.inputs,
      bucket: name,
      arn: `arn:aws:s3:::${name}`,
      bucketDomainName: `${name}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
      region: ctx.region,
    },
  };
};

const byBucket: Factory = (ctx) => ({ id: String(ctx.inputs.bucket), state: { ...ctx.inputs } });

const iamRole: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${ctx.inputs.path ?? "/"}${name}`.replace(
        "role//",
        "role/",
      ),
      uniqueId: `AROA${hex(ctx.seed, 17).toUpperCase()}`,
    },
  };
};

const instanceProfile: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  return {
    id: name,
    state: { ...ctx.inputs, name, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${name}` },
  };
};

const launchTemplate: Factory = (ctx) => {
  const id = `lt-${hex(ctx.seed, 17)}`;
  return {
    id,
    state: {
      ...ctx.inputs,
      name: ctx.inputs.name ?? autoname(ctx.name, ctx.seed),
      arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:launch-template/${id}`,
      latestVersion: 1,
      defaultVersion: 1,
    },
  };
};

/**
 * RefreshPreferences rules (Auto Scaling API reference: RefreshPreferences, AlarmSpecification,
 * InstanceMaintenancePolicy); AWS refuses the refresh otherwise. `group` is the Auto Scaling
 * group's inputs, for the launch template version that AutoRollback needs.
 */
export function checkRefreshPreferences(name: string, group: Record<string, any>): void {
  const p: Record<string, any> | undefined = group.instanceRefresh?.preferences;
  if (!p) return;
  const fail = (why: string) => {
    throw new Error(`mocks: ValidationError: instance refresh of ${name}: ${why}`);
  };
  const min = p.minHealthyPercentage;
  if (min !== undefined && (min < 0 || min > 100)) fail(`minHealthyPercentage ${min} not 0-100`);
  const max = p.maxHealthyPercentage;
  if (max !== undefined) {
    // "Both MinHealthyPercentage and MaxHealthyPercentage must be specified, and the difference
    // between them cannot be greater than 100."
    if (min === undefined) fail("maxHealthyPercentage needs minHealthyPercentage");
    if (max < 100 || max > 200 || max - min > 100) {
      fail(`maxHealthyPercentage ${max} not 100-200 within 100 of the minimum`);
    }
  }
  const cps: number[] = p.checkpointPercentages ?? [];
  if (cps.some((c, i) => c < 1 || c > 100 || (i > 0 && c <= cps[i - 1]))) {
    fail(`checkpointPercentages ${JSON.stringify(cps)} not unique, ascending and 1-100`);
  }
  if (p.checkpointDelay !== undefined) {
    const d = Number(p.checkpointDelay);
    if (cps.length === 0) fail("checkpointDelay needs checkpointPercentages");
    if (!Number.isInteger(d) || d < 0 || d > 172800) fail(`checkpointDelay ${d} not 0-172800`);
  }
  const alarms: unknown[] | undefined = p.alarmSpecification?.alarms;
  if (alarms !== undefined) {
    if (alarms.length > 10) fail(`alarmSpecification names ${alarms.length} alarms; at most 10`);
    for (const a of alarms) {
      if (typeof a === "string" && (a.length < 1 || a.length > 255)) {
        fail(`alarm name "${a}" must be 1-255 characters`);
      }
    }
  }
  if (p.autoRollback === true) {
    // "A rollback is not supported [when] the Auto Scaling group uses the launch template's
    // $Latest or $Default version", nor without a launch template at all.
    const version = group.launchTemplate?.version ?? "$Default";
    if (group.launchTemplate === undefined && group.mixedInstancesPolicy === undefined) {
      fail("autoRollback needs a launch template or mixed instances policy");
    }
    if (version === "$Latest" || version === "$Default") {
      fail(`autoRollback is not supported with launch template version ${version}; use a number`);
    }
  }
}

/**
 * What the Pulumi AWS provider (terraform-provider-aws underneath) does with `instanceRefresh`,
 * beyond AWS's own rules: on an update it saves the new launch template version on the group
 * (UpdateAutoScalingGroup) and only then calls StartInstanceRefresh. AWS rolls back to "the
 * configuration that you last saved on the Auto Scaling group before starting the instance
 * refresh" (user guide, "Undo changes with a manual or auto rollback"), which is then the new
 * version, so `autoRollback: true` rolls a bad image back onto itself
 * (hashicorp/terraform-provider-aws#34189, open; fix #39007 closed unmerged). Refused for every
 * `aws.autoscaling.Group`, whatever its other inputs.
 */
export function checkProviderRefresh(name: string, group: Record<string, any>): void {
  if (group.instanceRefresh?.preferences?.autoRollback === true) {
    throw new Error(
      `mocks: instance refresh of ${name}: autoRollback true would roll back onto the new launch template version, which the provider saves on the group before StartInstanceRefresh (hashicorp/terraform-provider-aws#34189). Leave autoRollback false, keep alarmSpecification to stop a bad refresh, and roll forward (docs/security.md)`,
    );
  }
}

const autoScalingGroup: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  checkRefreshPreferences(name, ctx.inputs);
  checkProviderRefresh(name, ctx.inputs);
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:autoScalingGroup:${uuid(ctx.seed)}:autoScalingGroupName/${name}`,
      desiredCapacity: ctx.inputs.desiredCapacity ?? ctx.inputs.minSize,
    },
  };
};

const securityGroup: Factory = (ctx) => {
  const id = `sg-${hex(ctx.seed, 17)}`;
  return {
    id,
    state: {
      ...ctx.inputs,
      name: ctx.inputs.name ?? autoname(ctx.name, ctx.seed),
      arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:security-group/${id}`,
      ownerId: MOCK_ACCOUNT_ID,
    },
  };
};

const eip: Factory = (ctx) => {
  const id = `eipalloc-${hex(ctx.seed, 17)}`;
  // 198.51.100.0/24 is a documentation range: a real format that can never be a real address.
  const publicIp = `198.51.100.${(parseInt(hex(ctx.seed, 2), 16) % 254) + 1}`;
  return {
    id,
    state: {
      ...ctx.inputs,
      allocationId: id,
      publicIp,
      arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:elastic-ip/${id}`,
    },
  };
};

/**
 * WCUs AWS publishes for its managed rule groups. Kept apart from components/edge/wafRules.ts on
 * purpose: the mock plays AWS, so a rule the component adds without counting it shows up as a
 * capacity mismatch.
 */
const AWS_MANAGED_RULE_GROUP_CAPACITY: Readonly<Record<string, number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesBotControlRuleSet: 50,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
};

/** AWS's error for a bad WAF request, so a mistake fails the run as `pulumi up` would. */
function wafError(message: string): Error {
  return new Error(`mocks: WAFInvalidParameterException: ${message}`);
}

const webAcl: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  if (ctx.inputs.scope === "CLOUDFRONT" && ctx.region !== "us-east-1") {
    throw wafError(`CLOUDFRONT web ACL ${name} must be created in us-east-1, not ${ctx.region}`);
  }
  // WAF's published input patterns; anything else is a WAFInvalidParameterException.
  const description = ctx.inputs.description as string | undefined;
  if (
    description !== undefined &&
    !/^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]+[\w+=:#@/\-,.]$/.test(description)
  ) {
    throw wafError(`web ACL description "${description}" has characters WAF refuses`);
  }
  if (!/^[\w-]{1,128}$/.test(name)) throw wafError(`web ACL name "${name}" is invalid`);
  const metricNames = [
    ctx.inputs.visibilityConfig?.metricName,
    ...((ctx.inputs.rules ?? []) as { visibilityConfig?: { metricName?: string } }[]).map(
      (r) => r.visibilityConfig?.metricName,
    ),
  ];
  for (const m of metricNames) {
    if (typeof m !== "string" || !/^[\w#:.\-/]{1,255}$/.test(m) || m === "All") {
      throw wafError(`metric name ${String(m)} is invalid`);
    }
  }
  let capacity = 0;
  type MockRule = {
    name: string;
    statement?: {
      managedRuleGroupStatement?: { name: string };
      rateBasedStatement?: { scopeDownStatement?: unknown; customKeys?: unknown[] };
    };
  };
  for (const rule of (ctx.inputs.rules ?? []) as MockRule[]) {
    const s = rule.statement ?? {};
    if (s.managedRuleGroupStatement) {
      const wcu = AWS_MANAGED_RULE_GROUP_CAPACITY[s.managedRuleGroupStatement.name];
      if (wcu === undefined) {
        throw wafError(`no mocked capacity for ${s.managedRuleGroupStatement.name}`);
      }
      capacity += wcu;
    } else if (s.rateBasedStatement) {
      if (s.rateBasedStatement.scopeDownStatement) {
        throw wafError(
          "mocks do not price scope-down statements; extend webAcl in testing/mocks.ts",
        );
      }
      capacity += 2 + 30 * (s.rateBasedStatement.customKeys ?? []).length;
    } else {
      const wcu = wafStatementWcus(s);
      if (wcu === undefined) {
        throw wafError(`mocks do not price rule ${rule.name}; extend wafStatementWcus`);
      }
      capacity += wcu;
    }
  }
  if (capacity > 5000)
    throw wafError(`web ACL ${name} needs ${capacity} WCUs; the maximum is 5000`);
  const id = uuid(ctx.seed);
  const scope = ctx.inputs.scope === "CLOUDFRONT" ? "global" : "regional";
  return {
    id,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:wafv2:${ctx.region}:${MOCK_ACCOUNT_ID}:${scope}/webacl/${name}/${id}`,
      capacity,
      lockToken: uuid(ctx.seed + "lock"),
    },
  };
};

const webAclAssociation: Factory = (ctx) => {
  const resourceArn = String(ctx.inputs.resourceArn);
  if (resourceArn.includes(":loadbalancer/net/") || resourceArn.includes(":loadbalancer/gwy/")) {
    throw wafError(`AWS WAF cannot protect ${resourceArn}; only ALBs among load balancers`);
  }
  return { id: `${ctx.inputs.webAclArn},${resourceArn}`, state: { ...ctx.inputs } };
};

const webAclLogging: Factory = (ctx) => {
  for (const dest of (ctx.inputs.logDestinationConfigs ?? []) as string[]) {
    const name = dest.split(":log-group:")[1] ?? dest.split("/").pop() ?? dest.split(":").pop();
    if (dest.endsWith(":*")) {
      throw wafError(`log destination ${dest} must be the log group ARN without ":*"`);
    }
    if (!String(name).startsWith("aws-waf-logs-")) {
      throw wafError(`log destination ${dest} must be named aws-waf-logs-...`);
    }
  }
  return { id: String(ctx.inputs.resourceArn), state: { ...ctx.inputs } };
};

/**
 * CreateLogGroup with a KMS key fails unless the key policy lets `logs.<region>.amazonaws.com`
 * use the key, for this log group if an encryption-context condition is set (CloudWatch Logs
 * guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 */
function checkLogGroupKey(ctx: FactoryContext, name: string, arn: string): void {
  const keyArn = ctx.inputs.kmsKeyId;
  if (keyArn === undefined) return;
  const key = ctx.mocks.resources.find(
    (r) => r.type === "aws:kms/key:Key" && (r.state.arn === keyArn || r.id === keyArn),
  );
  if (!key) {
    throw new Error(`mocks: log group ${name}: kmsKeyId ${keyArn} is not a key of this stack`);
  }
  const policy = JSON.parse(String(key.state.policy ?? "{}"));
  const principal = `logs.${ctx.region}.amazonaws.com`;
  const allowed = (policy.Statement ?? []).some((st: any) => {
    const services = [st.Principal?.Service ?? []].flat();
    const actions = [st.Action ?? []].flat().join(" ");
    const context = st.Condition?.ArnEquals?.["kms:EncryptionContext:aws:logs:arn"];
    return (
      st.Effect === "Allow" &&
      services.includes(principal) &&
      /kms:GenerateDataKey/.test(actions) &&
      /kms:Decrypt/.test(actions) &&
      (context === undefined || context === arn)
    );
  });
  if (!allowed) {
    throw new Error(
      `mocks: AccessDeniedException: CreateLogGroup ${name}: the key policy of ${keyArn} does not allow ${principal} to use it for ${arn}`,
    );
  }
}

const logGroup: Factory = (ctx) => {
  const name: string =
    ctx.inputs.name ??
    (ctx.inputs.namePrefix
      ? `${ctx.inputs.namePrefix}${digits(ctx.seed, 26)}`
      : autoname(ctx.name, ctx.seed));
  checkLogGroupKey(ctx, name, `arn:aws:logs:${ctx.region}:${MOCK_ACCOUNT_ID}:log-group:${name}`);
  // Since provider v6 `arn` has no ":*" suffix (the API's form names the log streams).
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:logs:${ctx.region}:${MOCK_ACCOUNT_ID}:log-group:${name}`,
      logGroupClass: ctx.inputs.logGroupClass ?? "STANDARD",
    },
  };
};

const metricAlarm: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const hasMetric = ctx.inputs.metricName !== undefined;
  const hasQueries = (ctx.inputs.metricQueries ?? []).length > 0;
  if (hasMetric === hasQueries) {
    throw new Error(
      `mocks: ValidationError: alarm ${name} needs exactly one of metricName or metricQueries`,
    );
  }
  // PutMetricAlarm: "If you use the Metrics parameter, you cannot include the Namespace,
  // MetricName, Dimensions, Period, Unit, Statistic, or ExtendedStatistic parameters", and
  // "Any expression used in a PutMetricAlarm operation must return a single time series" (a
  // Metrics Insights GROUP BY returns one per group).
  if (hasQueries) {
    const extra = [
      "namespace",
      "dimensions",
      "period",
      "unit",
      "statistic",
      "extendedStatistic",
    ].filter((k) => ctx.inputs[k] !== undefined);
    if (extra.length > 0) {
      throw new Error(
        `mocks: ValidationError: alarm ${name} has metricQueries and also ${extra.join(", ")}`,
      );
    }
    for (const q of ctx.inputs.metricQueries as { expression?: string }[]) {
      if (/^\s*SELECT\b/i.test(q.expression ?? "") && /\bGROUP\s+BY\b/i.test(q.expression ?? "")) {
        throw new Error(
          `mocks: ValidationError: alarm ${name}: a Metrics Insights query with GROUP BY returns several time series; an alarm needs one`,
        );
      }
    }
  }
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:cloudwatch:${ctx.region}:${MOCK_ACCOUNT_ID}:alarm:${name}`,
    },
  };
};

const dashboard: Factory = (ctx) => {
  const name = String(ctx.inputs.dashboardName);
  try {
    JSON.parse(String(ctx.inputs.dashboardBody));
  } catch (e) {
    throw new Error(
      `mocks: InvalidParameterInput: dashboard ${name} body is not JSON: ${String(e)}`,
    );
  }
  return {
    id: name,
    state: {
      ...ctx.inputs,
      dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${name}`,
    },
  };
};

const snsTopic: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const arn = `arn:aws:sns:${ctx.region}:${MOCK_ACCOUNT_ID}:${name}`;
  return { id: arn, state: { ...ctx.inputs, name, arn, owner: MOCK_ACCOUNT_ID } };
};

/** PutRule: the pattern must be JSON; the ARN names the rule on the default bus. */
const eventRule: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  try {
    JSON.parse(String(ctx.inputs.eventPattern));
  } catch {
    throw new Error(`mocks: InvalidEventPatternException: Event pattern is not valid (${name})`);
  }
  const arn = `arn:aws:events:${ctx.region}:${MOCK_ACCOUNT_ID}:rule/${name}`;
  return { id: name, state: { ...ctx.inputs, name, arn, eventBusName: "default" } };
};

const eventTarget: Factory = (ctx) => ({
  id: `${ctx.inputs.rule}-${ctx.inputs.targetId ?? hex(ctx.seed, 8)}`,
  state: { ...ctx.inputs, targetId: ctx.inputs.targetId ?? hex(ctx.seed, 8) },
});

const snsTopicPolicy: Factory = (ctx) => {
  JSON.parse(String(ctx.inputs.policy));
  return { id: String(ctx.inputs.arn), state: { ...ctx.inputs, owner: MOCK_ACCOUNT_ID } };
};

const snsSubscription: Factory = (ctx) => {
  const arn = `${ctx.inputs.topic}:${uuid(ctx.seed)}`;
  // Email endpoints stay pending until someone clicks the link in the confirmation mail.
  const pending = ctx.inputs.protocol === "email" || ctx.inputs.protocol === "email-json";
  return {
    id: arn,
    state: { ...ctx.inputs, arn, ownerId: MOCK_ACCOUNT_ID, pendingConfirmation: pending },
  };
};

/** Resource ARNs Shield Advanced can protect (an NLB only through its Elastic IPs). */
const SHIELD_PROTECTABLE = [
  /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\//,
  /^arn:aws:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/[^/]+$/, // Classic LB
  /^arn:aws:ec2:[a-z0-9-]+:\d{12}:eip-allocation\/eipalloc-[0-9a-f]+$/,
  /^arn:aws:route53:::hostedzone\/Z[A-Z0-9]+$/,
  /^arn:aws:cloudfront::\d{12}:distribution\//,
  /^arn:aws:globalaccelerator::\d{12}:accelerator\//,
];

const shieldProtection: Factory = (ctx) => {
  const resourceArn = String(ctx.inputs.resourceArn);
  if (!SHIELD_PROTECTABLE.some((re) => re.test(resourceArn))) {
    throw new Error(
      `mocks: InvalidResourceException: Shield Advanced cannot protect ${resourceArn} (an NLB is protected through its Elastic IPs)`,
    );
  }
  const id = uuid(ctx.seed);
  return {
    id,
    state: {
      ...ctx.inputs,
      name: ctx.inputs.name ?? autoname(ctx.name, ctx.seed),
      arn: `arn:aws:shield::${MOCK_ACCOUNT_ID}:protection/${id}`,
    },
  };
};

const shieldProtectionGroup: Factory = (ctx) => {
  const id = String(ctx.inputs.protectionGroupId);
  const arbitrary = ctx.inputs.pattern === "ARBITRARY";
  if (arbitrary !== (ctx.inputs.members !== undefined)) {
    throw new Error(`mocks: InvalidParameterException: members go with pattern ARBITRARY only`);
  }
  return {
    id,
    state: {
      ...ctx.inputs,
      protectionGroupArn: `arn:aws:shield::${MOCK_ACCOUNT_ID}:protection-group/${id}`,
    },
  };
};

const xraySamplingRule: Factory = (ctx) => {
  const name: string = ctx.inputs.ruleName ?? autoname(ctx.name, ctx.seed);
  if (name.length > 32) {
    throw new Error(`mocks: InvalidRequestException: sampling rule name ${name} exceeds 32`);
  }
  return {
    id: name,
    state: {
      ...ctx.inputs,
      ruleName: name,
      arn: `arn:aws:xray:${ctx.region}:${MOCK_ACCOUNT_ID}:sampling-rule/${name}`,
    },
  };
};

const xrayGroup: Factory = (ctx) => {
  const name = String(ctx.inputs.groupName);
  if (name.length > 32) {
    throw new Error(`mocks: InvalidRequestException: group name ${name} exceeds 32`);
  }
  const arn = `arn:aws:xray:${ctx.region}:${MOCK_ACCOUNT_ID}:group/${name}/${hex(ctx.seed, 32).toUpperCase()}`;
  return { id: arn, state: { ...ctx.inputs, arn } };
};

/**
 * CreateHealthCheck's rules for a CALCULATED check (Route 53 API reference, HealthCheckConfig):
 * `ChildHealthChecks` of at most 256 health-check IDs (the developer guide says 255), a
 * `HealthThreshold` of 0 to 256, and no endpoint of its own.
 */
export function calculatedHealthCheckProblems(inputs: Record<string, any>): string[] {
  if (inputs.type !== "CALCULATED") return [];
  const problems: string[] = [];
  const children: unknown[] = inputs.childHealthchecks ?? [];
  if (children.length < 1 || children.length > 255) {
    problems.push(`ChildHealthChecks must list 1 to 255 health checks; got ${children.length}`);
  }
  for (const c of children) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(String(c))) {
      problems.push(`ChildHealthChecks has ${String(c)}, which is not a health check ID`);
    }
  }
  if (new Set(children).size !== children.length) {
    problems.push("ChildHealthChecks lists a health check twice");
  }
  const t = inputs.childHealthThreshold;
  if (!Number.isInteger(t) || t < 0 || t > 256) {
    problems.push(`HealthThreshold must be an integer from 0 to 256; got ${String(t)}`);
  }
  for (const field of ["fqdn", "ipAddress", "port", "resourcePath", "requestInterval"]) {
    if (inputs[field] !== undefined) problems.push(`a CALCULATED health check takes no ${field}`);
  }
  return problems;
}

const healthCheck: Factory = (ctx) => {
  const problems = calculatedHealthCheckProblems(ctx.inputs);
  if (problems.length > 0) {
    throw new Error(`mocks: CreateHealthCheck: InvalidInput: ${problems.join("; ")}`);
  }
  // Route 53 health-check IDs are UUIDs; the ARN is global (no region, no account).
  const id = uuid(ctx.seed);
  return {
    id,
    state: {
      ...ctx.inputs,
      arn: `arn:aws:route53:::healthcheck/${id}`,
      enableSni: ctx.inputs.enableSni ?? ctx.inputs.type === "HTTPS",
      regions: ctx.inputs.regions ?? [],
    },
  };
};

const scalingPolicy: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const group = String(ctx.inputs.autoscalingGroupName);
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:scalingPolicy:${uuid(ctx.seed)}:autoScalingGroupName/${group}:policyName/${name}`,
      metricAggregationType: ctx.inputs.metricAggregationType ?? "Average",
    },
  };
};

const asgSchedule: Factory = (ctx) => {
  const name = String(ctx.inputs.scheduledActionName);
  const group = String(ctx.inputs.autoscalingGroupName);
  return {
    id: name,
    state: {
      ...ctx.inputs,
      arn: `arn:aws:autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:scheduledUpdateGroupAction:${uuid(ctx.seed)}:autoScalingGroupName/${group}:scheduledActionName/${name}`,
      // AWS applies recurrences in UTC unless told otherwise.
      timeZone: ctx.inputs.timeZone ?? "UTC",
    },
  };
};

/** Service-linked roles Application Auto Scaling creates and uses per namespace. */
const APP_AUTOSCALING_ROLES: Readonly<Record<string, string>> = {
  ecs: "ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService",
  dynamodb:
    "dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
  lambda:
    "lambda.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency",
};

const scalableTarget: Factory = (ctx) => {
  const ns = String(ctx.inputs.serviceNamespace);
  const role = APP_AUTOSCALING_ROLES[ns];
  if (!role) throw new Error(`mocks: no Application Auto Scaling role known for namespace ${ns}`);
  return {
    id: String(ctx.inputs.resourceId),
    state: {
      ...ctx.inputs,
      arn: `arn:aws:application-autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:scalable-target/${hex(ctx.seed, 36)}`,
      roleArn:
        ctx.inputs.roleArn ?? `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/${role}`,
    },
  };
};

const appScalingPolicy: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const resource = `${ctx.inputs.serviceNamespace}/${ctx.inputs.resourceId}`;
  const alarm = (level: string) =>
    `arn:aws:cloudwatch:${ctx.region}:${MOCK_ACCOUNT_ID}:alarm:TargetTracking-${ctx.inputs.resourceId}-Alarm${level}-${uuid(ctx.seed + level)}`;
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:scalingPolicy:${uuid(ctx.seed)}:resource/${resource}:policyName/${name}`,
      alarmArns:
        ctx.inputs.policyType === "TargetTrackingScaling" ? [alarm("High"), alarm("Low")] : [],
    },
  };
};

const appScheduledAction: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const resource = `${ctx.inputs.serviceNamespace}/${ctx.inputs.resourceId}`;
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:autoscaling:${ctx.region}:${MOCK_ACCOUNT_ID}:scheduledAction:${uuid(ctx.seed)}:resource/${resource}:scheduledActionName/${name}`,
    },
  };
};

/** RDS endpoints carry one hash per account and region (`<id>.cluster-<hash>.<region>…`). */
function rdsEndpointHash(region: string): string {
  return hex(`rds-endpoint:${MOCK_ACCOUNT_ID}:${region}`, 12);
}

const kmsKey: Factory = (ctx) => {
  const keyId = uuid(ctx.seed);
  return {
    id: keyId,
    state: {
      ...ctx.inputs,
      keyId,
      arn: `arn:aws:kms:${ctx.region}:${MOCK_ACCOUNT_ID}:key/${keyId}`,
      keyUsage: ctx.inputs.keyUsage ?? "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      multiRegion: ctx.inputs.multiRegion ?? false,
    },
  };
};

/**
 * CreateFlowLog's rules: exactly one resource; TrafficType ALL, ACCEPT or REJECT; aggregation 60
 * or 600 s; CloudWatch Logs delivery needs a role (EC2 API reference, CreateFlowLog).
 */
const flowLog: Factory = (ctx) => {
  const i = ctx.inputs;
  const targets = [
    "vpcId",
    "subnetId",
    "eniId",
    "transitGatewayId",
    "transitGatewayAttachmentId",
    "regionalNatGatewayId",
  ].filter((k) => i[k] !== undefined);
  const problems: string[] = [];
  if (targets.length !== 1) problems.push(`exactly one resource to log; got ${targets.join(", ")}`);
  if (!["ALL", "ACCEPT", "REJECT"].includes(i.trafficType)) {
    problems.push(`trafficType ALL, ACCEPT or REJECT; got ${i.trafficType}`);
  }
  if (i.maxAggregationInterval !== undefined && ![60, 600].includes(i.maxAggregationInterval)) {
    problems.push(`maxAggregationInterval 60 or 600; got ${i.maxAggregationInterval}`);
  }
  const type = i.logDestinationType ?? "cloud-watch-logs";
  if (!["cloud-watch-logs", "s3", "kinesis-data-firehose"].includes(type)) {
    problems.push(`logDestinationType cloud-watch-logs, s3 or kinesis-data-firehose; got ${type}`);
  }
  if (type === "cloud-watch-logs" && !i.iamRoleArn) {
    problems.push("an iamRoleArn to deliver to CloudWatch Logs");
  }
  if (
    type === "cloud-watch-logs" &&
    !/^arn:aws:logs:[^:]+:\d{12}:log-group:/.test(i.logDestination)
  ) {
    problems.push(`a log group ARN as logDestination; got ${i.logDestination}`);
  }
  if (problems.length > 0) {
    throw new Error(`mocks: InvalidParameter: flow log ${ctx.name} needs ${problems.join("; ")}`);
  }
  const id = `fl-${hex(ctx.seed, 17)}`;
  return {
    id,
    state: {
      ...i,
      logDestinationType: type,
      arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:vpc-flow-log/${id}`,
    },
  };
};

/**
 * CreateVpcEndpoint's rules the stacks can break: a Gateway endpoint exists only for S3 and
 * DynamoDB of the same region and takes route tables, not subnets; an endpoint policy is JSON of
 * at most 20,480 characters with a Principal in every statement (AWS PrivateLink guide).
 */
function checkVpcEndpoint(ctx: FactoryContext): void {
  const i = ctx.inputs;
  const fail = (why: string) => {
    throw new Error(`mocks: InvalidParameter: VPC endpoint ${ctx.name}: ${why}`);
  };
  if (i.vpcEndpointType === "Gateway") {
    const m = /^com\.amazonaws\.([a-z0-9-]+)\.(s3|dynamodb)$/.exec(String(i.serviceName));
    if (!m) fail(`Gateway endpoints exist only for s3 and dynamodb; got ${i.serviceName}`);
    if (m && m[1] !== ctx.region) fail(`service ${i.serviceName} is not in ${ctx.region}`);
    if ((i.subnetIds ?? []).length > 0) fail("a Gateway endpoint takes routeTableIds, not subnets");
    if ((i.routeTableIds ?? []).length === 0) fail("a Gateway endpoint needs route tables");
  }
  if (i.policy !== undefined) {
    const text = String(i.policy);
    if (text.length > 20480) fail(`policy has ${text.length} characters; the limit is 20480`);
    const doc = JSON.parse(text);
    for (const st of doc.Statement ?? []) {
      if (st.Principal === undefined) fail(`policy statement ${st.Sid ?? "?"} has no Principal`);
    }
  }
}

const kmsAlias: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? `alias/${autoname(ctx.name, ctx.seed)}`;
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:kms:${ctx.region}:${MOCK_ACCOUNT_ID}:${name}`,
      targetKeyArn: `arn:aws:kms:${ctx.region}:${MOCK_ACCOUNT_ID}:key/${ctx.inputs.targetKeyId}`,
    },
  };
};

const globalCluster: Factory = (ctx) => {
  const id: string = ctx.inputs.globalClusterIdentifier;
  return {
    id,
    state: {
      ...ctx.inputs,
      arn: `arn:aws:rds::${MOCK_ACCOUNT_ID}:global-cluster:${id}`,
      globalClusterResourceId: `cluster-${hex(ctx.seed, 17)}`,
      engineVersionActual: ctx.inputs.engineVersion,
      globalClusterMembers: [],
      endpoint: `${id}.global-${hex(ctx.seed + "ep", 10)}.global.rds.amazonaws.com`,
    },
  };
};

const rdsSubnetGroup: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed).toLowerCase();
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:subgrp:${name}`,
      supportedNetworkTypes: ["IPV4"],
    },
  };
};

/** Families of the cluster parameter groups created so far, by name (names are per account). */
const clusterParameterGroupFamilies = new Map<string, string>();

const rdsClusterParameterGroup: Factory = (ctx) => {
  validateClusterParameterGroup(ctx.inputs);
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed).toLowerCase();
  clusterParameterGroupFamilies.set(name, String(ctx.inputs.family));
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:cluster-pg:${name}`,
    },
  };
};

const rdsCluster: Factory = (ctx) => {
  validateCluster(ctx.inputs);
  const groupName = ctx.inputs.dbClusterParameterGroupName;
  const groupFamily =
    typeof groupName === "string" ? clusterParameterGroupFamilies.get(groupName) : undefined;
  if (groupFamily !== undefined && typeof ctx.inputs.engineVersion === "string") {
    validateClusterParameterGroupFamily(ctx.inputs.engineVersion, groupFamily);
  }
  const id: string = ctx.inputs.clusterIdentifier ?? autoname(ctx.name, ctx.seed).toLowerCase();
  const h = rdsEndpointHash(ctx.region);
  const state: Record<string, any> = {
    ...ctx.inputs,
    clusterIdentifier: id,
    arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:cluster:${id}`,
    clusterResourceId: `cluster-${upperAlnum(ctx.seed, 26)}`,
    endpoint: `${id}.cluster-${h}.${ctx.region}.rds.amazonaws.com`,
    readerEndpoint: `${id}.cluster-ro-${h}.${ctx.region}.rds.amazonaws.com`,
    port: ctx.inputs.port ?? (String(ctx.inputs.engine).includes("postgresql") ? 5432 : 3306),
    engineVersionActual: ctx.inputs.engineVersion,
    hostedZoneId: "Z2R2ITUGPM61AM",
    masterUserSecrets: [],
  };
  // Write-only inputs are sent to AWS and never come back.
  delete state.masterPasswordWo;
  if (ctx.inputs.manageMasterUserPassword) {
    state.masterUserSecrets = [
      {
        secretArn: `arn:aws:secretsmanager:${ctx.region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-${uuid(ctx.seed + "secret")}-${alnum(ctx.seed, 6)}`,
        kmsKeyId: ctx.inputs.masterUserSecretKmsKeyId ?? "alias/aws/secretsmanager",
        secretStatus: "active",
      },
    ];
  }
  return { id, state };
};

const rdsClusterInstance: Factory = (ctx) => {
  validateClusterInstance(ctx.inputs, ctx.region);
  const id: string = ctx.inputs.identifier ?? autoname(ctx.name, ctx.seed).toLowerCase();
  return {
    id,
    state: {
      ...ctx.inputs,
      identifier: id,
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:db:${id}`,
      dbiResourceId: `db-${upperAlnum(ctx.seed, 26)}`,
      endpoint: `${id}.${rdsEndpointHash(ctx.region)}.${ctx.region}.rds.amazonaws.com`,
      port: 5432,
      storageEncrypted: true,
    },
  };
};

const rdsProxy: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed).toLowerCase();
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:db-proxy:prx-${hex(ctx.seed, 17)}`,
      endpoint: `${name}.proxy-${rdsEndpointHash(ctx.region)}.${ctx.region}.rds.amazonaws.com`,
      defaultAuthScheme: ctx.inputs.defaultAuthScheme ?? "NONE",
      endpointNetworkType: "IPV4",
      targetConnectionNetworkType: "IPV4",
    },
  };
};

const rdsProxyEndpoint: Factory = (ctx) => {
  const name: string = ctx.inputs.dbProxyEndpointName;
  return {
    id: `${ctx.inputs.dbProxyName}/${name}`,
    state: {
      ...ctx.inputs,
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:db-proxy-endpoint:prx-endpoint-${hex(ctx.seed, 17)}`,
      endpoint: `${name}.endpoint.proxy-${rdsEndpointHash(ctx.region)}.${ctx.region}.rds.amazonaws.com`,
      isDefault: false,
      targetRole: ctx.inputs.targetRole ?? "READ_WRITE",
    },
  };
};

const dynamoTable: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const arn = `arn:aws:dynamodb:${ctx.region}:${MOCK_ACCOUNT_ID}:table/${name}`;
  const label = ctx.inputs.streamEnabled
    ? new Date(Date.UTC(2026, 0, 1) + parseInt(hex(ctx.seed, 8), 16)).toISOString().slice(0, -1)
    : "";
  return {
    id: name,
    state: {
      ...ctx.inputs,
      name,
      arn,
      streamArn: label ? `${arn}/stream/${label}` : "",
      streamLabel: label,
    },
  };
};

const dynamoTableReplica: Factory = (ctx) => {
  const main = String(ctx.inputs.globalTableArn);
  const [, , , mainRegion, account, resource] = main.split(":");
  const name = resource.replace(/^table\//, "");
  const region: string = ctx.inputs.region ?? ctx.region;
  return {
    id: `${name}:${mainRegion}`,
    state: {
      ...ctx.inputs,
      region,
      arn: `arn:aws:dynamodb:${region}:${account}:table/${name}`,
    },
  };
};

const secret: Factory = (ctx) => {
  const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
  const arn = `arn:aws:secretsmanager:${ctx.region}:${MOCK_ACCOUNT_ID}:secret:${name}-${alnum(ctx.seed, 6)}`;
  // Replicas share the primary's name and suffix; only the region in the ARN differs
  // (Secrets Manager user guide, "Replicate secrets across Regions").
  const replicas = (ctx.inputs.replicas ?? []).map((r: Record<string, any>) => ({
    ...r,
    kmsKeyId: r.kmsKeyId ?? "alias/aws/secretsmanager",
    status: "InSync",
    statusMessage: "Replication succeeded",
  }));
  return { id: arn, state: { ...ctx.inputs, name, arn, replicas } };
};

const secretVersion: Factory = (ctx) => {
  const versionId = uuid(ctx.seed);
  const state: Record<string, any> = {
    ...ctx.inputs,
    arn: ctx.inputs.secretId,
    versionId,
    versionStages: ["AWSCURRENT"],
    hasSecretStringWo: ctx.inputs.secretStringWo !== undefined,
  };
  delete state.secretStringWo;
  return { id: `${ctx.inputs.secretId}|${versionId}`, state };
};

/** Resource types the mocks know, with what AWS computes for each. */
export const RESOURCE_FACTORIES: Readonly<Record<string, Factory>> = {
  "aws:ec2/vpc:Vpc": (ctx) => {
    const r = ec2Resource("vpc", "vpc")(ctx);
    return {
      id: r.id,
      state: {
        ...r.state,
        defaultSecurityGroupId: `sg-${hex(ctx.seed + "dsg", 17)}`,
        mainRouteTableId: `rtb-${hex(ctx.seed + "main", 17)}`,
      },
    };
  },
  "aws:ec2/internetGateway:InternetGateway": ec2Resource("igw", "internet-gateway"),
  "aws:ec2/subnet:Subnet": ec2Resource("subnet", "subnet"),
  "aws:ec2/routeTable:RouteTable": ec2Resource("rtb", "route-table"),
  "aws:ec2/route:Route": (ctx) => ({
    id: `r-${ctx.inputs.routeTableId}${digits(ctx.seed, 10)}`,
    state: { ...ctx.inputs },
  }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2Resource("rtbassoc"),
  "aws:ec2/eip:Eip": eip,
  "aws:ec2/natGateway:NatGateway": ec2Resource("nat"),
  "aws:ec2/securityGroup:SecurityGroup": securityGroup,
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2Resource(
    "sgr",
    "security-group-rule",
  ),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2Resource(
    "sgr",
    "security-group-rule",
  ),
  "aws:ec2/launchTemplate:LaunchTemplate": launchTemplate,
  "aws:autoscaling/group:Group": autoScalingGroup,
  "aws:autoscaling/policy:Policy": scalingPolicy,
  "aws:autoscaling/schedule:Schedule": asgSchedule,
  "aws:appautoscaling/target:Target": scalableTarget,
  "aws:appautoscaling/policy:Policy": appScalingPolicy,
  "aws:appautoscaling/scheduledAction:ScheduledAction": appScheduledAction,
  "aws:iam/role:Role": iamRole,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (ctx) => ({
    id: `${ctx.inputs.role}-${hex(ctx.seed, 20)}`,
    state: { ...ctx.inputs },
  }),
  "aws:iam/instanceProfile:InstanceProfile": instanceProfile,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:lb/targetGroup:TargetGroup": targetGroup,
  "aws:alb/targetGroup:TargetGroup": targetGroup,
  "aws:lb/listener:Listener": listener,
  "aws:alb/listener:Listener": listener,
  "aws:lb/listenerRule:ListenerRule": listenerRule,
  "aws:alb/listenerRule:ListenerRule": listenerRule,
  "aws:s3/bucket:Bucket": bucket,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": byBucket,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": byBucket,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    byBucket,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": byBucket,
  "aws:s3/bucketPolicy:BucketPolicy": byBucket,
  "aws:acm/certificate:Certificate": certificate,
  "aws:acm/certificateValidation:CertificateValidation": (ctx) => ({
    id: `${new Date(0).toISOString()}`,
    state: { ...ctx.inputs },
  }),
  "aws:route53/record:Record": record,
  "aws:wafv2/webAcl:WebAcl": webAcl,
  "aws:wafv2/webAclAssociation:WebAclAssociation": webAclAssociation,
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": webAclLogging,
  "aws:cloudwatch/logGroup:LogGroup": logGroup,
  "aws:cloudwatch/dashboard:Dashboard": dashboard,
  "aws:shield/protection:Protection": shieldProtection,
  "aws:shield/protectionGroup:ProtectionGroup": shieldProtectionGroup,
  "aws:xray/samplingRule:SamplingRule": xraySamplingRule,
  "aws:xray/group:Group": xrayGroup,
  "aws:ec2/vpcEndpointService:VpcEndpointService": (ctx) => {
    const id = `vpce-svc-${hex(ctx.seed, 17)}`;
    return {
      id,
      state: {
        ...ctx.inputs,
        arn: `arn:aws:ec2:${ctx.region}:${MOCK_ACCOUNT_ID}:vpc-endpoint-service/${id}`,
        serviceName: `com.amazonaws.vpce.${ctx.region}.${id}`,
        serviceType: ctx.inputs.gatewayLoadBalancerArns ? "GatewayLoadBalancer" : "Interface",
        state: "Available",
      },
    };
  },
  "aws:route53/healthCheck:HealthCheck": healthCheck,
  "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
  "aws:sns/topic:Topic": snsTopic,
  "aws:sns/topicSubscription:TopicSubscription": snsSubscription,
  "aws:sns/topicPolicy:TopicPolicy": snsTopicPolicy,
  "aws:cloudwatch/eventRule:EventRule": eventRule,
  "aws:cloudwatch/eventTarget:EventTarget": eventTarget,
  "aws:kms/key:Key": kmsKey,
  "aws:kms/alias:Alias": kmsAlias,
  "aws:rds/globalCluster:GlobalCluster": globalCluster,
  "aws:rds/subnetGroup:SubnetGroup": rdsSubnetGroup,
  "aws:rds/cluster:Cluster": rdsCluster,
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": rdsClusterParameterGroup,
  "aws:rds/clusterInstance:ClusterInstance": rdsClusterInstance,
  "aws:rds/proxy:Proxy": rdsProxy,
  "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": (ctx) => ({
    id: String(ctx.inputs.dbProxyName),
    state: {
      ...ctx.inputs,
      name: "default",
      arn: `arn:aws:rds:${ctx.region}:${MOCK_ACCOUNT_ID}:target-group:prx-tg-${hex(ctx.seed, 17)}`,
    },
  }),
  "aws:rds/proxyTarget:ProxyTarget": (ctx) => {
    const cluster = ctx.inputs.dbClusterIdentifier;
    const type = cluster ? "TRACKED_CLUSTER" : "RDS_INSTANCE";
    const target = cluster ?? ctx.inputs.dbInstanceIdentifier;
    return {
      id: [ctx.inputs.dbProxyName, ctx.inputs.targetGroupName, type, target].join(","),
      state: { ...ctx.inputs, type, rdsResourceId: target, trackedClusterId: cluster ?? "" },
    };
  },
  "aws:rds/proxyEndpoint:ProxyEndpoint": rdsProxyEndpoint,
  "aws:iam/rolePolicy:RolePolicy": (ctx) => {
    const name: string = ctx.inputs.name ?? autoname(ctx.name, ctx.seed);
    return { id: `${ctx.inputs.role}:${name}`, state: { ...ctx.inputs, name } };
  },
  "aws:dynamodb/table:Table": dynamoTable,
  "aws:dynamodb/tableReplica:TableReplica": dynamoTableReplica,
  "aws:secretsmanager/secret:Secret": secret,
  "aws:secretsmanager/secretVersion:SecretVersion": secretVersion,
  "aws:secretsmanager/secretRotation:SecretRotation": (ctx) => ({
    id: String(ctx.inputs.secretId),
    state: { ...ctx.inputs, rotationEnabled: true },
  }),
  "aws:ec2/flowLog:FlowLog": flowLog,
  "aws:ec2/vpcEndpoint:VpcEndpoint": (ctx) => {
    checkVpcEndpoint(ctx);
    const r = ec2Resource("vpce", "vpc-endpoint")(ctx);
    const service = String(ctx.inputs.serviceName).split(".").pop();
    return {
      id: r.id,
      state: {
        ...r.state,
        state: "available",
        // Gateway Load Balancer endpoints are route targets only: they have no DNS names.
        // Interface endpoints have one zonal name per subnet's AZ and the Regional name; the
        // zonal ones come first so that code taking DnsEntries[0] gets a zonal name, which AWS
        // does not rule out (the order is unspecified).
        dnsEntries:
          ctx.inputs.vpcEndpointType === "GatewayLoadBalancer"
            ? []
            : [
                ...(ctx.inputs.subnetIds ?? []).map((_: string, i: number) => ({
                  dnsName: `${r.id}-${hex(ctx.seed, 8)}-${ctx.region}${"abcdef"[i % 6]}.${service}.${ctx.region}.vpce.amazonaws.com`,
                  hostedZoneId: `Z${hex(ctx.seed + "zone", 13).toUpperCase()}`,
                })),
                {
                  dnsName: `${r.id}-${hex(ctx.seed, 8)}.${service}.${ctx.region}.vpce.amazonaws.com`,
                  hostedZoneId: `Z${hex(ctx.seed + "zone", 13).toUpperCase()}`,
                },
              ],
        networkInterfaceIds: (ctx.inputs.subnetIds ?? []).map(
          (_: string, i: number) => `eni-${hex(`${ctx.seed}#${i}`, 17)}`,
        ),
      },
    };
  },
  // The Serverless Application Repository deploys a CloudFormation stack named
  // serverlessrepo-<name>; the rotation application's one output is the function's ARN.
  "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (ctx) => {
    const name = `serverlessrepo-${ctx.inputs.name}`;
    const outputs: Record<string, string> = {};
    if (String(ctx.inputs.applicationId).includes("RotationSingleUser")) {
      outputs.RotationLambdaARN = `arn:aws:lambda:${ctx.region}:${MOCK_ACCOUNT_ID}:function:${ctx.inputs.parameters?.functionName ?? name}`;
    }
    return {
      id: `arn:aws:cloudformation:${ctx.region}:${MOCK_ACCOUNT_ID}:stack/${name}/${uuid(ctx.seed)}`,
      state: { ...ctx.inputs, outputs, semanticVersion: ctx.inputs.semanticVersion ?? "1.1.0" },
    };
  },
  ...RECOVERY_FACTORIES,
};

/** Invokes the mocks answer. */
export const INVOKE_FACTORIES: Readonly<
  Record<string, (inputs: Record<string, any>, region: string) => Record<string, any>>
> = {
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
    userId: "AIDAMOCKMOCKMOCKMOCK",
    id: MOCK_ACCOUNT_ID,
  }),
  "aws:index/getRegion:getRegion": (_inputs, region) => ({
    id: region,
    name: region,
    region,
    endpoint: `ec2.${region}.amazonaws.com`,
    description: region,
  }),
  "aws:secretsmanager/getRandomPassword:getRandomPassword": (inputs, region) => {
    const length = Number(inputs.passwordLength ?? 32);
    // Letters and digits only, like a call with excludePunctuation; deterministic so offline
    // plans are reproducible (Secrets Manager returns a new one per call).
    const randomPassword = alnum(`password:${region}:${length}`, length);
    return { id: region, randomPassword, ...inputs };
  },
  "aws:ec2/getAmi:getAmi": (inputs, region) => {
    // DescribeImages by ID. The mocks can't know a vendor image, so they describe one like
    // Amazon Linux (root /dev/xvda, 8 GiB snapshot); tests that need another layout set it.
    const idFilter = (inputs.filters ?? []).find((f: any) => f.name === "image-id");
    const imageId = idFilter?.values?.[0];
    if (!/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(String(imageId))) {
      throw new Error(`mocks: getAmi needs an image-id filter with an AMI ID; got ${imageId}`);
    }
    return {
      id: imageId,
      imageId,
      arn: `arn:aws:ec2:${region}::image/${imageId}`,
      architecture: "x86_64",
      rootDeviceName: "/dev/xvda",
      rootDeviceType: "ebs",
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volume_size: "8",
            volume_type: "gp3",
            snapshot_id: `snap-${hex(imageId, 17)}`,
            encrypted: "false",
            delete_on_termination: "true",
          },
          noDevice: "",
          virtualName: "",
        },
      ],
      filters: inputs.filters,
    };
  },
  "aws:route53/getZone:getZone": (inputs) => {
    const zoneId = `Z${hex(`zone:${inputs.name}`, 20).toUpperCase()}`;
    return {
      id: zoneId,
      zoneId,
      name: inputs.name,
      arn: `arn:aws:route53:::hostedzone/${zoneId}`,
      privateZone: false,
      nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"],
    };
  },
  "aws:ssm/getParameter:getParameter": (inputs, region) => {
    // AWS's public parameters, and the operator-provided ones this project documents under
    // /securecart/ (such as the vendor appliance AMI).
    if (!/^\/(aws\/service|securecart)\//.test(String(inputs.name))) {
      throw new Error(
        `mocks: only /aws/service/ and /securecart/ SSM parameters are mocked; got ${inputs.name}`,
      );
    }
    return {
      id: inputs.name,
      name: inputs.name,
      type: "String",
      value: `ami-${hex(`${region}:${inputs.name}`, 17)}`,
      arn: `arn:aws:ssm:${region}::parameter${inputs.name}`,
      version: 1,
    };
  },
};

/** Mocks for the AWS provider, recording everything the program registers. */
export class AwsMocks implements pulumi.runtime.Mocks {
  /** Every registered resource, in registration order. */
  public readonly resources: RecordedResource[] = [];
  /** Every invoke, in call order. */
  public readonly invokes: RecordedInvoke[] = [];
  /**
   * Errors the mocks raised, as AWS would refuse a request. The engine only logs a failed
   * registration, so the harness rethrows the first of these to fail the run.
   */
  public readonly errors: Error[] = [];
  /**
   * Rejects with the first error the mocks raise. A failed registration leaves every Output that
   * depends on it unresolved forever, so a caller waiting on stack outputs races them against
   * this to report the cause instead of hanging (Pulumi then reports only "N promises were
   * still active").
   */
  public readonly failed: Promise<never>;
  private fail: (err: Error) => void = () => undefined;
  /**
   * What an earlier `pulumi up` left in the stack's state, for a preview of an update: a resource
   * named here keeps its ID and computed outputs (the provider keeps the ARN from state), and
   * reads such as ListRoute53HealthChecks see it as deployed, not as this run declares it.
   */
  public deployed: readonly {
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly state: Readonly<Record<string, any>>;
  }[] = [];
  /** Outputs of other stacks, by fully qualified name, for StackReference. */
  public stackOutputs: Record<string, Record<string, unknown>> = {};
  private readonly pending = new Map<
    string,
    { id: string | undefined; state: Record<string, any> }
  >();
  private readonly providerRegions = new Map<string, string>();
  /**
   * The stack being run; with the region it seeds every ID and ARN, so two stacks (or two
   * regions) never share one and a cross-region wiring mistake shows. Set by {@link installMocks}.
   */
  public stack = "unit";
  /** What this run created so far, for checks that span resources (testing/awsBehaviour.ts). */
  private readonly created: PriorResource[] = [];

  /**
   * @param defaultRegion the region of resources that name no provider and no `region`.
   * @param preview answer as the engine does in a first-deploy `pulumi preview`: nothing exists
   *   yet, so a resource's outputs are its inputs and everything AWS computes is unknown.
   */
  constructor(
    readonly defaultRegion: string,
    readonly preview = false,
  ) {
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = reject;
    });
    // Nobody may be racing yet; the rejection is still delivered to whoever awaits it later.
    this.failed.catch(() => undefined);
  }

  private raise(err: Error): never {
    this.errors.push(err);
    this.fail(err);
    throw err;
  }

  /**
   * Where a resource or invoke lives: its own `region` input (aws v7 takes one on every resource
   * and invoke, overriding the provider's), else its provider's region, else the stack's.
   */
  private regionOf(provider: string | undefined, inputs: Record<string, any> = {}): string {
    if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
    const urn = provider?.split("::").slice(0, -1).join("::");
    return (urn && this.providerRegions.get(urn)) || this.defaultRegion;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const key = `${args.type}::${args.name}`;
    let result: { id: string | undefined; state: Record<string, any> };
    if (args.type.startsWith("pulumi:providers:")) {
      result = { id: uuid(key), state: { ...args.inputs } };
    } else if (!args.custom) {
      result = { id: undefined, state: {} };
    } else if (
      this.preview &&
      this.deployed.some((d) => d.type === args.type && d.name === args.name)
    ) {
      // An update: the ID and computed outputs are known from state; the new inputs are planned.
      const d = this.deployed.find((x) => x.type === args.type && x.name === args.name)!;
      result = { id: d.id, state: { ...d.state, ...args.inputs } };
    } else if (this.preview && !args.type.startsWith("pulumi:")) {
      // Outputs left out are unknown to the program during a preview, as are the ID and ARN.
      // (A StackReference reads a stack that exists already, so it answers as usual.)
      result = { id: undefined, state: { ...args.inputs } };
    } else {
      const factory = RESOURCE_FACTORIES[args.type];
      if (!factory) {
        this.raise(
          new Error(
            `mocks: no mock for resource type ${args.type} (${args.name}); add one to testing/mocks.ts that computes what AWS computes`,
          ),
        );
      }
      try {
        const region = this.regionOf(args.provider, args.inputs);
        result = factory({
          name: args.name,
          inputs: args.inputs,
          region,
          seed: `${this.stack}:${region}:${key}`,
          mocks: this,
        });
        // What AWS's API would refuse (testing/awsValidation.ts), on the names the mock computed too.
        const refused = [
          ...awsInputErrors(args.type, result.state),
          ...awsBehaviourErrors(args.type, result.state, region, MOCK_ACCOUNT_ID, this.created),
        ];
        if (refused.length > 0) {
          throw new Error(`mocks: ${args.type} (${args.name}): ${refused.join("; ")}`);
        }
        this.created.push({ type: args.type, region, id: result.id, state: result.state });
      } catch (err) {
        this.raise(err as Error);
      }
    }
    this.pending.set(key, result);
    return { id: result.id, state: result.state };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    this.invokes.push({ token: args.token, inputs: args.inputs });
    if (args.token === "aws:arcregionswitch/getRoute53HealthChecks:getRoute53HealthChecks") {
      // Answered from what this run created (the plan's own steps decide its health checks), or
      // in a preview of an update from the plan as deployed, which the update has not changed yet.
      try {
        const deployed = this.preview ? this.deployed : [];
        return listRoute53HealthChecks(args.inputs, [...this.created, ...deployed]);
      } catch (err) {
        this.raise(err as Error);
      }
    }
    const factory = INVOKE_FACTORIES[args.token];
    if (!factory) {
      this.raise(new Error(`mocks: no mock for invoke ${args.token}; add one to testing/mocks.ts`));
    }
    try {
      return factory(args.inputs, this.regionOf(args.provider, args.inputs));
    } catch (err) {
      this.raise(err as Error);
    }
  }

  /** Called by the monitor hook once the engine has the request and the URN. */
  record(req: any, urn: string): void {
    const type: string = req.getType();
    const name: string = req.getName();
    const key = `${type}::${name}`;
    const result = this.pending.get(key) ?? { id: undefined, state: {} };
    this.pending.delete(key);
    const deserialized = pulumi.runtime.deserializeProperties(req.getObject());
    const inputs = this.preview ? withWireUnknowns(deserialized) : deserialized;
    if (type.startsWith("pulumi:providers:") && typeof inputs.region === "string") {
      this.providerRegions.set(urn, inputs.region);
    }
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, prop: string) => {
      propertyDependencies[prop] = deps.getUrnsList();
    });
    this.resources.push({
      urn,
      type,
      name,
      custom: req.getCustom(),
      id: result.id,
      inputs,
      state:
        this.preview && req.getCustom() && !type.startsWith("pulumi:")
          ? plannedOutputs(type, inputs)
          : result.state,
      parent: req.getParent() || undefined,
      provider: req.getProvider() || undefined,
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      options: {
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        deleteBeforeReplace: req.getDeletebeforereplace() === true,
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      },
    });
  }
}

/**
 * Installs `mocks` as the Pulumi engine for `project`/`stack` and hooks the mock monitor so each
 * registration is recorded with its parent, dependencies and options, which the plain mock API
 * does not pass on.
 */
export async function installMocks(mocks: AwsMocks, project: string, stack: string): Promise<void> {
  mocks.stack = stack;
  await pulumi.runtime.setMocks(mocks, project, stack, mocks.preview);
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
    register(req, (err: any, resp: any) => {
      if (!err) mocks.record(req, resp.getUrn());
      callback(err, resp);
    });
}
