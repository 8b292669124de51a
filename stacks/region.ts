/**
 * One region of SecureCart: network, certificate, access logs, the web ALB with its six services
 * and the payments NLB. prod-east and prod-west run the same composition with their own config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AccessLogBucket, LoadBalancedService, Network, ValidatedCertificate } from "../components";
import { PlannedRule } from "../components/routing";
import { StackConfig } from "./config";
import { createEdgeProtection, EdgeOutputs } from "./edge";
import { createObservability, ObservabilityOutputs } from "./observability";

/** What a regional stack exports. */
export interface RegionOutputs extends EdgeOutputs, ObservabilityOutputs {
  readonly region: string;
  readonly role: string;
  readonly vpcId: pulumi.Output<string>;
  readonly albDnsName: pulumi.Output<string>;
  readonly albZoneId: pulumi.Output<string>;
  readonly albArnSuffix: pulumi.Output<string>;
  readonly nlbDnsName: pulumi.Output<string>;
  readonly nlbZoneId: pulumi.Output<string>;
  readonly certificateArn: pulumi.Output<string>;
  readonly accessLogBucket: pulumi.Output<string>;
  /** The ALB's rules in evaluation order: host/path → service. */
  readonly listenerRules: readonly PlannedRule[];
}

/** Declares every resource of one regional stack. */
export function createRegionStack(cfg: StackConfig): RegionOutputs {
  const tags = { Project: "securecart", Stack: cfg.stack, Role: cfg.role };

  const zone = aws.route53.getZoneOutput({ name: cfg.domain, privateZone: false });
  const ami = aws.ssm.getParameterOutput({ name: cfg.amiParameter });

  const network = new Network("net", {
    cidrBlock: cfg.vpcCidr,
    availabilityZones: cfg.availabilityZones,
    tags,
  });
  const logs = new AccessLogBucket("lb-logs", { retentionDays: cfg.accessLogRetentionDays, tags });
  const certificate = new ValidatedCertificate("tls", {
    domain: cfg.domain,
    zoneId: zone.zoneId,
    tags,
  });

  const common = {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIdsByAz,
    privateSubnetIds: network.privateSubnetIds,
    domain: cfg.domain,
    certificateArn: certificate.certificateArn,
    tlsPolicy: cfg.tlsPolicy,
    imageId: ami.value,
    deletionProtection: cfg.deletionProtection,
    loadBalancerDependsOn: [logs.policy],
    tags,
  };

  const web = new LoadBalancedService("web", {
    ...common,
    type: "application",
    accessLogs: { bucket: logs.bucketName, prefix: `${logs.prefix}/web` },
    rulesQuota: cfg.albRuleQuota,
    backends: Object.fromEntries(
      Object.entries(cfg.services).map(([name, s]) => [
        name,
        {
          port: s.port,
          healthCheck: s.healthCheck,
          deregistrationDelaySeconds: s.deregistrationDelaySeconds,
          stickiness: s.stickiness,
          routing: { hosts: s.hosts, paths: s.paths, priority: s.priority },
          instanceType: s.instanceType,
          minSize: s.minSize,
          maxSize: s.maxSize,
        },
      ]),
    ),
  });

  const p = cfg.payments;
  const pay = new LoadBalancedService("pay", {
    ...common,
    type: "network",
    accessLogs: { bucket: logs.bucketName, prefix: `${logs.prefix}/pay` },
    backends: {
      payments: {
        port: p.port,
        healthCheck: p.healthCheck,
        deregistrationDelaySeconds: p.deregistrationDelaySeconds,
        instanceType: p.instanceType,
        minSize: p.minSize,
        maxSize: p.maxSize,
      },
    },
  });

  const edge = createEdgeProtection(
    cfg,
    { services: { web, pay }, hostedZoneId: zone.zoneId },
    tags,
  );

  const observability = createObservability(cfg, { web, pay }, edge.webAclName, tags);

  return {
    ...edge,
    ...observability,
    region: cfg.region,
    role: cfg.role,
    vpcId: network.vpcId,
    albDnsName: web.dnsName,
    albZoneId: web.zoneId,
    albArnSuffix: web.loadBalancerArnSuffix,
    nlbDnsName: pay.dnsName,
    nlbZoneId: pay.zoneId,
    certificateArn: certificate.certificateArn,
    accessLogBucket: logs.bucketName,
    listenerRules: web.rules,
  };
}
