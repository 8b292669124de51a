/**
 * Pure helpers for ALB listener rules: priorities, AWS limits, and "which service does this
 * request reach". The component, the config validation, the tests and the README all use them.
 *
 * Priority scheme. A rule's priority is derived from the service's name and routing in config,
 * never from its position in a list, so adding or removing a service leaves every other rule's
 * priority unchanged:
 * - Rules fall into bands by specificity: host and path (10000–18999), path only (20000–28999),
 *   host only (30000–38999). A request for `shop.<domain>/cart` therefore reaches cart before
 *   storefront, whatever the names.
 * - Within a band the slot is a stable hash of the service name (FNV-1a, modulo 9000).
 * - `priority` in a service's config overrides the derived value. It is required only when two
 *   derived priorities collide, or when two rules in one band could match the same request.
 *
 * Host scope. A path-only service (no `hosts`) does not answer on every host: its rule carries a
 * host-header condition naming the load balancer's shared hosts, which leave out the hosts of
 * access-controlled services. So `admin.<domain>/checkout` never reaches checkout, and no other
 * host reaches admin (docs/security.md, Admin access).
 */
import { APEX } from "../dns/failoverPlan";

/** ALB limits that can be checked before deploying. */
export const ALB_LIMITS = {
  /** Listener rule priorities, unique per listener. */
  priorityMin: 1,
  priorityMax: 50000,
  /** Match evaluations per condition. */
  valuesPerCondition: 3,
  /** Match evaluations per rule, across all conditions. */
  valuesPerRule: 5,
  /** `*` and `?` per rule. */
  wildcardsPerRule: 5,
  /** Path patterns and host names. */
  patternMaxLength: 128,
  /** Default "rules per Application Load Balancer" quota (adjustable). */
  defaultRulesPerAlb: 100,
} as const;

/** Where one service is reachable, as written in config. */
export interface RouteSpec {
  /** Bare subdomain labels, e.g. `shop`. */
  readonly hosts: readonly string[];
  /** Path patterns starting with `/`; `*` and `?` are wildcards. */
  readonly paths: readonly string[];
  /** Explicit rule priority. */
  readonly priority?: number;
}

/** A listener rule as it will be created. */
export interface PlannedRule {
  readonly service: string;
  readonly priority: number;
  /** Fully qualified host names, lower case. */
  readonly hostHeaders: readonly string[];
  readonly pathPatterns: readonly string[];
}

/** A problem with the routing config: the key path below the services map, and what is wrong. */
export interface RoutingProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const BAND_WIDTH = 9000;
const BANDS = { hostAndPath: 10000, path: 20000, host: 30000 } as const;

/** 32-bit FNV-1a hash: small, stable across Node versions, and well spread for short names. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function bandOf(spec: RouteSpec): number {
  if (spec.hosts.length > 0 && spec.paths.length > 0) return BANDS.hostAndPath;
  return spec.paths.length > 0 ? BANDS.path : BANDS.host;
}

/** The priority a service's rule gets when config does not set one. */
export function derivedPriority(service: string, spec: RouteSpec): number {
  return bandOf(spec) + (fnv1a(service) % BAND_WIDTH);
}

/** Fully qualified host name for a bare label (`@` is the apex). */
export function hostName(label: string, domain: string): string {
  return (label === APEX ? domain : `${label}.${domain}`).toLowerCase();
}

/**
 * The host labels path-only services answer on: every host the load balancer's DNS records name
 * (`@` for the apex) except the hosts of access-controlled services, which serve only their own.
 */
export function sharedHostLabels(
  servedHosts: readonly string[],
  restrictedHosts: readonly string[],
): string[] {
  return [...new Set(servedHosts)].filter((h) => !restrictedHosts.includes(h));
}

/**
 * One rule per service, in evaluation order (lowest priority first). A path-only service's rule
 * gets a host-header condition of `sharedHosts` (labels, `@` for the apex).
 */
export function planListenerRules(
  domain: string,
  services: Readonly<Record<string, RouteSpec>>,
  sharedHosts: readonly string[],
): PlannedRule[] {
  return Object.entries(services)
    .map(([service, spec]) => ({
      service,
      priority: spec.priority ?? derivedPriority(service, spec),
      hostHeaders: (spec.hosts.length > 0 ? spec.hosts : sharedHosts).map((h) =>
        hostName(h, domain),
      ),
      pathPatterns: [...spec.paths],
    }))
    .sort((a, b) => a.priority - b.priority || a.service.localeCompare(b.service));
}

const PATH_CHARS = /^[A-Za-z0-9_\-.$/~"'@:+&*?]+$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function wildcards(values: readonly string[]): number {
  return values.reduce((n, v) => n + (v.match(/[*?]/g)?.length ?? 0), 0);
}

/** Literal text before the first wildcard: two patterns can only overlap if one prefixes the other. */
function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}

function patternsMayOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  return a.some((x) =>
    b.some((y) => {
      const [px, py] = [literalPrefix(x), literalPrefix(y)];
      const bothLiteral = px === x && py === y;
      return bothLiteral ? x === y : px.startsWith(py) || py.startsWith(px);
    }),
  );
}

/**
 * Every way the routing config breaks an ALB limit or the rule scheme. Empty when the rules can
 * be created as planned.
 */
export function routingProblems(
  domain: string,
  services: Readonly<Record<string, RouteSpec>>,
  sharedHosts: readonly string[],
  rulesQuota: number = ALB_LIMITS.defaultRulesPerAlb,
  sourceIpValues: Readonly<Record<string, number>> = {},
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const hostOwner = new Map<string, string>();
  const pathOwner = new Map<string, string>();
  const L = ALB_LIMITS;

  for (const [service, spec] of Object.entries(services)) {
    if (spec.hosts.length === 0 && spec.paths.length === 0) {
      problems.push({
        path: [service],
        message: "needs `hosts` or `paths` (or both); got neither",
      });
    }
    for (const [field, values] of [
      ["hosts", spec.hosts],
      ["paths", spec.paths],
    ] as const) {
      if (values.length > L.valuesPerCondition) {
        problems.push({
          path: [service, field],
          message: `has ${values.length} values; an ALB condition allows at most ${L.valuesPerCondition}`,
        });
      }
    }
    spec.hosts.forEach((label, i) => {
      if (!HOST_LABEL.test(label)) {
        problems.push({
          path: [service, "hosts", i],
          message: `must be a bare lower-case subdomain label such as "shop"; got "${label}"`,
        });
      } else if (hostName(label, domain).length > L.patternMaxLength) {
        problems.push({
          path: [service, "hosts", i],
          message: `makes a host name longer than ${L.patternMaxLength} characters`,
        });
      }
      const owner = hostOwner.get(label);
      if (owner !== undefined) {
        problems.push({
          path: [service, "hosts", i],
          message: `"${label}" is already routed to service "${owner}"; a host may belong to one service`,
        });
      }
      hostOwner.set(label, owner ?? service);
    });
    spec.paths.forEach((path, i) => {
      if (!path.startsWith("/") || !PATH_CHARS.test(path)) {
        problems.push({
          path: [service, "paths", i],
          message: `must start with "/" and use only A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & * ?; got "${path}"`,
        });
      } else if (path.length > L.patternMaxLength) {
        problems.push({
          path: [service, "paths", i],
          message: `is ${path.length} characters; ALB path patterns allow ${L.patternMaxLength}`,
        });
      }
      const owner = pathOwner.get(path);
      if (owner !== undefined) {
        problems.push({
          path: [service, "paths", i],
          message: `"${path}" is already routed to service "${owner}"; a path may belong to one service`,
        });
      }
      pathOwner.set(path, owner ?? service);
    });
    const pathOnly = spec.hosts.length === 0 && spec.paths.length > 0;
    if (pathOnly && sharedHosts.length === 0) {
      problems.push({
        path: [service, "hosts"],
        message:
          "is empty and the load balancer has no shared host for a path-only service to answer on; list the service's hosts",
      });
    }
    if (pathOnly && sharedHosts.length > L.valuesPerCondition) {
      problems.push({
        path: [service, "hosts"],
        message: `is empty, so the service answers on every shared host (${sharedHosts.join(", ")}), ${sharedHosts.length} values where an ALB condition allows ${L.valuesPerCondition}; list the service's hosts`,
      });
    }
    if (pathOnly) {
      for (const label of sharedHosts) {
        if (hostName(label, domain).length > L.patternMaxLength) {
          problems.push({
            path: [service, "hosts"],
            message: `is empty, so the service answers on shared host "${hostName(label, domain)}", longer than ${L.patternMaxLength} characters; list the service's hosts`,
          });
        }
      }
    }
    const values = ruleValueCount(spec, sharedHosts);
    // A source-ip condition's values are match evaluations too (ALB guide, "Condition types for
    // listener rules"), so an allow-list uses up the same 5.
    const sourceIps = sourceIpValues[service] ?? 0;
    if (values + sourceIps > L.valuesPerRule) {
      problems.push({
        path: [service],
        message: `has ${values} hosts and paths${pathOnly ? " (counting the shared hosts a path-only service answers on)" : ""}${sourceIps > 0 ? ` and ${sourceIps} source-ip values` : ""}; an ALB rule allows ${L.valuesPerRule} match evaluations`,
      });
    }
    const stars = wildcards(spec.paths);
    if (stars > L.wildcardsPerRule) {
      problems.push({
        path: [service, "paths"],
        message: `use ${stars} wildcards; an ALB rule allows ${L.wildcardsPerRule}`,
      });
    }
    if (spec.priority !== undefined) {
      const p = spec.priority;
      if (!Number.isInteger(p) || p < L.priorityMin || p > L.priorityMax) {
        problems.push({
          path: [service, "priority"],
          message: `must be an integer from ${L.priorityMin} to ${L.priorityMax}; got ${p}`,
        });
      }
    }
  }

  const count = Object.keys(services).length;
  if (count > rulesQuota) {
    problems.push({
      path: [],
      message: `need ${count} listener rules; the ALB quota allows ${rulesQuota}. Merge services or raise the quota with AWS and then securecart:albRuleQuota`,
    });
  }

  const rules = planListenerRules(domain, services, sharedHosts);
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const [a, b] = [rules[i], rules[j]];
      if (a.priority === b.priority) {
        problems.push({
          path: [b.service, "priority"],
          message: `${b.priority} is also the priority of service "${a.service}"; set a distinct \`priority\` on one of them`,
        });
        continue;
      }
      const specA = services[a.service];
      const specB = services[b.service];
      const sameBand = bandOf(specA) === bandOf(specB);
      const derived = specA.priority === undefined || specB.priority === undefined;
      if (
        sameBand &&
        derived &&
        patternsMayOverlap(a.hostHeaders, b.hostHeaders) &&
        patternsMayOverlap(a.pathPatterns, b.pathPatterns)
      ) {
        problems.push({
          path: [b.service, "priority"],
          message: `service "${b.service}" and service "${a.service}" could match the same request, so their order matters; set \`priority\` on both (lower wins)`,
        });
      }
    }
  }
  return problems;
}

/**
 * Match evaluations a service's rule spends on hosts and paths: its own hosts, or the shared
 * hosts when it has none (a path-only service), plus its paths. A source-ip condition adds its
 * values on top.
 */
export function ruleValueCount(spec: RouteSpec, sharedHosts: readonly string[]): number {
  const pathOnly = spec.hosts.length === 0;
  return (pathOnly ? sharedHosts.length : spec.hosts.length) + spec.paths.length;
}

/** Matches an ALB wildcard pattern (`*` any run, `?` one character). */
export function wildcardMatch(pattern: string, value: string, caseSensitive: boolean): boolean {
  const escaped = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${escaped}$`, caseSensitive ? "" : "i").test(value);
}

/**
 * The service an HTTPS request reaches, or `undefined` for the listener's default action.
 * Host matching ignores case and any port; path matching is case-sensitive and sees the path
 * only (no query string), as on an ALB.
 */
export function resolveRoute(
  rules: readonly PlannedRule[],
  host: string,
  path: string,
): string | undefined {
  const bareHost = host.replace(/:\d+$/, "");
  const barePath = path.split("?")[0];
  const ordered = [...rules].sort((a, b) => a.priority - b.priority);
  return ordered.find(
    (r) =>
      (r.hostHeaders.length === 0 ||
        r.hostHeaders.some((h) => wildcardMatch(h, bareHost, false))) &&
      (r.pathPatterns.length === 0 || r.pathPatterns.some((p) => wildcardMatch(p, barePath, true))),
  )?.service;
}
