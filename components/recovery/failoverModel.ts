/**
 * A pure failover model: from the stacks' real settings, the timeline of each failure scenario,
 * its recovery times (RTO) for browsing and for checkout writes, its data loss (RPO), the
 * standby's capacity shortfall while it scales, and whether an invariant breaks.
 *
 * Times are seconds from the failure (or from the operator's start, for planned moves). Figures
 * AWS does not publish are assumptions, named as such in `FailoverSettings`, so a drill can
 * replace them with measured values. docs/failover.md explains each step.
 */

/** Everything the model reads. Build it with `failoverSettings` (components/recovery). */
export interface FailoverSettings {
  /** Route 53 health check of each region's storefront. */
  readonly route53: { readonly intervalSeconds: number; readonly failureThreshold: number };
  /** Longest TTL of a failover record (ELB alias: a fixed 60 s). */
  readonly dnsTtlSeconds: number;
  /** The trigger alarm on the primary's health check: period and evaluation periods. */
  readonly triggerAlarm: { readonly periodSeconds: number; readonly evaluationPeriods: number };
  /** Whether the Region switch plan starts itself when the trigger alarm is red. */
  readonly automaticFailover: boolean;
  /** Plan step timeouts (seconds). */
  readonly planTimeouts: {
    readonly approvalSeconds: number;
    readonly auroraSeconds: number;
    readonly scalingSeconds: number;
    readonly trafficSeconds: number;
  };
  /** The plan's stated recovery time objective. */
  readonly planRtoSeconds: number;
  /** People, assumed: to start the plan after a page, and to approve a waiting step. */
  readonly human: { readonly startSeconds: number; readonly approveSeconds: number };
  /** Aurora, as AWS documents it (see failoverSettings for the sources). */
  readonly aurora: {
    readonly globalFailoverSeconds: number;
    readonly switchoverSeconds: number;
    readonly inRegionFailoverSeconds: number;
    readonly replicationLagSeconds: number;
  };
  /** Instances: launch to InService, warm-up, and ALB health-check detection. */
  readonly fleet: {
    readonly bootSeconds: number;
    readonly warmupSeconds: number;
    readonly targetHealthySeconds: number;
    readonly targetUnhealthySeconds: number;
  };
  /** Checkout capacity (instances) at 18:05: the primary's peak and the standby's. */
  readonly capacity: { readonly primaryPeak: number; readonly standbyAtPeak: number };
  /** Health semantics of the records (healthSemantics.ts). */
  readonly health: {
    /** The primary's records are healthy only while its region holds the Aurora writer. */
    readonly primaryRequiresWriter: boolean;
    /** The secondary's records need only reads (so browsing fails over without the writer). */
    readonly secondaryRequiresWriter: boolean;
    /**
     * How long the writer check tolerates an unreachable writer (an in-region Aurora failover)
     * before failing. A cluster that Aurora made a secondary fails the check at once.
     */
    readonly writerGraceSeconds: number;
  };
  /** Availability Zones per region, and whether zonal autoshift is on for the load balancers. */
  readonly zones: { readonly count: number; readonly autoshift: boolean };
}

/** One moment on a scenario's timeline. */
export interface TimelineEvent {
  readonly atSeconds: number;
  readonly what: string;
}

/** A span during which something is impaired, for the SVG. */
export interface Impairment {
  readonly lane: "browsing" | "checkout" | "capacity";
  readonly fromSeconds: number;
  readonly toSeconds: number;
  /** Share of requests or capacity affected, 0 to 1. */
  readonly share: number;
}

/** What the model reports for one scenario. */
export interface ScenarioResult {
  readonly key: string;
  readonly title: string;
  readonly browsingRtoSeconds: number;
  readonly checkoutRtoSeconds: number;
  readonly rpoSeconds: number;
  /** Largest share of checkout capacity missing while the standby scales, and for how long. */
  readonly capacityShortfall: { readonly share: number; readonly seconds: number };
  /** Seconds shoppers are sent to a region without a writer while no plan is running. */
  readonly strandedOutsidePlanSeconds: number;
  /** Seconds shoppers are sent to a region without a writer at all. */
  readonly noWriterSeconds: number;
  /** Whether DNS moves back to a region whose database is a secondary, or back and forth. */
  readonly flaps: boolean;
  /** Planned moves: whether DNS moves only after the writer moved. True for unplanned ones. */
  readonly dnsAfterWriter: boolean;
  /** Steps only a person can take. */
  readonly humanSteps: readonly string[];
  readonly events: readonly TimelineEvent[];
  readonly impairments: readonly Impairment[];
}

const detection = (s: FailoverSettings) => s.route53.intervalSeconds * s.route53.failureThreshold;

function shortfall(s: FailoverSettings, from: number, scaleStart: number) {
  const share = Math.max(0, 1 - s.capacity.standbyAtPeak / s.capacity.primaryPeak);
  const ready =
    scaleStart + s.fleet.bootSeconds + s.fleet.warmupSeconds + s.fleet.targetHealthySeconds;
  return { share, from, ready, seconds: share > 0 ? Math.max(0, ready - from) : 0 };
}

/** The primary region is lost at the evening peak (18:05); nothing in it answers. */
export function regionLoss(s: FailoverSettings): ScenarioResult {
  const detect = detection(s);
  const dnsMoved = detect + s.dnsTtlSeconds;
  // Both records unhealthy (the secondary waits for the writer too): Route 53 keeps answering
  // with the primary, so browsing waits for the writer.
  const alarm = detect + s.triggerAlarm.periodSeconds * s.triggerAlarm.evaluationPeriods;
  const planStart = s.automaticFailover ? alarm : alarm + s.human.startSeconds;
  const approved = planStart + s.human.approveSeconds;
  const writer = approved + s.aurora.globalFailoverSeconds;
  const secondaryHealthy = s.health.secondaryRequiresWriter
    ? writer + detect + s.dnsTtlSeconds
    : dnsMoved;
  const browsing = secondaryHealthy;
  const checkout = Math.max(writer, browsing);
  const cap = shortfall(s, browsing, approved);
  const humanSteps = [
    ...(s.automaticFailover ? [] : ["start the plan"]),
    "approve the data-loss step",
  ];
  return {
    key: "region-loss",
    title: "Region loss at 18:05 (peak)",
    browsingRtoSeconds: browsing,
    checkoutRtoSeconds: checkout,
    rpoSeconds: s.aurora.replicationLagSeconds,
    capacityShortfall: { share: cap.share, seconds: cap.seconds },
    strandedOutsidePlanSeconds: Math.max(0, Math.min(planStart, writer) - browsing),
    noWriterSeconds: Math.max(0, writer - browsing),
    // After the failover Aurora rejoins the old primary as a secondary; if its records only
    // need reads, Route 53 sends shoppers back to it once it answers.
    flaps: !s.health.primaryRequiresWriter,
    dnsAfterWriter: true,
    humanSteps,
    events: [
      { atSeconds: 0, what: "us-east-1 lost" },
      { atSeconds: detect, what: "Route 53 marks the primary unhealthy" },
      { atSeconds: alarm, what: "trigger alarm red" },
      {
        atSeconds: planStart,
        what: s.automaticFailover ? "plan starts itself" : "on-call starts the plan",
      },
      { atSeconds: approved, what: "data loss approved" },
      { atSeconds: browsing, what: "browsing served by us-west-2" },
      { atSeconds: writer, what: "Aurora writer in us-west-2" },
      { atSeconds: cap.ready, what: "us-west-2 at peak capacity" },
    ],
    impairments: [
      { lane: "browsing", fromSeconds: 0, toSeconds: browsing, share: 1 },
      { lane: "checkout", fromSeconds: 0, toSeconds: checkout, share: 1 },
      {
        lane: "capacity",
        fromSeconds: browsing,
        toSeconds: browsing + cap.seconds,
        share: cap.share,
      },
    ],
  };
}

/** One of the primary region's Availability Zones loses power or connectivity. */
export function azLoss(s: FailoverSettings): ScenarioResult {
  const share = 1 / s.zones.count;
  // The ALB keeps sending new requests to the AZ's targets until they fail their health checks;
  // zonal autoshift (when AWS detects the impairment) then also moves the load balancer nodes.
  const errors = s.fleet.targetUnhealthySeconds;
  const writerLost = s.aurora.inRegionFailoverSeconds;
  const replaced = s.fleet.bootSeconds + s.fleet.warmupSeconds + s.fleet.targetHealthySeconds;
  return {
    key: "az-loss",
    title: "Loss of one AZ in us-east-1",
    browsingRtoSeconds: errors,
    // Worst case: the writer was in the lost AZ, and Aurora fails over within the region.
    checkoutRtoSeconds: Math.max(errors, writerLost),
    rpoSeconds: 0,
    capacityShortfall: { share, seconds: replaced },
    strandedOutsidePlanSeconds: 0,
    noWriterSeconds: 0,
    // The writer check tolerates an in-region failover, so Route 53 keeps the region.
    flaps:
      s.health.primaryRequiresWriter && s.health.writerGraceSeconds < writerLost - detection(s),
    dnsAfterWriter: true,
    humanSteps: [],
    events: [
      { atSeconds: 0, what: "us-east-1a lost" },
      { atSeconds: errors, what: "targets in the AZ unhealthy" },
      { atSeconds: writerLost, what: "Aurora writer in another AZ" },
      { atSeconds: replaced, what: "replacement instances in service" },
    ],
    impairments: [
      { lane: "browsing", fromSeconds: 0, toSeconds: errors, share },
      { lane: "checkout", fromSeconds: 0, toSeconds: Math.max(errors, writerLost), share: 1 },
      { lane: "capacity", fromSeconds: 0, toSeconds: replaced, share },
    ],
  };
}

/** The Aurora writer instance fails; Aurora promotes a reader in the same region. */
export function writerFailure(s: FailoverSettings): ScenarioResult {
  const failover = s.aurora.inRegionFailoverSeconds;
  // The writer check fails only after its grace; Route 53 then needs `detection` seconds more.
  const unhealthyFor = s.health.primaryRequiresWriter
    ? Math.max(0, failover - s.health.writerGraceSeconds)
    : 0;
  const flips = unhealthyFor > detection(s);
  return {
    key: "writer-failure",
    title: "Aurora writer failure in us-east-1",
    browsingRtoSeconds: 0,
    checkoutRtoSeconds: failover,
    rpoSeconds: 0,
    capacityShortfall: { share: 0, seconds: 0 },
    strandedOutsidePlanSeconds: flips ? unhealthyFor - detection(s) + s.dnsTtlSeconds : 0,
    noWriterSeconds: flips ? unhealthyFor - detection(s) + s.dnsTtlSeconds : 0,
    flaps: flips,
    dnsAfterWriter: true,
    humanSteps: [],
    events: [
      { atSeconds: 0, what: "writer instance fails" },
      { atSeconds: failover, what: "reader promoted in us-east-1" },
    ],
    impairments: [{ lane: "checkout", fromSeconds: 0, toSeconds: failover, share: 1 }],
  };
}

/** A deploy breaks the storefront in us-east-1; its database is healthy. */
export function badDeploy(s: FailoverSettings): ScenarioResult {
  const detect = detection(s);
  const browsing = detect + s.dnsTtlSeconds;
  const alarm = detect + s.triggerAlarm.periodSeconds * s.triggerAlarm.evaluationPeriods;
  const planStart = s.automaticFailover ? alarm : alarm + s.human.startSeconds;
  const approved = planStart + s.human.approveSeconds;
  // The database is healthy, so the approver runs the plan gracefully: a switchover, no loss.
  const writer = approved + s.aurora.switchoverSeconds;
  const cap = shortfall(s, browsing, approved);
  return {
    key: "bad-deploy",
    title: "Bad deploy in us-east-1",
    browsingRtoSeconds: browsing,
    checkoutRtoSeconds: Math.max(writer, browsing),
    rpoSeconds: 0,
    capacityShortfall: { share: cap.share, seconds: cap.seconds },
    strandedOutsidePlanSeconds: Math.max(0, planStart - browsing),
    noWriterSeconds: Math.max(0, writer - browsing),
    flaps: !s.health.primaryRequiresWriter,
    // Not a planned move: the broken region leaves DNS by itself, before any plan runs.
    dnsAfterWriter: true,
    humanSteps: [...(s.automaticFailover ? [] : ["start the plan"]), "approve (graceful run)"],
    events: [
      { atSeconds: 0, what: "bad deploy live" },
      { atSeconds: detect, what: "deep health check fails" },
      { atSeconds: browsing, what: "browsing served by us-west-2" },
      { atSeconds: planStart, what: "plan starts" },
      { atSeconds: writer, what: "Aurora switched over to us-west-2" },
    ],
    impairments: [
      { lane: "browsing", fromSeconds: 0, toSeconds: browsing, share: 1 },
      { lane: "checkout", fromSeconds: 0, toSeconds: Math.max(writer, browsing), share: 1 },
      {
        lane: "capacity",
        fromSeconds: browsing,
        toSeconds: browsing + cap.seconds,
        share: cap.share,
      },
    ],
  };
}

function plannedMove(
  s: FailoverSettings,
  key: string,
  title: string,
  from: string,
  to: string,
): ScenarioResult {
  const approved = s.human.approveSeconds;
  const demoted = approved + s.aurora.switchoverSeconds;
  // The old region's writer check fails as soon as Aurora has made its cluster a secondary; only
  // then does Route 53 move the records, so DNS follows the writer.
  const checkFails = s.health.primaryRequiresWriter ? demoted : Infinity;
  const dnsMoved = checkFails + detection(s) + s.dnsTtlSeconds;
  const cap = shortfall(s, Infinity, approved);
  return {
    key,
    title,
    browsingRtoSeconds: 0,
    // Writes stop when the switchover starts and resume for shoppers once DNS sends them to the
    // new writer.
    checkoutRtoSeconds: dnsMoved - approved,
    rpoSeconds: 0,
    capacityShortfall: { share: 0, seconds: 0 },
    strandedOutsidePlanSeconds: 0,
    noWriterSeconds: dnsMoved - demoted,
    flaps: !s.health.primaryRequiresWriter,
    dnsAfterWriter: dnsMoved >= demoted,
    humanSteps: ["start the plan (graceful)", "approve"],
    events: [
      { atSeconds: 0, what: `plan started towards ${to}` },
      { atSeconds: approved, what: "approved" },
      { atSeconds: Math.min(cap.ready, 1e9), what: `${to} fleets at ${from}'s peak` },
      { atSeconds: demoted, what: `writer in ${to}, ${from} read-only` },
      { atSeconds: dnsMoved, what: `DNS answers ${to}` },
    ],
    impairments: [{ lane: "checkout", fromSeconds: approved, toSeconds: dnsMoved, share: 1 }],
  };
}

/** A planned move of the writer and the traffic from us-east-1 to us-west-2. */
export const plannedSwitchover = (s: FailoverSettings) =>
  plannedMove(s, "switchover", "Planned switchover to us-west-2", "us-east-1", "us-west-2");

/** Back to us-east-1 after a failover or switchover: the same plan, the other workflow. */
export const failback = (s: FailoverSettings) =>
  plannedMove(s, "failback", "Failback to us-east-1", "us-west-2", "us-east-1");

/** Every scenario, in the drill's order. */
export const SCENARIOS = [
  regionLoss,
  azLoss,
  writerFailure,
  badDeploy,
  plannedSwitchover,
  failback,
];

/** Every scenario's result. */
export function simulate(s: FailoverSettings): ScenarioResult[] {
  return SCENARIOS.map((scenario) => scenario(s));
}

/** Issue 13's targets, and which result misses which. */
export function targetMisses(s: FailoverSettings, results: readonly ScenarioResult[]): string[] {
  const misses: string[] = [];
  const by = (k: string) => results.find((r) => r.key === k) as ScenarioResult;
  const loss = by("region-loss");
  if (loss.checkoutRtoSeconds > 300)
    misses.push(`region loss: checkout writes back after ${loss.checkoutRtoSeconds} s (> 300 s)`);
  if (loss.browsingRtoSeconds > 90)
    misses.push(`region loss: browsing back after ${loss.browsingRtoSeconds} s (> 90 s)`);
  if (loss.rpoSeconds > s.aurora.replicationLagSeconds)
    misses.push(`region loss: RPO ${loss.rpoSeconds} s`);
  for (const k of ["switchover", "failback"]) {
    if (by(k).rpoSeconds !== 0) misses.push(`${k}: RPO ${by(k).rpoSeconds} s (must be 0)`);
  }
  const az = by("az-loss");
  if (az.browsingRtoSeconds > 0) {
    misses.push(
      `AZ loss: new requests to the lost AZ fail for ${az.browsingRtoSeconds} s until its targets are marked unhealthy (target: in-flight requests only)`,
    );
  }
  return misses;
}
