/**
 * The failover model's inputs and outputs (failoverModel.ts simulates; failoverSettings.ts builds
 * the settings from the stacks' config).
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
