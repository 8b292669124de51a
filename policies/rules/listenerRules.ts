/**
 * Listener rules can route around an HTTP listener's redirect: a rule added to it later serves
 * plain HTTP for its hosts or paths even though the default action redirects. Only the stack
 * shows which listener a rule belongs to, so this is a stack rule.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isLoadBalancer, known, loadBalancerKind, propsOf, referencedBy, show } from "./common";

interface ActionLike {
  readonly type?: unknown;
  readonly redirect?: { readonly protocol?: unknown };
}

function isListener(r: PolicyResource): boolean {
  return r.isType(aws.lb.Listener) || r.isType(aws.alb.Listener);
}

function isListenerRule(r: PolicyResource): boolean {
  return r.isType(aws.lb.ListenerRule) || r.isType(aws.alb.ListenerRule);
}

/** An upper-cased string prop, or `fallback` when it is not a string. */
function upper(value: unknown, fallback: string): string {
  return (typeof value === "string" ? value : fallback).toUpperCase();
}

function describeAction(a: ActionLike): string {
  return a.type === "redirect"
    ? `redirect to ${show(a.redirect?.protocol ?? "#{protocol}")}`
    : String(a.type);
}

/**
 * A listener's protocol. Known when the program set it; during a first-deploy preview an unset
 * protocol is unknown (the provider computes it), so it is judged by the listener's load balancer:
 * the provider defaults an ALB listener to HTTP, and a GWLB listener takes no protocol (it carries
 * GENEVE). AWS CreateListener: "You can't specify a protocol for a Gateway Load Balancer". A
 * listener whose load balancer is not in the stack counts as HTTP, the strict reading.
 */
export function listenerProtocol(
  listener: PolicyResource,
  loadBalancers: readonly PolicyResource[],
): string {
  const protocol = known(() => propsOf(listener).protocol);
  if (typeof protocol === "string") return protocol.toUpperCase();
  const [lb] = referencedBy(listener, "loadBalancerArn", loadBalancers, "arn");
  const type = lb ? known(() => propsOf(lb).loadBalancerType) : undefined;
  const kind = loadBalancerKind(typeof type === "string" ? type : undefined);
  return kind === "gateway" ? "GENEVE" : kind === "network" ? "TCP" : "HTTP";
}

export const httpListenerRulesRedirectToHttps: StackValidationPolicy = {
  name: "http-listener-rules-redirect-to-https",
  description:
    "A listener rule on an HTTP listener serves plain HTTP for whatever it matches, bypassing the listener's redirect; rules there may only redirect to HTTPS.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const loadBalancers = args.resources.filter(isLoadBalancer);
    const httpListeners = args.resources.filter(
      (r) => isListener(r) && listenerProtocol(r, loadBalancers) === "HTTP",
    );
    for (const rule of args.resources.filter(isListenerRule)) {
      const [listener] = referencedBy(rule, "listenerArn", httpListeners, "arn");
      if (!listener) continue;
      const raw = propsOf(rule).actions;
      const actions = Array.isArray(raw) ? (raw as ActionLike[]) : [];
      const ok = actions.every(
        (a) => a.type === "redirect" && upper(a.redirect?.protocol, "") === "HTTPS",
      );
      if (!ok || actions.length === 0) {
        report(
          `Listener rule "${rule.name}" on HTTP listener "${listener.name}" has actions [${actions.map(describeAction).join(", ")}]. Move the rule to the HTTPS listener, or make its only action a redirect with protocol "HTTPS".`,
          rule.urn,
        );
      }
    }
  },
};

/** Stack rules about listener rules. */
export const listenerRulePolicies: StackValidationPolicy[] = [httpListenerRulesRedirectToHttps];
