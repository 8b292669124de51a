import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { recordArgs } from "../dns/failoverDns";

/** A failover record as a regional stack exports it (resolved values, see DelegatedRecord). */
export interface RegionalRecord {
  readonly key: string;
  readonly fqdn: string;
  readonly type: "A" | "CNAME";
  readonly ttlSeconds?: number;
  readonly setIdentifier: string;
  readonly failover: "PRIMARY" | "SECONDARY";
  readonly target: { readonly dnsName: string; readonly zoneId: string };
  /** The region's own Route 53 health check of the load balancer. */
  readonly healthCheckId: string;
}

/** A health check the plan's Route 53 execution block created (ListRoute53HealthChecks). */
export interface PlanHealthCheck {
  readonly healthCheckId: string;
  readonly recordName: string;
  readonly region: string;
}

/** Route 53 health-check IDs are UUIDs. */
const HEALTH_CHECK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Record names compare without case and without the trailing dot. */
const sameName = (a: string, b: string) =>
  a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();

/**
 * The plan's health check for `fqdn` in `region`. Throws when the plan has none (yet): the
 * record must not be written without it (an ungated PRIMARY record would ignore the plan, so a
 * failover would leave that name in the lost region). The provider waits for the plan's health
 * checks only after CreatePlan, not after UpdatePlan (docs/failover.md, "Deploy order"): on a
 * first `pulumi up` they exist by the time this runs; after adding or renaming a record, ARC may
 * not have allocated the new name's checks yet, and the message says to run `up` again.
 */
export function planHealthCheckFor(
  checks: readonly PlanHealthCheck[],
  fqdn: string,
  region: string,
): string {
  const found = checks.filter((c) => sameName(c.recordName, fqdn) && c.region === region);
  if (found.length !== 1 || !HEALTH_CHECK_ID.test(found[0].healthCheckId)) {
    throw new Error(
      `the Region switch plan has ${found.length === 0 ? "no" : `${found.length}`} Route 53 health check for ${fqdn} in ${region} (it has ${checks.map((c) => `${c.recordName}@${c.region}`).join(", ") || "none"}); the plan's traffic steps must name every failover record, and its health checks must be allocated. If this \`pulumi up\` just added or renamed a record, the plan is updated but ARC had not allocated the new name's checks yet (nothing waits for them after UpdatePlan): wait a few minutes and run \`pulumi up\` on prod-global again; the record stays unwritten until then`,
    );
  }
  return found[0].healthCheckId;
}

/**
 * As {@link planHealthCheckFor}, but during a preview a name the plan has no check for yet is
 * `undefined` (shown as "known after apply"), not an error. In a preview of an update the plan's
 * ARN is already known (the provider keeps it from state), so ListRoute53HealthChecks reads the
 * plan as deployed, without the steps this update adds; only `pulumi up`, which updates the plan
 * first, can tell whether the name is missing.
 */
export function planHealthCheckDuringPreview(
  checks: readonly PlanHealthCheck[],
  fqdn: string,
  region: string,
  dryRun: boolean,
): string | undefined {
  const missing = !checks.some((c) => sameName(c.recordName, fqdn) && c.region === region);
  return dryRun && missing ? undefined : planHealthCheckFor(checks, fqdn, region);
}

/**
 * The plan's health check for `fqdn` in `region`, from an Output of the plan's checks: unknown in
 * a preview that adds the name (see {@link planHealthCheckDuringPreview}).
 */
export function planHealthCheckOutput(
  checks: pulumi.Input<readonly PlanHealthCheck[]>,
  fqdn: string,
  region: string,
): pulumi.Output<string> {
  return pulumi
    .output(checks)
    .apply(
      (c) =>
        planHealthCheckDuringPreview(c, fqdn, region, pulumi.runtime.isDryRun()) ??
        (pulumi.unknown as unknown as string),
    );
}

/** Problems with the two regions' records: one PRIMARY and one SECONDARY per name, in the plan's regions. */
export function regionalRecordProblems(
  records: readonly RegionalRecord[],
  primaryRegion: string,
  regions: readonly string[],
): string[] {
  const problems: string[] = [];
  const byName = new Map<string, RegionalRecord[]>();
  for (const r of records) byName.set(r.fqdn, [...(byName.get(r.fqdn) ?? []), r]);
  for (const [fqdn, recs] of byName) {
    const roles = recs.map((r) => `${r.setIdentifier}:${r.failover}`).sort();
    const expected = regions
      .map((region) => `${region}:${region === primaryRegion ? "PRIMARY" : "SECONDARY"}`)
      .sort();
    if (JSON.stringify(roles) !== JSON.stringify(expected)) {
      problems.push(
        `${fqdn} must have exactly ${expected.join(" and ")} records; got ${roles.join(", ") || "none"}`,
      );
    }
  }
  return problems;
}

/** Arguments of {@link RegionSwitchRecords}. */
export interface RegionSwitchRecordsArgs {
  /** The public hosted zone the records live in. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** The plan's primary region: its records are gated on the plan. */
  readonly primaryRegion: string;
  /** Both regions' failover records, as the regional stacks export them. */
  readonly records: readonly RegionalRecord[];
  /** The plan's health checks (aws.arcregionswitch.getRoute53HealthChecks). */
  readonly planHealthChecks: pulumi.Input<readonly PlanHealthCheck[]>;
  /** Tags on the calculated health checks. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The failover records of both regions, written where the Region switch plan's health checks
 * exist. Each PRIMARY record's health check is a calculated check that is healthy only when both
 * children are: the region's own endpoint check (`/healthz/deep`: the region can take checkout)
 * and the plan's health check for that name in the primary region (healthy while the plan has
 * the primary active; an execution towards the standby turns it unhealthy). SECONDARY records keep
 * the standby's endpoint check alone: Route 53 answers with them whenever the PRIMARY is
 * unhealthy, so the plan's us-east-1 check already moves them, and gating them on the plan's
 * standby check too would hold browsing on a lost primary until someone ran the plan
 * (docs/failover.md, "How the records use the plan's health checks").
 */
export class RegionSwitchRecords extends pulumi.ComponentResource {
  /** The calculated health check of each PRIMARY record, keyed by record key. */
  public readonly gateHealthCheckIds: Record<string, pulumi.Output<string>>;

  constructor(
    name: string,
    args: RegionSwitchRecordsArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:RegionSwitchRecords", name, {}, opts);
    const tags = args.tags ?? {};
    const regions = [...new Set(args.records.map((r) => r.setIdentifier))].sort();
    const problems = regionalRecordProblems(args.records, args.primaryRegion, regions);
    if (args.records.length === 0) problems.push("records must name at least one record");
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`RegionSwitchRecords ${name}: ${problems.join("; ")}`, this);
    }

    const child = { parent: this };
    this.gateHealthCheckIds = {};
    for (const rec of args.records) {
      let healthCheckId: pulumi.Input<string> = rec.healthCheckId;
      if (rec.failover === "PRIMARY") {
        const gate = new aws.route53.HealthCheck(
          `${name}-${rec.key}-gate`,
          {
            type: "CALCULATED",
            // AND: healthy only when the region can take checkout and the plan has it active.
            childHealthThreshold: 2,
            childHealthchecks: [
              rec.healthCheckId,
              planHealthCheckOutput(args.planHealthChecks, rec.fqdn, rec.setIdentifier),
            ],
            tags: { ...tags, Name: `${name}-${rec.key}-${rec.setIdentifier}` },
          },
          child,
        );
        this.gateHealthCheckIds[rec.key] = gate.id;
        healthCheckId = gate.id;
      }
      new aws.route53.Record(
        `${name}-${rec.key}-${rec.setIdentifier}`,
        {
          ...recordArgs(rec, rec.target, args.hostedZoneId, healthCheckId),
          // UPSERT, not CREATE: adopts the record a regional stack wrote before the records moved
          // here (docs/failover.md, "Moving the records to prod-global"); a plain CREATE fails on
          // an existing record (terraform-provider-aws #7734). Safe: in failover mode only this
          // stack writes these names, one record per region code (regionalRecordProblems).
          allowOverwrite: true,
        },
        child,
      );
    }
    this.registerOutputs({ gateHealthCheckIds: this.gateHealthCheckIds });
  }
}
