/**
 * One region of SecureCart: network, certificate, access logs, the web ALB with its six services
 * and the payments NLB. prod-east and prod-west run the same composition with their own config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AccessLogBucket, LoadBalancedService, Network, ValidatedCertificate } from "../components";
import { BackendAccess } from "../components/loadBalancing/loadBalancedService";
import { PlannedRule } from "../components/loadBalancing/routing";
import { StackConfig, regionHealthServices, sharedWebHosts } from "./config";
import { CLOSED_ADMIN_SOURCE, isAdminService } from "./securityConfig";
import { DelegatedRecord } from "../components/dns/failoverDns";
import { createFailoverDns, trafficAudiences, writesOwnRecords } from "./dns";
import { trafficStepOrder } from "../components/recovery/trafficOrder";
import { createScaling } from "./scaling";
import { connectDatabaseClients, connectSessionClients, createDataTier } from "./database";
import { createEdgeProtection, EdgeOutputs } from "./edge";
import { alarmName, createObservability, ObservabilityOutputs } from "./observability";
import { rollbackAlarmKeys } from "../components/observability/alarmPlan";
import { createFaultInjection, createZonalAutoshift } from "./recovery";

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
  /** Designed DNS failover time: health-check detection plus record TTL, worst name. */
  readonly failoverBudgetSeconds: number;
  /** Route 53 health-check IDs keyed by load balancer (`web`, `pay`). */
  readonly healthCheckIds: Record<string, pulumi.Output<string>>;
  /** SNS topic in us-east-1 that the health-check alarms notify. */
  readonly dnsAlarmTopicArn: pulumi.Output<string>;
  /** Scaling policy ARNs per service, keyed by role (`cpu`, `requests`, `predictive`). */
  readonly scalingPolicyArns: Readonly<
    Record<string, Readonly<Record<string, pulumi.Output<string>>>>
  >;
  /** RDS Proxy endpoints (read/write, read-only) in this region. */
  readonly dbProxyEndpoint: pulumi.Output<string>;
  readonly dbProxyReadEndpoint: pulumi.Output<string>;
  /** This region's Aurora cluster. */
  readonly dbClusterIdentifier: pulumi.Output<string>;
  /** The master secret's ARN; primary only. */
  readonly dbMasterSecretArn: pulumi.Output<string> | undefined;
  /** The sessions/carts global table's name (the same in both regions). */
  readonly sessionsTableName: pulumi.Input<string>;
  /** The sessions table's ARN; primary only (the replica is created from there). */
  readonly sessionsTableArn: pulumi.Output<string> | undefined;
  /** The public hosted zone of the records. */
  readonly hostedZoneId: pulumi.Output<string>;
  /**
   * The outputs below exist only in a stack that takes part in a Region switch plan
   * ({@link takesPartInRegionSwitch}); the records only where the global stack writes them
   * ({@link writesOwnRecords} false). Staging exports none, so no global stack can build a plan
   * or write records from it.
   */
  /** For the plan: the failover record names (FQDNs), in traffic-step order (trafficOrder.ts). */
  readonly failoverRecordNames: readonly string[] | undefined;
  /** For prod-global: the failover records it writes for this region. */
  readonly failoverRecords: readonly DelegatedRecord[] | undefined;
  /** For the plan: each fleet's Auto Scaling group ARN, keyed by service (payments included). */
  readonly autoScalingGroupArns: Readonly<Record<string, pulumi.Output<string>>> | undefined;
  /**
   * For the plan: this region's Aurora cluster ARN and the global cluster it belongs to
   * (undefined for a regional cluster, which belongs to none, so no global stack can read one).
   */
  readonly dbClusterArn: pulumi.Output<string> | undefined;
  readonly dbGlobalClusterIdentifier: string | undefined;
  /** For the plan: the Route 53 health-check alarms (in us-east-1), keyed by load balancer. */
  readonly dnsHealthAlarmArns: Readonly<Record<string, pulumi.Output<string>>> | undefined;
  /** For the plan: the shoppers' error-rate alarms of this region. */
  readonly appHealthAlarmArns: Readonly<Record<string, pulumi.Output<string>>> | undefined;
}

/**
 * Whether this stack belongs in a Region switch plan: a region of a deployment with an Aurora
 * global database, whose writer the plan moves. A one-region deployment (staging) has nothing to
 * switch to and exports nothing a global stack could build a plan from.
 */
export function takesPartInRegionSwitch(cfg: Pick<StackConfig, "database">): boolean {
  return cfg.database.global;
}

/**
 * Who reaches the admin service. `closed` admits only a documentation address no client can
 * connect from (CLOSED_ADMIN_SOURCE): the rule (and so the target group's health checks and
 * alarms) stays, the internet and the VPC are shut out, and operators come in through SSM port
 * forwarding.
 */
export function adminAccess(cfg: StackConfig): BackendAccess {
  const a = cfg.admin;
  switch (a.mode) {
    case "closed":
      return { kind: "source-ip", cidrs: [CLOSED_ADMIN_SOURCE] };
    case "source-ip":
      return { kind: "source-ip", cidrs: a.allowedCidrs };
    case "cognito":
      return {
        kind: "cognito",
        userPoolArn: a.userPoolArn,
        userPoolClientId: a.userPoolClientId,
        userPoolDomain: a.userPoolDomain,
        sessionTimeoutSeconds: a.sessionTimeoutSeconds,
      };
  }
}

/** Declares every resource of one regional stack. */
export function createRegionStack(cfg: StackConfig): RegionOutputs {
  const tags = { Project: "securecart", Stack: cfg.stack, Role: cfg.role };

  const zone = aws.route53.getZoneOutput({ name: cfg.domain, privateZone: false });

  const insp = cfg.inspection;
  const network = new Network("net", {
    cidrBlock: cfg.vpcCidr,
    availabilityZones: cfg.availabilityZones,
    region: cfg.region,
    flowLogs: {
      logGroupName: `/securecart/${cfg.stack}/vpc-flow-logs`,
      trafficType: cfg.flowLogs.trafficType,
      retentionDays: cfg.flowLogs.retentionDays,
    },
    inspection: insp.enabled
      ? {
          imageId:
            insp.ami ?? aws.ssm.getParameterOutput({ name: insp.amiParameter as string }).value,
          instanceType: insp.instanceType,
          minSize: insp.minSize,
          maxSize: insp.maxSize,
          healthCheck: { port: insp.healthPort, path: insp.healthPath },
          rootDeviceName: insp.rootDeviceName,
          rootVolumeGiB: insp.rootVolumeGiB,
          healthCheckGracePeriodSeconds: insp.healthCheckGracePeriodSeconds,
          deletionProtection: cfg.deletionProtection,
        }
      : undefined,
    tags,
  });
  const logs = new AccessLogBucket("lb-logs", {
    retentionDays: cfg.accessLogRetentionDays,
    loadBalancers: ["web", "pay"],
    tags,
  });
  const certificate = new ValidatedCertificate("tls", {
    domain: cfg.domain,
    zoneId: zone.zoneId,
    tags,
  });

  const data = createDataTier(cfg, network, tags);

  const common = {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIdsByAz,
    privateSubnetIds: network.privateSubnetIds,
    domain: cfg.domain,
    certificateArn: certificate.certificateArn,
    tlsPolicy: cfg.tlsPolicy,
    // Pinned in config, never "latest": a new Amazon Linux release changes nothing until a
    // reviewed bump of securecart:amis (docs/security.md, Pinned AMIs).
    imageId: cfg.ami,
    deletionProtection: cfg.deletionProtection,
    loadBalancerDependsOn: [logs.policy],
    // First boot runs dnf (openssl for payments' TLS placeholder) through NAT or the S3 endpoint.
    fleetDependsOn: network.privateEgress,
    tags,
  };

  const regionHealthy = new Set(regionHealthServices(cfg));
  const web = new LoadBalancedService("web", {
    ...common,
    type: "application",
    accessLogs: { bucket: logs.bucketName, prefix: logs.prefixFor("web") },
    rulesQuota: cfg.albRuleQuota,
    sharedHosts: sharedWebHosts(cfg),
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
          environment: data.environmentFor(name),
          definesRegionHealth: regionHealthy.has(name),
          // Keyed on the service as well as its host: an admin service routed by path, or by a
          // host other than admin, is restricted all the same.
          access: isAdminService(name, s) ? adminAccess(cfg) : undefined,
          rollbackAlarmNames: rollbackAlarmKeys("web", name, "application").map((key) =>
            alarmName(cfg.stack, key),
          ),
        },
      ]),
    ),
  });

  connectDatabaseClients(cfg, data, web.fleets);
  connectSessionClients(cfg, web.fleets);

  const p = cfg.payments;
  const pay = new LoadBalancedService("pay", {
    ...common,
    type: "network",
    accessLogs: { bucket: logs.bucketName, prefix: logs.prefixFor("pay") },
    backends: {
      payments: {
        port: p.port,
        healthCheck: p.healthCheck,
        deregistrationDelaySeconds: p.deregistrationDelaySeconds,
        instanceType: p.instanceType,
        minSize: p.minSize,
        maxSize: p.maxSize,
        rollbackAlarmNames: rollbackAlarmKeys("pay", "payments", "network").map((key) =>
          alarmName(cfg.stack, key),
        ),
      },
    },
  });

  const dns = createFailoverDns(cfg, zone.zoneId, web, pay, tags);
  const scaling = createScaling(cfg, web, pay, network.inspection?.appliances);
  const edge = createEdgeProtection(
    cfg,
    { services: { web, pay }, hostedZoneId: zone.zoneId },
    tags,
  );

  const { alarmArns, ...observability } = createObservability(
    cfg,
    { web, pay },
    edge.webAclName,
    tags,
    {
      inspection: network.inspection,
      route53HealthCheckIds: dns.healthCheckIds,
      database: data.database,
    },
  );
  createZonalAutoshift(cfg, { web, pay }, alarmArns);
  createFaultInjection(cfg, network.vpcId, data.database.clusterArn, alarmArns, tags);

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
    failoverBudgetSeconds: dns.failoverBudgetSeconds,
    healthCheckIds: dns.healthCheckIds,
    dnsAlarmTopicArn: dns.alarmTopicArn,
    scalingPolicyArns: Object.fromEntries(
      Object.entries(scaling).map(([svc, policy]) => [svc, policy.policyArns]),
    ),
    dbProxyEndpoint: data.database.proxyEndpoint,
    dbProxyReadEndpoint: data.database.proxyReadEndpoint,
    dbClusterIdentifier: data.database.clusterIdentifier,
    dbMasterSecretArn: data.database.masterSecretArn,
    sessionsTableName: data.sessions?.tableName ?? cfg.sessions.tableName,
    sessionsTableArn: data.sessions?.tableArn,
    hostedZoneId: zone.zoneId,
    dbGlobalClusterIdentifier: cfg.database.global
      ? cfg.database.globalClusterIdentifier
      : undefined,
    ...(writesOwnRecords(cfg)
      ? { failoverRecordNames: undefined, failoverRecords: undefined }
      : {
          // In the plan's traffic-step order: shoppers' names first, admin last.
          failoverRecordNames: trafficStepOrder(dns.records, trafficAudiences(cfg)),
          failoverRecords: dns.delegated,
        }),
    ...(!takesPartInRegionSwitch(cfg)
      ? {
          autoScalingGroupArns: undefined,
          dbClusterArn: undefined,
          dnsHealthAlarmArns: undefined,
          appHealthAlarmArns: undefined,
        }
      : {
          autoScalingGroupArns: Object.fromEntries(
            [...Object.entries(web.fleets), ...Object.entries(pay.fleets)].map(([svc, fleet]) => [
              svc,
              fleet.autoScalingGroupArn,
            ]),
          ),
          dbClusterArn: data.database.clusterArn,
          dnsHealthAlarmArns: dns.alarmArns,
          appHealthAlarmArns: Object.fromEntries(
            ["web-elb-5xx", "web-checkout-target-5xx", "pay-tcp-resets"]
              .filter((key) => alarmArns[key] !== undefined)
              .map((key) => [key, alarmArns[key]]),
          ),
        }),
  };
}
