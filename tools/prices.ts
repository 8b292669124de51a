/**
 * A small price table for rough monthly cost estimates in the offline preview, to compare
 * stacks (staging against prod), not to budget. On-Demand list prices in USD for us-east-1.
 *
 * How far each figure is checked (search tool, 2026-12-03). AWS's pricing pages
 * (https://aws.amazon.com/ec2/pricing/on-demand/ , https://aws.amazon.com/rds/aurora/pricing/ ,
 * https://aws.amazon.com/elasticloadbalancing/pricing/ , https://aws.amazon.com/vpc/pricing/ ,
 * https://aws.amazon.com/dynamodb/pricing/provisioned/ , https://aws.amazon.com/rds/proxy/pricing/ ,
 * https://aws.amazon.com/shield/pricing/) render their figures per region in the browser, so the
 * stored copies hold the pricing model but no figures: none of the values below could be read on
 * an AWS page. Each entry says which independent copies agree; "unconfirmed" means no copy was
 * found and the value is the one typed in before, kept until someone reads AWS's page. No value
 * was found to be wrong, so none was changed. Other regions cost somewhat more; data transfer,
 * storage, requests and logs are left out. Update the date with the figures.
 */
export const PRICES_AS_OF = "2026-12-03";

/** Hours in an average month, as AWS's calculator uses. */
export const HOURS_PER_MONTH = 730;

/** EC2 instance types (Linux), USD per hour. */
export const EC2_HOURLY: Readonly<Record<string, number>> = {
  // Unconfirmed: the copies found were other regions or years.
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  // Two third-party us-east-1 tables (a cost tool's Linux rates, an estimator's) list 0.1008.
  "m7i.large": 0.1008,
  // Third-party us-east-1 tables list 0.0893 and 0.0892.
  "c7i.large": 0.0893,
  // Unconfirmed.
  "c6in.large": 0.1134,
  "c6in.xlarge": 0.2268,
};

/** Aurora PostgreSQL instance classes (Standard storage configuration), USD per hour. */
export const AURORA_HOURLY: Readonly<Record<string, number>> = {
  // One third-party Aurora PostgreSQL table lists 0.073; another lists 0.090 for it: conflicting.
  "db.t4g.medium": 0.073,
  // Two third-party Aurora tables list 0.276 (lower figures elsewhere are RDS, not Aurora).
  "db.r7g.large": 0.276,
};

/** Other hourly prices, USD. Load balancer capacity units are left out. */
export const HOURLY = {
  // Third-party 2026 guides and a cost tool list $0.0225 per ALB-hour (plus $0.008 per LCU-hour).
  applicationLoadBalancer: 0.0225,
  // Unconfirmed.
  networkLoadBalancer: 0.0225,
  gatewayLoadBalancer: 0.0125,
  // A harvest of AWS's VPC pricing page quotes "$0.045 per hour" (US East example); several
  // 2026 guides agree for us-east-1.
  natGateway: 0.045,
  // $0.005 per public IPv4 address-hour since 1 Feb 2024, as AWS's announcement was quoted in
  // several places; AWS's SDK docs confirm every public IPv4 address is charged.
  publicIpv4Address: 0.005,
  // Unconfirmed: per vCPU of the target's instances.
  rdsProxyPerVcpu: 0.015,
  // Unconfirmed.
  dynamoDbWriteCapacityUnit: 0.00065,
  dynamoDbReadCapacityUnit: 0.00013,
} as const;

/**
 * Shield Advanced's subscription, USD per month. "You pay one monthly subscription fee for all
 * accounts created under a consolidated billing account" (AWS WAF, Firewall Manager and Shield
 * Advanced developer guide, "Deciding whether to subscribe to AWS Shield Advanced"), so it is
 * counted once, not per stack (tools/cost.ts). The amount, $3,000 with a 1-year commitment,
 * is from third parties (TechTarget, awsnegotiations.com); AWS's own page has no figure stored.
 */
export const SHIELD_ADVANCED_MONTHLY = 3000;
