/**
 * Auto Scaling rules: every fleet spans AZs, is replaced when its load balancer says it is
 * unhealthy, and grows with load.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { propsOf, referencedBy, show } from "./common";

/** Config of {@link asgMultipleSubnets}. */
export interface MultipleSubnetsConfig {
  readonly minimumSubnets?: number;
}

/** Config of {@link asgMinimumSize}. */
export interface MinimumSizeConfig {
  readonly minimumSize?: number;
}

export const asgMultipleSubnets: ResourceValidationPolicy = {
  name: "asg-multiple-subnets",
  description:
    "An Auto Scaling group in one subnet lives in one AZ and goes down with it; spreading across subnets in different AZs lets it relaunch capacity elsewhere.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumSubnets: {
        type: "integer",
        minimum: 2,
        default: 2,
        description: "Smallest number of subnets (one per AZ) an Auto Scaling group may use.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.autoscaling.Group, (group, args, report) => {
    const minimum = args.getConfig<MultipleSubnetsConfig>().minimumSubnets ?? 2;
    const subnets = group.vpcZoneIdentifiers ?? [];
    const zones = group.availabilityZones ?? [];
    const count = Math.max(subnets.length, zones.length);
    if (count < minimum) {
      report(
        `Auto Scaling group "${args.name}" spans ${count} subnet(s) in vpcZoneIdentifiers. Set vpcZoneIdentifiers to at least ${minimum} subnets in different AZs.`,
      );
    }
  }),
};

export const asgMinimumSize: ResourceValidationPolicy = {
  name: "asg-minimum-size",
  description:
    "A fleet with one instance has no redundancy: one instance or AZ failure empties its target group, which Route 53 then treats as unhealthy.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumSize: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "Smallest allowed minSize of an Auto Scaling group.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.autoscaling.Group, (group, args, report) => {
    const minimum = args.getConfig<MinimumSizeConfig>().minimumSize ?? 2;
    if (group.minSize < minimum) {
      report(
        `Auto Scaling group "${args.name}" has minSize ${group.minSize}. Set minSize to at least ${minimum} so it keeps an instance in a second AZ.`,
      );
    }
  }),
};

export const asgDefaultInstanceWarmup: ResourceValidationPolicy = {
  name: "asg-default-instance-warmup",
  description:
    "Without a default instance warm-up, booting instances count in scaling metrics and target tracking over- or under-scales; AWS strongly recommends setting it, even to 0.",
  enforcementLevel: "advisory",
  validateResource: validateResourceOfType(aws.autoscaling.Group, (group, args, report) => {
    if (group.defaultInstanceWarmup === undefined) {
      report(
        `Auto Scaling group "${args.name}" has no defaultInstanceWarmup. Set defaultInstanceWarmup to the seconds an instance needs before its metrics are stable (e.g. its healthCheckGracePeriod).`,
      );
    }
  }),
};

/** True when a string or list prop holds a non-empty value. */
function hasValues(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : typeof value === "string" && value !== "";
}

export const asgElbHealthCheck: StackValidationPolicy = {
  name: "asg-elb-health-check",
  description:
    "An Auto Scaling group behind a load balancer must use ELB health checks; with the default EC2 checks it keeps instances whose app is failing the target group's health check.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const groups = args.resources.filter((r) => r.isType(aws.autoscaling.Group));
    const attachments = args.resources.filter(
      (r) =>
        r.isType(aws.autoscaling.Attachment) || r.isType(aws.autoscaling.TrafficSourceAttachment),
    );
    for (const group of groups) {
      const props = propsOf(group);
      const inline =
        hasValues(props.targetGroupArns) ||
        hasValues(props.loadBalancers) ||
        hasValues(props.trafficSources);
      const attached = attachments.some(
        (a) => referencedBy(a, "autoscalingGroupName", [group], "name").length > 0,
      );
      if ((inline || attached) && props.healthCheckType !== "ELB") {
        report(
          `Auto Scaling group "${group.name}" is attached to a load balancer but has healthCheckType ${show(props.healthCheckType)} (AWS default: "EC2"). Set healthCheckType: "ELB" and a healthCheckGracePeriod covering boot time.`,
          group.urn,
        );
      }
    }
  },
};

/** True for an enabled target-tracking scaling policy. */
function isTargetTracking(policy: PolicyResource): boolean {
  const props = propsOf(policy);
  return props.policyType === "TargetTrackingScaling" && props.enabled !== false;
}

export const asgTargetTracking: StackValidationPolicy = {
  name: "asg-target-tracking",
  description:
    "Every Auto Scaling group needs a target-tracking policy so it grows with traffic, and the standby region can absorb the primary's load after a failover.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const groups = args.resources.filter((r) => r.isType(aws.autoscaling.Group));
    const policies = args.resources.filter(
      (r) => r.isType(aws.autoscaling.Policy) && isTargetTracking(r),
    );
    for (const group of groups) {
      const tracked = policies.some(
        (p) => referencedBy(p, "autoscalingGroupName", [group], "name").length > 0,
      );
      if (!tracked) {
        report(
          `Auto Scaling group "${group.name}" has no enabled target-tracking policy. Add aws.autoscaling.Policy with policyType "TargetTrackingScaling" and autoscalingGroupName: <group>.name (e.g. ASGAverageCPUUtilization at 60).`,
          group.urn,
        );
      }
    }
  },
};

/** Auto Scaling rules. */
export const autoScalingPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  asgMultipleSubnets,
  asgMinimumSize,
  asgDefaultInstanceWarmup,
  asgElbHealthCheck,
  asgTargetTracking,
];
