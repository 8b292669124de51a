/**
 * The account-global stack: the ARC Region switch plan that moves SecureCart between its two
 * regions. It needs ARNs from both regions (Auto Scaling groups, Aurora clusters, alarms), so it
 * reads the regional stacks' outputs through StackReference and is deployed after both
 * (docs/failover.md, "Where it lives").
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { RegionSwitchPlan, RegionSwitchRegionArgs } from "../components/recovery/regionSwitchPlan";
import {
  RegionSwitchRecords,
  RegionalRecord,
  regionalRecordProblems,
} from "../components/recovery/regionSwitchRecords";
import { GlobalConfig } from "./globalConfig";

/** The regional outputs the plan is built from (see index.ts). */
interface RegionalFacts {
  readonly stack: string;
  readonly region: string;
  readonly role: string;
  readonly hostedZoneId: string;
  /** Absent with latency routing: the regional stacks write their own records. */
  readonly failoverRecordNames?: string[];
  readonly failoverRecords?: RegionalRecord[];
  readonly autoScalingGroupArns: Record<string, string>;
  readonly dbClusterArn: string;
  readonly dbGlobalClusterIdentifier: string;
  readonly dnsHealthAlarmArns: Record<string, string>;
  readonly appHealthAlarmArns: Record<string, string>;
}

const FACT_NAMES = [
  "region",
  "role",
  "hostedZoneId",
  "autoScalingGroupArns",
  "dbClusterArn",
  "dbGlobalClusterIdentifier",
  "dnsHealthAlarmArns",
  "appHealthAlarmArns",
] as const;

/** Outputs only a stack whose records prod-global writes (failover routing) exports. */
const RECORD_FACT_NAMES = ["failoverRecordNames", "failoverRecords"] as const;

async function readFacts(stack: string): Promise<RegionalFacts> {
  const ref = new pulumi.StackReference(stack);
  const values = await Promise.all(FACT_NAMES.map((n) => ref.getOutputValue(n)));
  const recordValues: unknown[] = await Promise.all(
    RECORD_FACT_NAMES.map((n) => ref.getOutputValue(n)),
  );
  const missing = FACT_NAMES.filter((_, i) => values[i] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `stack ${stack} exports no ${missing.join(", ")}; run \`pulumi up\` on it with this version of index.ts first (a stack with latency routing, such as staging, takes part in no Region switch plan and exports none of them)`,
    );
  }
  return {
    stack,
    ...Object.fromEntries(FACT_NAMES.map((n, i) => [n, values[i]])),
    ...Object.fromEntries(
      RECORD_FACT_NAMES.map((n, i): [string, unknown] => [n, recordValues[i]]).filter(
        ([, v]) => v !== undefined,
      ),
    ),
  } as RegionalFacts;
}

/** Problems with the two regions' facts: one primary, one zone, one global cluster, same names. */
export function regionalFactProblems(facts: readonly RegionalFacts[]): string[] {
  const problems: string[] = [];
  const roles = facts.map((f) => f.role).sort();
  if (JSON.stringify(roles) !== JSON.stringify(["primary", "secondary"])) {
    problems.push(
      `the regional stacks must be one primary and one secondary; got ${facts.map((f) => `${f.stack}=${f.role}`).join(", ")}`,
    );
  }
  const same = (what: string, pick: (f: RegionalFacts) => unknown) => {
    const seen = facts.map((f) => JSON.stringify(pick(f)));
    if (new Set(seen).size > 1) {
      problems.push(
        `the regional stacks disagree on ${what}: ${facts.map((f, i) => `${f.stack}=${seen[i]}`).join(", ")}`,
      );
    }
  };
  same("the hosted zone", (f) => f.hostedZoneId);
  same("the failover record names", (f) => f.failoverRecordNames);
  same("the Aurora global cluster", (f) => f.dbGlobalClusterIdentifier);
  same("the services", (f) => Object.keys(f.autoScalingGroupArns).sort());
  const writers = facts.filter((f) => f.failoverRecords !== undefined);
  if (writers.length !== 0 && writers.length !== facts.length) {
    problems.push(
      `the regional stacks disagree on routing: ${facts.map((f) => `${f.stack}=${f.failoverRecords ? "failover (records written by this stack)" : "latency (records written by the regional stack)"}`).join(", ")}`,
    );
  }
  const primary = facts.find((f) => f.role === "primary");
  if (primary && writers.length === facts.length) {
    problems.push(
      ...regionalRecordProblems(
        facts.flatMap((f) => f.failoverRecords ?? []),
        primary.region,
        facts.map((f) => f.region),
      ),
    );
  }
  return problems;
}

/** What the global stack exports. */
export interface GlobalOutputs {
  readonly planArn: pulumi.Output<string>;
  readonly planExecutionRoleArn: pulumi.Output<string>;
  readonly planApprovalRoleArn: pulumi.Output<string>;
  readonly primaryRegion: string;
  readonly regions: string[];
  readonly recoveryTimeObjectiveMinutes: number;
  /** The calculated health check of each PRIMARY record: endpoint health AND the plan's check. */
  readonly recordGateHealthCheckIds: Record<string, pulumi.Output<string>>;
}

/** Declares the global stack. */
export async function createGlobalStack(cfg: GlobalConfig): Promise<GlobalOutputs> {
  const facts = await Promise.all(cfg.regionalStacks.map(readFacts));
  const problems = regionalFactProblems(facts);
  if (problems.length > 0)
    throw new Error(`prod-global cannot build the plan: ${problems.join("; ")}`);
  const primary = facts.find((f) => f.role === "primary") as RegionalFacts;
  const rs = cfg.regionSwitch;

  const regions: Record<string, RegionSwitchRegionArgs> = Object.fromEntries(
    facts.map((f) => [
      f.region,
      {
        autoScalingGroupArns: f.autoScalingGroupArns,
        clusterArn: f.dbClusterArn,
        // The web ALB's Route 53 health check (of securecart:dns.healthCheck.service): red means
        // shoppers cannot be served from the region.
        triggerAlarmArns: { "web-dns-health": f.dnsHealthAlarmArns.web },
        healthAlarmArns: f.appHealthAlarmArns,
      },
    ]),
  );
  const plan = new RegionSwitchPlan("switch", {
    planName: rs.planName,
    primaryRegion: primary.region,
    regions,
    accountId: aws.getCallerIdentityOutput().accountId,
    globalClusterIdentifier: primary.dbGlobalClusterIdentifier,
    hostedZoneId: primary.hostedZoneId,
    recordNames: primary.failoverRecordNames ?? [],
    recoveryTimeObjectiveMinutes: rs.recoveryTimeObjectiveMinutes,
    approvalTimeoutMinutes: rs.approvalTimeoutMinutes,
    auroraTimeoutMinutes: rs.auroraTimeoutMinutes,
    scaling: { targetPercent: rs.scalingTargetPercent, timeoutMinutes: rs.scalingTimeoutMinutes },
    trafficTimeoutMinutes: rs.trafficTimeoutMinutes,
    automaticFailover: rs.automaticFailover,
    tags: { Project: "securecart", Stack: cfg.stack },
  });
  // The plan's health checks exist once the plan does; the records use them (docs/failover.md,
  // "How the records use the plan's health checks").
  // With latency routing the regional stacks write their own records and the plan has no
  // traffic steps.
  const records = facts.every((f) => f.failoverRecords !== undefined)
    ? new RegionSwitchRecords("records", {
        hostedZoneId: primary.hostedZoneId,
        primaryRegion: primary.region,
        records: facts.flatMap((f) => f.failoverRecords ?? []),
        planHealthChecks: plan.route53HealthChecks,
        tags: { Project: "securecart", Stack: cfg.stack },
      })
    : undefined;
  return {
    recordGateHealthCheckIds: records?.gateHealthCheckIds ?? {},
    planArn: plan.planArn,
    planExecutionRoleArn: plan.executionRoleArn,
    planApprovalRoleArn: plan.approvalRoleArn,
    primaryRegion: primary.region,
    regions: facts.map((f) => f.region),
    recoveryTimeObjectiveMinutes: rs.recoveryTimeObjectiveMinutes,
  };
}
