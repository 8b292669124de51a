import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { GatewayEndpoints } from "./gatewayEndpoints";
import { InspectionGateway, InspectionGatewayArgs } from "./inspectionGateway";
import { VpcFlowLog, VpcFlowLogArgs } from "./vpcFlowLog";
import { SubnetTier, azSlot, subnetCidr, vpcCidrProblem } from "./subnets";

/** Inspection settings that are not about the network itself. */
export type NetworkInspectionArgs = Omit<
  InspectionGatewayArgs,
  | "vpcId"
  | "vpcCidr"
  | "availabilityZones"
  | "internetGatewayId"
  | "natGatewayIds"
  | "protectedSubnetCidrs"
  | "tags"
>;

/** Arguments of {@link Network}. */
export interface NetworkArgs {
  /** IPv4 range of the VPC, /16 to /22; see components/network/subnets.ts for the address plan. */
  readonly cidrBlock: string;
  /** AZ names to span, e.g. `us-east-1a`. Subnets are keyed by the AZ letter. */
  readonly availabilityZones: readonly string[];
  /** The VPC's region, for the gateway endpoints' service names and the flow log's key. */
  readonly region: string;
  /** Flow logs of the whole VPC (always on: every VPC has them). */
  readonly flowLogs: Omit<VpcFlowLogArgs, "vpcId" | "region" | "tags">;
  /**
   * Send all traffic of the public subnets through security appliances behind a Gateway Load
   * Balancer (see {@link InspectionGateway}).
   * @default - no inspection: the public subnets route straight to the internet gateway
   */
  readonly inspection?: NetworkInspectionArgs;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Subnet IDs of one tier, in the order of `availabilityZones`. */
export type SubnetIds = pulumi.Output<string>[];

/**
 * A VPC across several AZs with three subnet tiers: public (load balancers), private (compute,
 * egress through its own AZ's NAT gateway) and isolated (data, no route out), and optionally an
 * {@link InspectionGateway} on the public tier's path to the internet.
 *
 * The public subnets' default routes always belong to this component under the same names; with
 * inspection they target the AZ's GWLB endpoint instead of the internet gateway. Switching
 * inspection on or off therefore updates those routes in place rather than deleting and
 * recreating a route AWS would refuse to duplicate.
 *
 * Built from plain EC2 resources rather than `awsx.ec2.Vpc`: awsx components are remote, so
 * under mocks and to policy packs they are one opaque resource, and the per-AZ NAT gateways and
 * route tables this design depends on could be neither tested nor checked.
 */
export class Network extends pulumi.ComponentResource {
  /** The VPC's ID. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's CIDR block. */
  public readonly cidrBlock: pulumi.Output<string>;
  /** Public subnets, one per AZ. */
  public readonly publicSubnetIds: SubnetIds;
  /** Public subnets keyed by AZ letter (`a`, `b`, …), for resources keyed per AZ. */
  public readonly publicSubnetIdsByAz: Record<string, pulumi.Output<string>>;
  /** Private subnets with NAT egress, one per AZ. */
  public readonly privateSubnetIds: SubnetIds;
  /** Isolated subnets with no route out, one per AZ. */
  public readonly isolatedSubnetIds: SubnetIds;
  /** NAT gateway IDs, one per AZ. */
  public readonly natGatewayIds: pulumi.Output<string>[];
  /** The internet gateway's ID. */
  public readonly internetGatewayId: pulumi.Output<string>;
  /** The inspection gateway, when inspection is on. */
  public readonly inspection: InspectionGateway | undefined;
  /** S3 and DynamoDB gateway endpoints on every private route table. */
  public readonly gatewayEndpoints: GatewayEndpoints;
  /**
   * What a private instance needs to reach the internet and S3 at first boot: every AZ's private
   * and public default routes, the NAT gateways, and the S3/DynamoDB gateway endpoints (whose
   * routes AWS adds to the private route tables). Fleets depend on them, so the boot script's dnf
   * call (openssl for the TLS placeholder) never runs before the routes exist.
   */
  public readonly privateEgress: pulumi.Resource[];
  /** The VPC's flow log. */
  public readonly flowLog: VpcFlowLog;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:Network", name, {}, opts);
    const tags = args.tags ?? {};

    const cidrProblem = vpcCidrProblem(args.cidrBlock);
    if (cidrProblem)
      throw new pulumi.ResourceError(`cidrBlock ${cidrProblem}; got ${args.cidrBlock}`, this);
    const letters = args.availabilityZones.map((az) => {
      const slot = azSlot(az);
      if (slot === undefined) {
        throw new pulumi.ResourceError(
          `availabilityZones must end in a letter a-h; got ${az}`,
          this,
        );
      }
      return String.fromCharCode(97 + slot);
    });
    if (new Set(letters).size !== letters.length || letters.length < 2) {
      throw new pulumi.ResourceError(
        `availabilityZones must name at least 2 distinct AZs; got ${args.availabilityZones.join(", ")}`,
        this,
      );
    }

    const child = { parent: this };
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { ...tags, Name: `${name}-vpc` },
      },
      child,
    );
    // AWS does not charge for an internet gateway; the public tier always needs one.
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { ...tags, Name: `${name}-igw` } },
      child,
    );

    const subnet = (tier: SubnetTier, az: string, letter: string) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${letter}`,
        {
          vpcId: vpc.id,
          availabilityZone: az,
          cidrBlock: subnetCidr(args.cidrBlock, tier, az),
          // Load balancers get their own public addresses; nothing else may get one by default.
          mapPublicIpOnLaunch: false,
          tags: { ...tags, Name: `${name}-${tier}-${letter}`, Tier: tier },
        },
        child,
      );
    const routeTable = (role: string, letter: string) =>
      new aws.ec2.RouteTable(
        `${name}-${role}-rt-${letter}`,
        { vpcId: vpc.id, tags: { ...tags, Name: `${name}-${role}-rt-${letter}` } },
        child,
      );
    const associate = (role: string, letter: string, s: aws.ec2.Subnet, rt: aws.ec2.RouteTable) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-${role}-rta-${letter}`,
        { subnetId: s.id, routeTableId: rt.id },
        child,
      );

    this.publicSubnetIds = [];
    this.publicSubnetIdsByAz = {};
    this.privateSubnetIds = [];
    this.isolatedSubnetIds = [];
    this.natGatewayIds = [];
    const publicRouteTables: Record<string, aws.ec2.RouteTable> = {};
    const privateRouteTableIds: Record<string, pulumi.Output<string>> = {};
    const natByAz: Record<string, pulumi.Output<string>> = {};
    const egress: pulumi.Resource[] = [];
    args.availabilityZones.forEach((az, i) => {
      const letter = letters[i];
      const pub = subnet("public", az, letter);
      const priv = subnet("private", az, letter);
      const iso = subnet("isolated", az, letter);

      // One route table per AZ in the public tier too, so inbound inspection can later steer
      // each AZ through its own endpoint without replacing anything.
      const pubRt = routeTable("public", letter);
      publicRouteTables[letter] = pubRt;
      associate("public", letter, pub, pubRt);

      // A NAT gateway per AZ: losing one AZ never cuts egress in another.
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${letter}`,
        { domain: "vpc", tags: { ...tags, Name: `${name}-nat-eip-${letter}` } },
        child,
      );
      const nat = new aws.ec2.NatGateway(
        `${name}-nat-${letter}`,
        {
          allocationId: eip.id,
          subnetId: pub.id,
          connectivityType: "public",
          tags: { ...tags, Name: `${name}-nat-${letter}` },
        },
        { parent: this, dependsOn: [igw] },
      );
      egress.push(nat);
      const privRt = routeTable("private", letter);
      const privateDefault = new aws.ec2.Route(
        `${name}-private-default-${letter}`,
        { routeTableId: privRt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
        child,
      );
      egress.push(privateDefault);
      associate("private", letter, priv, privRt);
      privateRouteTableIds[letter] = privRt.id;

      // Isolated subnets keep only the VPC's local route.
      associate("isolated", letter, iso, routeTable("isolated", letter));

      this.publicSubnetIds.push(pub.id);
      this.publicSubnetIdsByAz[letter] = pub.id;
      this.privateSubnetIds.push(priv.id);
      this.isolatedSubnetIds.push(iso.id);
      this.natGatewayIds.push(nat.id);
      natByAz[letter] = nat.id;
    });

    this.inspection = args.inspection
      ? new InspectionGateway(
          `${name}-insp`,
          {
            ...args.inspection,
            vpcId: vpc.id,
            vpcCidr: args.cidrBlock,
            availabilityZones: args.availabilityZones,
            internetGatewayId: igw.id,
            natGatewayIds: natByAz,
            protectedSubnetCidrs: Object.fromEntries(
              args.availabilityZones.map((az, i) => [
                letters[i],
                subnetCidr(args.cidrBlock, "public", az),
              ]),
            ),
            tags,
          },
          child,
        )
      : undefined;
    for (const letter of letters) {
      const target = this.inspection
        ? { vpcEndpointId: this.inspection.endpointIds[letter] }
        : { gatewayId: igw.id };
      const publicDefault = new aws.ec2.Route(
        `${name}-public-default-${letter}`,
        {
          routeTableId: publicRouteTables[letter].id,
          destinationCidrBlock: "0.0.0.0/0",
          ...target,
        },
        child,
      );
      egress.push(publicDefault);
    }

    // S3 and DynamoDB from the private tier stay off the NAT gateways and the appliances. The
    // appliance and isolated tiers get no endpoint: vendor images may need other buckets, and the
    // data tier talks to neither service.
    this.gatewayEndpoints = new GatewayEndpoints(
      `${name}-gw-endpoints`,
      { vpcId: vpc.id, region: args.region, routeTableIds: privateRouteTableIds, tags },
      child,
    );
    this.privateEgress = [...egress, ...this.gatewayEndpoints.endpoints];
    this.flowLog = new VpcFlowLog(
      `${name}-flow-logs`,
      { ...args.flowLogs, vpcId: vpc.id, region: args.region, tags },
      child,
    );

    this.vpcId = vpc.id;
    this.cidrBlock = vpc.cidrBlock;
    this.internetGatewayId = igw.id;
    this.registerOutputs({
      vpcId: this.vpcId,
      cidrBlock: this.cidrBlock,
      publicSubnetIds: this.publicSubnetIds,
      publicSubnetIdsByAz: this.publicSubnetIdsByAz,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      natGatewayIds: this.natGatewayIds,
      internetGatewayId: this.internetGatewayId,
      privateEgress: this.privateEgress,
    });
  }
}
