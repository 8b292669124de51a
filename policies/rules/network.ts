/** Network rules: nothing but the load balancers' web ports is open to the internet. */
import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isLoadBalancer, propsOf, referencedBy, stringProp } from "./common";

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

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Every world-open ingress permission in the stack, from all three ways of declaring one. */
export function worldIngress(resources: readonly PolicyResource[]): WorldIngress[] {
  const groups = resources.filter((r) => r.isType(aws.ec2.SecurityGroup));
  const groupOf = (rule: PolicyResource) => referencedBy(rule, "securityGroupId", groups, "id")[0];
  const out: WorldIngress[] = [];
  for (const r of resources) {
    const p = propsOf(r);
    if (r.isType(aws.vpc.SecurityGroupIngressRule)) {
      for (const cidr of [...strings(p.cidrIpv4), ...strings(p.cidrIpv6)]) {
        out.push({
          declaredBy: r,
          group: groupOf(r),
          protocol: String(p.ipProtocol),
          fromPort: num(p.fromPort),
          toPort: num(p.toPort),
          cidr,
        });
      }
    } else if (r.isType(aws.ec2.SecurityGroupRule) && p.type === "ingress") {
      for (const cidr of [...strings(p.cidrBlocks), ...strings(p.ipv6CidrBlocks)]) {
        out.push({
          declaredBy: r,
          group: groupOf(r),
          protocol: String(p.protocol),
          fromPort: num(p.fromPort),
          toPort: num(p.toPort),
          cidr,
        });
      }
    }
  }
  // Inline rules last: AWS reports every rule of a group in its `ingress` output, including
  // those declared as separate resources, so they are skipped when already seen above.
  for (const g of groups) {
    const ingress = propsOf(g).ingress;
    for (const rule of Array.isArray(ingress) ? (ingress as Record<string, unknown>[]) : []) {
      for (const cidr of [...strings(rule.cidrBlocks), ...strings(rule.ipv6CidrBlocks)]) {
        out.push({
          declaredBy: g,
          group: g,
          protocol: String(rule.protocol),
          fromPort: num(rule.fromPort),
          toPort: num(rule.toPort),
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
