/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
 * planProblems checks request payloads of any shape, as the Region switch API receives them (the
 * mocks call it on the engine's resolved inputs), so it reads them untyped on purpose. */
/**
 * Pure rules for an Amazon ARC Region switch plan: what the API accepts (ARC Region switch API
 * reference: CreatePlan, Plan, Workflow, Trigger, AssociatedAlarm, GlobalAuroraConfiguration,
 * Ec2AsgCapacityIncreaseConfiguration, Route53HealthCheckConfiguration) and the least-privilege
 * execution role (ARC developer guide, "Execution block permissions": one sample policy per block).
 */

/** `name`: 1 to 32 characters, letters, digits and inner hyphens. */
export const PLAN_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;
/** Region codes as the API writes them. */
export const REGION_CODE = /^[a-z]{2}-[a-z-]+-\d+$/;
/** IAM role ARNs (execution, approval and cross-account roles). */
export const ROLE_ARN = /^arn:aws[a-zA-Z0-9-]*:iam::[0-9]{12}:role\/.+$/;
/** Aurora cluster ARNs in a GlobalAuroraConfiguration. */
export const CLUSTER_ARN =
  /^arn:aws[a-zA-Z-]*:rds:[a-z0-9-]+:\d{12}:cluster:[A-Za-z][0-9A-Za-z-:._]*$/;
/** `globalClusterIdentifier`: 1 to 255 characters. */
export const GLOBAL_CLUSTER_ID = /^[A-Za-z][0-9A-Za-z-:._]{0,254}$/;
/** Auto Scaling group ARNs. */
export const ASG_ARN =
  /^arn:aws[a-zA-Z-]*:autoscaling:([a-z0-9-]+):\d{12}:autoScalingGroup:[0-9a-f-]+:autoScalingGroupName\/.+$/;
/** CloudWatch alarm ARNs, with the region captured. */
export const ALARM_ARN = /^arn:aws[a-zA-Z-]*:cloudwatch:([a-z0-9-]+):\d{12}:alarm:.+$/;

export const EXECUTION_BLOCK_TYPES = [
  "ARCRegionSwitchPlan",
  "ARCRoutingControl",
  "AuroraGlobalDatabase",
  "CustomActionLambda",
  "DocumentDb",
  "EC2AutoScaling",
  "ECSServiceScaling",
  "EKSResourceScaling",
  "ManualApproval",
  "Parallel",
  "RdsCreateCrossRegionReplica",
  "RdsPromoteReadReplica",
  "Route53HealthCheck",
] as const;

/** The configuration field each block type we use must carry (and the only one it may carry). */
const CONFIG_OF_BLOCK: Readonly<Record<string, string>> = {
  AuroraGlobalDatabase: "globalAuroraConfigs",
  EC2AutoScaling: "ec2AsgCapacityIncreaseConfigs",
  ManualApproval: "executionApprovalConfigs",
  Parallel: "parallelConfigs",
  Route53HealthCheck: "route53HealthCheckConfigs",
  ARCRoutingControl: "arcRoutingControlConfigs",
  CustomActionLambda: "customActionLambdaConfigs",
};
const CONFIG_FIELDS = [
  ...Object.values(CONFIG_OF_BLOCK),
  "auroraProvisionedScalingConfigs",
  "auroraServerlessScalingConfigs",
  "documentDbConfigs",
  "ecsCapacityIncreaseConfigs",
  "eksResourceScalingConfigs",
  "lambdaEventSourceMappingConfigs",
  "neptuneGlobalDatabaseConfigs",
  "rdsCreateCrossRegionReadReplicaConfigs",
  "rdsPromoteReadReplicaConfigs",
  "regionSwitchPlanConfigs",
];

/** A plan's inputs as plain values, in the shape of `aws.arcregionswitch.PlanArgs`. */
export type PlanInputs = Record<string, any>;

const timeoutProblem = (where: string, t: unknown): string | undefined =>
  t === undefined || (Number.isInteger(t) && (t as number) >= 1)
    ? undefined
    : `${where}.timeoutMinutes must be a whole number of minutes, 1 or more; got ${JSON.stringify(t)}`;

function stepProblems(step: any, where: string, regions: readonly string[]): string[] {
  const problems: string[] = [];
  const type = step.executionBlockType;
  if (typeof step.name !== "string" || step.name.length === 0) {
    problems.push(`${where}.name is required`);
  }
  if (!(EXECUTION_BLOCK_TYPES as readonly string[]).includes(type)) {
    problems.push(
      `${where}.executionBlockType must be one of ${EXECUTION_BLOCK_TYPES.join(", ")}; got ${type}`,
    );
    return problems;
  }
  const field = CONFIG_OF_BLOCK[type];
  const present = CONFIG_FIELDS.filter((f) => Array.isArray(step[f]) && step[f].length > 0);
  if (field && (present.length !== 1 || present[0] !== field || step[field].length !== 1)) {
    problems.push(
      `${where} (${type}) must carry exactly one ${field} entry and no other configuration; got ${present.join(", ") || "none"}`,
    );
    return problems;
  }
  const c = field ? step[field][0] : undefined;
  const t = timeoutProblem(where, c?.timeoutMinutes);
  if (t) problems.push(t);
  switch (type) {
    case "AuroraGlobalDatabase": {
      if (!["switchoverOnly", "failover"].includes(c.behavior)) {
        problems.push(`${where}.behavior must be switchoverOnly or failover; got ${c.behavior}`);
      }
      for (const u of c.ungracefuls ?? []) {
        if (u.ungraceful !== "failover")
          problems.push(`${where}.ungraceful must be failover; got ${u.ungraceful}`);
      }
      if (!GLOBAL_CLUSTER_ID.test(String(c.globalClusterIdentifier))) {
        problems.push(
          `${where}.globalClusterIdentifier is not a global cluster identifier; got ${c.globalClusterIdentifier}`,
        );
      }
      const arns: string[] = c.databaseClusterArns ?? [];
      for (const arn of arns) {
        if (!CLUSTER_ARN.test(arn))
          problems.push(`${where}.databaseClusterArns has a non-cluster ARN ${arn}`);
      }
      const clusterRegions = arns.map((a) => a.split(":")[3]).sort();
      if (JSON.stringify(clusterRegions) !== JSON.stringify([...regions].sort())) {
        problems.push(
          `${where}.databaseClusterArns must name one cluster in each plan region (${regions.join(", ")}); got regions ${clusterRegions.join(", ")}`,
        );
      }
      break;
    }
    case "EC2AutoScaling": {
      const asgs: any[] = c.asgs ?? [];
      const asgRegions = asgs.map((a) => ASG_ARN.exec(String(a.arn))?.[1]);
      if (
        asgs.length !== 2 ||
        JSON.stringify([...asgRegions].sort()) !== JSON.stringify([...regions].sort())
      ) {
        problems.push(
          `${where}.asgs must be exactly 2 Auto Scaling group ARNs, one per plan region (${regions.join(", ")}); got ${asgs.map((a) => a.arn).join(", ")}`,
        );
      }
      if (
        !["sampledMaxInLast24Hours", "autoscalingMaxInLast24Hours"].includes(
          c.capacityMonitoringApproach,
        )
      ) {
        problems.push(
          `${where}.capacityMonitoringApproach must be sampledMaxInLast24Hours or autoscalingMaxInLast24Hours; got ${c.capacityMonitoringApproach}`,
        );
      }
      if (
        c.targetPercent !== undefined &&
        !(Number.isInteger(c.targetPercent) && c.targetPercent >= 1)
      ) {
        problems.push(
          `${where}.targetPercent must be a whole percentage, 1 or more; got ${c.targetPercent}`,
        );
      }
      break;
    }
    case "ManualApproval":
      if (!ROLE_ARN.test(String(c.approvalRole))) {
        problems.push(`${where}.approvalRole must be an IAM role ARN; got ${c.approvalRole}`);
      }
      break;
    case "Route53HealthCheck": {
      const zone = String(c.hostedZoneId ?? "");
      if (zone.length < 1 || zone.length > 32)
        problems.push(`${where}.hostedZoneId must have 1 to 32 characters; got "${zone}"`);
      const name = String(c.recordName ?? "");
      if (name.length < 1 || name.length > 1024)
        problems.push(`${where}.recordName must have 1 to 1024 characters`);
      for (const rs of c.recordSets ?? []) {
        if (!regions.includes(rs.region))
          problems.push(`${where}.recordSets region ${rs.region} is not a plan region`);
      }
      break;
    }
    case "Parallel": {
      const inner: any[] = c.steps ?? [];
      if (inner.length === 0) problems.push(`${where} (Parallel) needs steps`);
      inner.forEach((s, i) => problems.push(...stepProblems(s, `${where}.steps[${i}]`, regions)));
      break;
    }
  }
  return problems;
}

/** Problems the Region switch API would reject the plan for. Unknown values must be resolved. */
export function planProblems(plan: PlanInputs): string[] {
  const problems: string[] = [];
  if (!PLAN_NAME.test(String(plan.name))) {
    problems.push(`name must be 1 to 32 letters, digits or inner hyphens; got "${plan.name}"`);
  }
  if (!ROLE_ARN.test(String(plan.executionRole)))
    problems.push(`executionRole must be an IAM role ARN; got ${plan.executionRole}`);
  if (!["activeActive", "activePassive"].includes(plan.recoveryApproach)) {
    problems.push(
      `recoveryApproach must be activeActive or activePassive; got ${plan.recoveryApproach}`,
    );
  }
  const regions: string[] = plan.regions ?? [];
  if (
    regions.length !== 2 ||
    new Set(regions).size !== 2 ||
    !regions.every((r) => REGION_CODE.test(r))
  ) {
    problems.push(`regions must be exactly 2 distinct region codes; got ${regions.join(", ")}`);
  }
  if (plan.recoveryApproach === "activePassive" && !regions.includes(plan.primaryRegion)) {
    problems.push(
      `primaryRegion must be one of the plan's regions for activePassive; got ${plan.primaryRegion}`,
    );
  }
  const rto = plan.recoveryTimeObjectiveMinutes;
  if (rto !== undefined && !(Number.isInteger(rto) && rto >= 1)) {
    problems.push(
      `recoveryTimeObjectiveMinutes must be a whole number of minutes, 1 or more; got ${rto}`,
    );
  }
  const workflows: any[] = plan.workflows ?? [];
  if (workflows.length === 0) problems.push("workflows are required");
  const seen = new Set<string>();
  workflows.forEach((w, i) => {
    const where = `workflows[${i}]`;
    if (!["activate", "deactivate"].includes(w.workflowTargetAction)) {
      problems.push(
        `${where}.workflowTargetAction must be activate or deactivate; got ${w.workflowTargetAction}`,
      );
    }
    if (w.workflowTargetRegion !== undefined && !regions.includes(w.workflowTargetRegion)) {
      problems.push(`${where}.workflowTargetRegion ${w.workflowTargetRegion} is not a plan region`);
    }
    const key = `${w.workflowTargetAction}:${w.workflowTargetRegion ?? "*"}`;
    if (seen.has(key)) problems.push(`${where} repeats the ${key} workflow`);
    seen.add(key);
    const steps: any[] = w.steps ?? [];
    if (steps.length === 0) problems.push(`${where} needs steps`);
    const names = new Set<string>();
    const collect = (s: any) => {
      if (names.has(s.name)) problems.push(`${where} has two steps named ${s.name}`);
      names.add(s.name);
      for (const p of s.parallelConfigs ?? []) (p.steps ?? []).forEach(collect);
    };
    steps.forEach(collect);
    steps.forEach((s, j) => problems.push(...stepProblems(s, `${where}.steps[${j}]`, regions)));
  });
  const alarms: any[] = plan.associatedAlarms ?? [];
  const alarmTypes = new Map<string, string>();
  for (const a of alarms) {
    if (!["applicationHealth", "trigger"].includes(a.alarmType)) {
      problems.push(
        `associatedAlarms ${a.mapBlockKey}: alarmType must be applicationHealth or trigger; got ${a.alarmType}`,
      );
    }
    const region = ALARM_ARN.exec(String(a.resourceIdentifier))?.[1];
    if (!region || !regions.includes(region)) {
      problems.push(
        `associatedAlarms ${a.mapBlockKey}: resourceIdentifier must be a CloudWatch alarm ARN in a plan region; got ${a.resourceIdentifier}`,
      );
    }
    if (alarmTypes.has(a.mapBlockKey))
      problems.push(`associatedAlarms has two alarms named ${a.mapBlockKey}`);
    alarmTypes.set(a.mapBlockKey, a.alarmType);
  }
  (plan.triggers ?? []).forEach((t: any, i: number) => {
    const where = `triggers[${i}]`;
    if (!["activate", "deactivate"].includes(t.action))
      problems.push(`${where}.action must be activate or deactivate; got ${t.action}`);
    if (!regions.includes(t.targetRegion))
      problems.push(`${where}.targetRegion ${t.targetRegion} is not a plan region`);
    if (
      !Number.isInteger(t.minDelayMinutesBetweenExecutions) ||
      t.minDelayMinutesBetweenExecutions < 0
    ) {
      problems.push(
        `${where}.minDelayMinutesBetweenExecutions must be a whole number of minutes; got ${t.minDelayMinutesBetweenExecutions}`,
      );
    }
    const conditions: any[] = t.conditions ?? [];
    if (conditions.length < 1 || conditions.length > 10)
      problems.push(`${where}.conditions must have 1 to 10 entries; got ${conditions.length}`);
    for (const c of conditions) {
      if (!["red", "green"].includes(c.condition))
        problems.push(`${where}: condition must be red or green; got ${c.condition}`);
      if (alarmTypes.get(c.associatedAlarmName) !== "trigger") {
        problems.push(
          `${where}: ${c.associatedAlarmName} is not an associated alarm of type trigger`,
        );
      }
    }
  });
  return problems;
}

/** What the execution role acts on, as plain ARNs. */
export interface ExecutionRoleScope {
  readonly accountId: string;
  /** The execution role's own ARN: plan evaluation simulates its policy. */
  readonly roleArn: string;
  readonly globalClusterIdentifier: string;
  readonly clusterArns: readonly string[];
  readonly autoScalingGroupArns: readonly string[];
  readonly hostedZoneId: string;
  /** Alarms the plan's triggers and health view read. */
  readonly alarmArns: readonly string[];
}

/**
 * The execution role's policy: the union of AWS's sample policy for each block the plan uses
 * (Aurora Global Database, EC2 Auto Scaling, Route 53 health check) and the trigger permissions,
 * each scoped to the exact resources. Describe calls that do not support resource-level
 * permissions keep `*`, as the samples do.
 */
export function executionRolePolicy(scope: ExecutionRoleScope): object {
  return {
    Version: "2012-10-17",
    Statement: [
      // ARC guide, "Complete plan execution role permissions": the base every plan needs.
      {
        Sid: "PlanEvaluation",
        Effect: "Allow",
        Action: ["iam:SimulatePrincipalPolicy"],
        Resource: [scope.roleArn],
      },
      {
        Sid: "PlanExecutions",
        Effect: "Allow",
        Action: [
          "arc-region-switch:GetPlan",
          "arc-region-switch:GetPlanExecution",
          "arc-region-switch:ListPlanExecutions",
        ],
        Resource: "*",
      },
      {
        Sid: "AuroraDescribe",
        Effect: "Allow",
        Action: ["rds:DescribeGlobalClusters", "rds:DescribeDBClusters"],
        Resource: "*",
      },
      {
        Sid: "AuroraSwitchoverAndFailover",
        Effect: "Allow",
        Action: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"],
        Resource: [
          `arn:aws:rds::${scope.accountId}:global-cluster:${scope.globalClusterIdentifier}`,
          ...[...scope.clusterArns].sort(),
        ],
      },
      {
        Sid: "AutoScalingDescribe",
        Effect: "Allow",
        Action: ["autoscaling:DescribeAutoScalingGroups"],
        Resource: "*",
      },
      {
        Sid: "AutoScalingRaiseCapacity",
        Effect: "Allow",
        Action: ["autoscaling:UpdateAutoScalingGroup"],
        Resource: [...scope.autoScalingGroupArns].sort(),
      },
      {
        Sid: "AutoScalingCapacityHistory",
        Effect: "Allow",
        Action: ["cloudwatch:GetMetricStatistics"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "AWS/AutoScaling" } },
      },
      {
        Sid: "Route53Records",
        Effect: "Allow",
        Action: ["route53:ListResourceRecordSets"],
        Resource: [`arn:aws:route53:::hostedzone/${scope.hostedZoneId}`],
      },
      {
        Sid: "TriggerAndHealthAlarms",
        Effect: "Allow",
        Action: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
        Resource: [...scope.alarmArns].sort(),
      },
    ],
  };
}

/**
 * What the execution role needs on the plan itself once the plan has triggers. ARC guide, "Plan
 * execution role trust policy": "If your plan has triggers, Region switch assumes the execution
 * role to read the CloudWatch alarms that the triggers use and to start the plan execution"
 * (the alarms are in {@link executionRolePolicy}). Its own statement, attached after the plan
 * exists, because the plan's ARN ends in a suffix AWS chooses at CreatePlan. AWS's pages we found
 * name no other action for triggers (GetPlanInRegion is not mentioned), so none is granted.
 */
export function triggerStartPolicy(planArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TriggersStartThisPlan",
        Effect: "Allow",
        Action: ["arc-region-switch:StartPlanExecution"],
        Resource: planArn,
      },
    ],
  };
}

/**
 * The approvers' policy on this plan only: approve a step, and see the plan and its executions
 * to know what they approve (GetPlan, ListPlanExecutions, GetPlanExecution), and change an
 * execution's mode or pause it (UpdatePlanExecution). Every action takes the `plan` resource
 * type (Service Authorization Reference, "Actions, resources, and condition keys for Amazon ARC
 * Region switch"; AWS's "Region switch plan execution block sample policy" scopes
 * ListPlanExecutions, GetPlanExecution and UpdatePlanExecution to plan ARNs the same way).
 */
export function approverPolicy(planArn: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ApproveThisPlan",
        Effect: "Allow",
        Action: ["arc-region-switch:ApprovePlanExecutionStep"],
        Resource: planArn,
      },
      {
        Sid: "FollowThisPlansExecutions",
        Effect: "Allow",
        Action: [
          "arc-region-switch:GetPlan",
          "arc-region-switch:GetPlanExecution",
          "arc-region-switch:ListPlanExecutions",
          "arc-region-switch:UpdatePlanExecution",
        ],
        Resource: planArn,
      },
    ],
  };
}
