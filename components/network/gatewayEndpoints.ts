import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { dynamoDbEndpointPolicy, s3EndpointPolicy } from "./endpointPolicies";

/** Arguments of {@link GatewayEndpoints}. */
export interface GatewayEndpointsArgs {
  /** The VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's region; gateway endpoints reach only their own region's service. */
  readonly region: string;
  /** Route tables that get the endpoints' prefix-list routes, keyed by AZ letter. */
  readonly routeTableIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The services that get a gateway endpoint, keyed as the endpoints are named. */
export const GATEWAY_SERVICES = ["s3", "dynamodb"] as const;

/**
 * S3 and DynamoDB gateway endpoints on the given route tables, each with a policy that admits
 * only this account's buckets or tables (see components/network/endpointPolicies.ts).
 *
 * Gateway endpoints cost nothing (AWS PrivateLink guide, "Gateway endpoints"), and traffic through
 * them skips the NAT gateways' per-GB processing charge and the inspection appliances.
 */
export class GatewayEndpoints extends pulumi.ComponentResource {
  /** Endpoint IDs keyed by service (`s3`, `dynamodb`). */
  public readonly endpointIds: Record<string, pulumi.Output<string>>;
  /**
   * The endpoints, for resources that need their routes in place first (fleets whose first boot
   * reads the AL2023 repositories from S3).
   */
  public readonly endpoints: aws.ec2.VpcEndpoint[];

  constructor(
    name: string,
    args: GatewayEndpointsArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:GatewayEndpoints", name, {}, opts);
    const tags = args.tags ?? {};
    const letters = Object.keys(args.routeTableIds).sort();
    if (letters.length === 0) {
      throw new pulumi.ResourceError(
        "routeTableIds must name at least one route table; got none",
        this,
      );
    }

    const child = { parent: this };
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const policies = {
      s3: account.apply((a) => JSON.stringify(s3EndpointPolicy(args.region, a))),
      dynamodb: account.apply((a) => JSON.stringify(dynamoDbEndpointPolicy(args.region, a))),
    };
    this.endpointIds = {};
    this.endpoints = [];
    for (const service of GATEWAY_SERVICES) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: args.vpcId,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: letters.map((l) => args.routeTableIds[l]),
          policy: policies[service],
          tags: { ...tags, Name: `${name}-${service}` },
        },
        child,
      );
      this.endpointIds[service] = endpoint.id;
      this.endpoints.push(endpoint);
    }
    this.registerOutputs({ endpointIds: this.endpointIds, endpoints: this.endpoints });
  }
}
