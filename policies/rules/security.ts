/**
 * The payments platform's security posture (docs/security.md): flow logs in every VPC, pinned
 * AMIs, TLS all the way to the payments targets, and no public admin surface. Each rule decides
 * during a first preview, when IDs and ARNs are unknown: links between resources come from
 * `propertyDependencies`, and values are read only through `known()`/`isSet()`.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isLoadBalancer, isSet, known, propsOf, referencedBy, show } from "./common";

/** An AMI ID as EC2 prints it. */
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * A made-up AMI ID such as `ami-0000000000000e001`: six equal hex digits in a row, which a real
 * (random) ID has with a chance of about 1 in 100,000. EC2 refuses it only when the Auto Scaling
 * group launches, after the rest of the stack exists. Same rule as stacks/securityConfig.ts (the
 * pack is self-contained, so it keeps its own copy).
 */
const PLACEHOLDER_AMI_ID = /^ami-[0-9a-f]*([0-9a-f])\1{5}/;

const WORLD = ["0.0.0.0/0", "::/0"];

function isListener(r: PolicyResource): boolean {
  return r.isType(aws.lb.Listener) || r.isType(aws.alb.Listener);
}

function isListenerRule(r: PolicyResource): boolean {
  return r.isType(aws.lb.ListenerRule) || r.isType(aws.alb.ListenerRule);
}

function isTargetGroup(r: PolicyResource): boolean {
  return r.isType(aws.lb.TargetGroup) || r.isType(aws.alb.TargetGroup);
}

/** A known string prop of `obj`, else undefined (also while unknown during preview). */
function knownString(obj: unknown, key: string): string | undefined {
  const v = known(() => (obj as Record<string, unknown> | undefined)?.[key]);
  return typeof v === "string" ? v : undefined;
}

/** The known elements of an array prop that are strings. */
function knownStrings(obj: unknown, key: string): string[] {
  const raw = known(() => (obj as Record<string, unknown> | undefined)?.[key]);
  if (!Array.isArray(raw)) return [];
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const v = known(() => raw[i] as unknown);
    if (typeof v === "string") out.push(v);
  }
  return out;
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
}

export const vpcFlowLogs: StackValidationPolicy = {
  name: "vpc-flow-logs",
  description:
    "Every VPC logs at least its rejected flows into a CloudWatch Logs group that is encrypted with a KMS key and expires records; without flow logs an intrusion leaves no network trail (PCI DSS 10).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const vpcs = args.resources.filter((r) => r.isType(aws.ec2.Vpc));
    const flowLogs = args.resources.filter((r) => r.isType(aws.ec2.FlowLog));
    const logGroups = args.resources.filter((r) => r.isType(aws.cloudwatch.LogGroup));
    for (const vpc of vpcs) {
      const mine = flowLogs.filter((f) => referencedBy(f, "vpcId", [vpc], "id").length > 0);
      if (mine.length === 0) {
        report(
          `VPC "${vpc.name}" has no flow log: no aws.ec2.FlowLog has its ID as vpcId. Add one with trafficType "REJECT" or "ALL" into a KMS-encrypted log group with retentionInDays (components/network/vpcFlowLog.ts).`,
          vpc.urn,
        );
        continue;
      }
      const problems = mine.map((f) => {
        const p = propsOf(f);
        const traffic = knownString(p, "trafficType");
        if (traffic !== "ALL" && traffic !== "REJECT") {
          return `flow log "${f.name}" records trafficType ${show(traffic)}, which misses rejected flows; use "REJECT" or "ALL"`;
        }
        const type = knownString(p, "logDestinationType") ?? "cloud-watch-logs";
        const [group] = referencedBy(f, "logDestination", logGroups, "arn");
        if (type !== "cloud-watch-logs" || group === undefined) {
          return `flow log "${f.name}" delivers to ${type} but not to a log group of this stack; deliver to a KMS-encrypted aws.cloudwatch.LogGroup`;
        }
        const g = propsOf(group);
        if (!isSet(g, "kmsKeyId")) {
          return `log group "${group.name}" of flow log "${f.name}" has no kmsKeyId; encrypt it with a customer-managed KMS key`;
        }
        const retention = known(() => g.retentionInDays);
        if (typeof retention !== "number" || retention <= 0) {
          return `log group "${group.name}" of flow log "${f.name}" has retentionInDays ${show(retention)} (kept forever); set a CloudWatch Logs retention period`;
        }
        return undefined;
      });
      // One compliant flow log is enough; report the first problem only when none complies.
      if (problems.every((p) => p !== undefined)) {
        report(`VPC "${vpc.name}": ${problems[0]}.`, vpc.urn);
      }
    }
  },
};

export const launchTemplatePinnedAmi: ResourceValidationPolicy = {
  name: "launch-template-pinned-ami",
  description:
    "Launch templates name a pinned AMI ID from config. A `resolve:ssm:` reference to AWS's public 'latest' parameter changes the image of every new instance on each Amazon Linux release, without a review or a rollout.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.ec2.LaunchTemplate, (lt, args, report) => {
    const imageId = knownString(lt, "imageId");
    if (imageId !== undefined && AMI_ID.test(imageId)) {
      if (!PLACEHOLDER_AMI_ID.test(imageId)) return;
      report(
        `Launch template "${args.name}" has imageId "${imageId}", which looks like a placeholder (six equal digits in a row), not an image EC2 has; the Auto Scaling group would fail to launch after the rest of the stack exists. Pin the ID that npm run ami:check prints in securecart:amis.`,
      );
      return;
    }
    if (imageId?.startsWith("resolve:ssm:")) {
      const latest = imageId.includes("/aws/service/")
        ? " (AWS's public latest-AMI parameter)"
        : "";
      report(
        `Launch template "${args.name}" has imageId "${imageId}"${latest}, which EC2 resolves at every launch. Pin the AMI ID in securecart:amis and bump it with npm run ami:check.`,
      );
      return;
    }
    report(
      `Launch template "${args.name}" has imageId ${imageId === undefined && isSet(lt, "imageId") ? "unknown until deploy" : show(imageId)}, not a pinned AMI ID such as ami-0123456789abcdef0. Pin the AMI ID in securecart:amis.`,
    );
  }),
};

/** Config of {@link tlsToPaymentsTargets}. */
export interface TlsToPaymentsTargetsConfig {
  readonly passThroughListeners?: string[];
}

export const tlsToPaymentsTargets: StackValidationPolicy = {
  name: "tls-to-payments-targets",
  description:
    "Every Network Load Balancer listener (the payments NLB) is TLS and forwards only to TLS target groups, so card data is encrypted from the client to the instance and never crosses the VPC in plaintext (PCI DSS 4). A TCP listener would pass the client's bytes on as they are, and a TLS listener in front of a TCP target group decrypts them; only listeners named in passThroughListeners may be TCP, for a deliberate end-to-end pass-through.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      passThroughListeners: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Names of NLB listeners allowed to be plain TCP (pass-through: the targets terminate TLS themselves).",
      },
    },
  },
  validateStack: (args, report) => {
    const passThrough = args.getConfig<TlsToPaymentsTargetsConfig>().passThroughListeners ?? [];
    const groups = args.resources.filter(isTargetGroup);
    const nlbs = args.resources.filter(
      (r) => isLoadBalancer(r) && knownString(propsOf(r), "loadBalancerType") === "network",
    );
    for (const listener of args.resources.filter(isListener)) {
      const protocol = knownString(propsOf(listener), "protocol")?.toUpperCase();
      const [nlb] = referencedBy(listener, "loadBalancerArn", nlbs, "arn");
      if (nlb !== undefined && protocol !== "TLS" && !passThrough.includes(listener.name)) {
        report(
          `Listener "${listener.name}" of NLB "${nlb.name}" has protocol ${show(protocol)}, not TLS, so it carries the clients' traffic without terminating TLS under our certificate and policy (a TCP listener in front of a TCP target group passes plaintext straight through). Use a TLS listener forwarding to a TLS target group, or name the listener in passThroughListeners if the targets terminate TLS themselves.`,
          listener.urn,
        );
        continue;
      }
      if (protocol !== "TLS") continue;
      for (const tg of referencedBy(listener, "defaultActions", groups, "arn")) {
        const tgProtocol = knownString(propsOf(tg), "protocol");
        if (tgProtocol?.toUpperCase() === "TLS") continue;
        report(
          `TLS listener "${listener.name}" forwards to target group "${tg.name}" with protocol ${show(tgProtocol)}, so the load balancer decrypts and sends plaintext on to the targets. Use protocol "TLS" on the target group and serve TLS on the instances.`,
          tg.urn,
        );
      }
    }
  },
};

/** Config of {@link adminNotPublic}. */
export interface AdminNotPublicConfig {
  readonly restrictedHostLabels?: string[];
  readonly restrictedServices?: string[];
  readonly restrictedPathPrefixes?: string[];
  readonly maxSessionTimeoutSeconds?: number;
  readonly minIpv4PrefixLength?: number;
  readonly minIpv6PrefixLength?: number;
}

/**
 * Defaults of the admin-not-public config. They match stacks/securityConfig.ts
 * (ADMIN_SESSION_TIMEOUT_SECONDS.max, ADMIN_MIN_IPV4_PREFIX_LENGTH; the pack keeps its own copy
 * and test/securityPolicies.test.ts checks they agree). Reasons are given there.
 */
export const ADMIN_POLICY_DEFAULTS = {
  maxSessionTimeoutSeconds: 43200,
  minIpv4PrefixLength: 16,
  minIpv6PrefixLength: 48,
} as const;

/**
 * Matches an ALB host pattern (`*` any run, `?` one character, case-insensitive). The same rule
 * as components/loadBalancing/routing.ts `wildcardMatch`; the pack keeps its own copy.
 */
function hostPatternMatches(pattern: string, host: string): boolean {
  const re = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
    .join("");
  return new RegExp(`^${re}$`, "i").test(host);
}

/** The prefix length of an IPv4 or IPv6 CIDR, or undefined when it is neither. */
function prefixOf(cidr: string): { family: 4 | 6; length: number } | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  return { family: m[1].includes(":") ? 6 : 4, length: Number(m[2]) };
}

/** `a.b.c.d/n` as a [first, last] address range, or undefined. */
function ipv4Range(cidr: string): [number, number] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  return [first, first + size - 1];
}

function overlaps(a: string, b: string): boolean {
  const [x, y] = [ipv4Range(a), ipv4Range(b)];
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}

/**
 * Why the actions of an admin rule don't authenticate before they forward, or undefined when
 * they do. `onUnauthenticatedRequest: "allow"` forwards a request that has no session as it is,
 * so it only adds identity claims when present; `deny` (401) and `authenticate` (the default:
 * redirect to the IdP) keep anonymous clients out (ELB API reference,
 * AuthenticateCognitoActionConfig / AuthenticateOidcActionConfig).
 */
function authenticationGap(
  actions: Record<string, unknown>[],
  maxSessionTimeoutSeconds: number,
): string | undefined {
  const orderOf = (a: Record<string, unknown>, i: number) => {
    const o = known(() => a.order);
    return typeof o === "number" ? o : i + 1;
  };
  const auth = actions
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.type === "authenticate-oidc" || a.type === "authenticate-cognito");
  if (auth.length === 0) return "no authenticate action";
  for (const { a, i } of auth) {
    const config = known(() =>
      a.type === "authenticate-oidc" ? a.authenticateOidc : a.authenticateCognito,
    ) as Record<string, unknown> | undefined;
    const behaviour = knownString(config, "onUnauthenticatedRequest") ?? "authenticate";
    if (behaviour === "allow") {
      return `its ${String(a.type)} action has onUnauthenticatedRequest "allow", which forwards anonymous requests`;
    }
    // Unset, the session lasts AWS's default of 604800 s (7 days; AuthenticateCognitoActionConfig
    // and AuthenticateOidcActionConfig SessionTimeout).
    if (!isSet(config, "sessionTimeout")) {
      return `its ${String(a.type)} action leaves sessionTimeout unset, so a session lasts AWS's default of 604800 s (7 days); set at most ${maxSessionTimeoutSeconds}`;
    }
    const timeout = known(() => config?.sessionTimeout);
    if (typeof timeout === "number" && timeout > maxSessionTimeoutSeconds) {
      return `its ${String(a.type)} action keeps a session for ${timeout} s, more than ${maxSessionTimeoutSeconds}`;
    }
    const forward = actions.findIndex((f) => f.type === "forward");
    if (forward >= 0 && orderOf(actions[forward], forward) < orderOf(a, i)) {
      return `forwards before its ${String(a.type)} action runs`;
    }
  }
  return undefined;
}

export const adminNotPublic: StackValidationPolicy = {
  name: "admin-not-public",
  description:
    "Listener rules that reach the admin service (its target group, its paths, or a host or host pattern matching the admin host) admit only allow-listed networks (a source-ip condition without 0.0.0.0/0, no wider than minIpv4PrefixLength/minIpv6PrefixLength and outside the VPC's own range) or authenticate first (authenticate-oidc or authenticate-cognito that denies or redirects anonymous requests, with a sessionTimeout of at most maxSessionTimeoutSeconds instead of AWS's 7-day default), and every other rule on that listener names its hosts, so none answers on the admin host; WAF alone leaves the admin surface open to the internet.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      restrictedHostLabels: {
        type: "array",
        items: { type: "string" },
        default: ["admin"],
        description: "First DNS labels of hosts that must not be public, e.g. admin.",
      },
      restrictedServices: {
        type: "array",
        items: { type: "string" },
        default: ["admin"],
        description:
          "`Service` tags of target groups that must not be public, however a rule reaches them.",
      },
      restrictedPathPrefixes: {
        type: "array",
        items: { type: "string" },
        default: ["/admin"],
        description: "Path patterns starting with these must not be public on any host.",
      },
      maxSessionTimeoutSeconds: {
        type: "integer",
        default: ADMIN_POLICY_DEFAULTS.maxSessionTimeoutSeconds,
        description:
          "Longest sessionTimeout an authenticate action on an admin rule may keep (unset means AWS's 7 days).",
      },
      minIpv4PrefixLength: {
        type: "integer",
        default: ADMIN_POLICY_DEFAULTS.minIpv4PrefixLength,
        description:
          "Shortest IPv4 prefix an admin source-ip condition may allow-list; wider ranges hold other people's networks.",
      },
      minIpv6PrefixLength: {
        type: "integer",
        default: ADMIN_POLICY_DEFAULTS.minIpv6PrefixLength,
        description: "Shortest IPv6 prefix an admin source-ip condition may allow-list.",
      },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<AdminNotPublicConfig>();
    const labels = config.restrictedHostLabels ?? ["admin"];
    const services = config.restrictedServices ?? ["admin"];
    const pathPrefixes = config.restrictedPathPrefixes ?? ["/admin"];
    const maxSession =
      config.maxSessionTimeoutSeconds ?? ADMIN_POLICY_DEFAULTS.maxSessionTimeoutSeconds;
    const minPrefix = {
      4: config.minIpv4PrefixLength ?? ADMIN_POLICY_DEFAULTS.minIpv4PrefixLength,
      6: config.minIpv6PrefixLength ?? ADMIN_POLICY_DEFAULTS.minIpv6PrefixLength,
    };
    const listeners = args.resources.filter(isListener);
    const listenerOf = (rule: PolicyResource) =>
      referencedBy(rule, "listenerArn", listeners, "arn")[0];
    const restrictedGroups = args.resources.filter((r) => {
      if (!isTargetGroup(r)) return false;
      const service = knownString(
        known(() => propsOf(r).tags),
        "Service",
      );
      return service !== undefined && services.includes(service);
    });
    // The VPCs' own ranges: a source-ip condition inside them admits every instance of the VPC,
    // which can reach an internet-facing ALB on its private addresses.
    const vpcRanges = args.resources
      .filter((r) => r.isType(aws.ec2.Vpc))
      .map((v) => knownString(propsOf(v), "cidrBlock"))
      .filter((c): c is string => c !== undefined);

    // A listener's default action has no conditions, so it can't restrict anything.
    for (const listener of listeners) {
      for (const tg of referencedBy(listener, "defaultActions", restrictedGroups, "arn")) {
        report(
          `Listener "${listener.name}" forwards every request to target group "${tg.name}" (service ${show(
            knownString(
              known(() => propsOf(tg).tags),
              "Service",
            ),
          )}) in its default action, which can carry no source-ip condition or authentication. Reach it through a listener rule set by securecart:admin (docs/security.md).`,
          listener.urn,
        );
      }
    }

    // Host patterns count when they match an admin host: `*.securecart.com` and
    // `adm*.securecart.com` match admin.securecart.com as surely as the name itself. The domain
    // comes from each pattern (after its first label) and from every host any rule names.
    const hostsOf = (rule: PolicyResource) =>
      records(known(() => propsOf(rule).conditions)).flatMap((c) =>
        knownStrings(c.hostHeader, "values"),
      );
    const domainOf = (h: string) => (h.includes(".") ? h.slice(h.indexOf(".") + 1) : undefined);
    const stackDomains = args.resources
      .filter(isListenerRule)
      .flatMap(hostsOf)
      .map(domainOf)
      .filter((d): d is string => d !== undefined);
    const reachesAdminHost = (h: string) => {
      const domains = [...stackDomains, ...(domainOf(h) === undefined ? [] : [domainOf(h)!])];
      return labels.some(
        (label) =>
          hostPatternMatches(h, label) ||
          domains.some((d) => hostPatternMatches(h, `${label}.${d}`)),
      );
    };

    const adminListeners = new Set<PolicyResource>();
    for (const rule of args.resources.filter(isListenerRule)) {
      const p = propsOf(rule);
      const conditions = records(known(() => p.conditions));
      const hosts = hostsOf(rule);
      const paths = conditions.flatMap((c) => knownStrings(c.pathPattern, "values"));
      const groups = referencedBy(rule, "actions", restrictedGroups, "arn");
      const adminHosts = hosts.filter(reachesAdminHost);
      const reasons = [
        ...adminHosts,
        ...paths.filter((path) =>
          pathPrefixes.some((prefix) => path.toLowerCase().startsWith(prefix)),
        ),
        ...groups.map((g) => `target group "${g.name}"`),
      ];
      if (reasons.length === 0) continue;
      const listener = listenerOf(rule);
      if (listener !== undefined && adminHosts.length > 0) adminListeners.add(listener);
      const sourceIps = conditions.flatMap((c) => knownStrings(c.sourceIp, "values"));
      const world = sourceIps.filter((ip) => WORLD.includes(ip));
      // A range this wide is a cloud region's or an ISP's, shared with strangers, not an office
      // or VPN egress.
      const tooWide = sourceIps.filter((ip) => {
        const prefix = prefixOf(ip);
        return prefix !== undefined && prefix.length < minPrefix[prefix.family];
      });
      const insideVpc = sourceIps.filter((ip) => vpcRanges.some((v) => overlaps(ip, v)));
      const allowListed =
        sourceIps.length > 0 &&
        world.length === 0 &&
        tooWide.length === 0 &&
        insideVpc.length === 0;
      const actions = records(known(() => p.actions));
      const authGap = authenticationGap(actions, maxSession);
      if (allowListed || authGap === undefined) continue;
      const why =
        world.length > 0
          ? `its source-ip condition admits ${show(sourceIps)}`
          : tooWide.length > 0
            ? `its source-ip condition ${show(tooWide)} is wider than /${minPrefix[4]} (IPv4) or /${minPrefix[6]} (IPv6), ranges that hold other people's networks`
            : insideVpc.length > 0
              ? `its source-ip condition ${show(insideVpc)} lies in the VPC's own range, so any instance in the VPC reaches it on the load balancer's private address`
              : `it has no source-ip condition and ${authGap}`;
      report(
        `Listener rule "${rule.name}" serves ${reasons.join(", ")} to the internet: ${why}. Set securecart:admin to closed, source-ip (allow-listed networks) or cognito (docs/security.md).`,
        rule.urn,
      );
    }
    // A rule with no host-header condition answers on every host, the admin host included, so
    // admin.<domain>/checkout would reach checkout past the admin rule's access control.
    for (const rule of args.resources.filter(isListenerRule)) {
      const listener = listenerOf(rule);
      if (listener === undefined || !adminListeners.has(listener)) continue;
      const raw = known(() => propsOf(rule).conditions);
      if (!Array.isArray(raw)) continue;
      const scoped = records(raw).some((c) => known(() => c.hostHeader) !== undefined);
      if (scoped) continue;
      report(
        `Listener rule "${rule.name}" has no host-header condition, so it answers on every host of listener "${listener.name}", the admin host included, past the admin rule's access control. Give it a host-header condition naming the public hosts (components/loadBalancing/routing.ts, shared hosts).`,
        rule.urn,
      );
    }
  },
};

/** Security posture rules. */
export const securityPolicies = [
  vpcFlowLogs,
  launchTemplatePinnedAmi,
  tlsToPaymentsTargets,
  adminNotPublic,
];
