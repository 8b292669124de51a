/**
 * The order of the Region switch plan's Route 53 traffic steps. The steps run one after another
 * (each is a top-level step: the provider waits after CreatePlan only for top-level
 * Route53HealthCheck steps), so the order decides which names reach the new region first:
 * shoppers' names (the hosts the storefront and its path-only services answer on, and the apex),
 * then payments, then everything else (access-controlled hosts such as admin). The names come
 * from the config, not from a list here.
 */
import { APEX } from "../dns/failoverPlan";

/** Who a failover record serves, most urgent first. */
export const AUDIENCES = ["shoppers", "payments", "others"] as const;
export type Audience = (typeof AUDIENCES)[number];

/** A failover record name and the host label it answers for (`@` = apex). */
export interface OrderableRecord {
  readonly label: string;
  readonly fqdn: string;
}

/** What the config says each label serves. */
export interface AudienceInput {
  /**
   * Labels shoppers browse and buy on: the web hosts the path-only services (cart, checkout, …)
   * answer on, with `@` for the apex; access-controlled hosts are not among them.
   */
  readonly shopperLabels: readonly string[];
  /** The payment service's host labels. */
  readonly paymentLabels: readonly string[];
}

/** Who `label` serves. */
export function audienceOf(label: string, input: AudienceInput): Audience {
  if (input.shopperLabels.includes(label)) return "shoppers";
  if (input.paymentLabels.includes(label)) return "payments";
  return "others";
}

/**
 * Record names in traffic-step order: by audience (shoppers, payments, others), the apex first
 * among shoppers' names (it is where shoppers land), then by name; each name once.
 */
export function trafficStepOrder(
  records: readonly OrderableRecord[],
  input: AudienceInput,
): string[] {
  const rank = (r: OrderableRecord) => AUDIENCES.indexOf(audienceOf(r.label, input));
  const sorted = [...records].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Number(b.label === APEX) - Number(a.label === APEX) ||
      a.fqdn.localeCompare(b.fqdn),
  );
  return [...new Set(sorted.map((r) => r.fqdn))];
}
