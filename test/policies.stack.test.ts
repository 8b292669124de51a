import { strict as assert } from "assert";
import { albWafAssociation, lbAlarms, lbShieldProtection } from "../policies/rules/edge";
import { wafLogging } from "../policies/rules/waf";
import { auroraMultiAzInstances } from "../policies/rules/database";
import { asgElbHealthCheck, asgTargetTracking } from "../policies/rules/autoscaling";
import { noPublicIngress } from "../policies/rules/network";
import { httpListenerRulesRedirectToHttps } from "../policies/rules/listenerRules";
import { FakeResource, T, check, checkStack, fakeUrn } from "./policyHelpers";

const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/abc";
const alb = (name = "web-alb", extra: Record<string, unknown> = {}): FakeResource => ({
  type: T.lb,
  name,
  props: {
    loadBalancerType: "application",
    internal: false,
    arn: `${ALB_ARN}-${name}`,
    arnSuffix: `app/${name}/abc`,
    ...extra,
  },
});

describe("stack policies", () => {
  describe("alb-waf-association", () => {
    const acl: FakeResource = { type: T.webAcl, name: "waf", props: { arn: "arn:waf" } };
    const assoc = (target: string, linked: boolean, arn?: string): FakeResource => ({
      type: T.wafAssoc,
      name: `waf-${target}`,
      props: { resourceArn: arn ?? `${ALB_ARN}-${target}`, webAclArn: "arn:waf" },
      links: linked ? { resourceArn: [target], webAclArn: ["waf"] } : {},
    });

    it("passes an ALB whose association follows its resourceArn dependency", async () => {
      // The literal ARN is wrong on purpose: the property dependency decides, as in preview.
      const messages = await checkStack(albWafAssociation, [
        alb(),
        acl,
        assoc("web-alb", true, "unknown-during-preview"),
      ]);
      assert.deepEqual(messages, []);
    });

    it("falls back to comparing ARNs when there is no dependency (e.g. a looked-up ARN)", async () => {
      assert.deepEqual(
        await checkStack(albWafAssociation, [alb(), acl, assoc("web-alb", false)]),
        [],
      );
    });

    it("reports each ALB without one, declared through aws.lb or aws.alb, and ignores NLBs", async () => {
      const violations = await check(albWafAssociation, [
        alb(),
        { ...alb("admin-alb"), type: T.albLb },
        { type: T.lb, name: "pay-nlb", props: { loadBalancerType: "network", arn: "arn:nlb" } },
        acl,
        assoc("web-alb", true),
      ]);
      assert.deepEqual(
        violations.map((v) => [v.urn, v.resourceName, v.type, v.message]),
        [
          [
            fakeUrn(T.albLb, "admin-alb"),
            "admin-alb",
            T.albLb,
            'ALB "admin-alb" has no WAF web ACL: no aws.wafv2.WebAclAssociation has its ARN as resourceArn. Add new aws.wafv2.WebAclAssociation(..., { resourceArn: <alb>.arn, webAclArn: <regional web ACL>.arn }).',
          ],
        ],
      );
    });
  });

  describe("lb-shield-protection", () => {
    const eip = (az: string): FakeResource => ({
      type: T.eip,
      name: `pay-eip-${az}`,
      props: {
        allocationId: `eipalloc-${az}`,
        arn: `arn:aws:ec2:us-east-1:123456789012:eip-allocation/eipalloc-${az}`,
      },
    });
    const nlb: FakeResource = {
      type: T.lb,
      name: "pay-nlb",
      props: {
        loadBalancerType: "network",
        internal: false,
        arn: "arn:nlb",
        subnetMappings: [
          { subnetId: "subnet-a", allocationId: "eipalloc-a" },
          { subnetId: "subnet-b", allocationId: "eipalloc-b" },
        ],
      },
      links: { subnetMappings: ["pay-eip-a", "pay-eip-b"] },
    };
    const protect = (target: string, arn: string): FakeResource => ({
      type: T.shield,
      name: `shield-${target}`,
      props: { resourceArn: arn },
      links: { resourceArn: [target] },
    });

    it("passes a protected ALB, an NLB with every EIP protected, and internal load balancers", async () => {
      const messages = await checkStack(lbShieldProtection, [
        alb(),
        alb("internal-alb", { internal: true }),
        nlb,
        eip("a"),
        eip("b"),
        protect("web-alb", "x"),
        protect("pay-eip-a", "y"),
        protect("pay-eip-b", "z"),
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports an unprotected ALB, unprotected EIPs, and an NLB without EIPs", async () => {
      const messages = await checkStack(lbShieldProtection, [
        alb(),
        nlb,
        eip("a"),
        eip("b"),
        protect("pay-eip-a", "y"),
        {
          type: T.lb,
          name: "api-nlb",
          props: { loadBalancerType: "network", subnets: ["subnet-a"] },
        },
      ]);
      assert.deepEqual(messages, [
        'ALB "web-alb" is internet-facing and has no aws.shield.Protection. Add one with resourceArn: <alb>.arn.',
        'NLB "pay-nlb" has Elastic IPs without aws.shield.Protection: pay-eip-b. Add a protection per EIP (resourceArn: arn:aws:ec2:<region>:<account>:eip-allocation/<allocationId>).',
        'NLB "api-nlb" is internet-facing without Elastic IPs, and Shield Advanced protects an NLB only through its EIPs. Give it subnetMappings with allocationId and protect each EIP.',
      ]);
    });

    it("matches a protection to an EIP by its eip-allocation ARN when there is no dependency", async () => {
      const messages = await checkStack(lbShieldProtection, [
        nlb,
        eip("a"),
        eip("b"),
        {
          type: T.shield,
          name: "shield-a",
          props: { resourceArn: "arn:aws:ec2:us-east-1:123456789012:eip-allocation/eipalloc-a" },
        },
        {
          type: T.shield,
          name: "shield-b",
          props: { resourceArn: "arn:aws:ec2:us-east-1:123456789012:eip-allocation/eipalloc-bb" },
        },
      ]);
      assert.deepEqual(messages.length, 1);
      assert.match(messages[0], /without aws.shield.Protection: pay-eip-b\./);
    });

    it("finds EIPs by allocation ID when the mapping has no dependency", async () => {
      const messages = await checkStack(lbShieldProtection, [
        { ...nlb, links: {} },
        eip("a"),
        eip("b"),
        protect("pay-eip-a", "y"),
      ]);
      assert.deepEqual(messages.length, 1);
      assert.match(messages[0], /without aws.shield.Protection: pay-eip-b\./);
    });
  });

  describe("lb-alarms", () => {
    it("passes a load balancer with an alarm on its arnSuffix, by dependency or by value", async () => {
      const messages = await checkStack(lbAlarms, [
        alb(),
        alb("admin-alb"),
        {
          type: T.alarm,
          name: "web-5xx",
          props: { dimensions: { LoadBalancer: "app/web-alb/abc" } },
          links: { dimensions: ["web-alb"] },
        },
        {
          type: T.alarm,
          name: "admin-5xx-rate",
          props: {
            metricQueries: [
              { id: "e", metric: { dimensions: { LoadBalancer: "app/admin-alb/abc" } } },
            ],
          },
        },
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports a load balancer nobody watches", async () => {
      const messages = await checkStack(lbAlarms, [alb()]);
      assert.deepEqual(messages, [
        'ALB "web-alb" has no CloudWatch alarm (no aws.cloudwatch.MetricAlarm with dimension LoadBalancer = its arnSuffix). Add alarms on its error (5XX or TCP reset) and unhealthy-host metrics.',
      ]);
    });
  });

  describe("aurora-multi-az-instances", () => {
    const cluster: FakeResource = {
      type: T.cluster,
      name: "orders",
      props: { clusterIdentifier: "orders-1" },
    };
    const member = (name: string, az: string | undefined, linked = true): FakeResource => ({
      type: T.instance,
      name,
      props: { clusterIdentifier: "orders-1", ...(az ? { availabilityZone: az } : {}) },
      links: linked ? { clusterIdentifier: ["orders"] } : {},
    });

    it("passes a writer and a reader in different AZs (linked or matched by identifier)", async () => {
      const messages = await checkStack(auroraMultiAzInstances, [
        cluster,
        member("orders-writer", "us-east-1a"),
        member("orders-reader", "us-east-1b", false),
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports two instances in one AZ", async () => {
      const messages = await checkStack(auroraMultiAzInstances, [
        cluster,
        member("orders-writer", "us-east-1a"),
        member("orders-reader", "us-east-1a"),
      ]);
      assert.deepEqual(messages, [
        'DB cluster "orders" has 2 instance(s) in 1 distinct AZ(s): orders-writer (us-east-1a), orders-reader (us-east-1a). Give it at least 2 aws.rds.ClusterInstance resources with availabilityZone set to different AZs.',
      ]);
    });

    it("reports a single instance and honours a configured minimum", async () => {
      const single = await checkStack(auroraMultiAzInstances, [
        cluster,
        member("orders-writer", undefined),
      ]);
      assert.match(
        single[0],
        /has 1 instance\(s\) in 0 distinct AZ\(s\): orders-writer \(unknown\)/,
      );
      const three = await checkStack(
        auroraMultiAzInstances,
        [cluster, member("w", "us-east-1a"), member("r", "us-east-1b")],
        { "aurora-multi-az-instances": { minimumInstances: 3 } },
      );
      assert.match(
        three[0],
        /has 2 instance\(s\) in 2 distinct AZ\(s\).*at least 3 aws.rds.ClusterInstance/,
      );
    });
  });

  describe("asg-elb-health-check", () => {
    const group = (name: string, props: Record<string, unknown>): FakeResource => ({
      type: T.asg,
      name,
      props: { name: `${name}-1234567`, minSize: 2, maxSize: 4, ...props },
    });

    it("passes ELB checks behind a target group, and EC2 checks with no load balancer", async () => {
      const messages = await checkStack(asgElbHealthCheck, [
        group("web", { targetGroupArns: ["arn:tg"], healthCheckType: "ELB" }),
        group("batch", { healthCheckType: "EC2" }),
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports EC2 checks behind an inline target group or through an attachment", async () => {
      const messages = await checkStack(asgElbHealthCheck, [
        group("web", { targetGroupArns: ["arn:tg"] }),
        group("api", { healthCheckType: "EC2" }),
        {
          type: T.asgAttachment,
          name: "api-attach",
          props: { autoscalingGroupName: "api-1234567", lbTargetGroupArn: "arn:tg2" },
        },
      ]);
      assert.deepEqual(messages, [
        'Auto Scaling group "web" is attached to a load balancer but has healthCheckType not set (AWS default: "EC2"). Set healthCheckType: "ELB" and a healthCheckGracePeriod covering boot time.',
        'Auto Scaling group "api" is attached to a load balancer but has healthCheckType "EC2" (AWS default: "EC2"). Set healthCheckType: "ELB" and a healthCheckGracePeriod covering boot time.',
      ]);
    });
  });

  describe("asg-target-tracking", () => {
    const group: FakeResource = { type: T.asg, name: "web", props: { name: "web-1234567" } };
    const policy = (name: string, props: Record<string, unknown>, linked = true): FakeResource => ({
      type: T.asgPolicy,
      name,
      props: { autoscalingGroupName: "web-1234567", ...props },
      links: linked ? { autoscalingGroupName: ["web"] } : {},
    });

    it("passes a group with a target-tracking policy (linked or by name)", async () => {
      assert.deepEqual(
        await checkStack(asgTargetTracking, [
          group,
          policy("cpu", { policyType: "TargetTrackingScaling" }),
        ]),
        [],
      );
      assert.deepEqual(
        await checkStack(asgTargetTracking, [
          group,
          policy("cpu", { policyType: "TargetTrackingScaling" }, false),
        ]),
        [],
      );
    });

    it("reports a group with only step or disabled policies", async () => {
      const messages = await checkStack(asgTargetTracking, [
        group,
        policy("step", { policyType: "StepScaling" }),
        policy("off", { policyType: "TargetTrackingScaling", enabled: false }),
      ]);
      assert.deepEqual(messages, [
        'Auto Scaling group "web" has no enabled target-tracking policy. Add aws.autoscaling.Policy with policyType "TargetTrackingScaling" and autoscalingGroupName: <group>.name (e.g. ASGAverageCPUUtilization at 60).',
      ]);
    });
  });

  describe("no-public-ingress", () => {
    const lbSg: FakeResource = { type: T.sg, name: "web-lb-sg", id: "sg-lb", props: {} };
    const appSg: FakeResource = { type: T.sg, name: "app-sg", id: "sg-app", props: {} };
    const lb: FakeResource = {
      ...alb(),
      props: { ...alb().props, securityGroups: ["sg-lb"] },
      links: { securityGroups: ["web-lb-sg"] },
    };
    const vpcRule = (name: string, sg: string, props: Record<string, unknown>): FakeResource => ({
      type: T.sgIngress,
      name,
      props: { securityGroupId: `sg-${sg}`, ipProtocol: "tcp", ...props },
      links: { securityGroupId: [sg === "lb" ? "web-lb-sg" : "app-sg"] },
    });

    it("passes 80 and 443 from anywhere to a load balancer's group, and private ingress", async () => {
      const messages = await checkStack(noPublicIngress, [
        lbSg,
        appSg,
        lb,
        vpcRule("in-80", "lb", { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }),
        vpcRule("in-443-v6", "lb", { cidrIpv6: "::/0", fromPort: 443, toPort: 443 }),
        vpcRule("app-from-vpc", "app", { cidrIpv4: "10.0.0.0/16", fromPort: 8080, toPort: 8080 }),
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports world ingress to a non-LB group, other ports on the LB group, and all three declaration styles", async () => {
      const messages = await checkStack(noPublicIngress, [
        lbSg,
        {
          ...appSg,
          props: {
            ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
          },
        },
        lb,
        vpcRule("lb-8443", "lb", { cidrIpv4: "0.0.0.0/0", fromPort: 8443, toPort: 8443 }),
        vpcRule("lb-range", "lb", { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 443 }),
        vpcRule("app-all", "app", { ipProtocol: "-1", cidrIpv6: "::/0" }),
        {
          type: T.sgRule,
          name: "app-https",
          props: {
            type: "ingress",
            securityGroupId: "sg-app",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
          },
        },
        {
          type: T.sgRule,
          name: "app-egress",
          props: {
            type: "egress",
            securityGroupId: "sg-app",
            protocol: "-1",
            fromPort: 0,
            toPort: 0,
            cidrBlocks: ["0.0.0.0/0"],
          },
        },
      ]);
      assert.deepEqual(messages, [
        'Ingress rule "lb-8443" (security group "web-lb-sg") allowing tcp 8443 from 0.0.0.0/0; a load balancer\'s group may open only tcp 80, 443. Admit traffic from the load balancer\'s security group (referencedSecurityGroupId) or a narrower CIDR instead.',
        'Ingress rule "lb-range" (security group "web-lb-sg") allowing tcp 80-443 from 0.0.0.0/0; a load balancer\'s group may open only tcp 80, 443. Admit traffic from the load balancer\'s security group (referencedSecurityGroupId) or a narrower CIDR instead.',
        'Ingress rule "app-all" (security group "app-sg") allowing all protocols from ::/0; the group belongs to no load balancer. Admit traffic from the load balancer\'s security group (referencedSecurityGroupId) or a narrower CIDR instead.',
        'Ingress rule "app-https" (security group "app-sg") allowing tcp 443 from 0.0.0.0/0; the group belongs to no load balancer. Admit traffic from the load balancer\'s security group (referencedSecurityGroupId) or a narrower CIDR instead.',
        'Security group "app-sg" has an inline ingress rule allowing tcp 22 from 0.0.0.0/0; the group belongs to no load balancer. Admit traffic from the load balancer\'s security group (referencedSecurityGroupId) or a narrower CIDR instead.',
      ]);
    });

    it("reports a rule once when the group's ingress output repeats it", async () => {
      const rule = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] };
      const violations = await check(noPublicIngress, [
        { ...appSg, props: { ingress: [rule] } },
        {
          type: T.sgRule,
          name: "ssh",
          props: { type: "ingress", securityGroupId: "sg-app", ...rule },
          links: { securityGroupId: ["app-sg"] },
        },
      ]);
      assert.deepEqual(
        violations.map((v) => v.resourceName),
        ["ssh"],
      );
    });

    it("finds a load balancer's group by ID when there is no dependency, and the ports are configurable", async () => {
      const unlinked = { ...lb, links: {} };
      const rule = vpcRule("in-443", "lb", { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443 });
      assert.deepEqual(
        await checkStack(noPublicIngress, [lbSg, unlinked, { ...rule, links: {} }]),
        [],
      );
      const only80 = await checkStack(noPublicIngress, [lbSg, lb, rule], {
        "no-public-ingress": { loadBalancerPorts: [80] },
      });
      assert.match(
        only80[0],
        /allowing tcp 443 from 0\.0\.0\.0\/0; a load balancer's group may open only tcp 80\./,
      );
    });
  });

  describe("http-listener-rules-redirect-to-https", () => {
    const listener = (name: string, protocol: string | undefined, arn: string): FakeResource => ({
      type: T.listener,
      name,
      props: { port: protocol === "HTTPS" ? 443 : 80, ...(protocol ? { protocol } : {}), arn },
    });
    const rule = (name: string, on: string, actions: unknown[], linked = true): FakeResource => ({
      type: "aws:lb/listenerRule:ListenerRule",
      name,
      props: { listenerArn: `arn:${on}`, priority: 10, actions },
      links: linked ? { listenerArn: [on] } : {},
    });
    const https = { type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_301" } };

    it("passes forwarding rules on the HTTPS listener and redirecting rules on the HTTP one", async () => {
      const messages = await checkStack(httpListenerRulesRedirectToHttps, [
        listener("web-http", "HTTP", "arn:web-http"),
        listener("web-https", "HTTPS", "arn:web-https"),
        rule("cart", "web-https", [{ type: "forward", targetGroupArn: "arn:tg" }]),
        rule("legacy", "web-http", [https]),
      ]);
      assert.deepEqual(messages, []);
    });

    it("reports a rule that serves plain HTTP, found by dependency or by ARN", async () => {
      const messages = await checkStack(httpListenerRulesRedirectToHttps, [
        listener("web-http", undefined, "arn:web-http"),
        rule("cart", "web-http", [{ type: "forward", targetGroupArn: "arn:tg" }]),
        rule("promo", "web-http", [{ type: "fixed-response" }], false),
      ]);
      assert.deepEqual(messages, [
        'Listener rule "cart" on HTTP listener "web-http" has actions [forward]. Move the rule to the HTTPS listener, or make its only action a redirect with protocol "HTTPS".',
        'Listener rule "promo" on HTTP listener "web-http" has actions [fixed-response]. Move the rule to the HTTPS listener, or make its only action a redirect with protocol "HTTPS".',
      ]);
    });
  });

  describe("waf-logging", () => {
    const acl = (name: string): FakeResource => ({
      type: T.webAcl,
      name,
      props: { arn: `arn:aws:wafv2:us-east-1:123456789012:regional/webacl/${name}/1` },
    });
    it("passes a web ACL with a logging configuration (linked or by ARN)", async () => {
      const messages = await checkStack(wafLogging, [
        acl("waf-east"),
        acl("waf-admin"),
        {
          type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
          name: "waf-east-logs",
          props: { resourceArn: "x", logDestinationConfigs: ["arn:logs"] },
          links: { resourceArn: ["waf-east"] },
        },
        {
          type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
          name: "waf-admin-logs",
          props: {
            resourceArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/waf-admin/1",
            logDestinationConfigs: ["arn:logs"],
          },
        },
      ]);
      assert.deepEqual(messages, []);
    });
    it("reports a web ACL without one", async () => {
      assert.deepEqual(await checkStack(wafLogging, [acl("waf-east")]), [
        'Web ACL "waf-east" has no aws.wafv2.WebAclLoggingConfiguration. Add one with resourceArn: <web ACL>.arn and a log group named aws-waf-logs-<name>, redacting the Authorization and Cookie headers.',
      ]);
    });
  });
});
