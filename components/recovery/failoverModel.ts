/**
 * A pure failover model: from the stacks' real settings, the timeline of each failure scenario,
 * its recovery times (RTO) for browsing and for checkout writes, its data loss (RPO), the
 * standby's capacity shortfall while it scales, and whether an invariant breaks.
 *
 * Times are seconds from the failure (or from the operator's start, for planned moves). Figures
 * AWS does not publish are assumptions, named as such in `FailoverSettings`, so a drill can
 * replace them with measured values. docs/failover.md explains each step.
 */

import { Audience } from "./trafficOrder";

/** Everything the model reads. Build it with `failoverSettings` (components/recovery). */
export interface FailoverSettings {
  /**
   * Route 53 health check of each region's storefront, and how long one check may take when the
   * endpoint does not answer (TCP connect within 4 s, then a status within 2 s).
   */
  readonly route53: {
    readonly intervalSeconds: number;
    readonly failureThreshold: number;
    readonly checkTimeoutSeconds: number;
  };
  /** The trigger alarm on the primary's health check: period and evaluation periods. */
  readonly triggerAlarm: { readonly periodSeconds: number; readonly evaluationPeriods: number };
  /** Whether the Region switch plan starts itself when the trigger alarm is red. */
  readonly automaticFailover: boolean;
  /**
   * The failover records in the plan's traffic-step order (trafficOrder.ts): which load balancer
   * each name points at, who it serves, and its TTL (an alias: ELB's 60 s).
   */
  readonly records: readonly {
    readonly fqdn: string;
    readonly endpoint: "web" | "pay";
    readonly audience: Audience;
    readonly ttlSeconds: number;
  }[];
  /**
   * Assumed, no AWS figure: how long one Route 53 traffic step runs until ARC reports its health
   * checks flipped, and how long the gate (a calculated check) can take to see the flip: from 0 to
   * `flipDetectionHighSeconds`.
   */
  readonly trafficStep: { readonly runSeconds: number; readonly flipDetectionHighSeconds: number };
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
  /**
   * Instances: launch to InService (what the plan's capacity steps wait for), warm-up, and the
   * checkout target group's health check (interval, timeout, thresholds as seconds).
   */
  readonly fleet: {
    readonly bootSeconds: number;
    readonly warmupSeconds: number;
    readonly targetHealthySeconds: number;
    readonly targetUnhealthySeconds: number;
    readonly targetTimeoutSeconds: number;
    readonly targetUnhealthyThreshold: number;
  };
  /** Checkout capacity (instances) at 18:05: the primary's peak and the standby's. */
  readonly capacity: { readonly primaryPeak: number; readonly standbyAtPeak: number };
  /** Health semantics of the records (healthSemantics.ts). */
  readonly health: {
    /** The path Route 53 requests per region for the web names, and for the payment host. */
    readonly paths: {
      readonly primary: string;
      readonly secondary: string;
      readonly payments: string;
    };
    /** Whether the payment host's check needs the writer (it checks the ready path: no). */
    readonly paymentsRequiresWriter: boolean;
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
  /** Upper bounds (the worst case within the settings and assumptions). */
  readonly browsingRtoSeconds: number;
  readonly checkoutRtoSeconds: number;
  /** Lower bounds of the same figures: the truth lies between. */
  readonly lowerBound: { readonly browsingRtoSeconds: number; readonly checkoutRtoSeconds: number };
  readonly rpoSeconds: number;
  /** Planned moves: when each name answers from the new region (after its TTL), low and high. */
  readonly nameMoves: readonly {
    readonly fqdn: string;
    readonly audience: Audience;
    readonly lowSeconds: number;
    readonly highSeconds: number;
  }[];
  /** Planned moves: when the plan's last step ends (upper bound); 0 when no plan runs. */
  readonly planRunSeconds: number;
  /** Plan steps that would run past their timeout (the execution then fails). */
  readonly timeoutsExceeded: readonly string[];
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

/** Which end of a range a figure is computed for. */
type Bound = "low" | "high";

/**
 * Route 53 marks an endpoint unhealthy after `failureThreshold` failed checks, `intervalSeconds`
 * apart: the lower bound. When the endpoint does not answer, each failed check can also take up
 * to its timeout, on top: the upper bound. An endpoint that answers with an error fails at once.
 */
function detection(s: FailoverSettings, b: Bound, unresponsive = true): number {
  const { intervalSeconds, failureThreshold, checkTimeoutSeconds } = s.route53;
  const timeouts = b === "high" && unresponsive ? failureThreshold * checkTimeoutSeconds : 0;
  return intervalSeconds * failureThreshold + timeouts;
}

/** The same for the ALB's checks of the checkout targets in a lost AZ (no answer: timeouts). */
function targetDetection(s: FailoverSettings, b: Bound): number {
  const f = s.fleet;
  return (
    f.targetUnhealthySeconds +
    (b === "high" ? f.targetUnhealthyThreshold * f.targetTimeoutSeconds : 0)
  );
}

/** Assumed: how long the gate takes to see the plan's check flip (0 to the configured high). */
const flipDetection = (s: FailoverSettings, b: Bound) =>
  b === "high" ? s.trafficStep.flipDetectionHighSeconds : 0;

/** The longest TTL of the records shoppers use. */
const shopperTtl = (s: FailoverSettings) =>
  Math.max(...s.records.filter((r) => r.audience === "shoppers").map((r) => r.ttlSeconds));

function shortfall(s: FailoverSettings, from: number, scaleStart: number) {
  const share = Math.max(0, 1 - s.capacity.standbyAtPeak / s.capacity.primaryPeak);
  const ready =
    scaleStart + s.fleet.bootSeconds + s.fleet.warmupSeconds + s.fleet.targetHealthySeconds;
  return { share, from, ready, seconds: share > 0 ? Math.max(0, ready - from) : 0 };
}

type Figures = Omit<ScenarioResult, "lowerBound">;

/** A scenario's result: its figures at the upper bound, with the lower bound's RTOs beside. */
function ranged(at: (b: Bound) => Figures): ScenarioResult {
  const high = at("high");
  const low = at("low");
  return {
    ...high,
    lowerBound: {
      browsingRtoSeconds: low.browsingRtoSeconds,
      checkoutRtoSeconds: low.checkoutRtoSeconds,
    },
    nameMoves: high.nameMoves.map((m, i) => ({ ...m, lowSeconds: low.nameMoves[i].lowSeconds })),
  };
}

const NO_PLAN = { nameMoves: [], planRunSeconds: 0, timeoutsExceeded: [] } as const;

/** The primary region is lost at the evening peak (18:05); nothing in it answers. */
export const regionLoss = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => {
    const detect = detection(s, b);
    const ttl = shopperTtl(s);
    const dnsMoved = detect + ttl;
    // Both records unhealthy (the secondary waits for the writer too): Route 53 keeps answering
    // with the primary, so browsing waits for the writer.
    const alarm = detect + s.triggerAlarm.periodSeconds * s.triggerAlarm.evaluationPeriods;
    const planStart = s.automaticFailover ? alarm : alarm + s.human.startSeconds;
    const approved = planStart + s.human.approveSeconds;
    const writer = approved + s.aurora.globalFailoverSeconds;
    const secondaryHealthy = s.health.secondaryRequiresWriter
      ? writer + detection(s, b, false) + ttl
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
      ...NO_PLAN,
      timeoutsExceeded: planTimeoutsExceeded(s, s.aurora.globalFailoverSeconds),
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
  });

/** One of the primary region's Availability Zones loses power or connectivity. */
export const azLoss = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => {
    const share = 1 / s.zones.count;
    // The ALB keeps sending new requests to the AZ's targets until they fail their health
    // checks (which time out: nothing answers); zonal autoshift (when AWS detects the
    // impairment) then also moves the load balancer nodes.
    const errors = targetDetection(s, b);
    const writerLost = s.aurora.inRegionFailoverSeconds;
    const replaced = s.fleet.bootSeconds + s.fleet.warmupSeconds + s.fleet.targetHealthySeconds;
    return {
      key: "az-loss",
      title: "Loss of one AZ in us-east-1",
      browsingRtoSeconds: errors,
      // Worst case: the writer was in the lost AZ, and Aurora fails over within the region.
      checkoutRtoSeconds: Math.max(errors, writerLost),
      rpoSeconds: 0,
      ...NO_PLAN,
      capacityShortfall: { share, seconds: replaced },
      strandedOutsidePlanSeconds: 0,
      noWriterSeconds: 0,
      // The writer check tolerates an in-region failover, so Route 53 keeps the region.
      flaps:
        s.health.primaryRequiresWriter &&
        s.health.writerGraceSeconds < writerLost - detection(s, "low"),
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
  });

/** The Aurora writer instance fails; Aurora promotes a reader in the same region. */
export const writerFailure = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => {
    const failover = s.aurora.inRegionFailoverSeconds;
    // The writer check fails only after its grace; Route 53 then needs `detection` seconds more
    // (the check answers with an error: no timeouts). The lower bound is the worst case here.
    const unhealthyFor = s.health.primaryRequiresWriter
      ? Math.max(0, failover - s.health.writerGraceSeconds)
      : 0;
    const detect = detection(s, "low", false);
    const flips = unhealthyFor > detect;
    const stranded = flips ? unhealthyFor - detect + shopperTtl(s) : 0;
    void b;
    return {
      key: "writer-failure",
      title: "Aurora writer failure in us-east-1",
      browsingRtoSeconds: 0,
      checkoutRtoSeconds: failover,
      rpoSeconds: 0,
      ...NO_PLAN,
      capacityShortfall: { share: 0, seconds: 0 },
      strandedOutsidePlanSeconds: stranded,
      noWriterSeconds: stranded,
      flaps: flips,
      dnsAfterWriter: true,
      humanSteps: [],
      events: [
        { atSeconds: 0, what: "writer instance fails" },
        { atSeconds: failover, what: "reader promoted in us-east-1" },
      ],
      impairments: [{ lane: "checkout", fromSeconds: 0, toSeconds: failover, share: 1 }],
    };
  });

/** A deploy breaks the storefront in us-east-1; its database is healthy. */
export const badDeploy = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => {
    // A broken app may hang (timeouts) or answer 5xx: the range covers both.
    const detect = detection(s, b);
    const browsing = detect + shopperTtl(s);
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
      ...NO_PLAN,
      timeoutsExceeded: planTimeoutsExceeded(s, s.aurora.switchoverSeconds),
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
  });

/**
 * The plan's capacity steps wait until the destination groups' InService instances reach the
 * target (ARC guide, EC2 Auto Scaling block): a launch to InService when the standby runs below
 * the source's 24-hour peak, nothing when it already matches it.
 */
const scalingWait = (s: FailoverSettings) =>
  s.capacity.standbyAtPeak < s.capacity.primaryPeak ? s.fleet.bootSeconds : 0;

/** Steps of the Parallel block that would outlast their timeouts. */
function planTimeoutsExceeded(s: FailoverSettings, auroraSeconds: number): string[] {
  const out: string[] = [];
  if (auroraSeconds > s.planTimeouts.auroraSeconds)
    out.push(
      `aurora step needs ${auroraSeconds} s > its ${s.planTimeouts.auroraSeconds} s timeout`,
    );
  if (scalingWait(s) > s.planTimeouts.scalingSeconds)
    out.push(
      `scale steps need ${scalingWait(s)} s > their ${s.planTimeouts.scalingSeconds} s timeout`,
    );
  if (s.trafficStep.runSeconds > s.planTimeouts.trafficSeconds)
    out.push(
      `each traffic step needs ${s.trafficStep.runSeconds} s > its ${s.planTimeouts.trafficSeconds} s timeout`,
    );
  return out;
}

/**
 * A graceful run of the plan: approve; then, in parallel, Aurora switches over and the
 * destination's groups grow until their capacity is fulfilled; then one Route 53 traffic step per
 * name, in turn, in the plan's order. Each name answers from the new region when its records say
 * so, plus its TTL:
 * - towards the standby, a PRIMARY's gate turns unhealthy when either child does: the primary's
 *   writer check fails once its cluster is demoted (if its path requires the writer), or the
 *   name's traffic step flips the plan's check; the payment host checks the ready path, so only
 *   its traffic step moves it;
 * - back to the primary, the gate turns healthy only when both children are: the writer check
 *   passes again (once the writer is back, after Route 53's threshold of passing checks) and the
 *   name's traffic step flipped the plan's check. The standby's ready check never fails, so
 *   nothing moves the names earlier.
 */
function plannedMove(
  s: FailoverSettings,
  b: Bound,
  towardsPrimary: boolean,
): Omit<Figures, "key" | "title" | "events"> & { events: TimelineEvent[] } {
  const approved = s.human.approveSeconds;
  const demoted = approved + s.aurora.switchoverSeconds;
  const parallelEnd = approved + Math.max(s.aurora.switchoverSeconds, scalingWait(s));
  // The primary's checks answer (an error, or a pass): no timeouts.
  const writerCheckFlips = demoted + detection(s, b, false);
  const nameMoves = s.records.map((r, i) => {
    const stepDone = parallelEnd + (i + 1) * s.trafficStep.runSeconds;
    const planFlip = stepDone + flipDetection(s, b);
    const followsWriter =
      r.endpoint === "web" ? s.health.primaryRequiresWriter : s.health.paymentsRequiresWriter;
    const gate = towardsPrimary
      ? Math.max(planFlip, followsWriter ? writerCheckFlips : 0)
      : Math.min(planFlip, followsWriter ? writerCheckFlips : Infinity);
    const at = gate + r.ttlSeconds;
    return { fqdn: r.fqdn, audience: r.audience, lowSeconds: at, highSeconds: at, stepDone };
  });
  const shoppers = nameMoves.filter((m) => m.audience === "shoppers");
  const dnsMoved = Math.max(...shoppers.map((m) => m.highSeconds));
  const dnsFirst = Math.min(...shoppers.map((m) => m.highSeconds));
  const planRun = Math.max(parallelEnd, ...nameMoves.map((m) => m.stepDone));
  const cap = shortfall(s, Infinity, approved);
  return {
    browsingRtoSeconds: 0,
    // Writes stop when the switchover starts and resume for shoppers once DNS sends them (every
    // shoppers' name) to the new writer.
    checkoutRtoSeconds: dnsMoved - approved,
    rpoSeconds: 0,
    nameMoves: nameMoves.map(({ stepDone, ...m }) => (void stepDone, m)),
    planRunSeconds: planRun,
    timeoutsExceeded: planTimeoutsExceeded(s, s.aurora.switchoverSeconds),
    capacityShortfall: { share: 0, seconds: 0 },
    strandedOutsidePlanSeconds: 0,
    noWriterSeconds: Math.max(0, dnsMoved - demoted),
    flaps: !s.health.primaryRequiresWriter,
    dnsAfterWriter: dnsFirst >= demoted,
    humanSteps: ["start the plan (graceful)", "approve"],
    events: [
      { atSeconds: 0, what: "plan started" },
      { atSeconds: approved, what: "approved" },
      { atSeconds: demoted, what: "writer moved, old region read-only" },
      { atSeconds: parallelEnd, what: "writer and capacity steps done" },
      { atSeconds: Math.min(cap.ready, 1e9), what: "fleets warmed up" },
      ...nameMoves.map((m) => ({ atSeconds: m.highSeconds, what: `DNS moved ${m.fqdn}` })),
    ],
    impairments: [{ lane: "checkout", fromSeconds: approved, toSeconds: dnsMoved, share: 1 }],
  };
}

/** A planned move of the writer and the traffic from us-east-1 to us-west-2. */
export const plannedSwitchover = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => ({
    key: "switchover",
    title: "Planned switchover to us-west-2",
    ...plannedMove(s, b, false),
  }));

/** Back to us-east-1 after a failover or switchover: the same plan, the other workflow. */
export const failback = (s: FailoverSettings): ScenarioResult =>
  ranged((b) => ({
    key: "failback",
    title: "Failback to us-east-1",
    ...plannedMove(s, b, true),
  }));

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
