import { strict as assert } from "assert";
import { Policy, PolicyPackConfig } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies/rules";
import {
  albDesyncMitigation,
  albDropInvalidHeaders,
  httpListenerRedirectsToHttps,
  lbAccessLogs,
  lbCrossZoneEnabled,
  lbDeletionProtection,
  listenerApprovedTlsPolicy,
  noClassicLoadBalancer,
  targetGroupCrossZoneNotDisabled,
  targetGroupHealthCheck,
} from "../policies/rules/loadBalancers";
import { route53RoutingHealthCheck, route53SecondaryHealthCheck } from "../policies/rules/dns";
import {
  auroraBackupRetention,
  auroraDeletionProtection,
  auroraNoPublicInstances,
  auroraStorageEncrypted,
  rdsProxyAuthentication,
  rdsProxyRequireTls,
} from "../policies/rules/database";
import {
  asgDefaultInstanceWarmup,
  asgMinimumSize,
  asgMultipleSubnets,
} from "../policies/rules/autoscaling";
import { wafRateBasedRule, wafRequiredManagedRuleGroups } from "../policies/rules/waf";
import { validatePolicyConfig } from "../testing/policyRunner";
import { T, checkResource } from "./policyHelpers";

/** One resource-policy case: expected messages exactly, or patterns in order. */
interface Case {
  readonly title: string;
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly config?: PolicyPackConfig;
  readonly expected: readonly (string | RegExp)[];
}

function runCases(policy: Policy, cases: readonly Case[]) {
  describe(policy.name, () => {
    for (const c of cases) {
      it(c.title, async () => {
        const messages = await checkResource(policy, c.type, c.props, c.config);
        assert.equal(messages.length, c.expected.length, `got: ${JSON.stringify(messages)}`);
        c.expected.forEach((e, i) => {
          if (typeof e === "string") assert.equal(messages[i], e);
          else assert.match(messages[i], e);
        });
      });
    }
  });
}

const ALB = {
  loadBalancerType: "application",
  internal: false,
  enableDeletionProtection: true,
  dropInvalidHeaderFields: true,
  desyncMitigationMode: "defensive",
  accessLogs: { bucket: "lb-logs-1234567", prefix: "elb/web", enabled: true },
};
const NLB = {
  loadBalancerType: "network",
  internal: false,
  enableCrossZoneLoadBalancing: true,
  enableDeletionProtection: true,
  accessLogs: { bucket: "lb-logs-1234567", prefix: "elb/pay", enabled: true },
};
const GWLB = {
  loadBalancerType: "gateway",
  enableCrossZoneLoadBalancing: true,
  enableDeletionProtection: true,
};
const HTTP_TG = {
  port: 8080,
  protocol: "HTTP",
  targetType: "instance",
  loadBalancingCrossZoneEnabled: "true",
  healthCheck: { enabled: true, protocol: "HTTP", path: "/healthz", matcher: "200" },
};
const without = (o: Record<string, unknown>, key: string) => {
  const copy = { ...o };
  delete copy[key];
  return copy;
};

describe("policies", () => {
  runCases(noClassicLoadBalancer, [
    { title: "an ALB passes", type: T.lb, props: ALB, expected: [] },
    {
      title: "any Classic Load Balancer fails",
      type: T.clb,
      props: {
        listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 80, instanceProtocol: "http" }],
      },
      expected: [
        'Classic Load Balancer "subject" (aws.elb.LoadBalancer) is not allowed. Replace it with aws.lb.LoadBalancer (loadBalancerType "application" for HTTP(S), "network" for TCP/TLS).',
      ],
    },
  ]);

  runCases(lbCrossZoneEnabled, [
    { title: "an NLB with cross-zone on passes", type: T.lb, props: NLB, expected: [] },
    { title: "an ALB without the flag passes (always on)", type: T.lb, props: ALB, expected: [] },
    {
      title: "an NLB relying on the AWS default (off) fails",
      type: T.lb,
      props: without(NLB, "enableCrossZoneLoadBalancing"),
      expected: [
        'NLB "subject" has enableCrossZoneLoadBalancing not set (AWS default: off). Set enableCrossZoneLoadBalancing: true.',
      ],
    },
    {
      title: "a GWLB declared with aws.alb and cross-zone false fails",
      type: T.albLb,
      props: { ...GWLB, enableCrossZoneLoadBalancing: false },
      expected: [
        'GWLB "subject" has enableCrossZoneLoadBalancing false (AWS default: off). Set enableCrossZoneLoadBalancing: true.',
      ],
    },
  ]);

  runCases(targetGroupCrossZoneNotDisabled, [
    { title: '"true" passes', type: T.tg, props: HTTP_TG, expected: [] },
    {
      title: "use_load_balancer_configuration passes",
      type: T.albTg,
      props: { ...HTTP_TG, loadBalancingCrossZoneEnabled: "use_load_balancer_configuration" },
      expected: [],
    },
    {
      title: '"false" fails, on aws.alb too',
      type: T.albTg,
      props: { ...HTTP_TG, loadBalancingCrossZoneEnabled: "false" },
      expected: [
        'Target group "subject" has loadBalancingCrossZoneEnabled "false". Set it to "true" or "use_load_balancer_configuration".',
      ],
    },
  ]);

  runCases(targetGroupHealthCheck, [
    { title: "an enabled HTTP check with a path passes", type: T.tg, props: HTTP_TG, expected: [] },
    {
      title: "a TCP check without a path passes",
      type: T.tg,
      props: { port: 7443, protocol: "TCP", healthCheck: { enabled: true, protocol: "TCP" } },
      expected: [],
    },
    {
      title: "a Lambda target group passes without a check",
      type: T.tg,
      props: { targetType: "lambda" },
      expected: [],
    },
    {
      title: "no healthCheck block fails",
      type: T.tg,
      props: without(HTTP_TG, "healthCheck"),
      expected: [
        'Target group "subject" declares no healthCheck, so AWS defaults apply (path "/", 30 s interval). Declare healthCheck with enabled: true and the service\'s health path.',
      ],
    },
    {
      title: "a disabled check fails",
      type: T.albTg,
      props: { ...HTTP_TG, healthCheck: { ...HTTP_TG.healthCheck, enabled: false } },
      expected: [
        'Target group "subject" has healthCheck.enabled false. Set healthCheck.enabled: true.',
      ],
    },
    {
      title: "an HTTPS check without a path fails",
      type: T.tg,
      props: { ...HTTP_TG, healthCheck: { enabled: true, protocol: "HTTPS" } },
      expected: [
        'Target group "subject" has an HTTPS health check with path not set. Set healthCheck.path to a path the service answers only when it can serve traffic, e.g. "/healthz".',
      ],
    },
    {
      title: "no protocol means the provider's HTTP default, which needs a path",
      type: T.tg,
      props: { protocol: "TCP", healthCheck: { enabled: true } },
      expected: [/has an HTTP health check with path not set/],
    },
  ]);

  const redirect = {
    type: "redirect",
    redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
  };
  runCases(httpListenerRedirectsToHttps, [
    {
      title: "an HTTP listener that only redirects to HTTPS passes",
      type: T.listener,
      props: { port: 80, protocol: "HTTP", defaultActions: [redirect] },
      expected: [],
    },
    {
      title: "an HTTPS listener that forwards is not its concern",
      type: T.listener,
      props: { port: 443, protocol: "HTTPS", defaultActions: [{ type: "forward" }] },
      expected: [],
    },
    {
      title: "an HTTP listener that forwards fails",
      type: T.listener,
      props: {
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
      },
      expected: [
        'HTTP listener "subject" (port 80) has default actions [forward]. Make its only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.',
      ],
    },
    {
      title: "a Gateway Load Balancer listener (no port, no protocol) that forwards is not HTTP",
      type: T.listener,
      props: { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] },
      expected: [],
    },
    {
      title: "a listener without protocol (HTTP default) whose redirect keeps the protocol fails",
      type: T.albListener,
      props: {
        port: 8080,
        defaultActions: [{ type: "redirect", redirect: { port: "8443", statusCode: "HTTP_302" } }],
      },
      expected: [
        /^HTTP listener "subject" \(port 8080\) has default actions \[redirect to "#\{protocol\}"\]\./,
      ],
    },
  ]);

  const https = {
    port: 443,
    protocol: "HTTPS",
    certificateArn: "arn:cert",
    defaultActions: [redirect],
  };
  runCases(listenerApprovedTlsPolicy, [
    {
      title: "the project's TLS 1.3 PQ policy passes",
      type: T.listener,
      props: { ...https, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
      expected: [],
    },
    {
      title: "an HTTP listener has no TLS policy to check",
      type: T.listener,
      props: { port: 80, protocol: "HTTP", defaultActions: [redirect] },
      expected: [],
    },
    {
      title: "a missing policy means the API default and fails",
      type: T.listener,
      props: https,
      expected: [
        /^HTTPS listener "subject" has no sslPolicy \(AWS applies ELBSecurityPolicy-2016-08\)\. Set sslPolicy to one of: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, /,
      ],
    },
    {
      title: "an NLB TLS listener with a TLS 1.0 policy fails",
      type: T.albListener,
      props: { ...https, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS-1-0-2015-04" },
      expected: [/^TLS listener "subject" has sslPolicy "ELBSecurityPolicy-TLS-1-0-2015-04"\. /],
    },
    {
      title: "the allowed list is configurable",
      type: T.listener,
      props: { ...https, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
      config: {
        "listener-approved-tls-policy": {
          allowedPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"],
        },
      },
      expected: [
        'HTTPS listener "subject" has sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06". Set sslPolicy to one of: ELBSecurityPolicy-TLS13-1-3-2021-06.',
      ],
    },
  ]);

  runCases(albDropInvalidHeaders, [
    { title: "an ALB that drops them passes", type: T.lb, props: ALB, expected: [] },
    { title: "an NLB is not concerned", type: T.lb, props: NLB, expected: [] },
    {
      title: "an ALB left at the AWS default fails, also without loadBalancerType",
      type: T.albLb,
      props: without(without(ALB, "dropInvalidHeaderFields"), "loadBalancerType"),
      expected: [
        'ALB "subject" has dropInvalidHeaderFields not set (AWS default: false). Set dropInvalidHeaderFields: true.',
      ],
    },
  ]);

  runCases(lbDeletionProtection, [
    { title: "an ALB with protection passes", type: T.lb, props: ALB, expected: [] },
    { title: "a GWLB with protection passes", type: T.lb, props: GWLB, expected: [] },
    {
      title: "an NLB with protection off fails",
      type: T.lb,
      props: { ...NLB, enableDeletionProtection: false },
      expected: [
        'NLB "subject" has enableDeletionProtection false (AWS default: false). Set enableDeletionProtection: true; turn it off only in the change that retires the load balancer.',
      ],
    },
    {
      title: "an aws.alb ALB without the flag fails",
      type: T.albLb,
      props: without(ALB, "enableDeletionProtection"),
      expected: [/^ALB "subject" has enableDeletionProtection not set/],
    },
  ]);

  runCases(lbAccessLogs, [
    { title: "an ALB with logs enabled passes", type: T.lb, props: ALB, expected: [] },
    { title: "an NLB with logs enabled passes", type: T.lb, props: NLB, expected: [] },
    { title: "a GWLB has none to turn on", type: T.lb, props: GWLB, expected: [] },
    {
      title: "a bucket without enabled: true fails (the provider's default is false)",
      type: T.lb,
      props: { ...ALB, accessLogs: { bucket: "lb-logs-1234567" } },
      expected: [
        'ALB "subject" has accessLogs { enabled: not set, bucket: set }; logging is off unless enabled is true. Set accessLogs: { bucket: <log bucket>, prefix: <prefix>, enabled: true }.',
      ],
    },
    {
      title: "an NLB without accessLogs fails",
      type: T.albLb,
      props: without(NLB, "accessLogs"),
      expected: [/^NLB "subject" has no accessLogs; logging is off/],
    },
  ]);

  runCases(albDesyncMitigation, [
    { title: "defensive passes", type: T.lb, props: ALB, expected: [] },
    {
      title: "the default (defensive) passes",
      type: T.lb,
      props: without(ALB, "desyncMitigationMode"),
      expected: [],
    },
    {
      title: "monitor fails",
      type: T.lb,
      props: { ...ALB, desyncMitigationMode: "monitor" },
      expected: [
        'ALB "subject" has desyncMitigationMode "monitor". Set desyncMitigationMode: "defensive" (or "strictest").',
      ],
    },
  ]);

  const managed = (name: string, override: Record<string, unknown> = { none: {} }) => ({
    name,
    priority: 1,
    overrideAction: override,
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    visibilityConfig: {
      cloudwatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    },
  });
  const rate = (action: Record<string, unknown> = { block: {} }) => ({
    name: "per-ip-rate",
    priority: 0,
    action,
    statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
    visibilityConfig: {
      cloudwatchMetricsEnabled: true,
      metricName: "rate",
      sampledRequestsEnabled: true,
    },
  });
  const acl = (rules: unknown[]) => ({
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    rules,
    visibilityConfig: {
      cloudwatchMetricsEnabled: true,
      metricName: "acl",
      sampledRequestsEnabled: true,
    },
  });
  const baseline = [
    rate(),
    managed("AWSManagedRulesCommonRuleSet"),
    managed("AWSManagedRulesSQLiRuleSet"),
  ];

  runCases(wafRequiredManagedRuleGroups, [
    {
      title: "Common and SQLi in block mode pass",
      type: T.webAcl,
      props: acl(baseline),
      expected: [],
    },
    {
      title: "rules given as ruleJson count too",
      type: T.webAcl,
      props: {
        scope: "REGIONAL",
        ruleJson: JSON.stringify(
          ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesSQLiRuleSet"].map((n) => ({
            Name: n,
            Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: n } },
            OverrideAction: { None: {} },
          })),
        ),
      },
      expected: [],
    },
    {
      title: "a missing SQLi group fails",
      type: T.webAcl,
      props: acl([rate(), managed("AWSManagedRulesCommonRuleSet")]),
      expected: [
        'Web ACL "subject" does not run the AWS managed rule group AWSManagedRulesSQLiRuleSet (it runs: AWSManagedRulesCommonRuleSet). Add a rule with statement.managedRuleGroupStatement { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } and overrideAction { none: {} }.',
      ],
    },
    {
      title: "a group in count mode blocks nothing and fails",
      type: T.webAcl,
      props: acl([
        managed("AWSManagedRulesCommonRuleSet", { count: {} }),
        managed("AWSManagedRulesSQLiRuleSet"),
      ]),
      expected: [
        'Web ACL "subject" runs AWSManagedRulesCommonRuleSet in rule "AWSManagedRulesCommonRuleSet" with overrideAction count, so it blocks nothing. Set overrideAction { none: {} }.',
      ],
    },
    {
      title: "the required groups are configurable",
      type: T.webAcl,
      props: acl(baseline),
      config: {
        "waf-required-managed-rule-groups": {
          ruleGroups: ["AWSManagedRulesKnownBadInputsRuleSet"],
        },
      },
      expected: [
        /does not run the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet \(it runs: AWSManagedRulesCommonRuleSet, AWSManagedRulesSQLiRuleSet\)/,
      ],
    },
  ]);

  runCases(wafRateBasedRule, [
    {
      title: "a blocking rate-based rule passes",
      type: T.webAcl,
      props: acl(baseline),
      expected: [],
    },
    {
      title: "no rate-based rule fails",
      type: T.webAcl,
      props: acl(baseline.slice(1)),
      expected: [
        'Web ACL "subject" has no rate-based rule. Add a rule with statement.rateBasedStatement { limit, aggregateKeyType: "IP" } and action { block: {} }.',
      ],
    },
    {
      title: "a count-only rate-based rule fails",
      type: T.webAcl,
      props: acl([rate({ count: {} })]),
      expected: [
        'Web ACL "subject" has only count-mode rate-based rules (per-ip-rate), which limit nothing. Set action { block: {} } on one of them.',
      ],
    },
  ]);

  const failover = (type: string, healthCheckId?: string) => ({
    zoneId: "Z123",
    name: "shop.securecart.com",
    type: "A",
    setIdentifier: `shop-${type.toLowerCase()}`,
    failoverRoutingPolicies: [{ type }],
    aliases: [
      { name: "web-alb.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
    ],
    ...(healthCheckId ? { healthCheckId } : {}),
  });
  runCases(route53RoutingHealthCheck, [
    {
      title: "a PRIMARY record with a health check passes",
      type: T.record,
      props: failover("PRIMARY", "hc-1"),
      expected: [],
    },
    {
      title: "a SECONDARY without one is not this rule's concern",
      type: T.record,
      props: failover("SECONDARY"),
      expected: [],
    },
    {
      title: "a simple CNAME is not concerned",
      type: T.record,
      props: {
        zoneId: "Z123",
        name: "_acme.securecart.com",
        type: "CNAME",
        records: ["x"],
        ttl: 60,
      },
      expected: [],
    },
    {
      title: "a PRIMARY record without a health check fails",
      type: T.record,
      props: failover("PRIMARY"),
      expected: [
        'Route 53 record "subject" (shop.securecart.com A, setIdentifier "shop-primary") is a failover PRIMARY record with no healthCheckId. Set healthCheckId to the region\'s aws.route53.HealthCheck id.',
      ],
    },
    {
      title: "a latency record without a health check fails",
      type: T.record,
      props: {
        zoneId: "Z123",
        name: "shop.securecart.com",
        type: "A",
        setIdentifier: "shop-us-west-2",
        latencyRoutingPolicies: [{ region: "us-west-2" }],
      },
      expected: [/is a latency \(us-west-2\) record with no healthCheckId/],
    },
  ]);

  runCases(route53SecondaryHealthCheck, [
    {
      title: "a SECONDARY record with a health check passes",
      type: T.record,
      props: failover("SECONDARY", "hc-2"),
      expected: [],
    },
    {
      title: "a PRIMARY record is the mandatory rule's concern",
      type: T.record,
      props: failover("PRIMARY"),
      expected: [],
    },
    {
      title: "a SECONDARY record without one fails",
      type: T.record,
      props: failover("SECONDARY"),
      expected: [
        'Route 53 record "subject" (shop.securecart.com A) is a failover SECONDARY record with no healthCheckId. Set healthCheckId to the standby region\'s aws.route53.HealthCheck id.',
      ],
    },
  ]);

  const secretAuth = {
    authScheme: "SECRETS",
    secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
    iamAuth: "REQUIRED",
  };
  const proxy = {
    engineFamily: "POSTGRESQL",
    requireTls: true,
    auths: [secretAuth],
    roleArn: "arn:role",
    vpcSubnetIds: ["a", "b"],
  };
  runCases(rdsProxyRequireTls, [
    { title: "requireTls true passes", type: T.proxy, props: proxy, expected: [] },
    {
      title: "requireTls left at the default fails",
      type: T.proxy,
      props: without(proxy, "requireTls"),
      expected: [
        'RDS Proxy "subject" has requireTls not set (AWS default: false). Set requireTls: true.',
      ],
    },
  ]);

  runCases(rdsProxyAuthentication, [
    { title: "a Secrets Manager secret passes", type: T.proxy, props: proxy, expected: [] },
    {
      title: "end-to-end IAM passes without auths",
      type: T.proxy,
      props: { ...without(proxy, "auths"), defaultAuthScheme: "IAM_AUTH" },
      expected: [],
    },
    {
      title: "no auths and no IAM default fails",
      type: T.proxy,
      props: without(proxy, "auths"),
      expected: [
        'RDS Proxy "subject" has no auths and defaultAuthScheme not set. Add auths: [{ authScheme: "SECRETS", secretArn: <secret>.arn, iamAuth: "REQUIRED" }] or set defaultAuthScheme: "IAM_AUTH".',
      ],
    },
    {
      title: "an auth without a secret or required IAM fails",
      type: T.proxy,
      props: { ...proxy, auths: [secretAuth, { authScheme: "SECRETS", iamAuth: "DISABLED" }] },
      expected: [
        'RDS Proxy "subject" auths[1] has authScheme "SECRETS", secretArn not set and iamAuth "DISABLED". Give it authScheme "SECRETS" with a Secrets Manager secretArn, or iamAuth "REQUIRED".',
      ],
    },
  ]);

  const cluster = {
    engine: "aurora-postgresql",
    storageEncrypted: true,
    kmsKeyId: "arn:kms",
    deletionProtection: true,
    backupRetentionPeriod: 7,
  };
  runCases(auroraStorageEncrypted, [
    { title: "encrypted passes", type: T.cluster, props: cluster, expected: [] },
    {
      title: "unencrypted fails",
      type: T.cluster,
      props: { ...cluster, storageEncrypted: false },
      expected: [
        'DB cluster "subject" has storageEncrypted false. Set storageEncrypted: true with kmsKeyId: <customer-managed key in this region>.',
      ],
    },
  ]);

  runCases(auroraDeletionProtection, [
    { title: "protected passes", type: T.cluster, props: cluster, expected: [] },
    {
      title: "unprotected fails",
      type: T.cluster,
      props: without(cluster, "deletionProtection"),
      expected: [
        'DB cluster "subject" has deletionProtection not set (AWS default: false). Set deletionProtection: true.',
      ],
    },
  ]);

  runCases(auroraBackupRetention, [
    { title: "7 days passes", type: T.cluster, props: cluster, expected: [] },
    {
      title: "the AWS default of 1 day fails",
      type: T.cluster,
      props: without(cluster, "backupRetentionPeriod"),
      expected: [
        'DB cluster "subject" has backupRetentionPeriod not set (AWS default: 1 day). Set backupRetentionPeriod to at least 7.',
      ],
    },
    {
      title: "6 days fails",
      type: T.cluster,
      props: { ...cluster, backupRetentionPeriod: 6 },
      expected: [/has backupRetentionPeriod 6 days\. Set backupRetentionPeriod to at least 7\./],
    },
    {
      title: "the minimum is configurable",
      type: T.cluster,
      props: cluster,
      config: { "aurora-backup-retention": { minimumDays: 14 } },
      expected: [/has backupRetentionPeriod 7 days\. Set backupRetentionPeriod to at least 14\./],
    },
  ]);

  const instance = {
    clusterIdentifier: "orders",
    engine: "aurora-postgresql",
    instanceClass: "db.r7g.large",
  };
  runCases(auroraNoPublicInstances, [
    { title: "the default (private) passes", type: T.instance, props: instance, expected: [] },
    {
      title: "publiclyAccessible fails",
      type: T.instance,
      props: { ...instance, publiclyAccessible: true },
      expected: [
        'DB instance "subject" has publiclyAccessible true. Set publiclyAccessible: false and reach it through RDS Proxy.',
      ],
    },
  ]);

  const asg = { minSize: 2, maxSize: 6, vpcZoneIdentifiers: ["subnet-a", "subnet-b"] };
  runCases(asgMultipleSubnets, [
    { title: "two subnets pass", type: T.asg, props: asg, expected: [] },
    {
      title: "one subnet fails",
      type: T.asg,
      props: { ...asg, vpcZoneIdentifiers: ["subnet-a"] },
      expected: [
        'Auto Scaling group "subject" spans 1 subnet(s) in vpcZoneIdentifiers. Set vpcZoneIdentifiers to at least 2 subnets in different AZs.',
      ],
    },
    {
      title: "the minimum is configurable",
      type: T.asg,
      props: asg,
      config: { "asg-multiple-subnets": { minimumSubnets: 3 } },
      expected: [/spans 2 subnet\(s\).*at least 3 subnets/],
    },
  ]);

  runCases(asgMinimumSize, [
    { title: "minSize 2 passes", type: T.asg, props: asg, expected: [] },
    {
      title: "minSize 1 fails",
      type: T.asg,
      props: { ...asg, minSize: 1 },
      expected: [
        'Auto Scaling group "subject" has minSize 1. Set minSize to at least 2 so it keeps an instance in a second AZ.',
      ],
    },
    {
      title: "the minimum is configurable",
      type: T.asg,
      props: asg,
      config: { "asg-minimum-size": { minimumSize: 3 } },
      expected: [/has minSize 2\. Set minSize to at least 3/],
    },
  ]);
});

describe("policy metadata", () => {
  it("has unique kebab-case names", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of names) assert.match(n, /^[a-z0-9]+(-[a-z0-9]+)+$/);
    assert.ok(!names.includes("all"), "the CLI reserves the policy name all");
  });

  it("says why in every description", () => {
    for (const p of policies) assert.ok(p.description.length >= 60, `${p.name}: ${p.description}`);
  });

  it("sets an explicit level on every policy: advisory only for the judgement calls", () => {
    const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
    assert.deepEqual(advisory.sort(), [
      "alb-desync-mitigation",
      "asg-default-instance-warmup",
      "lb-alarms",
      "lb-shield-protection",
      "route53-secondary-health-check",
      "waf-logging",
    ]);
    for (const p of policies)
      assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel!), p.name);
  });

  it("covers every rule the issue makes mandatory", () => {
    const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);
    assert.deepEqual(mandatory.sort(), [
      "admin-not-public",
      "alb-drop-invalid-headers",
      "alb-waf-association",
      "asg-elb-health-check",
      "asg-minimum-size",
      "asg-multiple-subnets",
      "asg-target-tracking",
      "aurora-backup-retention",
      "aurora-deletion-protection",
      "aurora-multi-az-instances",
      "aurora-no-public-instances",
      "aurora-storage-encrypted",
      "http-listener-redirects-to-https",
      "http-listener-rules-redirect-to-https",
      "launch-template-pinned-ami",
      "lb-access-logs",
      "lb-cross-zone-enabled",
      "lb-deletion-protection",
      "listener-approved-tls-policy",
      "no-classic-load-balancer",
      "no-public-ingress",
      "rds-proxy-authentication",
      "rds-proxy-require-tls",
      "route53-routing-health-check",
      "target-group-cross-zone-not-disabled",
      "target-group-health-check",
      "tls-to-payments-targets",
      "vpc-flow-logs",
      "waf-rate-based-rule",
      "waf-required-managed-rule-groups",
    ]);
  });

  it("gives every config property a default that its own schema accepts", () => {
    const configurable = policies.filter((p) => p.configSchema);
    assert.deepEqual(configurable.map((p) => p.name).sort(), [
      "admin-not-public",
      "asg-minimum-size",
      "asg-multiple-subnets",
      "aurora-backup-retention",
      "aurora-multi-az-instances",
      "listener-approved-tls-policy",
      "no-public-ingress",
      "tls-to-payments-targets",
      "waf-required-managed-rule-groups",
    ]);
    for (const p of configurable) {
      const props = p.configSchema!.properties;
      assert.ok(!("enforcementLevel" in props), `${p.name}: the server rejects enforcementLevel`);
      const defaults = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, s.default]));
      for (const [k, v] of Object.entries(defaults))
        assert.notEqual(v, undefined, `${p.name}.${k}`);
      validatePolicyConfig([p], { [p.name]: defaults });
    }
  });

  it("keeps the PolicyPack out of the rules modules", () => {
    const dir = path.join(__dirname, "..", "policies");
    for (const f of fs.readdirSync(path.join(dir, "rules"))) {
      const src = fs.readFileSync(path.join(dir, "rules", f), "utf8");
      assert.ok(!/new PolicyPack\(/.test(src), `${f} constructs the pack`);
    }
    const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    assert.match(index, /new PolicyPack\(PACK_NAME, \{/);
    assert.match(
      fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"),
      /^runtime: nodejs$/m,
    );
  });
});

describe("policies (advisory additions)", () => {
  runCases(asgDefaultInstanceWarmup, [
    {
      title: "a group with a warm-up passes, even 0",
      type: T.asg,
      props: { minSize: 2, maxSize: 4, defaultInstanceWarmup: 0 },
      expected: [],
    },
    {
      title: "a group without one fails",
      type: T.asg,
      props: { minSize: 2, maxSize: 4 },
      expected: [
        'Auto Scaling group "subject" has no defaultInstanceWarmup. Set defaultInstanceWarmup to the seconds an instance needs before its metrics are stable (e.g. its healthCheckGracePeriod).',
      ],
    },
  ]);
});
