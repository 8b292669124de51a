/**
 * Mocks for the recovery resources (ARC zonal autoshift, ARC Region switch, AWS FIS), kept apart
 * from testing/mocks.ts, which spreads them into its factory table. They refuse what the AWS APIs
 * refuse and prove wiring: an autoshift names a load balancer with zonal shift on, and every alarm
 * named is one the program created.
 *
 * Only types come from ./mocks, so that loading either module first works.
 */
import { createHash } from "crypto";
import type { FactoryContext, RecordedResource } from "./mocks";
import { nlbZonalShiftProblem, practiceRunProblems } from "../components/recovery/zonalShiftRules";
import { planProblems } from "../components/recovery/regionSwitchRules";
import { experimentProblems } from "../components/recovery/faultInjectionRules";

type Computed = { id: string; state: Record<string, any> };

export function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The account the mocks pretend to be (testing/mocks.ts MOCK_ACCOUNT_ID; repeated to keep this
 * module free of runtime imports from ./mocks). */
const MOCK_ACCOUNT = "123456789012";

function reject(api: string, message: string): never {
  throw new Error(`mocks: ${api}: ValidationException: ${message}`);
}

const LOAD_BALANCER_TYPES = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
];
const TARGET_GROUP_TYPES = ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"];

/** The recorded resource of one of `types` whose `arn` output is `arn`. */
export function recordedByArn(
  ctx: FactoryContext,
  types: readonly string[],
  arn: unknown,
): RecordedResource | undefined {
  return ctx.mocks.resources.find((r) => types.includes(r.type) && r.state.arn === arn);
}

/** ELB refuses zonal shift on a Gateway Load Balancer (only ALB and NLB support it). */
export function loadBalancerZonalShiftCheck(inputs: Record<string, any>): void {
  if (inputs.enableZonalShift === true && inputs.loadBalancerType === "gateway") {
    reject(
      "ModifyLoadBalancerAttributes",
      "zonal_shift.config.enabled is not supported for gateway load balancers",
    );
  }
}

/**
 * ELB refuses to attach a target group to a cross-zone NLB with zonal shift on unless the group
 * meets the zonal shift prerequisites (see nlbZonalShiftProblem).
 */
export function listenerZonalShiftCheck(ctx: FactoryContext): void {
  const lb = recordedByArn(ctx, LOAD_BALANCER_TYPES, ctx.inputs.loadBalancerArn);
  if (!lb || lb.state.loadBalancerType !== "network" || lb.state.enableZonalShift !== true) return;
  if (lb.state.enableCrossZoneLoadBalancing !== true) return;
  for (const action of ctx.inputs.defaultActions ?? []) {
    const tg = recordedByArn(ctx, TARGET_GROUP_TYPES, action.targetGroupArn);
    const problem = tg && nlbZonalShiftProblem(tg.inputs);
    if (problem) {
      reject(
        "CreateListener",
        `target group ${tg.name} on NLB ${lb.name} (zonal shift on, cross-zone on): ${problem}`,
      );
    }
  }
}

const zonalAutoshiftConfiguration = (ctx: FactoryContext): Computed => {
  const api = "CreatePracticeRunConfiguration";
  const i = ctx.inputs;
  if (i.zonalAutoshiftStatus !== "ENABLED" && i.zonalAutoshiftStatus !== "DISABLED") {
    reject(
      "UpdateZonalAutoshiftConfiguration",
      `zonalAutoshiftStatus must be ENABLED or DISABLED; got ${i.zonalAutoshiftStatus}`,
    );
  }
  const lb = recordedByArn(ctx, LOAD_BALANCER_TYPES, i.resourceArn);
  if (!lb) reject(api, `resource ${i.resourceArn} is not a load balancer of this program`);
  if (lb.state.enableZonalShift !== true) {
    reject(api, `load balancer ${lb.name} has zonal shift off; set enableZonalShift: true first`);
  }
  if (!String(i.resourceArn).startsWith(`arn:aws:elasticloadbalancing:${ctx.region}:`)) {
    reject(api, `resource ${i.resourceArn} is not in ${ctx.region}`);
  }
  const outcome: any[] = i.outcomeAlarms ?? [];
  const blocking: any[] = i.blockingAlarms ?? [];
  // A practice run configuration is required when autoshift is enabled.
  if (i.zonalAutoshiftStatus === "ENABLED" && outcome.length === 0) {
    reject(api, "zonal autoshift ENABLED needs a practice run configuration with outcome alarms");
  }
  for (const a of [...outcome, ...blocking]) {
    if (a.type !== "CLOUDWATCH")
      reject(api, `control condition type must be CLOUDWATCH; got ${a.type}`);
    const alarm = recordedByArn(ctx, ["aws:cloudwatch/metricAlarm:MetricAlarm"], a.alarmIdentifier);
    if (!alarm) reject(api, `alarm ${a.alarmIdentifier} is not an alarm of this program`);
  }
  if (outcome.length > 0) {
    const problems = practiceRunProblems({
      outcomeAlarmArns: outcome.map((a) => a.alarmIdentifier),
      blockingAlarmArns: blocking.map((a) => a.alarmIdentifier),
      allowedWindows: i.allowedWindows,
      blockedWindows: i.blockedWindows,
      blockedDates: i.blockedDates,
    });
    if (problems.length > 0) reject(api, problems.join("; "));
  }
  return { id: String(i.resourceArn), state: { ...i, region: ctx.region } };
};

/** True when the recorded IAM role `arn` trusts `service` to assume it. */
function roleTrusts(ctx: FactoryContext, arn: unknown, service: string): boolean {
  const role = recordedByArn(ctx, ["aws:iam/role:Role"], arn);
  if (!role) return false;
  const doc = JSON.parse(String(role.inputs.assumeRolePolicy));
  return (doc.Statement ?? []).some(
    (st: any) =>
      st.Effect === "Allow" &&
      st.Action === "sts:AssumeRole" &&
      [st.Principal?.Service].flat().includes(service),
  );
}

const regionSwitchPlan = (ctx: FactoryContext): Computed => {
  const api = "CreatePlan";
  const problems = planProblems(ctx.inputs);
  if (problems.length > 0) reject(api, problems.join("; "));
  // The plan is evaluated with its execution role right away; a role ARC can't assume is an
  // evaluation failure and every execution block that needs it fails.
  if (!roleTrusts(ctx, ctx.inputs.executionRole, "arc-region-switch.amazonaws.com")) {
    reject(
      api,
      `executionRole ${ctx.inputs.executionRole} is not a role of this program that trusts arc-region-switch.amazonaws.com`,
    );
  }
  const approvalRoles = (steps: any[]): string[] =>
    steps.flatMap((st) => [
      ...(st.executionApprovalConfigs ?? []).map((c: any) => c.approvalRole),
      ...(st.parallelConfigs ?? []).flatMap((p: any) => approvalRoles(p.steps ?? [])),
    ]);
  for (const w of ctx.inputs.workflows ?? []) {
    for (const arn of approvalRoles(w.steps ?? [])) {
      if (!recordedByArn(ctx, ["aws:iam/role:Role"], arn)) {
        reject(api, `approvalRole ${arn} is not a role of this program`);
      }
    }
  }
  const name = String(ctx.inputs.name);
  const account = String(ctx.inputs.executionRole).split(":")[4];
  const arn = `arn:aws:arc-region-switch::${account}:plan/${name}:${hex(ctx.seed, 6)}`;
  return { id: arn, state: { ...ctx.inputs, arn, owner: account } };
};

const experimentTemplate = (ctx: FactoryContext): Computed => {
  const api = "CreateExperimentTemplate";
  const problems = experimentProblems(ctx.inputs);
  if (problems.length > 0) reject(api, problems.join("; "));
  if (!roleTrusts(ctx, ctx.inputs.roleArn, "fis.amazonaws.com")) {
    reject(
      api,
      `roleArn ${ctx.inputs.roleArn} is not a role of this program that trusts fis.amazonaws.com`,
    );
  }
  for (const s of ctx.inputs.stopConditions ?? []) {
    if (
      s.source === "aws:cloudwatch:alarm" &&
      !recordedByArn(ctx, ["aws:cloudwatch/metricAlarm:MetricAlarm"], s.value)
    ) {
      reject(api, `stop condition alarm ${s.value} is not an alarm of this program`);
    }
  }
  // Wiring: a subnet target chosen by tags and AZ must match subnets this program created, or
  // the experiment would start with nothing to disrupt.
  for (const t of ctx.inputs.targets ?? []) {
    if (t.resourceType !== "aws:ec2:subnet" || !t.resourceTags) continue;
    const az = (t.filters ?? []).find((f: any) => f.path === "AvailabilityZone")?.values ?? [];
    const matches = ctx.mocks.resources.filter(
      (r) =>
        r.type === "aws:ec2/subnet:Subnet" &&
        t.resourceTags.every((tag: any) => r.inputs.tags?.[tag.key] === tag.value) &&
        (az.length === 0 || az.includes(r.inputs.availabilityZone)),
    );
    if (matches.length === 0) reject(api, `target ${t.name} matches no subnet of this program`);
  }
  const id = `EXT${hex(ctx.seed, 13).toUpperCase()}`;
  return {
    id,
    state: {
      ...ctx.inputs,
      arn: `arn:aws:fis:${ctx.region}:${MOCK_ACCOUNT}:experiment-template/${id}`,
    },
  };
};

/**
 * A StackReference reads another stack's exported outputs; the harness puts them in
 * `mocks.stackOutputs` before the program runs. An unknown stack fails as the CLI would.
 */
const stackReference = (ctx: FactoryContext): Computed => {
  const name = String(ctx.inputs.name);
  const outputs = ctx.mocks.stackOutputs[name];
  if (!outputs) {
    throw new Error(
      `mocks: unknown stack ${name} for StackReference; known: ${Object.keys(ctx.mocks.stackOutputs).join(", ")}`,
    );
  }
  return { id: name, state: { name, outputs, secretOutputNames: [] } };
};

/** Factories of the recovery resource types, merged into RESOURCE_FACTORIES. */
export const RECOVERY_FACTORIES: Readonly<Record<string, (ctx: FactoryContext) => Computed>> = {
  "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration":
    zonalAutoshiftConfiguration,
  "aws:arcregionswitch/plan:Plan": regionSwitchPlan,
  "aws:fis/experimentTemplate:ExperimentTemplate": experimentTemplate,
  "pulumi:pulumi:StackReference": stackReference,
};

/**
 * ListRoute53HealthChecks (aws.arcregionswitch.getRoute53HealthChecks): the health checks a plan
 * of this run created, one per record name and plan region of its Route53HealthCheck steps (ARC
 * guide, "Route 53 health check execution block": "a health check ID, for each Region, for each
 * record name within a hosted zone"). Blocks repeated across workflows share their checks, as AWS
 * asks every workflow to give the same values for the same records. A plan this run did not
 * create is unknown, as AWS answers for a wrong ARN.
 */
export function listRoute53HealthChecks(
  inputs: Record<string, any>,
  created: readonly { readonly type: string; readonly state: Readonly<Record<string, any>> }[],
): Record<string, any> {
  const plan = created.find(
    (r) => r.type === "aws:arcregionswitch/plan:Plan" && r.state.arn === inputs.planArn,
  );
  if (!plan) {
    throw new Error(
      `mocks: ListRoute53HealthChecks: ResourceNotFoundException: no plan ${inputs.planArn}`,
    );
  }
  const blocks = (steps: any[]): any[] =>
    steps.flatMap((s) => [
      ...(s.route53HealthCheckConfigs ?? []),
      ...(s.parallelConfigs ?? []).flatMap((p: any) => blocks(p.steps ?? [])),
    ]);
  const seen = new Map<string, Record<string, string>>();
  for (const w of plan.state.workflows ?? []) {
    for (const c of blocks(w.steps ?? [])) {
      for (const region of plan.state.regions as string[]) {
        const key = `${c.hostedZoneId}|${c.recordName}|${region}`;
        const h = hex(`${plan.state.arn}|${key}`, 32);
        seen.set(key, {
          healthCheckId: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`,
          hostedZoneId: c.hostedZoneId,
          recordName: c.recordName,
          region,
          // Active-passive: the primary's checks start healthy, the standby's unhealthy.
          status: region === plan.state.primaryRegion ? "healthy" : "unhealthy",
        });
      }
    }
  }
  return { planArn: inputs.planArn, healthChecks: [...seen.values()] };
}
