/**
 * Observability of one region: X-Ray sampling, the slow-checkout trace group and trace-writing
 * rights for every instance role, then the alarm topic, the alarms and the dashboard.
 */
import * as pulumi from "@pulumi/pulumi";
import { forwardsWrites } from "../components/data/writeForwarding";
import {
  InspectionGateway,
  LoadBalancedService,
  Monitoring,
  ProxiedDatabase,
  Tracing,
} from "../components";
import { StackConfig } from "./config";

/** What the observability wiring exports. */
export interface ObservabilityOutputs {
  readonly alarmTopicArn: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;
  readonly slowCheckoutTraceGroup: pulumi.Output<string>;
}

/** Every alarm's ARN keyed by its plan key (`web-elb-5xx`, `pay-tcp-resets`, ...). */
export type AlarmArns = Readonly<Record<string, pulumi.Output<string>>>;

/** Monitoring's name prefix: alarm `key` of `stack` is named `securecart-<stack>-<key>`. */
export function alarmNamePrefix(stack: string): string {
  return `securecart-${stack}`;
}

/** The CloudWatch name of alarm `key` in `stack`, known before the alarm exists. */
export function alarmName(stack: string, key: string): string {
  return `${alarmNamePrefix(stack)}-${key}`;
}

/**
 * Declares tracing and monitoring for every load-balanced service in `services` (keyed by their
 * component names): alarms for each target group, load balancer and Auto Scaling group, the
 * inspection appliances and their Gateway Load Balancer when `inspection` exists, the proxied
 * Aurora cluster when `database` exists, and the Route 53 health checks on the dashboard.
 */
export function createObservability(
  cfg: StackConfig,
  services: Readonly<Record<string, LoadBalancedService>>,
  webAclName: pulumi.Input<string>,
  tags: Readonly<Record<string, string>>,
  extras: {
    readonly inspection?: InspectionGateway;
    readonly route53HealthCheckIds?: Readonly<Record<string, pulumi.Input<string>>>;
    readonly database?: ProxiedDatabase;
  } = {},
): ObservabilityOutputs & { readonly alarmArns: AlarmArns } {
  const { inspection, route53HealthCheckIds, database } = extras;
  const minSizes: Record<string, number> = {
    ...Object.fromEntries(Object.entries(cfg.services).map(([k, s]) => [k, s.minSize])),
    payments: cfg.payments.minSize,
  };
  const entries = Object.entries(services);
  const fleets = entries.flatMap(([lb, s]) =>
    Object.entries(s.fleets).map(([svc, fleet]) => ({ key: `${lb}-${svc}`, svc, fleet })),
  );

  const tracing = new Tracing("xray", {
    namePrefix: "securecart",
    roleNames: Object.fromEntries(fleets.map((f) => [f.key, f.fleet.roleName])),
    checkoutSampleRate: cfg.tracing.checkoutSampleRate,
    checkoutReservoirPerSecond: cfg.tracing.checkoutReservoirPerSecond,
    slowCheckoutSeconds: cfg.tracing.slowCheckoutSeconds,
    tags,
  });

  const { email, ...thresholds } = cfg.alarms;
  const monitoring = new Monitoring("ops", {
    alarmEmail: email,
    region: cfg.region,
    namePrefix: alarmNamePrefix(cfg.stack),
    // The master secret rotates only where it is primary (components/data/rotatedSecret.ts).
    secretRotationAlerts: database?.masterSecretArn !== undefined,
    loadBalancers: {
      ...Object.fromEntries(
        entries.map(([key, s]) => [
          key,
          {
            type: s.type,
            arnSuffix: s.loadBalancerArnSuffix,
            targetGroupArnSuffixes: Object.fromEntries(
              Object.entries(s.targetGroups).map(([svc, tg]) => [svc, tg.arnSuffix]),
            ),
          },
        ]),
      ),
      ...(inspection && {
        inspection: {
          type: "gateway" as const,
          arnSuffix: inspection.gatewayLoadBalancerArnSuffix,
          targetGroupArnSuffixes: { appliances: inspection.targetGroupArnSuffix },
        },
      }),
    },
    autoScalingGroups: {
      ...Object.fromEntries(
        fleets.map((f) => [
          f.key,
          { name: f.fleet.autoScalingGroupName, minSize: minSizes[f.svc] },
        ]),
      ),
      ...(inspection && {
        "net-insp-appliance": {
          name: inspection.appliances.autoScalingGroupName,
          minSize: cfg.inspection.minSize,
        },
      }),
    },
    route53HealthCheckIds,
    databases: database && {
      db: {
        clusterIdentifier: database.clusterIdentifier,
        proxyName: database.proxyName,
        // AWS publishes the global replication lag for whichever cluster is secondary, from
        // the writer's region; a switchover swaps them, so every region watches. A secondary
        // replicates from the primary; the primary, once switched over, from the region that
        // took over, which the failover plan makes the first secondary. A regional cluster
        // replicates nowhere.
        replicationSourceRegion: !cfg.database.global
          ? undefined
          : cfg.role === "secondary"
            ? cfg.deployment.primary
            : cfg.deployment.secondaries[0],
        writeForwarding: forwardsWrites(cfg.routing, cfg.database.global),
      },
    },
    slowTraceGroups: { checkout: tracing.slowCheckoutGroupName },
    webAclName,
    thresholds,
    tags,
  });

  return {
    alarmTopicArn: monitoring.alarmTopicArn,
    dashboardName: monitoring.dashboardName,
    slowCheckoutTraceGroup: tracing.slowCheckoutGroupName,
    alarmArns: monitoring.alarmArns,
  };
}
