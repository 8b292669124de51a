/**
 * Helpers shared by the policy definitions: how a resource is named in a message, how a value is
 * shown, and how a stack policy follows one resource's reference to another.
 */
import { PolicyResource, UnknownValueError } from "@pulumi/policy";

/** Load balancer classes. `aws.alb` is an alias module of `aws.lb`; both tokens still exist. */
export const LOAD_BALANCER_TYPES: readonly string[] = [
  "aws:lb/loadBalancer:LoadBalancer",
  "aws:alb/loadBalancer:LoadBalancer",
];

/** `application`, `network` or `gateway`; AWS (and the provider) default to `application`. */
export type LoadBalancerKind = "application" | "network" | "gateway";

/** The kind of a load balancer from its `loadBalancerType`. */
export function loadBalancerKind(loadBalancerType: string | undefined): LoadBalancerKind {
  if (loadBalancerType === "network" || loadBalancerType === "gateway") return loadBalancerType;
  return "application";
}

const KIND_LABEL: Record<LoadBalancerKind, string> = {
  application: "ALB",
  network: "NLB",
  gateway: "GWLB",
};

/** `ALB "web-alb"`: how messages name a load balancer. */
export function lbLabel(kind: LoadBalancerKind, name: string): string {
  return `${KIND_LABEL[kind]} "${name}"`;
}

/** A value as a message shows it: JSON for data, `not set` for undefined. */
export function show(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

/** True for a load balancer resource of either module (`aws.lb` or `aws.alb`). */
export function isLoadBalancer(r: PolicyResource): boolean {
  return LOAD_BALANCER_TYPES.includes(r.type);
}

/** The props of a stack resource as a plain record, without the unknown-checking proxy's typing. */
export function propsOf(r: PolicyResource): Record<string, unknown> {
  return r.props;
}

/**
 * `read()`, or undefined when it reads a value that is unknown during preview. The analyzer
 * wraps props in a proxy that throws on reading an unknown value, which would turn the whole
 * policy into an advisory "can't run during preview"; comparisons use this instead.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return undefined;
    throw e;
  }
}

/**
 * True when `obj[key]` holds a value, known or not. It looks at the property without reading it
 * through the analyzer's proxy: during preview the ID of a resource not created yet is unknown,
 * but it will be set, which is all a rule like "has a health check" needs to know.
 */
export function isSet(obj: object | undefined, key: string): boolean {
  if (obj === undefined || obj === null) return false;
  const raw: unknown = Object.getOwnPropertyDescriptor(obj, key)?.value;
  return raw !== undefined && raw !== null && raw !== "";
}

/** A string prop of a stack resource, or undefined (also when unknown during preview). */
export function stringProp(r: PolicyResource, key: string): string | undefined {
  const v = known(() => propsOf(r)[key]);
  return typeof v === "string" ? v : undefined;
}

/**
 * The resources among `candidates` that `r`'s `prop` refers to. The engine records which
 * resources each input came from (`propertyDependencies`), which works even while the value is
 * unknown during preview; a value that came from a literal or a lookup has no such link, so the
 * fallback compares the value with each candidate's `key` output (e.g. `arn`).
 */
export function referencedBy(
  r: PolicyResource,
  prop: string,
  candidates: readonly PolicyResource[],
  key: string,
): PolicyResource[] {
  const linked = (r.propertyDependencies[prop] ?? []).filter((d) => candidates.includes(d));
  if (linked.length > 0) return linked;
  const raw = known(() => propsOf(r)[prop]);
  const items: unknown[] = [];
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) items.push(known(() => raw[i] as unknown));
  } else {
    items.push(raw);
  }
  const values = items.filter((v): v is string => typeof v === "string" && v !== "");
  return candidates.filter((c) => {
    const candidateValue = stringProp(c, key);
    return candidateValue !== undefined && values.includes(candidateValue);
  });
}
