/**
 * Load balancer, listener and target group rules. Each resource rule matches both the `aws.lb`
 * and the `aws.alb` class: they are the same AWS resource under two Pulumi type tokens, and a
 * rule that matched only one could be dodged by importing the other module.
 */
import * as aws from "@pulumi/aws";
import {
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  TypedResourceValidation,
  validateResourceOfType,
} from "@pulumi/policy";
import { Unwrap } from "@pulumi/pulumi";
import { isSet, lbLabel, loadBalancerKind, show } from "./common";

type LoadBalancerProps = Unwrap<aws.lb.LoadBalancerArgs>;
type TargetGroupProps = Unwrap<aws.lb.TargetGroupArgs>;
type ListenerProps = Unwrap<aws.lb.ListenerArgs>;

/** A resource class as `args.isType` takes it. */
type ResourceClass = Parameters<ResourceValidationArgs["isType"]>[0];

/**
 * One validation for several classes of the same AWS resource. The analyzer records a policy as
 * "not applicable" to a resource when any of its validation functions calls `notApplicable`, so
 * an `aws.lb` and an `aws.alb` validation side by side would leave every compliant load balancer
 * "not applicable" instead of "passed" (`makeAnalyzeRpcFun` in @pulumi/policy `server.ts`).
 */
export function validateResourceOfTypes<TProps>(
  classes: readonly ResourceClass[],
  check: TypedResourceValidation<TProps>,
): ResourceValidation {
  return (args, report) => {
    if (!classes.some((cls) => args.isType(cls))) {
      const tokens = classes.map((cls) => (cls as { __pulumiType?: string }).__pulumiType);
      args.notApplicable(`Policy only applies to resources of type ${tokens.join(" or ")}`);
    }
    return check(args.props as TProps, args, report);
  };
}

/** One check for `aws.lb.LoadBalancer` and `aws.alb.LoadBalancer`. */
function forLoadBalancers(check: TypedResourceValidation<LoadBalancerProps>): ResourceValidation {
  return validateResourceOfTypes([aws.lb.LoadBalancer, aws.alb.LoadBalancer], check);
}

/** One check for `aws.lb.TargetGroup` and `aws.alb.TargetGroup`. */
function forTargetGroups(check: TypedResourceValidation<TargetGroupProps>): ResourceValidation {
  return validateResourceOfTypes([aws.lb.TargetGroup, aws.alb.TargetGroup], check);
}

/** One check for `aws.lb.Listener` and `aws.alb.Listener`. */
function forListeners(check: TypedResourceValidation<ListenerProps>): ResourceValidation {
  return validateResourceOfTypes([aws.lb.Listener, aws.alb.Listener], check);
}

/**
 * TLS policies approved by default: TLS 1.3 with TLS 1.2 as the floor, no `Ext` cipher
 * extensions. The API default `ELBSecurityPolicy-2016-08` still accepts TLS 1.0.
 */
export const DEFAULT_TLS_POLICIES: readonly string[] = [
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
];

/** The security policy AWS applies when a listener names none (CLI, API, CloudFormation). */
export const API_DEFAULT_TLS_POLICY = "ELBSecurityPolicy-2016-08";

/** Config of {@link listenerApprovedTlsPolicy}. */
export interface TlsPolicyConfig {
  readonly allowedPolicies?: string[];
}

export const noClassicLoadBalancer: ResourceValidationPolicy = {
  name: "no-classic-load-balancer",
  description:
    "Classic Load Balancers have no host/path routing, no WAF, no TLS 1.3 policies and are being retired by AWS; use an ALB or NLB (aws.lb.LoadBalancer).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.elb.LoadBalancer, (_clb, args, report) => {
    report(
      `Classic Load Balancer "${args.name}" (aws.elb.LoadBalancer) is not allowed. Replace it with aws.lb.LoadBalancer (loadBalancerType "application" for HTTP(S), "network" for TCP/TLS).`,
    );
  }),
};

export const lbCrossZoneEnabled: ResourceValidationPolicy = {
  name: "lb-cross-zone-enabled",
  description:
    "AWS leaves cross-zone load balancing off on NLBs and GWLBs; without it an AZ with fewer healthy targets gets the same share of traffic and overloads them.",
  enforcementLevel: "mandatory",
  validateResource: forLoadBalancers((lb, args, report) => {
    const kind = loadBalancerKind(lb.loadBalancerType);
    if (kind === "application") return; // always on for ALBs
    if (lb.enableCrossZoneLoadBalancing !== true) {
      report(
        `${lbLabel(kind, args.name)} has enableCrossZoneLoadBalancing ${show(lb.enableCrossZoneLoadBalancing)} (AWS default: off). Set enableCrossZoneLoadBalancing: true.`,
      );
    }
  }),
};

export const targetGroupCrossZoneNotDisabled: ResourceValidationPolicy = {
  name: "target-group-cross-zone-not-disabled",
  description:
    "A target group can switch cross-zone off even where its load balancer has it on, which brings back uneven per-AZ load during a partial AZ failure.",
  enforcementLevel: "mandatory",
  validateResource: forTargetGroups((tg, args, report) => {
    if (tg.loadBalancingCrossZoneEnabled === "false") {
      report(
        `Target group "${args.name}" has loadBalancingCrossZoneEnabled "false". Set it to "true" or "use_load_balancer_configuration".`,
      );
    }
  }),
};

export const targetGroupHealthCheck: ResourceValidationPolicy = {
  name: "target-group-health-check",
  description:
    "A target group without an explicit, enabled health check keeps sending traffic to broken instances, and Route 53 evaluate-target-health cannot see them fail.",
  enforcementLevel: "mandatory",
  validateResource: forTargetGroups((tg, args, report) => {
    const label = `Target group "${args.name}"`;
    if (tg.targetType === "lambda") return; // Lambda targets have no health check port or path
    const hc = tg.healthCheck;
    if (hc === undefined) {
      report(
        `${label} declares no healthCheck, so AWS defaults apply (path "/", 30 s interval). Declare healthCheck with enabled: true and the service's health path.`,
      );
      return;
    }
    if (hc.enabled === false) {
      report(`${label} has healthCheck.enabled false. Set healthCheck.enabled: true.`);
      return;
    }
    // The provider's default health check protocol is HTTP, whatever the target group protocol.
    const protocol = (hc.protocol ?? "HTTP").toUpperCase();
    if ((protocol === "HTTP" || protocol === "HTTPS") && !hc.path) {
      report(
        `${label} has an ${protocol} health check with path ${show(hc.path)}. Set healthCheck.path to a path the service answers only when it can serve traffic, e.g. "/healthz".`,
      );
    }
  }),
};

export const httpListenerRedirectsToHttps: ResourceValidationPolicy = {
  name: "http-listener-redirects-to-https",
  description:
    "Plain HTTP exposes cookies and checkout data; an HTTP listener may exist only to redirect browsers to HTTPS.",
  enforcementLevel: "mandatory",
  validateResource: forListeners((listener, args, report) => {
    // A Gateway Load Balancer listener takes neither port nor protocol: it carries GENEVE.
    if (listener.protocol === undefined && listener.port === undefined) return;
    // The provider defaults an ALB listener's protocol to HTTP.
    const protocol = (listener.protocol ?? "HTTP").toUpperCase();
    if (protocol !== "HTTP") return;
    const actions = listener.defaultActions ?? [];
    const bad = actions.filter(
      (a) => a.type !== "redirect" || (a.redirect?.protocol ?? "").toUpperCase() !== "HTTPS",
    );
    if (actions.length === 0 || bad.length > 0) {
      const found = actions
        .map((a) =>
          a.type === "redirect"
            ? `redirect to ${show(a.redirect?.protocol ?? "#{protocol}")}`
            : a.type,
        )
        .join(", ");
      report(
        `HTTP listener "${args.name}" (port ${show(listener.port)}) has default actions [${found}]. Make its only default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.`,
      );
    }
  }),
};

export const listenerApprovedTlsPolicy: ResourceValidationPolicy = {
  name: "listener-approved-tls-policy",
  description:
    "HTTPS and TLS listeners must use an approved security policy; without one AWS applies ELBSecurityPolicy-2016-08, which still accepts TLS 1.0 and 1.1.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPolicies: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        default: [...DEFAULT_TLS_POLICIES],
        description: "ELB security policies an HTTPS or TLS listener may use.",
      },
    },
  },
  validateResource: forListeners((listener, args, report) => {
    const protocol = (listener.protocol ?? "").toUpperCase();
    if (protocol !== "HTTPS" && protocol !== "TLS") return;
    const allowed = args.getConfig<TlsPolicyConfig>().allowedPolicies ?? [...DEFAULT_TLS_POLICIES];
    const policy = listener.sslPolicy;
    if (policy === undefined || !allowed.includes(policy)) {
      const found =
        policy === undefined
          ? `no sslPolicy (AWS applies ${API_DEFAULT_TLS_POLICY})`
          : `sslPolicy "${policy}"`;
      report(
        `${protocol} listener "${args.name}" has ${found}. Set sslPolicy to one of: ${allowed.join(", ")}.`,
      );
    }
  }),
};

export const albDropInvalidHeaders: ResourceValidationPolicy = {
  name: "alb-drop-invalid-headers",
  description:
    "ALBs pass malformed header names to targets unless told to drop them (AWS default: off), which enables request smuggling and header injection against the app.",
  enforcementLevel: "mandatory",
  validateResource: forLoadBalancers((lb, args, report) => {
    const kind = loadBalancerKind(lb.loadBalancerType);
    if (kind !== "application") return;
    if (lb.dropInvalidHeaderFields !== true) {
      report(
        `${lbLabel(kind, args.name)} has dropInvalidHeaderFields ${show(lb.dropInvalidHeaderFields)} (AWS default: false). Set dropInvalidHeaderFields: true.`,
      );
    }
  }),
};

export const lbDeletionProtection: ResourceValidationPolicy = {
  name: "lb-deletion-protection",
  description:
    "A load balancer's DNS name cannot be recreated; deleting it by accident breaks every alias and partner allow-list until DNS is repointed. AWS default: off.",
  enforcementLevel: "mandatory",
  validateResource: forLoadBalancers((lb, args, report) => {
    if (lb.enableDeletionProtection !== true) {
      const kind = loadBalancerKind(lb.loadBalancerType);
      report(
        `${lbLabel(kind, args.name)} has enableDeletionProtection ${show(lb.enableDeletionProtection)} (AWS default: false). Set enableDeletionProtection: true; turn it off only in the change that retires the load balancer.`,
      );
    }
  }),
};

export const lbAccessLogs: ResourceValidationPolicy = {
  name: "lb-access-logs",
  description:
    "Access logs are the only record of who sent which request through an ALB or NLB (TLS listeners); incident response and PCI DSS audit logging need them. A GWLB has none to turn on.",
  enforcementLevel: "mandatory",
  validateResource: forLoadBalancers((lb, args, report) => {
    const kind = loadBalancerKind(lb.loadBalancerType);
    if (kind === "gateway") return;
    const logs = lb.accessLogs;
    if (logs?.enabled !== true || !isSet(logs, "bucket")) {
      const found =
        logs === undefined
          ? "no accessLogs"
          : `accessLogs { enabled: ${show(logs.enabled)}, bucket: ${isSet(logs, "bucket") ? "set" : "not set"} }`;
      report(
        `${lbLabel(kind, args.name)} has ${found}; logging is off unless enabled is true. Set accessLogs: { bucket: <log bucket>, prefix: <prefix>, enabled: true }.`,
      );
    }
  }),
};

export const albDesyncMitigation: ResourceValidationPolicy = {
  name: "alb-desync-mitigation",
  description:
    "HTTP desync mitigation should stay defensive or strictest; monitor mode forwards ambiguous requests that enable request smuggling.",
  enforcementLevel: "advisory",
  validateResource: forLoadBalancers((lb, args, report) => {
    const kind = loadBalancerKind(lb.loadBalancerType);
    if (kind !== "application") return;
    const mode = lb.desyncMitigationMode ?? "defensive";
    if (mode !== "defensive" && mode !== "strictest") {
      report(
        `${lbLabel(kind, args.name)} has desyncMitigationMode "${mode}". Set desyncMitigationMode: "defensive" (or "strictest").`,
      );
    }
  }),
};

/** Resource rules for load balancers, listeners and target groups. */
export const loadBalancerPolicies: ResourceValidationPolicy[] = [
  noClassicLoadBalancer,
  lbCrossZoneEnabled,
  targetGroupCrossZoneNotDisabled,
  targetGroupHealthCheck,
  httpListenerRedirectsToHttps,
  listenerApprovedTlsPolicy,
  albDropInvalidHeaders,
  lbDeletionProtection,
  lbAccessLogs,
  albDesyncMitigation,
];
