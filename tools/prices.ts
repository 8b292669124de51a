/**
 * A small price table for rough monthly cost estimates in the offline preview, to compare
 * stacks (staging against prod), not to budget. On-Demand list prices in USD for us-east-1,
 * transcribed on 2026-12-03 from AWS's public pricing pages (not fetched by the program):
 * https://aws.amazon.com/ec2/pricing/on-demand/ , https://aws.amazon.com/rds/aurora/pricing/ ,
 * https://aws.amazon.com/elasticloadbalancing/pricing/ , https://aws.amazon.com/vpc/pricing/
 * (NAT gateway, public IPv4), https://aws.amazon.com/dynamodb/pricing/provisioned/ ,
 * https://aws.amazon.com/rds/proxy/pricing/ ; Shield Advanced from AWS-FACTS §7 (third-party
 * sources; AWS's own page was not available). Other regions cost somewhat more; data transfer,
 * storage, requests and logs are left out. Update the date with the figures.
 */
export const PRICES_AS_OF = "2026-12-03";

/** Hours in an average month, as AWS's calculator uses. */
export const HOURS_PER_MONTH = 730;

/** EC2 instance types, USD per hour. */
export const EC2_HOURLY: Readonly<Record<string, number>> = {
  "t3.small": 0.0208,
  "t3.medium": 0.0416,
  "m7i.large": 0.1008,
  "c7i.large": 0.0893,
  "c6in.large": 0.1134,
  "c6in.xlarge": 0.2268,
};

/** Aurora PostgreSQL instance classes (Standard storage configuration), USD per hour. */
export const AURORA_HOURLY: Readonly<Record<string, number>> = {
  "db.t4g.medium": 0.073,
  "db.r7g.large": 0.276,
};

/** vCPUs of those classes, for RDS Proxy's per-vCPU price. */
export const AURORA_VCPUS: Readonly<Record<string, number>> = {
  "db.t4g.medium": 2,
  "db.r7g.large": 2,
};

/** Other hourly prices, USD. Load balancer capacity units are left out. */
export const HOURLY = {
  applicationLoadBalancer: 0.0225,
  networkLoadBalancer: 0.0225,
  gatewayLoadBalancer: 0.0125,
  natGateway: 0.045,
  publicIpv4Address: 0.005,
  rdsProxyPerVcpu: 0.015,
  dynamoDbWriteCapacityUnit: 0.00065,
  dynamoDbReadCapacityUnit: 0.00013,
} as const;

/** Shield Advanced's subscription, USD per month (one per organization, 1-year commitment). */
export const SHIELD_ADVANCED_MONTHLY = 3000;
