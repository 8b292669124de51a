import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Fleet } from "../loadBalancing/fleet";
import { subnetCidr } from "./subnets";

/** Default grace period of the appliances: vendor images boot and license slowly. */
export const APPLIANCE_GRACE_PERIOD_SECONDS = 300;

/** GENEVE, the only protocol and port a Gateway Load Balancer speaks to its appliances. */
export const GENEVE_PORT = 6081;

/** How the Gateway Load Balancer checks an appliance. */
export interface ApplianceHealthCheckArgs {
  /** Port the appliance answers health checks on (not 6081). */
  readonly port: number;
  /** HTTP path to request; without one the check is a TCP connect. @default - TCP check */
  readonly path?: string;
}

/** Arguments of {@link InspectionGateway}. */
export interface InspectionGatewayArgs {
  /** VPC to inspect. */
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR block; the appliance and endpoint subnets come from its address plan. */
  readonly vpcCidr: string;
  /** AZ names, one appliance subnet and one endpoint per AZ. */
  readonly availabilityZones: readonly string[];
  /** The VPC's internet gateway, which gets the edge route table. */
  readonly internetGatewayId: pulumi.Input<string>;
  /** NAT gateway per AZ letter, for appliance egress (licensing, updates). */
  readonly natGatewayIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** CIDR of each public (load balancer) subnet per AZ letter: the traffic to steer. */
  readonly protectedSubnetCidrs: Readonly<Record<string, string>>;
  /** AMI of the vendor appliance. */
  readonly imageId: pulumi.Input<string>;
  /** EC2 instance type of the appliances. */
  readonly instanceType: string;
  /** Smallest appliance count (at least 1). */
  readonly minSize: number;
  /** Largest appliance count. */
  readonly maxSize: number;
  /** Appliance health check. */
  readonly healthCheck: ApplianceHealthCheckArgs;
  /**
   * Root device name of the appliance image, e.g. `/dev/sda1`. A wrong name adds an empty
   * volume and leaves the root at the image's defaults.
   * @default - the image's own `rootDeviceName`, read with `ec2:DescribeImages`
   */
  readonly rootDeviceName?: pulumi.Input<string>;
  /**
   * Root volume size in GiB (gp3, encrypted), at least the image's root snapshot.
   * @default - the size of the image's root snapshot
   */
  readonly rootVolumeGiB?: number;
  /**
   * Seconds after launch before Auto Scaling replaces an appliance that fails the Gateway Load
   * Balancer's health check. Vendor appliances often take minutes to boot and license.
   * @default 300
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * Deletion protection on the Gateway Load Balancer.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

function letterOf(az: string): string {
  return az.slice(-1);
}

/**
 * Sends every inbound packet for the load balancer subnets through a fleet of security
 * appliances behind a Gateway Load Balancer, and the return traffic back through them.
 *
 * Per AZ: internet gateway → (edge route table) → GWLB endpoint in the same AZ → appliance →
 * endpoint → load balancer subnet; the load balancer subnet's default route (owned by
 * {@link Network}) goes back through the same endpoint. Keeping each AZ on its own endpoint makes
 * the path symmetric, so losing one AZ's appliances never black-holes another AZ.
 */
export class InspectionGateway extends pulumi.ComponentResource {
  /** GWLB endpoint ID per AZ letter; route targets for the protected subnets. */
  public readonly endpointIds: Record<string, pulumi.Output<string>>;
  /** The Gateway Load Balancer's ARN. */
  public readonly gatewayLoadBalancerArn: pulumi.Output<string>;
  /** `gwy/<name>/<id>`, the CloudWatch dimension form. */
  public readonly gatewayLoadBalancerArnSuffix: pulumi.Output<string>;
  /** `targetgroup/<name>/<id>` of the GENEVE target group. */
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  /** The VPC endpoint service that exposes the Gateway Load Balancer. */
  public readonly endpointServiceName: pulumi.Output<string>;
  /** The GENEVE target group's ARN. */
  public readonly targetGroupArn: pulumi.Output<string>;
  /** The appliances. */
  public readonly appliances: Fleet;
  /** The route table associated with the internet gateway. */
  public readonly edgeRouteTableId: pulumi.Output<string>;

  constructor(
    name: string,
    args: InspectionGatewayArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:InspectionGateway", name, {}, opts);
    const deletionProtection = args.deletionProtection ?? true;
    const healthCheckGracePeriodSeconds =
      args.healthCheckGracePeriodSeconds ?? APPLIANCE_GRACE_PERIOD_SECONDS;
    const tags = args.tags ?? {};
    const letters = args.availabilityZones.map(letterOf);

    for (const letter of letters) {
      if (!(letter in args.natGatewayIds) || !(letter in args.protectedSubnetCidrs)) {
        throw new pulumi.ResourceError(
          `natGatewayIds and protectedSubnetCidrs need an entry for AZ ${letter}; got ${Object.keys(args.natGatewayIds).join(",")} and ${Object.keys(args.protectedSubnetCidrs).join(",")}`,
          this,
        );
      }
    }
    if (
      args.healthCheck.port === GENEVE_PORT ||
      args.healthCheck.port < 1 ||
      args.healthCheck.port > 65535
    ) {
      throw new pulumi.ResourceError(
        `healthCheck.port must be 1-65535 and not ${GENEVE_PORT}, which carries GENEVE; got ${args.healthCheck.port}`,
        this,
      );
    }

    const child = { parent: this };
    const applianceSubnets: Record<string, aws.ec2.Subnet> = {};
    const endpointSubnets: Record<string, aws.ec2.Subnet> = {};
    for (const az of args.availabilityZones) {
      const letter = letterOf(az);
      for (const [tier, into] of [
        ["appliance", applianceSubnets],
        ["endpoint", endpointSubnets],
      ] as const) {
        into[letter] = new aws.ec2.Subnet(
          `${name}-${tier}-${letter}`,
          {
            vpcId: args.vpcId,
            availabilityZone: az,
            cidrBlock: subnetCidr(args.vpcCidr, tier, az),
            mapPublicIpOnLaunch: false,
            tags: { ...tags, Name: `${name}-${tier}-${letter}`, Tier: tier },
          },
          child,
        );
      }
      const applianceRt = new aws.ec2.RouteTable(
        `${name}-appliance-rt-${letter}`,
        { vpcId: args.vpcId, tags: { ...tags, Name: `${name}-appliance-rt-${letter}` } },
        child,
      );
      new aws.ec2.Route(
        `${name}-appliance-default-${letter}`,
        {
          routeTableId: applianceRt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: args.natGatewayIds[letter],
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-appliance-rta-${letter}`,
        { subnetId: applianceSubnets[letter].id, routeTableId: applianceRt.id },
        child,
      );
      // Inspected traffic leaves the endpoint subnet straight to the internet gateway.
      const endpointRt = new aws.ec2.RouteTable(
        `${name}-endpoint-rt-${letter}`,
        { vpcId: args.vpcId, tags: { ...tags, Name: `${name}-endpoint-rt-${letter}` } },
        child,
      );
      new aws.ec2.Route(
        `${name}-endpoint-default-${letter}`,
        {
          routeTableId: endpointRt.id,
          destinationCidrBlock: "0.0.0.0/0",
          gatewayId: args.internetGatewayId,
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-endpoint-rta-${letter}`,
        { subnetId: endpointSubnets[letter].id, routeTableId: endpointRt.id },
        child,
      );
    }

    // GWLBs take no security groups; the appliances' own group filters what reaches them.
    const gwlb = new aws.lb.LoadBalancer(
      `${name}-gwlb`,
      {
        loadBalancerType: "gateway",
        subnets: letters.map((l) => applianceSubnets[l].id),
        // Off by default for GWLB: an AZ whose appliances are all down would drop its traffic.
        enableCrossZoneLoadBalancing: true,
        enableDeletionProtection: deletionProtection,
        tags,
      },
      child,
    );
    const hc = args.healthCheck;
    const tg = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: args.vpcId,
        targetType: "instance",
        protocol: "GENEVE",
        port: GENEVE_PORT,
        deregistrationDelay: 60,
        healthCheck: {
          enabled: true,
          protocol: hc.path ? "HTTP" : "TCP",
          port: String(hc.port),
          path: hc.path,
          interval: 10,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 2,
        },
        tags,
      },
      child,
    );
    new aws.lb.Listener(
      `${name}-listener`,
      {
        loadBalancerArn: gwlb.arn,
        defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
        tags,
      },
      child,
    );

    const applianceCidrs = args.availabilityZones.map(
      (az) => [letterOf(az), subnetCidr(args.vpcCidr, "appliance", az)] as const,
    );
    this.appliances = new Fleet(
      `${name}-appliance`,
      {
        vpcId: args.vpcId,
        subnetIds: letters.map((l) => applianceSubnets[l].id),
        imageId: args.imageId,
        instanceType: args.instanceType,
        minSize: args.minSize,
        maxSize: args.maxSize,
        port: hc.port,
        targetGroupArn: tg.arn,
        // Vendor images configure themselves; a placeholder web server would pass health checks
        // while dropping every GENEVE packet.
        bootstrap: "none",
        // Not the app defaults (/dev/xvda, 20 GiB, 120 s): vendor images often boot from
        // /dev/sda1 with a bigger snapshot, and take minutes before they pass health checks.
        rootVolume: {
          deviceName:
            args.rootDeviceName ??
            aws.ec2
              .getAmiOutput(
                { filters: [{ name: "image-id", values: [args.imageId] }], mostRecent: false },
                child,
              )
              .apply((image) => image.rootDeviceName),
          sizeGiB: args.rootVolumeGiB,
        },
        warmupSeconds: healthCheckGracePeriodSeconds,
        healthCheckGracePeriodSeconds,
        ingress: applianceCidrs.flatMap(([l, cidr]) => [
          {
            key: `geneve-${l}`,
            protocol: "udp" as const,
            port: GENEVE_PORT,
            peer: { cidrIpv4: cidr },
            description: `GENEVE from the GWLB nodes in AZ ${l}`,
          },
          {
            key: `health-${l}`,
            protocol: "tcp" as const,
            port: hc.port,
            peer: { cidrIpv4: cidr },
            description: `Health checks from the GWLB nodes in AZ ${l}`,
          },
        ]),
        egress: applianceCidrs.map(([l, cidr]) => ({
          key: `geneve-out-${l}`,
          protocol: "udp" as const,
          port: GENEVE_PORT,
          peer: { cidrIpv4: cidr },
          description: `GENEVE back to the GWLB nodes in AZ ${l}`,
        })),
        tags: { ...tags, Service: "inspection" },
      },
      child,
    );

    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const service = new aws.ec2.VpcEndpointService(
      `${name}-service`,
      {
        gatewayLoadBalancerArns: [gwlb.arn],
        // Only this account's endpoints may connect, and they need no manual acceptance.
        acceptanceRequired: false,
        allowedPrincipals: [pulumi.interpolate`arn:aws:iam::${account}:root`],
        supportedIpAddressTypes: ["ipv4"],
        tags,
      },
      child,
    );

    this.endpointIds = {};
    const edgeRt = new aws.ec2.RouteTable(
      `${name}-edge-rt`,
      { vpcId: args.vpcId, tags: { ...tags, Name: `${name}-edge-rt` } },
      child,
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-edge-rta`,
      { gatewayId: args.internetGatewayId, routeTableId: edgeRt.id },
      child,
    );
    for (const letter of letters) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-gwlbe-${letter}`,
        {
          vpcId: args.vpcId,
          serviceName: service.serviceName,
          vpcEndpointType: "GatewayLoadBalancer",
          subnetIds: [endpointSubnets[letter].id],
          tags: { ...tags, Name: `${name}-gwlbe-${letter}` },
        },
        child,
      );
      this.endpointIds[letter] = endpoint.id;
      new aws.ec2.Route(
        `${name}-edge-${letter}`,
        {
          routeTableId: edgeRt.id,
          destinationCidrBlock: args.protectedSubnetCidrs[letter],
          vpcEndpointId: endpoint.id,
        },
        child,
      );
    }

    this.gatewayLoadBalancerArn = gwlb.arn;
    this.gatewayLoadBalancerArnSuffix = gwlb.arnSuffix;
    this.targetGroupArnSuffix = tg.arnSuffix;
    this.endpointServiceName = service.serviceName;
    this.targetGroupArn = tg.arn;
    this.edgeRouteTableId = edgeRt.id;
    this.registerOutputs({
      endpointIds: this.endpointIds,
      gatewayLoadBalancerArn: this.gatewayLoadBalancerArn,
      gatewayLoadBalancerArnSuffix: this.gatewayLoadBalancerArnSuffix,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      endpointServiceName: this.endpointServiceName,
      targetGroupArn: this.targetGroupArn,
      edgeRouteTableId: this.edgeRouteTableId,
    });
  }
}
