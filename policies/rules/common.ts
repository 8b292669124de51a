/**
 * Helpers shared by the policy definitions: how a resource is named in a message, how a value is
 * shown, and how a stack policy follows one resource's reference to another.
 */
import { PolicyResource } from "@pulumi/policy";

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

/** A string prop of a stack resource, or undefined. */
export function stringProp(r: PolicyResource, key: string): string | undefined {
  const v = propsOf(r)[key];
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
  const raw = propsOf(r)[prop];
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return candidates.filter((c) => {
    const candidateValue = stringProp(c, key);
    return candidateValue !== undefined && values.includes(candidateValue);
  });
}
