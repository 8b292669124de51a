import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  BLOCKED_RESPONSE_BODY_KEY,
  DEFAULT_MANAGED_RULE_GROUPS,
  planWafRules,
  toWebAclRule,
  wafRuleProblems,
  webAclWcus,
} from "./wafRules";

/** Prefix AWS WAF requires of every logging destination's name. */
export const WAF_LOG_NAME_PREFIX = "aws-waf-logs-";

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** Arguments of {@link RegionalWebAcl}. */
export interface RegionalWebAclArgs {
  /**
   * Every Application Load Balancer in the region, keyed by a stable name (e.g. `web`). Each gets
   * an association; AWS WAF cannot protect an NLB.
   */
  readonly loadBalancerArns: Readonly<Record<string, pulumi.Input<string>>>;
  /** Requests one client IP may send per evaluation window before it is blocked (10–2e9). */
  readonly rateLimit: number;
  /**
   * Evaluation window of the rate-based rule: 60, 120, 300 or 600 seconds.
   * @default 300
   */
  readonly rateEvaluationWindowSeconds?: number;
  /**
   * AWS managed rule groups, run in a fixed priority order whatever the list order.
   * @default - IP reputation, known bad inputs, common (CRS), SQLi and Bot Control (common level)
   */
  readonly managedRuleGroups?: readonly string[];
  /**
   * Days the WAF log group keeps request logs.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Name of the WAF log group; must start with `aws-waf-logs-`.
   * @default `aws-waf-logs-${name}`
   */
  readonly logGroupName?: string;
  /**
   * Request headers replaced by `REDACTED` in the logs, lower case.
   * @default ["authorization", "cookie"]
   */
  readonly redactedHeaders?: readonly string[];
  /**
   * Body sent with the rate-based rule's block (JSON).
   * @default - `{"error":"request_blocked",...}` with a support hint
   */
  readonly blockedResponseBody?: string;
  /**
   * HTTP status of requests the rate-based rule blocks.
   * @default 429
   */
  readonly blockedStatusCode?: number;
  /**
   * Route 53 health checks of these load balancers: the exact path they request and the Host
   * they send (each load balancer's DNS name). A rule ahead of all others allows exactly those
   * requests, so no WAF rule can fail a region over.
   * @default - no health-check rule
   */
  readonly healthCheck?: {
    readonly path: string;
    readonly hosts: readonly pulumi.Input<string>[];
  };
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULT_BLOCKED_BODY = JSON.stringify({
  error: "request_blocked",
  message:
    "Your request was blocked by SecureCart's firewall. If you believe this is a mistake, contact support and quote the time of the request.",
});

/**
 * A REGIONAL AWS WAF web ACL associated with every ALB of the region: a per-IP rate limit that
 * answers with a custom body, AWS managed rule groups, CloudWatch metrics and sampled requests
 * for the ACL and every rule, and full request logs in a CloudWatch log group with credentials
 * redacted. The rule set is checked against the 1,500 WCUs the basic price covers before
 * anything is created.
 */
export class RegionalWebAcl extends pulumi.ComponentResource {
  /** The web ACL's ARN. */
  public readonly webAclArn: pulumi.Output<string>;
  /** The web ACL's name, as CloudWatch's `WebACL` dimension needs it. */
  public readonly webAclName: pulumi.Output<string>;
  /** WCUs the rules use, computed before deployment. */
  public readonly plannedWcus: number;
  /** The CloudWatch log group receiving the request logs. */
  public readonly logGroupName: pulumi.Output<string>;
  /** Association IDs keyed like `loadBalancerArns`. */
  public readonly associationIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: RegionalWebAclArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:RegionalWebAcl", name, {}, opts);
    const rateEvaluationWindowSeconds = args.rateEvaluationWindowSeconds ?? 300;
    const managedRuleGroups = args.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
    const logRetentionDays = args.logRetentionDays ?? 90;
    const logGroupName = args.logGroupName ?? `${WAF_LOG_NAME_PREFIX}${name}`;
    const redactedHeaders = args.redactedHeaders ?? ["authorization", "cookie"];
    const blockedResponseBody = args.blockedResponseBody ?? DEFAULT_BLOCKED_BODY;
    const blockedStatusCode = args.blockedStatusCode ?? 429;
    const tags = args.tags ?? {};

    const healthCheckHosts = args.healthCheck?.hosts ?? [];
    const plan = {
      managedRuleGroups,
      rateLimit: args.rateLimit,
      rateEvaluationWindowSeconds,
      healthCheck: args.healthCheck
        ? { path: args.healthCheck.path, hostCount: healthCheckHosts.length }
        : undefined,
    };
    const problems = wafRuleProblems(plan);
    if (!logGroupName.startsWith(WAF_LOG_NAME_PREFIX)) {
      problems.push(
        `logGroupName must start with "${WAF_LOG_NAME_PREFIX}" (AWS WAF refuses other log destinations); got "${logGroupName}"`,
      );
    }
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
      problems.push(
        `logRetentionDays must be one of CloudWatch Logs' periods (${LOG_RETENTION_DAYS.join(", ")}); got ${logRetentionDays}`,
      );
    }
    if (Object.keys(args.loadBalancerArns).length === 0) {
      problems.push(
        "loadBalancerArns must name at least one ALB; got none. A web ACL that protects nothing is a mistake",
      );
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const rules = planWafRules(plan);
    this.plannedWcus = webAclWcus(rules);

    const child = { parent: this };
    const acl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        scope: "REGIONAL",
        // WAF allows only letters, digits, spaces and + = : # @ / - , . in descriptions.
        description: `SecureCart edge rules for every ALB, ${this.plannedWcus} WCUs`,
        defaultAction: { allow: {} },
        customResponseBodies: [
          {
            key: BLOCKED_RESPONSE_BODY_KEY,
            contentType: "APPLICATION_JSON",
            content: blockedResponseBody,
          },
        ],
        rules: rules.map((r) =>
          toWebAclRule(r, { metricPrefix: name, blockedStatusCode, healthCheckHosts }),
        ),
        visibilityConfig: {
          cloudwatchMetricsEnabled: true,
          sampledRequestsEnabled: true,
          metricName: name,
        },
        tags,
      },
      child,
    );

    this.associationIds = {};
    for (const [key, arn] of Object.entries(args.loadBalancerArns)) {
      this.associationIds[key] = new aws.wafv2.WebAclAssociation(
        `${name}-${key}`,
        { resourceArn: arn, webAclArn: acl.arn },
        child,
      ).id;
    }

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: logRetentionDays, tags },
      child,
    );
    new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-logging`,
      {
        resourceArn: acl.arn,
        // The provider strips the API's ":*" suffix from LogGroup.arn, which is the form WAF wants.
        logDestinationConfigs: [logGroup.arn],
        redactedFields: redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
      },
      child,
    );

    this.webAclArn = acl.arn;
    this.webAclName = acl.name;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      webAclArn: this.webAclArn,
      webAclName: this.webAclName,
      plannedWcus: this.plannedWcus,
      logGroupName: this.logGroupName,
      associationIds: this.associationIds,
    });
  }
}
