import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  PLAN_NAME,
  approverPolicy,
  executionRolePolicy,
  triggerStartPolicy,
} from "./regionSwitchRules";
import { PlanHealthCheck, planHealthCheckOutput } from "./regionSwitchRecords";
import { ROUTE53_METRICS_REGION } from "../dns/failoverDns";

/** What the plan acts on in one region. */
export interface RegionSwitchRegionArgs {
  /** Auto Scaling group ARNs keyed by service; both regions must name the same services. */
  readonly autoScalingGroupArns: Readonly<Record<string, pulumi.Input<string>>>;
  /** This region's Aurora cluster, a member of the global cluster. */
  readonly clusterArn: pulumi.Input<string>;
  /**
   * Alarms meaning "this region is unhealthy for shoppers"; when every one is red while the plan
   * has this region active, the plan starts by itself to activate the other region (if
   * `automaticFailover`).
   * @default - none: the plan is only started by a person
   */
  readonly triggerAlarmArns?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Application health alarms the plan shows while it runs. @default - none */
  readonly healthAlarmArns?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Arguments of {@link RegionSwitchPlan}. */
export interface RegionSwitchPlanArgs {
  /** Plan name: 1 to 32 letters, digits and inner hyphens, unique in the account. */
  readonly planName: string;
  /** The region that runs the application normally. */
  readonly primaryRegion: string;
  /** Exactly two regions, keyed by region code. */
  readonly regions: Readonly<Record<string, RegionSwitchRegionArgs>>;
  /** The account, for the global cluster's ARN and the approvers' trust. */
  readonly accountId: pulumi.Input<string>;
  /** The Aurora global cluster both regional clusters belong to. */
  readonly globalClusterIdentifier: string;
  /** The public hosted zone of the failover records. */
  readonly hostedZoneId: pulumi.Input<string>;
  /**
   * Failover record names (FQDNs); each gets a Route 53 health-check step. Empty with latency
   * routing, where every region answers and the plan moves only the writer and capacity.
   */
  readonly recordNames: readonly string[];
  /** The plan's recovery time objective, in minutes. */
  readonly recoveryTimeObjectiveMinutes: number;
  /** How long the approval step waits for a person. @default 15 */
  readonly approvalTimeoutMinutes?: number;
  /** Aurora switchover or failover step timeout. @default 15 */
  readonly auroraTimeoutMinutes?: number;
  /** Capacity step: share of the source region's 24-hour peak to reach, and its timeout. */
  readonly scaling?: {
    /** @default 100 */
    readonly targetPercent?: number;
    /** @default 20 */
    readonly timeoutMinutes?: number;
  };
  /** Route 53 step timeout. @default 5 */
  readonly trafficTimeoutMinutes?: number;
  /**
   * Start the plan by itself to activate the other region when every trigger alarm of the region
   * the plan has active is red, in either direction; never while the active region is healthy
   * (so never a failback on its own). The approval step still gates the data-loss decision. Needs
   * traffic steps (`recordNames`): "which region is active" is read from their health checks.
   * @default false
   */
  readonly automaticFailover?: boolean;
  /** Tags on the roles and the plan. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An active-passive Amazon ARC Region switch plan with one `activate` workflow per region, so
 * failback is the same plan run towards the other region. Each workflow: a person approves (the
 * data-loss decision in an unplanned failover), then the Aurora global database switches over
 * (graceful run, RPO 0) or fails over (ungraceful run) while every service's Auto Scaling group
 * grows to the source's 24-hour peak, then the Route 53 health checks move the records (one step per
 * record name; components/recovery/regionSwitchRecords.ts attaches the checks to the records).
 */
export class RegionSwitchPlan extends pulumi.ComponentResource {
  public readonly planArn: pulumi.Output<string>;
  public readonly executionRoleArn: pulumi.Output<string>;
  public readonly approvalRoleArn: pulumi.Output<string>;
  /** The Route 53 health checks the plan's traffic steps created (ListRoute53HealthChecks). */
  public readonly route53HealthChecks: pulumi.Output<PlanHealthCheck[]>;
  /** The "region is active in the plan" alarms the triggers read, keyed by region. */
  public readonly activeAlarmArns: Record<string, pulumi.Output<string>>;

  constructor(
    name: string,
    args: RegionSwitchPlanArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:RegionSwitchPlan", name, {}, opts);
    const approvalTimeoutMinutes = args.approvalTimeoutMinutes ?? 15;
    const auroraTimeoutMinutes = args.auroraTimeoutMinutes ?? 15;
    const targetPercent = args.scaling?.targetPercent ?? 100;
    const scalingTimeoutMinutes = args.scaling?.timeoutMinutes ?? 20;
    const trafficTimeoutMinutes = args.trafficTimeoutMinutes ?? 5;
    const automaticFailover = args.automaticFailover ?? false;
    const tags = args.tags ?? {};

    const regions = Object.keys(args.regions);
    const problems: string[] = [];
    if (!PLAN_NAME.test(args.planName)) {
      problems.push(
        `planName must be 1 to 32 letters, digits or inner hyphens; got "${args.planName}"`,
      );
    }
    if (regions.length !== 2)
      problems.push(
        `regions must name exactly 2 regions (the API's limit); got ${regions.join(", ")}`,
      );
    if (!regions.includes(args.primaryRegion)) {
      problems.push(
        `primaryRegion must be one of ${regions.join(", ")}; got ${args.primaryRegion}`,
      );
    }
    const services = regions.map((r) => Object.keys(args.regions[r].autoScalingGroupArns).sort());
    if (services.length === 2 && JSON.stringify(services[0]) !== JSON.stringify(services[1])) {
      problems.push(
        `both regions must scale the same services; got ${services.map((s) => s.join(",")).join(" vs ")}`,
      );
    }
    for (const [field, v] of [
      ["approvalTimeoutMinutes", approvalTimeoutMinutes],
      ["auroraTimeoutMinutes", auroraTimeoutMinutes],
      ["scaling.timeoutMinutes", scalingTimeoutMinutes],
      ["trafficTimeoutMinutes", trafficTimeoutMinutes],
      ["recoveryTimeObjectiveMinutes", args.recoveryTimeObjectiveMinutes],
      ["scaling.targetPercent", targetPercent],
    ] as const) {
      if (!Number.isInteger(v) || v < 1)
        problems.push(`${field} must be a whole number, 1 or more; got ${v}`);
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const child = { parent: this };
    const executionRole = new aws.iam.Role(
      `${name}-exec`,
      {
        description: `Runs the ${args.planName} Region switch plan`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "arc-region-switch.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags,
      },
      child,
    );
    // People approve steps by assuming this role, with MFA.
    const approvalRole = new aws.iam.Role(
      `${name}-approver`,
      {
        description: `Approves steps of the ${args.planName} Region switch plan`,
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: pulumi.interpolate`arn:aws:iam::${args.accountId}:root` },
              Action: "sts:AssumeRole",
              Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            },
          ],
        }),
        tags,
      },
      child,
    );

    const alarmsOf = (
      pick: (r: RegionSwitchRegionArgs) => Record<string, pulumi.Input<string>> | undefined,
    ) =>
      regions.flatMap((region) =>
        Object.entries(pick(args.regions[region]) ?? {}).map(([key, arn]) => ({
          mapBlockKey: `${region}-${key}`,
          region,
          arn,
        })),
      );
    if (automaticFailover && args.recordNames.length === 0) {
      void pulumi.log.warn(
        "automaticFailover needs traffic steps (recordNames) to know which region is active; the plan gets no triggers",
        this,
      );
    }
    const triggering = automaticFailover && args.recordNames.length > 0;
    // "Region r is active in the plan": an alarm on the plan's own health check for the first
    // record name in r (healthy while the plan has r active). Its name is ours, so its ARN is
    // known before the plan exists; it is created once the plan's health checks are.
    const activeAlarmName = (region: string) => `${args.planName}-${region}-active`;
    const activeAlarms = triggering
      ? regions.map((region) => ({
          mapBlockKey: `${region}-active`,
          region,
          arn: pulumi.interpolate`arn:aws:cloudwatch:${ROUTE53_METRICS_REGION}:${args.accountId}:alarm:${activeAlarmName(region)}`,
        }))
      : [];
    const triggerAlarms = triggering
      ? [...alarmsOf((r) => r.triggerAlarmArns), ...activeAlarms]
      : [];
    const healthAlarms = alarmsOf((r) => r.healthAlarmArns);
    const triggers = regions
      .filter((r) => triggering && Object.keys(args.regions[r].triggerAlarmArns ?? {}).length > 0)
      .map((from) => {
        const to = regions.find((r) => r !== from) as string;
        return {
          action: "activate",
          targetRegion: to,
          description: `${from} is active in the plan and every trigger alarm of ${from} is red`,
          // One automatic run a day at most: a second one means a person should look.
          minDelayMinutesBetweenExecutions: 1440,
          conditions: [
            ...alarmsOf((r) => r.triggerAlarmArns)
              .filter((a) => a.region === from)
              .map((a) => ({ associatedAlarmName: a.mapBlockKey, condition: "red" })),
            // Only while the plan has `from` active: once it activated `to`, `from` stays red
            // (it is lost, or a demoted secondary) and must not start the plan again.
            { associatedAlarmName: `${from}-active`, condition: "green" },
          ],
        };
      });

    const allAsgArns = regions.flatMap((r) => Object.values(args.regions[r].autoScalingGroupArns));
    const clusterArns = regions.map((r) => args.regions[r].clusterArn);
    const policy = new aws.iam.RolePolicy(
      `${name}-exec-policy`,
      {
        role: executionRole.name,
        policy: pulumi
          .all([
            args.accountId,
            executionRole.arn,
            pulumi.all(clusterArns),
            pulumi.all(allAsgArns),
            args.hostedZoneId,
            pulumi.all([...triggerAlarms, ...healthAlarms].map((a) => a.arn)),
          ])
          .apply(([accountId, roleArn, clusters, asgs, hostedZoneId, alarms]) =>
            JSON.stringify(
              executionRolePolicy({
                accountId,
                roleArn,
                globalClusterIdentifier: args.globalClusterIdentifier,
                clusterArns: clusters,
                autoScalingGroupArns: asgs,
                hostedZoneId,
                alarmArns: alarms,
              }),
            ),
          ),
      },
      child,
    );

    const workflows = regions.map((target) => {
      const source = regions.find((r) => r !== target) as string;
      const scaleSteps = Object.keys(args.regions[target].autoScalingGroupArns)
        .sort()
        .map((svc) => ({
          name: `scale-${svc}`,
          description: `Grow ${svc} in ${target} to ${targetPercent} % of its 24-hour peak in ${source}`,
          executionBlockType: "EC2AutoScaling",
          ec2AsgCapacityIncreaseConfigs: [
            {
              asgs: [
                { arn: args.regions[source].autoScalingGroupArns[svc] },
                { arn: args.regions[target].autoScalingGroupArns[svc] },
              ],
              capacityMonitoringApproach: "sampledMaxInLast24Hours",
              targetPercent,
              timeoutMinutes: scalingTimeoutMinutes,
            },
          ],
        }));
      return {
        workflowTargetAction: "activate",
        workflowTargetRegion: target,
        workflowDescription: `Make ${target} the active region: writer, capacity, then DNS`,
        steps: [
          {
            name: "approve",
            description:
              "A person confirms the move; in an ungraceful run this accepts Aurora's data loss",
            executionBlockType: "ManualApproval",
            executionApprovalConfigs: [
              { approvalRole: approvalRole.arn, timeoutMinutes: approvalTimeoutMinutes },
            ],
          },
          {
            name: "writer-and-capacity",
            description: `Move the Aurora writer to ${target} while its fleets grow`,
            executionBlockType: "Parallel",
            parallelConfigs: [
              {
                steps: [
                  {
                    name: "aurora",
                    description:
                      "Graceful: SwitchoverGlobalCluster (RPO 0). Ungraceful: FailoverGlobalCluster with data loss allowed",
                    executionBlockType: "AuroraGlobalDatabase",
                    globalAuroraConfigs: [
                      {
                        behavior: "switchoverOnly",
                        ungracefuls: [{ ungraceful: "failover" }],
                        globalClusterIdentifier: args.globalClusterIdentifier,
                        databaseClusterArns: clusterArns,
                        timeoutMinutes: auroraTimeoutMinutes,
                      },
                    ],
                  },
                  ...scaleSteps,
                ],
              },
            ],
          },
          // One top-level step per record name, in the order the regional stacks export them
          // (shoppers' names, then payments, then admin: trafficOrder.ts), not a Parallel block: the provider waits after
          // CreatePlan until the plan's Route 53 health checks are allocated, counting only
          // top-level Route53HealthCheck steps (terraform-provider-aws, arcregionswitch
          // waitPlanCreated), and prod-global reads those checks right after to gate the records.
          // Each step only flips health checks, so running them in turn costs seconds.
          ...args.recordNames.map((recordName, i) => ({
            name: `traffic-${i + 1}`,
            description: `Route 53 answers ${recordName} from ${target}, after its writer moved`,
            executionBlockType: "Route53HealthCheck",
            route53HealthCheckConfigs: [
              {
                hostedZoneId: args.hostedZoneId,
                recordName,
                // The stacks' records use the region as their set identifier.
                recordSets: regions.map((region) => ({
                  recordSetIdentifier: region,
                  region,
                })),
                timeoutMinutes: trafficTimeoutMinutes,
              },
            ],
          })),
        ],
      };
    });

    const secondary = regions.find((r) => r !== args.primaryRegion) as string;
    const plan = new aws.arcregionswitch.Plan(
      `${name}-plan`,
      {
        name: args.planName,
        description: `SecureCart storefront: active ${args.primaryRegion}, standby ${secondary}`,
        executionRole: executionRole.arn,
        recoveryApproach: "activePassive",
        regions,
        primaryRegion: args.primaryRegion,
        recoveryTimeObjectiveMinutes: args.recoveryTimeObjectiveMinutes,
        associatedAlarms: [
          ...triggerAlarms.map((a) => ({
            mapBlockKey: a.mapBlockKey,
            alarmType: "trigger",
            resourceIdentifier: a.arn,
          })),
          ...healthAlarms.map((a) => ({
            mapBlockKey: a.mapBlockKey,
            alarmType: "applicationHealth",
            resourceIdentifier: a.arn,
          })),
        ],
        triggers: triggers.length > 0 ? triggers : undefined,
        workflows,
        tags,
      },
      // The plan is evaluated with its role as soon as it exists. A change of name, regions or
      // recoveryApproach replaces the plan (the provider marks them RequiresReplace), and plan
      // names are unique in the account, so the old plan must go first: create-before-delete
      // would collide on the fixed name. The records are re-gated on the new plan's checks in the
      // same `up` (docs/failover.md, "Replacing the plan").
      { parent: this, dependsOn: [policy], deleteBeforeReplace: true },
    );

    new aws.iam.RolePolicy(
      `${name}-approver-policy`,
      {
        role: approvalRole.name,
        policy: plan.arn.apply((arn) => JSON.stringify(approverPolicy(arn))),
      },
      child,
    );
    if (triggers.length > 0) {
      // A trigger starts the plan as the execution role (see triggerStartPolicy).
      new aws.iam.RolePolicy(
        `${name}-exec-start`,
        {
          role: executionRole.name,
          policy: plan.arn.apply((arn) => JSON.stringify(triggerStartPolicy(arn))),
        },
        child,
      );
    }

    // After the plan's create or update, not before: on an update the ARN is known from state,
    // and a preview reads the plan as deployed (planHealthCheckOutput leaves a name this update
    // adds unknown). The provider waits for the checks only after CreatePlan.
    this.route53HealthChecks = aws.arcregionswitch
      .getRoute53HealthChecksOutput({ planArn: plan.arn }, { parent: this, dependsOn: [plan] })
      .apply((r) => r.healthChecks);
    this.activeAlarmArns = {};
    for (const a of activeAlarms) {
      const alarm = new aws.cloudwatch.MetricAlarm(
        `${name}-${a.region}-active`,
        {
          // Route 53 publishes health-check metrics only in us-east-1.
          region: ROUTE53_METRICS_REGION,
          name: activeAlarmName(a.region),
          alarmDescription: `Red while the ${args.planName} Region switch plan does not have ${a.region} active (its Route 53 health check for ${args.recordNames[0]} is unhealthy). Read by the plan's triggers.`,
          namespace: "AWS/Route53",
          metricName: "HealthCheckStatus",
          dimensions: {
            HealthCheckId: planHealthCheckOutput(
              this.route53HealthChecks,
              args.recordNames[0],
              a.region,
            ),
          },
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "LessThanThreshold",
          // No data: not known to be active, so no automatic start (a person starts the plan).
          treatMissingData: "breaching",
          tags,
        },
        child,
      );
      this.activeAlarmArns[a.region] = alarm.arn;
    }

    this.planArn = plan.arn;
    this.executionRoleArn = executionRole.arn;
    this.approvalRoleArn = approvalRole.arn;
    this.registerOutputs({
      route53HealthChecks: this.route53HealthChecks,
      activeAlarmArns: this.activeAlarmArns,
      planArn: this.planArn,
      executionRoleArn: this.executionRoleArn,
      approvalRoleArn: this.approvalRoleArn,
    });
  }
}
