/**
 * A pure failover model: from the stacks' real settings, the timeline of each failure scenario,
 * its recovery times (RTO) for browsing and for checkout writes, its data loss (RPO), the
 * standby's capacity shortfall while it scales, and whether an invariant breaks.
 *
 * Times are seconds from the failure (or from the operator's start, for planned moves). Figures
 * AWS does not publish are assumptions, named as such in `FailoverSettings`, so a drill can
 * replace them with measured values. docs/failover.md explains each step.
 */
import {
  Bound,
  Figures,
  NO_PLAN,
  detection,
  flipDetection,
  planTimeoutsExceeded,
  ranged,
  scalingWait,
  shopperTtl,
  shortfall,
  targetDetection,
} from "./failoverTiming";
import type { FailoverSettings, ScenarioResult, TimelineEvent } from "./failoverTypes";

export type { FailoverSettings, Impairment, ScenarioResult, TimelineEvent } from "./failoverTypes";

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
  // One figure: the check answers with an error (no timeouts), and the lower bound of its
  // detection is the worst case for flapping.
  ranged(() => {
    const failover = s.aurora.inRegionFailoverSeconds;
    // The writer check fails only after its grace; Route 53 then needs `detection` seconds more.
    const unhealthyFor = s.health.primaryRequiresWriter
      ? Math.max(0, failover - s.health.writerGraceSeconds)
      : 0;
    const detect = detection(s, "low", false);
    const flips = unhealthyFor > detect;
    const stranded = flips ? unhealthyFor - detect + shopperTtl(s) : 0;
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
