/**
 * Pure timing rules the failover model's scenarios share: how long health checks take to flip
 * (a range: a lower bound without timeouts, an upper bound with them), what the plan's Parallel
 * block waits for, and which plan steps outlast their timeouts.
 */
import type { FailoverSettings, ScenarioResult } from "./failoverTypes";

/** Which end of a range a figure is computed for. */
export type Bound = "low" | "high";

/**
 * Route 53 marks an endpoint unhealthy after `failureThreshold` failed checks, `intervalSeconds`
 * apart: the lower bound. When the endpoint does not answer, each failed check can also take up
 * to its timeout, on top: the upper bound (conservative: it assumes the next check starts an interval
 * after the last one timed out; AWS calls the interval "approximate"). An endpoint that answers
 * with an error fails at once. Route 53: TCP connect within 4 s, then a status within 2 s ("How
 * Amazon Route 53 determines whether a health check is healthy"); ALB: `HealthCheckTimeoutSeconds`,
 * "the amount of time during which no response from a target means a failed health check".
 */
export function detection(s: FailoverSettings, b: Bound, unresponsive = true): number {
  const { intervalSeconds, failureThreshold, checkTimeoutSeconds } = s.route53;
  const timeouts = b === "high" && unresponsive ? failureThreshold * checkTimeoutSeconds : 0;
  return intervalSeconds * failureThreshold + timeouts;
}

/** The same for the ALB's checks of the checkout targets in a lost AZ (no answer: timeouts). */
export function targetDetection(s: FailoverSettings, b: Bound): number {
  const f = s.fleet;
  return (
    f.targetUnhealthySeconds +
    (b === "high" ? f.targetUnhealthyThreshold * f.targetTimeoutSeconds : 0)
  );
}

/** Assumed: how long the gate takes to see the plan's check flip (0 to the configured high). */
export const flipDetection = (s: FailoverSettings, b: Bound) =>
  b === "high" ? s.trafficStep.flipDetectionHighSeconds : 0;

/** The longest TTL of the records shoppers use. */
export const shopperTtl = (s: FailoverSettings) =>
  Math.max(...s.records.filter((r) => r.audience === "shoppers").map((r) => r.ttlSeconds));

export function shortfall(s: FailoverSettings, from: number, scaleStart: number) {
  const share = Math.max(0, 1 - s.capacity.standbyAtPeak / s.capacity.primaryPeak);
  const ready =
    scaleStart + s.fleet.bootSeconds + s.fleet.warmupSeconds + s.fleet.targetHealthySeconds;
  return { share, from, ready, seconds: share > 0 ? Math.max(0, ready - from) : 0 };
}

export type Figures = Omit<ScenarioResult, "lowerBound">;

/** A scenario's result: its figures at the upper bound, with the lower bound's RTOs beside. */
export function ranged(at: (b: Bound) => Figures): ScenarioResult {
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

/** The plan fields of a scenario in which no planned move runs. */
export const NO_PLAN = { nameMoves: [], planRunSeconds: 0, timeoutsExceeded: [] } as const;

/**
 * The plan's capacity steps wait until the destination groups' InService instances reach the
 * target (ARC guide, EC2 Auto Scaling block): a launch to InService when the standby runs below
 * the source's 24-hour peak, nothing when it already matches it.
 */
export const scalingWait = (s: FailoverSettings) =>
  s.capacity.standbyAtPeak < s.capacity.primaryPeak ? s.fleet.bootSeconds : 0;

/** Steps of the Parallel block that would outlast their timeouts. */
export function planTimeoutsExceeded(s: FailoverSettings, auroraSeconds: number): string[] {
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
