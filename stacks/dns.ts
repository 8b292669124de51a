/**
 * Wires the region's load balancers into cross-region DNS: which names each load balancer serves,
 * and where the ALB answers Route 53's health checks.
 */
import * as pulumi from "@pulumi/pulumi";
import { FailoverDns, LoadBalancedService } from "../components";
import { healthCheckPathFor } from "../components/recovery/healthSemantics";
import { StackConfig, sharedWebHosts, webHostLabels } from "./config";
import { isAdminService } from "./securityConfig";
import { AudienceInput } from "../components/recovery/trafficOrder";

/** Declares this region's health checks, failover or latency records and alarms. */
export function createFailoverDns(
  cfg: StackConfig,
  zoneId: pulumi.Input<string>,
  web: LoadBalancedService,
  pay: LoadBalancedService,
  tags: Readonly<Record<string, string>>,
): FailoverDns {
  const dns = cfg.dns;
  return new FailoverDns("dns", {
    domain: cfg.domain,
    zoneId,
    region: cfg.region,
    routing: cfg.routing,
    role: cfg.role,
    endpoints: {
      web: {
        dnsName: web.dnsName,
        zoneId: web.zoneId,
        hosts: webHostLabels(cfg),
        healthCheckRoute: {
          listenerArn: web.secureListenerArn,
          targetGroupArn: web.targetGroups[dns.healthCheck.service].arn,
        },
      },
      // Payments is no database client (docs/failover.md, "Health semantics"): its ready path.
      pay: {
        dnsName: pay.dnsName,
        zoneId: pay.zoneId,
        hosts: [cfg.payments.host],
        healthCheckPath: dns.healthCheck.readPath,
      },
    },
    healthCheck: {
      path: healthCheckPath(cfg),
      failureThreshold: dns.healthCheck.failureThreshold,
      requestIntervalSeconds: dns.healthCheck.requestIntervalSeconds,
      regions: dns.healthCheck.regions,
      measureLatency: dns.healthCheck.measureLatency,
    },
    cnameTtlSeconds: dns.cnameTtlSeconds,
    alarmEmail: dns.alarmEmail,
    writeRecords: writesOwnRecords(cfg),
    tags,
  });
}

/**
 * Whether this stack writes its own public records. A failover deployment's records are written
 * by its global stack (prod-global), which gates each PRIMARY record on the Region switch plan's
 * Route 53 health check as well as on the region's own check; a regional stack can't, because the
 * plan (and so its health checks) only exists after both regional stacks are deployed
 * (docs/failover.md, "How the records use the plan's health checks"). A latency deployment
 * (staging, or prod in active-active mode) takes part in no Region switch plan and writes its
 * own records.
 */
export function writesOwnRecords(cfg: Pick<StackConfig, "routing">): boolean {
  return cfg.routing !== "failover";
}

/**
 * The path Route 53 requests in this region. With failover routing only one region takes
 * traffic at a time: the primary's records follow the Aurora writer, and the standby's need only
 * reads, so browsing fails over on DNS alone (docs/failover.md, "Health semantics"). With latency
 * routing every region takes checkout, so every region's records check the path that needs a
 * write to commit from there: locally on the writer, or forwarded to it from a secondary
 * (components/data/writeForwarding.ts; docs/topology.md). The web ACL lets exactly this path through
 * (stacks/edge.ts).
 */
export function healthCheckPath(cfg: Pick<StackConfig, "role" | "routing" | "dns">): string {
  return healthCheckPathFor(cfg.role, cfg.routing, cfg.dns.healthCheck);
}

/**
 * Who each of the region's host labels serves, for the order of the Region switch plan's traffic
 * steps (components/recovery/trafficOrder.ts): shoppers on the hosts the path-only services
 * answer on (and the apex), minus any host of an access-controlled (admin) service; payments on
 * the payment host; everything else after them.
 */
export function trafficAudiences(
  cfg: Pick<StackConfig, "services" | "dns" | "payments">,
): AudienceInput {
  const restricted = Object.entries(cfg.services)
    .filter(([name, svc]) => isAdminService(name, svc))
    .flatMap(([, svc]) => svc.hosts);
  return {
    shopperLabels: sharedWebHosts(cfg).filter((h) => !restricted.includes(h)),
    paymentLabels: [cfg.payments.host],
  };
}
