/**
 * Pure helpers for cross-region DNS failover: Route 53 health-check limits, the designed failover
 * time ("budget") and the plan of which records one regional stack writes.
 *
 * Budget. A region's loss reaches clients in two steps:
 * 1. Detection: Route 53 marks the endpoint unhealthy after `failureThreshold` consecutive failed
 *    checks, each `requestInterval` seconds apart, so interval × threshold.
 * 2. Caching: resolvers may keep the old answer for the record's TTL. An alias to a load balancer
 *    has no TTL of its own; Route 53 answers with ELB's fixed 60 s. A non-alias CNAME uses the TTL
 *    it is given.
 *
 * The budget is a design figure, not a measured one: Route 53 publishes no time-to-detect, its
 * checkers do not coordinate (so a region can flip up to one interval later), and clients that
 * ignore TTLs or keep connections open stay longer.
 */

/** Regions Route 53 health checkers run in (the API's HealthCheckRegion values). */
export const ROUTE53_HEALTH_CHECKER_REGIONS: readonly string[] = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "sa-east-1",
];

/** Route 53 health-check limits that can be checked before deploying. */
export const ROUTE53_HEALTH_CHECK_LIMITS = {
  /** `RequestInterval`: 10 s ("fast", charged extra) or 30 s. It can't be changed later. */
  requestIntervalsSeconds: [10, 30] as readonly number[],
  /** `FailureThreshold`: consecutive failures (or successes) that flip the status. */
  failureThresholdMin: 1,
  failureThresholdMax: 10,
  /** A custom `Regions` list must name at least this many checker regions. */
  minRegions: 3,
} as const;

/**
 * The alarm on each Route 53 health check (us-east-1): one 60 s period of HealthCheckStatus
 * below 1. The Region switch plan's trigger reads it.
 */
export const HEALTH_CHECK_ALARM = { periodSeconds: 60, evaluationPeriods: 1 } as const;

/** TTL Route 53 uses for an alias to an Elastic Load Balancing load balancer. */
export const ELB_ALIAS_TTL_SECONDS = 60;

/**
 * Shortest and longest TTL accepted for the short-TTL CNAME option. Above 60 s a CNAME would be
 * slower than the alias it replaces; 0 would disable caching and bill every lookup.
 */
export const CNAME_TTL_LIMITS = { min: 1, max: ELB_ALIAS_TTL_SECONDS - 1 } as const;

/** Inputs of the failover budget. */
export interface BudgetInput {
  /** Health-check `RequestInterval`, 10 or 30. */
  readonly requestIntervalSeconds: number;
  /** Health-check `FailureThreshold`, 1 to 10. */
  readonly failureThreshold: number;
  /** TTL clients may cache the answer for. @default - 60, ELB's alias TTL */
  readonly ttlSeconds?: number;
}

/** Problems with the budget inputs, each naming the field, the value and what is allowed. */
export function budgetProblems(input: BudgetInput): string[] {
  const L = ROUTE53_HEALTH_CHECK_LIMITS;
  const problems: string[] = [];
  if (!L.requestIntervalsSeconds.includes(input.requestIntervalSeconds)) {
    problems.push(
      `requestIntervalSeconds must be ${L.requestIntervalsSeconds.join(" or ")} (Route 53 offers no other interval); got ${input.requestIntervalSeconds}`,
    );
  }
  const t = input.failureThreshold;
  if (!Number.isInteger(t) || t < L.failureThresholdMin || t > L.failureThresholdMax) {
    problems.push(
      `failureThreshold must be an integer from ${L.failureThresholdMin} to ${L.failureThresholdMax}; got ${t}`,
    );
  }
  const ttl = input.ttlSeconds;
  if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 0)) {
    problems.push(`ttlSeconds must be a whole number of seconds, 0 or more; got ${ttl}`);
  }
  return problems;
}

/**
 * Designed failover time in seconds: requestInterval × failureThreshold + TTL. Throws an Error
 * listing every problem with the inputs.
 */
export function failoverBudgetSeconds(input: BudgetInput): number {
  const problems = budgetProblems(input);
  if (problems.length > 0) throw new Error(`Invalid failover budget: ${problems.join("; ")}`);
  return (
    input.requestIntervalSeconds * input.failureThreshold +
    (input.ttlSeconds ?? ELB_ALIAS_TTL_SECONDS)
  );
}

/** Problems with a health checker region list. */
export function checkerRegionProblems(regions: readonly string[]): string[] {
  const problems: string[] = [];
  const unknown = regions.filter((r) => !ROUTE53_HEALTH_CHECKER_REGIONS.includes(r));
  if (unknown.length > 0) {
    problems.push(
      `regions has ${unknown.map((r) => `"${r}"`).join(", ")}, where Route 53 runs no health checkers; use some of ${ROUTE53_HEALTH_CHECKER_REGIONS.join(", ")}`,
    );
  }
  if (new Set(regions).size !== regions.length) {
    problems.push(`regions lists a region twice; got ${regions.join(", ")}`);
  }
  const min = ROUTE53_HEALTH_CHECK_LIMITS.minRegions;
  const distinct = new Set(regions).size;
  if (distinct < min) {
    problems.push(`regions must name at least ${min} distinct checker regions; got ${distinct}`);
  }
  return problems;
}

/**
 * Listener rule priority of the health-check route on an ALB. It comes before every service rule
 * (derived priorities start at 10000), so no service rule can shadow it; config refuses a service
 * `priority` equal to it.
 */
export const HEALTH_CHECK_RULE_PRIORITY = 1;

/** The label that stands for the zone apex in host lists, as in zone files. */
export const APEX = "@";

/** How a stack's records are routed: active-passive or active-active. */
export type RoutingMode = "failover" | "latency";

/** What one regional stack needs to plan its records. */
export interface RecordPlanInput {
  readonly domain: string;
  /** This stack's region: the set identifier and, in latency mode, the latency region. */
  readonly region: string;
  readonly routing: RoutingMode;
  /** Failover role: primary → PRIMARY, secondary → SECONDARY. */
  readonly role: "primary" | "secondary";
  /** Host labels (`@` = apex) served by each endpoint, keyed by endpoint name. */
  readonly hostsByEndpoint: Readonly<Record<string, readonly string[]>>;
  /** Labels answered by a short-TTL CNAME instead of an alias, with their TTL. */
  readonly cnameTtlSeconds: Readonly<Record<string, number>>;
  readonly requestIntervalSeconds: number;
  readonly failureThreshold: number;
}

/** One record a stack writes. */
export interface PlannedRecord {
  /** Stable key for the logical name: the label, `apex` for `@`. */
  readonly key: string;
  readonly label: string;
  /** Fully qualified name, lower case, no trailing dot. */
  readonly fqdn: string;
  /** Which endpoint (load balancer) the record points at. */
  readonly endpoint: string;
  readonly type: "A" | "CNAME";
  /** TTL of a CNAME; undefined for an alias, whose TTL is ELB's. */
  readonly ttlSeconds?: number;
  readonly setIdentifier: string;
  /** PRIMARY or SECONDARY in failover mode. */
  readonly failover?: "PRIMARY" | "SECONDARY";
  /** The latency region in latency mode. */
  readonly latencyRegion?: string;
  /** Designed failover time for this name. */
  readonly budgetSeconds: number;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Problems with the record plan's inputs (labels, CNAME TTLs, budget inputs). */
export function recordPlanProblems(input: RecordPlanInput): string[] {
  const problems = budgetProblems(input);
  const owner = new Map<string, string>();
  for (const [endpoint, labels] of Object.entries(input.hostsByEndpoint)) {
    for (const label of labels) {
      if (label !== APEX && !LABEL.test(label)) {
        problems.push(
          `host "${label}" of endpoint ${endpoint} must be a lower-case DNS label such as "shop", or "${APEX}" for the apex`,
        );
      }
      const other = owner.get(label);
      if (other !== undefined) {
        problems.push(
          `host "${label}" is served by both ${other} and ${endpoint}; a name can point at one load balancer`,
        );
      }
      owner.set(label, other ?? endpoint);
    }
  }
  for (const [label, ttl] of Object.entries(input.cnameTtlSeconds)) {
    if (label === APEX) {
      problems.push(
        `cnameTtlSeconds cannot include the apex ("${APEX}"): DNS allows no CNAME at a zone apex, so it must stay an alias`,
      );
    } else if (!owner.has(label)) {
      problems.push(
        `cnameTtlSeconds names "${label}", which no endpoint serves; use one of ${[...owner.keys()].join(", ")}`,
      );
    }
    const { min, max } = CNAME_TTL_LIMITS;
    if (!Number.isInteger(ttl) || ttl < min || ttl > max) {
      problems.push(
        `cnameTtlSeconds.${label} must be an integer from ${min} to ${max} (an alias already gives ${ELB_ALIAS_TTL_SECONDS} s); got ${ttl}`,
      );
    }
  }
  return problems;
}

/** The records one regional stack writes, sorted by name. Throws on invalid input. */
export function planRecords(input: RecordPlanInput): PlannedRecord[] {
  const problems = recordPlanProblems(input);
  if (problems.length > 0) throw new Error(`Invalid DNS record plan: ${problems.join("; ")}`);
  const records: PlannedRecord[] = [];
  for (const [endpoint, labels] of Object.entries(input.hostsByEndpoint)) {
    for (const label of labels) {
      const ttlSeconds = input.cnameTtlSeconds[label];
      records.push({
        key: label === APEX ? "apex" : label,
        label,
        fqdn: (label === APEX ? input.domain : `${label}.${input.domain}`).toLowerCase(),
        endpoint,
        type: ttlSeconds === undefined ? "A" : "CNAME",
        ttlSeconds,
        setIdentifier: input.region,
        ...(input.routing === "failover"
          ? { failover: input.role === "primary" ? "PRIMARY" : "SECONDARY" }
          : { latencyRegion: input.region }),
        budgetSeconds: failoverBudgetSeconds({ ...input, ttlSeconds }),
      });
    }
  }
  return records.sort((a, b) => a.fqdn.localeCompare(b.fqdn));
}
