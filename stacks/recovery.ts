/**
 * Recovery within one region: ARC zonal autoshift of the ALB and the NLB, judged during its weekly
 * practice runs by the customer-visible alarms (docs/failover.md, "Losing an Availability Zone").
 */
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancedService } from "../components";
import { ZonalAutoshift } from "../components/recovery/zonalAutoshift";
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
