/**
 * Canonical Route 53 hosted zone IDs of Elastic Load Balancing in every commercial region, for
 * the mocks' load balancer `zoneId` (the alias target's hosted zone).
 *
 * Source: AWS General Reference, "Elastic Load Balancing endpoints and quotas", table "Service
 * endpoints", columns "Route 53 Hosted Zone ID (Application Load Balancers, Classic Load
 * Balancers)" and "Route 53 Hosted Zone ID (Network Load Balancers)":
 * https://docs.aws.amazon.com/general/latest/gr/elb.html#elb_region (read 2026-12-03).
 * The stored copy of that page was cut off after the first regions, so the rest were
 * cross-checked against the same table as copied into hashicorp/terraform-provider-aws
 * (`internal/service/elbv2/hosted_zone_id_data_source.go`, "See
 * https://docs.aws.amazon.com/general/latest/gr/elb.html#elb_region").
 *
 * Gateway Load Balancers have no DNS alias target, so they have no entry here (the mock gives
 * them an empty `zoneId`, as AWS does).
 */

/** Hosted zone IDs of one region, by load balancer type. */
export interface ElbHostedZones {
  /** Application (and Classic) Load Balancers. */
  readonly application: string;
  /** Network Load Balancers. */
  readonly network: string;
}

/**
 * Regions whose IDs we could not read on AWS's page: the search tool returns only the start of
 * "Elastic Load Balancing endpoints and quotas" (re-checked 2026-12-03: us-east-1/2, us-west-1/2,
 * af-south-1, ap-east-1, ap-south-2 and ap-southeast-3 match it there). For ap-southeast-5,
 * ap-southeast-7 and mx-central-1, a newer stored copy of terraform-provider-aws's
 * `hosted_zone_id_data_source.go` (which cites the same AWS table) has the same IDs; ap-east-2
 * and ap-southeast-6 appear only in other third-party copies, which agree with each other.
 * Check all five against the AWS page before deploying there; docs/topology.md says so in
 * "Add a region".
 */
export const UNCONFIRMED_ELB_ZONE_REGIONS: readonly string[] = [
  "ap-east-2",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "mx-central-1",
];

/** ELB's hosted zone IDs by region, every region of the commercial `aws` partition. */
export const ELB_HOSTED_ZONE_IDS: Readonly<Record<string, ElbHostedZones>> = {
  "af-south-1": { application: "Z268VQBMOI5EKX", network: "Z203XCE67M25HM" },
  "ap-east-1": { application: "Z3DQVH9N71FHZ0", network: "Z12Y7K3UBGUAD1" },
  "ap-east-2": { application: "Z02789141MW7T1WBU19PO", network: "Z09176273OC2HWIAUNYW" },
  "ap-northeast-1": { application: "Z14GRHDCWA56QT", network: "Z31USIVHYNEOWT" },
  "ap-northeast-2": { application: "ZWKZPGTI48KDX", network: "ZIBE1TIR4HY56" },
  "ap-northeast-3": { application: "Z5LXEXXYW11ES", network: "Z1GWIQ4HH19I5X" },
  "ap-south-1": { application: "ZP97RAFLXTNZK", network: "ZVDDRBQ08TROA" },
  "ap-south-2": { application: "Z0173938T07WNTVAEPZN", network: "Z0711778386UTO08407HT" },
  "ap-southeast-1": { application: "Z1LMS91P8CMLE5", network: "ZKVM4W9LS7TM" },
  "ap-southeast-2": { application: "Z1GM3OXH4ZPM65", network: "ZCT6FZBF4DROD" },
  "ap-southeast-3": { application: "Z08888821HLRG5A9ZRTER", network: "Z01971771FYVNCOVWJU1G" },
  "ap-southeast-4": { application: "Z09517862IB2WZLPXG76F", network: "Z01156963G8MIIL7X90IV" },
  "ap-southeast-5": { application: "Z06010284QMVVW7WO5J", network: "Z026317210H9ACVTRO6FB" },
  "ap-southeast-6": { application: "Z023301818UFJ50CIO0MV", network: "Z01392953RKV2Q3RBP0KU" },
  "ap-southeast-7": { application: "Z0390008CMBRTHFGWBCB", network: "Z054363131YWATEMWRG5L" },
  "ca-central-1": { application: "ZQSVJUPU6J1EY", network: "Z2EPGBW3API2WT" },
  "ca-west-1": { application: "Z06473681N0SF6OS049SD", network: "Z02754302KBB00W2LKWZ9" },
  "eu-central-1": { application: "Z215JYRZR1TBD5", network: "Z3F0SRJ5LGBH90" },
  "eu-central-2": { application: "Z06391101F2ZOEP8P5EB3", network: "Z02239872DOALSIDCX66S" },
  "eu-north-1": { application: "Z23TAZ6LKFMNIO", network: "Z1UDT6IFJ4EJM" },
  "eu-south-1": { application: "Z3ULH7SSC9OV64", network: "Z23146JA1KNAFP" },
  "eu-south-2": { application: "Z0956581394HF5D5LXGAP", network: "Z1011216NVTVYADP1SSV" },
  "eu-west-1": { application: "Z32O12XQLNTSW2", network: "Z2IFOLAFXWLO4F" },
  "eu-west-2": { application: "ZHURV8PSTC4K8", network: "ZD4D7Y8KGAS4G" },
  "eu-west-3": { application: "Z3Q77PNBQS71R4", network: "Z1CMS0P5QUZ6D5" },
  "il-central-1": { application: "Z09170902867EHPV2DABU", network: "Z0313266YDI6ZRHTGQY4" },
  "me-central-1": { application: "Z08230872XQRWHG2XF6I", network: "Z00282643NTTLPANJJG2P" },
  "me-south-1": { application: "ZS929ML54UICD", network: "Z3QSRYVP46NYYV" },
  "mx-central-1": { application: "Z023552324OKD1BB28BH5", network: "Z02031231H3ID6HYJ9A7U" },
  "sa-east-1": { application: "Z2P70J7HTTTPLU", network: "ZTK26PT1VY4CU" },
  "us-east-1": { application: "Z35SXDOTRQ7X7K", network: "Z26RNL4JYFTOTI" },
  "us-east-2": { application: "Z3AADJGX6KTTL2", network: "ZLMOA37VPKANP" },
  "us-west-1": { application: "Z368ELLRRE2KJ0", network: "Z24FKFUX50B4VW" },
  "us-west-2": { application: "Z1H1FL5HABSF5", network: "Z18D5FSROUN65G" },
};
