/**
 * A deployment's topology as data: which regions it runs in, which one is primary, and what each
 * regional stack derives from that (its role, its peers, the replicas it owns). Pure helpers, so
 * config validation, the stacks and the cross-stack checks share one reading of it.
 */

/**
 * Most secondary regions an Aurora global database can have: "an Aurora global database can
 * have up to 10 secondary AWS Regions" (Aurora user guide, "Configuration requirements of an
 * Amazon Aurora global database"; AWS-FACTS §4).
 */
export const AURORA_GLOBAL_MAX_SECONDARIES = 10;

/**
 * Most Aurora replicas per cluster (15), and in the primary cluster of a global database 15
 * minus the number of secondary regions (same page: "Read-only instances (max allowed, given
 * actual number of secondary Regions): 15 - s").
 */
export const AURORA_MAX_REPLICAS = 15;

/** Failover routing is active-passive: one PRIMARY and one SECONDARY record per name. */
export const FAILOVER_ROUTING_REGIONS = 2;

/** One deployment: the regions whose stacks serve the same names from the same data. */
export interface Deployment {
  /** Groups the stacks that must agree (`prod`, `staging`). */
  readonly name: string;
  /** Takes traffic first (failover routing) and owns the writer and the sessions table. */
  readonly primary: string;
  /** Every other region, in the order they were added. */
  readonly secondaries: readonly string[];
}

/** Role of a region in its deployment. */
export type RegionRole = "primary" | "secondary";

/** Every region of the deployment, primary first. */
export function deploymentRegions(d: Deployment): string[] {
  return [d.primary, ...d.secondaries];
}

/** The role of `region`; throws if the deployment does not list it (config validation does). */
export function roleOf(d: Deployment, region: string): RegionRole {
  if (region === d.primary) return "primary";
  if (d.secondaries.includes(region)) return "secondary";
  throw new Error(`region ${region} is not part of deployment ${d.name}`);
}

/** The other regions of the deployment, primary first. */
export function peersOf(d: Deployment, region: string): string[] {
  return deploymentRegions(d).filter((r) => r !== region);
}

/** What the deployment must satisfy for one of its regional stacks. */
export interface TopologyCheckInput {
  readonly deployment: Deployment;
  /** The stack's own region (`aws:region`). */
  readonly region: string;
  readonly routing: "failover" | "latency";
  /** Whether the database is an Aurora global database (false: one regional cluster). */
  readonly globalDatabase: boolean;
}

/**
 * Problems with a deployment as seen from one of its stacks, each a sentence that starts with
 * the field at fault (`secondaries`, `primary`) so the caller can prefix the config key.
 */
export function topologyProblems(input: TopologyCheckInput): string[] {
  const { deployment: d, region } = input;
  const problems: string[] = [];
  const regions = deploymentRegions(d);
  const twice = regions.filter((r, i) => regions.indexOf(r) !== i);
  if (twice.length > 0) {
    problems.push(
      `secondaries lists ${[...new Set(twice)].join(", ")} twice or together with the primary; a deployment has one stack per region`,
    );
  }
  if (!regions.includes(region)) {
    problems.push(
      `does not list this stack's region ${region} (aws:region); add it to secondaries, or set aws:region to one of ${regions.join(", ")}`,
    );
  }
  if (input.routing === "failover" && regions.length !== FAILOVER_ROUTING_REGIONS) {
    problems.push(
      `has ${regions.length} region(s), and failover routing needs exactly ${FAILOVER_ROUTING_REGIONS} (one PRIMARY and one SECONDARY record per name); use routing: latency, which takes any number`,
    );
  }
  if (input.globalDatabase && d.secondaries.length > AURORA_GLOBAL_MAX_SECONDARIES) {
    problems.push(
      `secondaries has ${d.secondaries.length} regions; an Aurora global database allows at most ${AURORA_GLOBAL_MAX_SECONDARIES} secondary regions`,
    );
  }
  if (input.globalDatabase && d.secondaries.length === 0) {
    problems.push(
      `secondaries is empty, and an Aurora global database needs at least one secondary region; add one, or set securecart:database.global to false for a regional cluster`,
    );
  }
  if (!input.globalDatabase && d.secondaries.length > 0) {
    problems.push(
      `secondaries lists ${d.secondaries.join(", ")}, but securecart:database.global is false: a regional cluster has no cross-region replicas. Remove the secondaries or make the database global`,
    );
  }
  return problems;
}
