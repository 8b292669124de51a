/**
 * Edge protection of one region: the AWS WAF web ACL on every ALB and, when
 * `securecart:shieldAdvanced` is on, Shield Advanced protections.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DdosProtection, LoadBalancedService, RegionalWebAcl } from "../components";
import { StackConfig } from "./config";
import { healthCheckPath } from "./dns";

/** What the edge wiring exports. */
export interface EdgeOutputs {
  readonly webAclArn: pulumi.Output<string>;
  readonly webAclName: pulumi.Output<string>;
  readonly wafLogGroup: pulumi.Output<string>;
  /** The Shield protection group's ARN, or undefined with Shield Advanced off. */
  readonly shieldProtectionGroupArn: pulumi.Output<string> | undefined;
}

/** What the edge protects. */
export interface EdgeTargets {
  /** Every load-balanced service of the region, keyed by its component name. */
  readonly services: Readonly<Record<string, LoadBalancedService>>;
  /** The public hosted zone's ID. */
  readonly hostedZoneId: pulumi.Input<string>;
}

/**
 * Declares the web ACL for every Application Load Balancer among `services` (so a new ALB is
 * covered as soon as it is added there) and, with `securecart:shieldAdvanced`, Shield Advanced
 * for every ALB, every NLB through its Elastic IPs and, from the primary stack only, the hosted
 * zone (the zone is global; a second protection of it would fail).
 */
export function createEdgeProtection(
  cfg: StackConfig,
  targets: EdgeTargets,
  tags: Readonly<Record<string, string>>,
): EdgeOutputs {
  const services = Object.entries(targets.services);
  const albs = services.filter(([, s]) => s.type === "application");
  const waf = new RegionalWebAcl("waf", {
    loadBalancerArns: Object.fromEntries(albs.map(([key, s]) => [key, s.loadBalancerArn])),
    rateLimit: cfg.waf.rateLimit,
    rateEvaluationWindowSeconds: cfg.waf.rateWindowSeconds,
    logRetentionDays: cfg.waf.logRetentionDays,
    logGroupName: `aws-waf-logs-securecart-${cfg.stack}`,
    // Route 53 checks every load balancer by its own DNS name (stacks/dns.ts).
    healthCheck: { path: healthCheckPath(cfg), hosts: albs.map(([, s]) => s.dnsName) },
    tags,
  });

  let shieldProtectionGroupArn: pulumi.Output<string> | undefined;
  if (cfg.shieldAdvanced) {
    const account = aws.getCallerIdentityOutput().accountId;
    const resourceArns: Record<string, pulumi.Input<string>> = {};
    for (const [key, s] of services) {
      if (s.type === "application") {
        resourceArns[`${key}-alb`] = s.loadBalancerArn;
        continue;
      }
      const eips = Object.entries(s.elasticIpAllocationIds);
      if (eips.length === 0) {
        throw new Error(
          `Shield Advanced protects an NLB only through Elastic IPs, and service "${key}" has none; turn staticIps on or securecart:shieldAdvanced off`,
        );
      }
      for (const [az, allocationId] of eips) {
        resourceArns[`${key}-eip-${az}`] =
          pulumi.interpolate`arn:aws:ec2:${cfg.region}:${account}:eip-allocation/${allocationId}`;
      }
    }
    if (cfg.role === "primary") {
      resourceArns.zone = pulumi.interpolate`arn:aws:route53:::hostedzone/${targets.hostedZoneId}`;
    }
    shieldProtectionGroupArn = new DdosProtection("shield", {
      resourceArns,
      protectionGroupId: `securecart-${cfg.stack}`,
      tags,
    }).protectionGroupArn;
  }

  return {
    webAclArn: waf.webAclArn,
    webAclName: waf.webAclName,
    wafLogGroup: waf.logGroupName,
    shieldProtectionGroupArn,
  };
}
