/**
 * Rough monthly cost of a planned stack from its resources and the dated price table in
 * tools/prices.ts: fleets at their minSize, database instances, load balancers, NAT gateways,
 * public IPv4 addresses, RDS Proxy and provisioned DynamoDB capacity (replicas included). The
 * Shield Advanced subscription is not a stack's cost: "you pay one monthly subscription fee for
 * all accounts created under a consolidated billing account" (AWS WAF/Shield developer guide,
 * "Deciding whether to subscribe to AWS Shield Advanced"), so a stack only says whether it uses
 * it, and {@link accountLevelCostLine} counts it once for all the stacks previewed.
 * For comparing stacks only.
 */
import { RecordedResource } from "../testing/mocks";
import { vcpusOf } from "../components/scaling/instanceSizes";
import {
  AURORA_HOURLY,
  EC2_HOURLY,
  HOURLY,
  HOURS_PER_MONTH,
  SHIELD_ADVANCED_MONTHLY,
} from "./prices";

/** An estimate in USD per month, by part, and what the table has no price for. */
export interface CostEstimate {
  readonly totalUsd: number;
  readonly byPartUsd: Readonly<Record<string, number>>;
  /** Instance types or classes without a price (left out of the total). */
  readonly unpriced: readonly string[];
  /** Whether the stack protects anything with Shield Advanced (an account-level subscription). */
  readonly usesShieldAdvanced: boolean;
}

/** Estimates the monthly cost of `resources` (a run's recorded resources). Pure. */
export function estimateMonthlyCost(resources: readonly RecordedResource[]): CostEstimate {
  const parts: Record<string, number> = {};
  const unpriced = new Set<string>();
  const add = (part: string, hourly: number) => {
    parts[part] = (parts[part] ?? 0) + hourly * HOURS_PER_MONTH;
  };
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const templates = new Map(
    ofType("aws:ec2/launchTemplate:LaunchTemplate").map((t) => [t.id, t.inputs.instanceType]),
  );
  for (const asg of ofType("aws:autoscaling/group:Group")) {
    const type = templates.get(asg.inputs.launchTemplate?.id);
    const price = EC2_HOURLY[type];
    if (price === undefined) unpriced.add(String(type));
    else add("ec2", price * (asg.inputs.minSize ?? 0));
  }
  for (const db of ofType("aws:rds/clusterInstance:ClusterInstance")) {
    const cls = db.inputs.instanceClass;
    if (AURORA_HOURLY[cls] === undefined) unpriced.add(cls);
    else {
      add("aurora", AURORA_HOURLY[cls]);
      if (ofType("aws:rds/proxy:Proxy").length > 0) {
        const vcpus = vcpusOf(cls);
        if (vcpus === undefined) unpriced.add(`RDS Proxy on ${cls}`);
        else add("rdsProxy", HOURLY.rdsProxyPerVcpu * vcpus);
      }
    }
  }
  for (const lb of ofType("aws:lb/loadBalancer:LoadBalancer")) {
    const kind = lb.inputs.loadBalancerType ?? "application";
    add(
      "loadBalancers",
      kind === "network"
        ? HOURLY.networkLoadBalancer
        : kind === "gateway"
          ? HOURLY.gatewayLoadBalancer
          : HOURLY.applicationLoadBalancer,
    );
  }
  add("natGateways", HOURLY.natGateway * ofType("aws:ec2/natGateway:NatGateway").length);
  add("publicIpv4", HOURLY.publicIpv4Address * ofType("aws:ec2/eip:Eip").length);
  const tables = ofType("aws:dynamodb/table:Table");
  const replicas = ofType("aws:dynamodb/tableReplica:TableReplica").length;
  for (const t of tables) {
    // Every replica holds the table's provisioned capacity (the global table's settings).
    const copies = 1 + replicas;
    add(
      "dynamodb",
      copies *
        ((t.inputs.writeCapacity ?? 0) * HOURLY.dynamoDbWriteCapacityUnit +
          (t.inputs.readCapacity ?? 0) * HOURLY.dynamoDbReadCapacityUnit),
    );
  }
  const rounded = Object.fromEntries(
    Object.entries(parts)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => [k, Math.round(v)]),
  );
  return {
    totalUsd: Object.values(rounded).reduce((a, b) => a + b, 0),
    byPartUsd: rounded,
    unpriced: [...unpriced].sort(),
    usesShieldAdvanced: ofType("aws:shield/protection:Protection").length > 0,
  };
}

/** One line for the preview: `~$12,345/month (ec2 ..., aurora ...)`. */
export function costLine(stack: string, estimate: CostEstimate): string {
  const parts = Object.entries(estimate.byPartUsd)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} $${v.toLocaleString("en-US")}`)
    .join(", ");
  const missing = estimate.unpriced.length ? `; no price for ${estimate.unpriced.join(", ")}` : "";
  const detail = parts || "nothing priced";
  const shield = estimate.usesShieldAdvanced
    ? "; plus the account's Shield Advanced subscription, counted once for all stacks"
    : "";
  return `Rough monthly cost of ${stack}: ~$${estimate.totalUsd.toLocaleString("en-US")} at minSize (${detail}${missing}${shield}; prices of tools/prices.ts)`;
}

/**
 * The account-level line: Shield Advanced's subscription once, whatever the number of stacks
 * (or deployments) that use it, naming them; undefined when no stack uses it.
 */
export function accountLevelCostLine(
  estimates: readonly { readonly stack: string; readonly estimate: CostEstimate }[],
): string | undefined {
  const users = estimates.filter((e) => e.estimate.usesShieldAdvanced).map((e) => e.stack);
  if (users.length === 0) return undefined;
  return `Account-level monthly cost: Shield Advanced subscription ~$${SHIELD_ADVANCED_MONTHLY.toLocaleString("en-US")} (one fee per organization's consolidated billing family, 1-year commitment; not per stack), used by ${users.join(", ")}`;
}
