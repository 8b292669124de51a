/**
 * Stacks that agree: every regional stack of a deployment is previewed and deployed on its own,
 * yet they write records for the same names, share one global database and one sessions table,
 * and stand in for each other. This pure check compares their validated configs before any of
 * them is previewed, so a mix that Route 53 or Aurora would refuse (or a standby too small to
 * absorb the primary) fails with one message per disagreement that names the key and both stacks.
 */
import { isBurstable, vcpusOf } from "../components/scaling/instanceSizes";
import { deploymentRegions } from "../components/topology";
import { StackConfig } from "./config";

/** One value every stack of a deployment must hold identically. */
interface SharedKey {
  /** Full config key, as the message names it. */
  readonly key: string;
  readonly valueOf: (c: StackConfig) => unknown;
  /** What goes wrong when stacks differ, and what to do. */
  readonly why: string;
}

/** The keys compared, in message order. */
const SHARED_KEYS: readonly SharedKey[] = [
  {
    key: "securecart:deployment",
    valueOf: (c) => c.deployment,
    why: "every stack must list the same regions and the same primary, or they derive different roles and replicas",
  },
  {
    key: "securecart:routing",
    valueOf: (c) => c.routing,
    why: "Route 53 refuses a name whose records mix failover and latency routing",
  },
  {
    key: "securecart:domain",
    valueOf: (c) => c.domain,
    why: "the stacks write records for the same names in the same hosted zone",
  },
  {
    key: "securecart:dns.apex",
    valueOf: (c) => c.dns.apex,
    why: "a name answered by only some regions fails over to nothing",
  },
  {
    key: "securecart:dns.cnameTtlSeconds",
    valueOf: (c) => c.dns.cnameTtlSeconds,
    why: "records of one name must have the same type and TTL in every region",
  },
  {
    key: "securecart:dns.healthCheck",
    valueOf: (c) => c.dns.healthCheck,
    why: "regions judged by different health checks fail over at different times",
  },
  {
    key: "securecart:dns.alarmEmail",
    valueOf: (c) => c.dns.alarmEmail,
    why: "health-check alarms of one deployment go to one place",
  },
  {
    key: "securecart:services",
    valueOf: (c) => Object.keys(c.services).sort(),
    why: "a service missing in one region has no routes and no capacity there when traffic moves to it",
  },
  {
    key: "securecart:payments.host",
    valueOf: (c) => c.payments.host,
    why: "the stacks write records for the same payments name",
  },
  {
    key: "securecart:database.global",
    valueOf: (c) => c.database.global,
    why: "the regions share one database",
  },
  {
    key: "securecart:database.globalClusterIdentifier",
    valueOf: (c) => c.database.globalClusterIdentifier,
    why: "secondaries join the global cluster by this name",
  },
  {
    key: "securecart:database.engineVersion",
    valueOf: (c) => c.database.engineVersion,
    why: "every member of an Aurora global database runs the global cluster's version",
  },
  {
    key: "securecart:database.clients",
    valueOf: (c) => [...c.database.clients].sort(),
    why: "a region whose config leaves a service out gives it no proxy access, no rds-db:connect and no DB_* variables: after failover (or with latency routing, at once) that service can't reach the database there",
  },
  {
    key: "securecart:sessions",
    valueOf: (c) => c.sessions,
    why: "every replica of a global table has the same name, and DynamoDB wants equal write capacity settings on all of them",
  },
];

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Every fleet's peak: its maxSize, instance type and the config key they come from. */
function fleetPeaks(c: StackConfig): FleetPeak[] {
  return [
    ...Object.entries(c.services).map(([name, s]) => ({
      name,
      key: `securecart:services.${name}`,
      maxSize: s.maxSize,
      instanceType: s.instanceType,
    })),
    {
      name: "payments",
      key: "securecart:payments",
      maxSize: c.payments.maxSize,
      instanceType: c.payments.instanceType,
    },
  ];
}

interface FleetPeak {
  readonly name: string;
  readonly key: string;
  readonly maxSize: number;
  readonly instanceType: string;
}

/**
 * Whether `standby` can absorb `primary`'s peak: maxSize x vCPUs of the instance type, per
 * fleet. A problem sentence, or undefined when it can.
 */
/**
 * Why `a` and `b` can't be compared in vCPUs: a burstable type against any other type (its
 * vCPUs are a burst, not sustained capacity; components/scaling/instanceSizes.ts). Undefined when they can.
 */
export function burstableMismatch(a: string, b: string): string | undefined {
  if (a === b || (!isBurstable(a) && !isBurstable(b))) return undefined;
  const burst = [a, b].filter(isBurstable);
  return `${burst.join(" and ")} ${burst.length > 1 ? "are" : "is"} burstable (CPU above a per-size baseline only while CPU credits last), so ${a} and ${b} can't be compared in vCPUs`;
}

function fleetCapacityProblem(
  deployment: string,
  primary: StackConfig,
  standby: StackConfig,
  want: FleetPeak,
  got: FleetPeak,
): string | undefined {
  const [wantCpu, gotCpu] = [vcpusOf(want.instanceType), vcpusOf(got.instanceType)];
  const head = `stacks of deployment ${deployment} disagree on \`${got.key}\` capacity (maxSize x vCPUs of instanceType)`;
  const burst = burstableMismatch(want.instanceType, got.instanceType);
  if (burst) {
    return `${head}: ${primary.stack} (the primary) runs ${want.instanceType}, ${standby.stack} ${got.instanceType}; ${burst}. Use the primary's instanceType in Pulumi.${standby.stack}.yaml (or fixed-performance types in both)`;
  }
  if (wantCpu === undefined || gotCpu === undefined) {
    const unknown = [want.instanceType, got.instanceType].filter((t) => vcpusOf(t) === undefined);
    return `${head}: the vCPUs of ${[...new Set(unknown)].join(", ")} are not in the size table, so ${standby.stack}'s capacity can't be compared with ${primary.stack}'s (the primary). Use a type the table covers or add it to components/scaling/instanceSizes.ts`;
  }
  const [need, have] = [want.maxSize * wantCpu, got.maxSize * gotCpu];
  if (have >= need) return undefined;
  const minSize = Math.ceil(need / gotCpu);
  return `${head}: ${standby.stack} can grow to ${got.maxSize} x ${got.instanceType} = ${have} vCPUs but ${primary.stack} (the primary) runs up to ${want.maxSize} x ${want.instanceType} = ${need}. If ${primary.region} fails at peak, ${standby.region} cannot absorb its load: raise \`${got.key}.maxSize\` to at least ${minSize} (or use a larger instanceType) in Pulumi.${standby.stack}.yaml`;
}

/**
 * Latency routing's capacity rule (N-1): for every region, the other regions together can grow
 * to the primary's peak of each fleet (maxSize x vCPUs), so whichever region fails, the rest
 * absorb a primary-sized load. A burstable type must match the primary's exactly. Problem
 * sentences, one per fleet and lost region.
 */
function latencyCapacityProblems(
  deployment: string,
  primary: StackConfig,
  members: readonly StackConfig[],
): string[] {
  const problems: string[] = [];
  for (const want of fleetPeaks(primary)) {
    const head = `stacks of deployment ${deployment} disagree on \`${want.key}\` capacity (maxSize x vCPUs of instanceType, latency routing: N-1)`;
    const fleets = members.map((m) => ({
      m,
      f: fleetPeaks(m).find((f) => f.name === want.name),
    }));
    const blocked = fleets.flatMap(({ m, f }) => {
      if (!f) return [];
      const burst = burstableMismatch(want.instanceType, f.instanceType);
      if (burst) {
        return [
          `${head}: ${primary.stack} (the primary) runs ${want.instanceType}, ${m.stack} ${f.instanceType}; ${burst}. Use the primary's instanceType in Pulumi.${m.stack}.yaml (or fixed-performance types everywhere)`,
        ];
      }
      const unknown = [want.instanceType, f.instanceType].filter((t) => vcpusOf(t) === undefined);
      return unknown.length > 0
        ? [
            `${head}: the vCPUs of ${[...new Set(unknown)].join(", ")} are not in the size table, so ${m.stack}'s capacity can't be compared. Use a type the table covers or add it to components/scaling/instanceSizes.ts`,
          ]
        : [];
    });
    if (blocked.length > 0) {
      problems.push(...blocked);
      continue;
    }
    const need = want.maxSize * (vcpusOf(want.instanceType) as number);
    for (const lost of members) {
      const rest = fleets.filter(({ m, f }) => m !== lost && f);
      const have = rest.reduce(
        (sum, { f }) => sum + f!.maxSize * (vcpusOf(f!.instanceType) as number),
        0,
      );
      if (have < need) {
        problems.push(
          `${head}: if ${lost.region} (${lost.stack}) fails, ${rest.map(({ m, f }) => `${m.stack} ${f!.maxSize} x ${f!.instanceType}`).join(" + ") || "no other region"} = ${have} vCPUs must absorb a load up to ${primary.stack}'s (the primary) ${want.maxSize} x ${want.instanceType} = ${need}. Raise \`${want.key}.maxSize\` in the other regions' stack files until they cover ${need} vCPUs together`,
        );
      }
    }
  }
  return problems;
}

/**
 * Whether `standby`'s Aurora cluster can take over `primary`'s load after promotion: a writer
 * class with at least the primary's vCPUs and at least as many readers. Problem sentences.
 */
function databaseCapacityProblems(
  deployment: string,
  primary: StackConfig,
  standby: StackConfig,
): string[] {
  const problems: string[] = [];
  const [want, got] = [primary.database, standby.database];
  const [wantCpu, gotCpu] = [vcpusOf(want.instanceClass), vcpusOf(got.instanceClass)];
  const fix = `If ${primary.region} fails, ${standby.region}'s cluster becomes the writer for the whole load`;
  const burst = burstableMismatch(want.instanceClass, got.instanceClass);
  if (burst) {
    problems.push(
      `stacks of deployment ${deployment} disagree on \`securecart:database.instanceClass\`: ${primary.stack} (the primary) has "${want.instanceClass}", ${standby.stack} has "${got.instanceClass}"; ${burst}. ${fix}: use the primary's class in Pulumi.${standby.stack}.yaml`,
    );
  } else if (wantCpu === undefined || gotCpu === undefined) {
    if (want.instanceClass !== got.instanceClass) {
      problems.push(
        `stacks of deployment ${deployment} disagree on \`securecart:database.instanceClass\`: ${primary.stack} (the primary) has "${want.instanceClass}", ${standby.stack} has "${got.instanceClass}", and the size table (components/scaling/instanceSizes.ts) can't compare them. Use the same class`,
      );
    }
  } else if (gotCpu < wantCpu) {
    problems.push(
      `stacks of deployment ${deployment} disagree on \`securecart:database.instanceClass\`: ${standby.stack} has "${got.instanceClass}" (${gotCpu} vCPUs) but ${primary.stack} (the primary) has "${want.instanceClass}" (${wantCpu}). ${fix}: use a class at least as large in Pulumi.${standby.stack}.yaml`,
    );
  }
  if (got.readers < want.readers) {
    problems.push(
      `stacks of deployment ${deployment} disagree on \`securecart:database.readers\`: ${standby.stack} has ${got.readers} but ${primary.stack} (the primary) has ${want.readers}. ${fix}: raise it to at least ${want.readers} in Pulumi.${standby.stack}.yaml`,
    );
  }
  return problems;
}

/**
 * Every disagreement among `stacks` (validated configs of regional stacks, any deployments), one
 * message each. Stacks are grouped by `securecart:deployment.name` and compared with the stack of
 * the deployment's primary region (or, lacking one, the first stack by name).
 */
export function agreementProblems(stacks: readonly StackConfig[]): string[] {
  const problems: string[] = [];
  const byDeployment = new Map<string, StackConfig[]>();
  for (const s of [...stacks].sort((a, b) => a.stack.localeCompare(b.stack))) {
    byDeployment.set(s.deployment.name, [...(byDeployment.get(s.deployment.name) ?? []), s]);
  }
  for (const [name, members] of byDeployment) {
    const reference = members.find((s) => s.region === s.deployment.primary) ?? members[0];
    const others = members.filter((s) => s !== reference);
    for (const k of SHARED_KEYS) {
      const want = canonical(k.valueOf(reference));
      for (const s of others) {
        const got = canonical(k.valueOf(s));
        if (got !== want) {
          problems.push(
            `stacks of deployment ${name} disagree on \`${k.key}\`: ${reference.stack} has ${want}, ${s.stack} has ${got}. Make them equal: ${k.why}`,
          );
        }
      }
    }

    // Each shared service is reached by the same names and paths everywhere.
    for (const s of others) {
      for (const [service, mine] of Object.entries(reference.services)) {
        const theirs = s.services[service];
        if (!theirs) continue;
        for (const field of ["hosts", "paths"] as const) {
          const want = canonical(mine[field]);
          const got = canonical(theirs[field]);
          if (got !== want) {
            problems.push(
              `stacks of deployment ${name} disagree on \`securecart:services.${service}.${field}\`: ${reference.stack} has ${want}, ${s.stack} has ${got}. Make them equal: the stacks write records and rules for the same names`,
            );
          }
        }
      }
    }

    // Membership: exactly one stack per listed region, no stack outside the list.
    const stacksIn = new Map<string, string[]>();
    for (const s of members) stacksIn.set(s.region, [...(stacksIn.get(s.region) ?? []), s.stack]);
    for (const region of deploymentRegions(reference.deployment)) {
      const here = stacksIn.get(region) ?? [];
      if (here.length === 0) {
        problems.push(
          `deployment ${name} lists region ${region} in \`securecart:deployment\` (${reference.stack}), but no stack of it has aws:region ${region}. Add its stack file, or remove the region from the list`,
        );
      } else if (here.length > 1) {
        problems.push(
          `stacks ${here.join(" and ")} of deployment ${name} both have aws:region ${region}; a deployment has one stack per region`,
        );
      }
    }

    // Warm standby: any other region must be able to grow to what the primary runs at its peak,
    // in vCPUs (an instance type's size times maxSize), and to carry its database load.
    const primary = members.find((s) => s.region === s.deployment.primary);
    if (!primary) continue;
    const peak = new Map(fleetPeaks(primary).map((f) => [f.name, f]));
    const standbys = members.filter((m) => m !== primary);
    if (primary.routing === "latency" && members.length > 1) {
      // Active-active: each region already serves its own shoppers, so losing any one region
      // (the primary included) leaves its load to all the others together (N-1). A one-region
      // deployment (staging) has nowhere to fail to.
      problems.push(...latencyCapacityProblems(name, primary, members));
    } else {
      for (const s of standbys) {
        for (const f of fleetPeaks(s)) {
          const want = peak.get(f.name);
          const problem = want && fleetCapacityProblem(name, primary, s, want, f);
          if (problem) problems.push(problem);
        }
      }
    }
    // One writer: whichever region it moves to carries every region's writes.
    for (const s of standbys) problems.push(...databaseCapacityProblems(name, primary, s));
  }
  return problems;
}

/**
 * Regions one ARC Region switch plan spans: "An active/passive approach deploys two application
 * replicas into two Regions" (ARC developer guide, "Create a Region switch plan"; CreatePlan's
 * `regions` is a "Fixed number of 2 items", docs/failover.md).
 */
export const REGION_SWITCH_PLAN_REGIONS = 2;

/**
 * Problems of a global stack's `securecart-global:regionalStacks` against the deployment
 * config. A Region switch plan spans two regions, so the plan switches the writer between the
 * deployment's primary and its first secondary (the pair failover routing uses); any further
 * latency-routed region keeps serving and forwards its writes to whichever is the writer
 * (components/data/writeForwarding.ts). The list must name exactly those two stacks, derived from
 * `securecart:deployment`, so reordering or adding regions can't leave the plan on a stale pair.
 * `regional` are the validated regional stack configs.
 */
export function globalStackProblems(
  global: { readonly stack: string; readonly regionalStacks: readonly string[] },
  regional: readonly StackConfig[],
): string[] {
  const key = "`securecart-global:regionalStacks`";
  const where = `${global.stack} (global/Pulumi.${global.stack}.yaml)`;
  const problems: string[] = [];
  const named = global.regionalStacks.map((qualified) => qualified.split("/").pop() as string);
  const found = named.map((name) => regional.find((c) => c.stack === name));
  named.forEach((name, i) => {
    if (!found[i]) {
      problems.push(
        `${key} of ${where} names ${global.regionalStacks[i]}, but ${name} is no regional stack of this project (no valid Pulumi.${name}.yaml with securecart:services). Name the regional stacks of the deployment the plan switches`,
      );
    }
  });
  const configs = found.filter((c): c is StackConfig => c !== undefined);
  const deployments = [...new Set(configs.map((c) => c.deployment.name))].sort();
  if (deployments.length > 1) {
    problems.push(
      `${key} of ${where} names stacks of deployments ${deployments.join(" and ")}; a Region switch plan moves one deployment between its regions. Name the stacks of one deployment`,
    );
  }
  if (deployments.length !== 1 || problems.length > 0) return problems;
  const deployment = configs[0].deployment;
  const pair = deploymentRegions(deployment).slice(0, REGION_SWITCH_PLAN_REGIONS);
  if (pair.length < REGION_SWITCH_PLAN_REGIONS) {
    return [
      `${key} of ${where} names stacks of deployment ${deployment.name}, which has one region (${deployment.primary}); a Region switch plan needs a second region to switch to. Remove the global stack or add a secondary`,
    ];
  }
  const stackOf = (region: string) =>
    regional.find((c) => c.deployment.name === deployment.name && c.region === region)?.stack ??
    `(no stack for ${region})`;
  const want = pair.map(stackOf);
  if (JSON.stringify([...want].sort()) !== JSON.stringify([...named].sort())) {
    problems.push(
      `${key} of ${where} names ${named.join(", ")}, but the plan switches deployment ${deployment.name} between its primary ${pair[0]} (${want[0]}) and its first secondary ${pair[1]} (${want[1]}), as securecart:deployment lists them. Name exactly ${want.join(" and ")}`,
    );
  }
  return problems;
}
