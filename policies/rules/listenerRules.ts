/**
 * Listener rules can route around an HTTP listener's redirect: a rule added to it later serves
 * plain HTTP for its hosts or paths even though the default action redirects. Only the stack
 * shows which listener a rule belongs to, so this is a stack rule.
 */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsOf, referencedBy, show } from "./common";

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

export const httpListenerRulesRedirectToHttps: StackValidationPolicy = {
  name: "http-listener-rules-redirect-to-https",
  description:
    "A listener rule on an HTTP listener serves plain HTTP for whatever it matches, bypassing the listener's redirect; rules there may only redirect to HTTPS.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const httpListeners = args.resources.filter(
      (r) => isListener(r) && upper(propsOf(r).protocol, "HTTP") === "HTTP",
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
