/** Network rules: nothing but the load balancers' web ports is open to the internet. */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isLoadBalancer, known, propsOf, referencedBy, stringProp } from "./common";

/** Config of {@link noPublicIngress}. */
export interface PublicIngressConfig {
  readonly loadBalancerPorts?: number[];
}

const WORLD = ["0.0.0.0/0", "::/0"];

/** One ingress permission from anywhere, wherever it was declared. */
interface WorldIngress {
  /** The resource that declares it (the rule resource, or the group for inline rules). */
  readonly declaredBy: PolicyResource;
  /** The security group it opens. */
  readonly group: PolicyResource | undefined;
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidr: string;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

/** `obj[key]`, or undefined while it is unknown during preview. */
function read(obj: Record<string, unknown>, key: string): unknown {
  return known(() => obj[key]);
}

/**
 * The CIDRs in a prop. A CIDR still unknown during preview comes from another resource (a VPC's
 * or a subnet's range), never the literal 0.0.0.0/0 or ::/0, so it is not world-open.
 */
function strings(obj: Record<string, unknown>, key: string): string[] {
  const v = read(obj, key);
  if (typeof v === "string") return [v];
  if (!Array.isArray(v)) return [];
  const items: unknown[] = [];
  for (let i = 0; i < v.length; i++) items.push(known(() => v[i] as unknown));
  return items.filter((x): x is string => typeof x === "string");
}

/** Every world-open ingress permission in the stack, from all three ways of declaring one. */
export function worldIngress(resources: readonly PolicyResource[]): WorldIngress[] {
  const groups = resources.filter((r) => r.isType(aws.ec2.SecurityGroup));
  const groupOf = (rule: PolicyResource) => referencedBy(rule, "securityGroupId", groups, "id")[0];
  const out: WorldIngress[] = [];
  for (const r of resources) {
    const p = propsOf(r);
    if (r.isType(aws.vpc.SecurityGroupIngressRule)) {
      for (const cidr of [...strings(p, "cidrIpv4"), ...strings(p, "cidrIpv6")]) {
        out.push({
          declaredBy: r,
          group: groupOf(r),
          protocol: String(read(p, "ipProtocol")),
          fromPort: num(read(p, "fromPort")),
          toPort: num(read(p, "toPort")),
          cidr,
        });
      }
    } else if (r.isType(aws.ec2.SecurityGroupRule) && read(p, "type") === "ingress") {
      for (const cidr of [...strings(p, "cidrBlocks"), ...strings(p, "ipv6CidrBlocks")]) {
        out.push({
          declaredBy: r,
          group: groupOf(r),
          protocol: String(read(p, "protocol")),
          fromPort: num(read(p, "fromPort")),
          toPort: num(read(p, "toPort")),
          cidr,
        });
      }
    }
  }
  // Inline rules last: AWS reports every rule of a group in its `ingress` output, including
  // those declared as separate resources, so they are skipped when already seen above. During a
  // first-deploy preview `ingress` is unknown when the program sets no inline rules (AWS computes
  // it); what it will hold then is exactly the separate rule resources checked above.
  for (const g of groups) {
    const ingress = read(propsOf(g), "ingress");
    const rules: Record<string, unknown>[] = [];
    if (Array.isArray(ingress)) {
      for (let i = 0; i < ingress.length; i++) {
        const rule = known(() => ingress[i] as Record<string, unknown>);
        if (rule !== undefined && rule !== null) rules.push(rule);
      }
    }
    for (const rule of rules) {
      for (const cidr of [...strings(rule, "cidrBlocks"), ...strings(rule, "ipv6CidrBlocks")]) {
        out.push({
          declaredBy: g,
          group: g,
          protocol: String(read(rule, "protocol")),
          fromPort: num(read(rule, "fromPort")),
          toPort: num(read(rule, "toPort")),
          cidr,
        });
      }
    }
  }
  return out.filter((i) => WORLD.includes(i.cidr));
}

/** The security groups attached to a load balancer (through `securityGroups`). */
export function loadBalancerGroups(resources: readonly PolicyResource[]): Set<PolicyResource> {
  const groups = resources.filter((r) => r.isType(aws.ec2.SecurityGroup));
  return new Set(
    resources
      .filter(isLoadBalancer)
      .flatMap((lb) => referencedBy(lb, "securityGroups", groups, "id")),
  );
}

function portText(i: WorldIngress): string {
  const proto = i.protocol === "-1" ? "all protocols" : i.protocol;
  if (i.fromPort === undefined || i.protocol === "-1") return proto;
  return i.fromPort === i.toPort ? `${proto} ${i.fromPort}` : `${proto} ${i.fromPort}-${i.toPort}`;
}

export const noPublicIngress: StackValidationPolicy = {
  name: "no-public-ingress",
  description:
    "Only load balancers face the internet, and only on HTTP (redirect) and HTTPS; any other security-group ingress from 0.0.0.0/0 or ::/0 exposes instances or databases directly.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      loadBalancerPorts: {
        type: "array",
        items: { type: "integer", minimum: 0, maximum: 65535 },
        default: [80, 443],
        description: "TCP ports a load balancer's security group may open to the internet.",
      },
    },
  },
  validateStack: (args, report) => {
    const ports = args.getConfig<PublicIngressConfig>().loadBalancerPorts ?? [80, 443];
    const lbGroups = loadBalancerGroups(args.resources);
    const seen = new Set<string>();
    for (const i of worldIngress(args.resources)) {
      const key = [i.group?.urn ?? i.declaredBy.urn, i.protocol, i.fromPort, i.toPort, i.cidr].join(
        "|",
      );
      if (seen.has(key)) continue;
      seen.add(key);
      const tcp = i.protocol === "tcp" || i.protocol === "6";
      const webPort =
        tcp && i.fromPort !== undefined && i.fromPort === i.toPort && ports.includes(i.fromPort);
      if (webPort && i.group !== undefined && lbGroups.has(i.group)) continue;
      const where =
        i.declaredBy === i.group
          ? `Security group "${i.declaredBy.name}" has an inline ingress rule`
          : `Ingress rule "${i.declaredBy.name}" (security group ${JSON.stringify(
              i.group?.name ?? stringProp(i.declaredBy, "securityGroupId") ?? "unknown",
            )})`;
      const why =
        i.group !== undefined && lbGroups.has(i.group)
          ? `a load balancer's group may open only tcp ${ports.join(", ")}`
          : "the group belongs to no load balancer";
      report(
        `${where} allowing ${portText(i)} from ${i.cidr}; ${why}. Admit traffic from the load balancer's security group (referencedSecurityGroupId) or a narrower CIDR instead.`,
        i.declaredBy.urn,
      );
    }
  },
};

/** Network rules. */
export const networkPolicies: StackValidationPolicy[] = [noPublicIngress];
