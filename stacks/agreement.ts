/**
 * Stacks that agree: every regional stack of a deployment is previewed and deployed on its own,
 * yet they write records for the same names, share one global database and one sessions table,
 * and stand in for each other. This pure check compares their validated configs before any of
 * them is previewed, so a mix that Route 53 or Aurora would refuse (or a standby too small to
 * absorb the primary) fails with one message per disagreement that names the key and both stacks.
 */
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

/** Every fleet's maxSize with the config key it comes from. */
function fleetMaxima(c: StackConfig): { key: string; maxSize: number; name: string }[] {
  return [
    ...Object.entries(c.services).map(([name, s]) => ({
      name,
      key: `securecart:services.${name}.maxSize`,
      maxSize: s.maxSize,
    })),
    { name: "payments", key: "securecart:payments.maxSize", maxSize: c.payments.maxSize },
  ];
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

    // Warm standby: any other region must be able to grow to what the primary runs at its peak.
    const primary = members.find((s) => s.region === s.deployment.primary);
    if (!primary) continue;
    const peak = new Map(fleetMaxima(primary).map((f) => [f.name, f.maxSize]));
    for (const s of members.filter((m) => m !== primary)) {
      for (const f of fleetMaxima(s)) {
        const need = peak.get(f.name);
        if (need !== undefined && f.maxSize < need) {
          problems.push(
            `stacks of deployment ${name} disagree on \`${f.key}\`: ${s.stack} can grow to ${f.maxSize} but ${primary.stack} (the primary) runs up to ${need}. If ${primary.region} fails at peak, ${s.region} cannot absorb its load: raise it to at least ${need} in Pulumi.${s.stack}.yaml`,
          );
        }
      }
    }
  }
  return problems;
}
