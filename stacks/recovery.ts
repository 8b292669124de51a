/**
 * Recovery within one region: ARC zonal autoshift of the ALB and the NLB, judged during its weekly
 * practice runs by the customer-visible alarms (docs/failover.md, "Losing an Availability Zone").
 */
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancedService } from "../components";
import * as aws from "@pulumi/aws";
import { ZonalAutoshift } from "../components/recovery/zonalAutoshift";
import { FaultInjection } from "../components/recovery/faultInjection";
import { StackConfig } from "./config";
import { AlarmArns } from "./observability";

/**
 * The alarm keys that judge a practice run for one load balancer: the shoppers' error rates on an
 * ALB (ELB and target 5XX per service), TCP resets on an NLB. Unhealthy-host and latency alarms
 * are left out: a shift moves load onto the other AZs, which is what it is for.
 */
export function outcomeAlarmKeys(lbKey: string, service: LoadBalancedService): string[] {
  if (service.type === "network") return [`${lbKey}-tcp-resets`];
  return [
    `${lbKey}-elb-5xx`,
    ...Object.keys(service.targetGroups).map((svc) => `${lbKey}-${svc}-target-5xx`),
  ];
}

/** Declares zonal autoshift for every load balancer in `services`. */
export function createZonalAutoshift(
  cfg: StackConfig,
  services: Readonly<Record<string, LoadBalancedService>>,
  alarmArns: AlarmArns,
): ZonalAutoshift {
  const resources = Object.fromEntries(
    Object.entries(services).map(([lbKey, service]) => {
      const outcomeAlarmArns: pulumi.Output<string>[] = outcomeAlarmKeys(lbKey, service).map(
        (key) => {
          const arn = alarmArns[key];
          if (!arn)
            throw new Error(`no alarm ${key} to judge ${lbKey}'s zonal autoshift practice runs`);
          return arn;
        },
      );
      return [lbKey, { arn: service.loadBalancerArn, outcomeAlarmArns }];
    }),
  );
  return new ZonalAutoshift("azshift", {
    resources,
    enabled: cfg.zonalAutoshift.enabled,
    allowedWindows: cfg.zonalAutoshift.allowedWindows,
    blockedDates: cfg.zonalAutoshift.blockedDates,
  });
}

/** The alarms that stop every game-day experiment: what shoppers would notice. */
export const GAME_DAY_STOP_ALARMS = ["web-elb-5xx", "web-checkout-target-5xx", "pay-tcp-resets"];

/**
 * Declares the region's FIS experiment templates: the first AZ (in name order) losing
 * connectivity, an Aurora failover of this region's cluster, and a quarter of the instances
 * terminated (docs/runbooks/game-day.md).
 */
export function createFaultInjection(
  cfg: StackConfig,
  vpcId: pulumi.Input<string>,
  clusterArn: pulumi.Input<string>,
  alarmArns: AlarmArns,
  tags: Readonly<Record<string, string>>,
): FaultInjection {
  return new FaultInjection("gameday", {
    region: cfg.region,
    accountId: aws.getCallerIdentityOutput().accountId,
    vpcId,
    availabilityZone: [...cfg.availabilityZones].sort()[0],
    clusterArn,
    stackTag: cfg.stack,
    stopAlarmArns: GAME_DAY_STOP_ALARMS.map((key) => {
      const arn = alarmArns[key];
      if (!arn) throw new Error(`no alarm ${key} to stop the game-day experiments`);
      return arn;
    }),
    tags,
  });
}
