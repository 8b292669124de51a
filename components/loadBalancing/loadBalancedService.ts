import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Fleet } from "./fleet";
import { elbLogicalNameProblem } from "../naming";
import { PlannedRule, RouteSpec, planListenerRules, routingProblems } from "./routing";

/**
 * Listener TLS policies this project accepts: TLS 1.3 policies whose minimum is TLS 1.2 or 1.3.
 * `ELBSecurityPolicy-TLS13-1-0-*` and `-1-1-*` support TLS 1.3 but still accept TLS 1.0/1.1, and
 * an unset policy means the API default `ELBSecurityPolicy-2016-08`.
 */
export const APPROVED_TLS_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;

/** What {@link APPROVED_TLS_POLICY} allows, for messages. */
export const APPROVED_TLS_POLICY_TEXT =
  "a TLS 1.3 policy with TLS 1.2 or newer as its minimum (ELBSecurityPolicy-TLS13-1-2-* or ELBSecurityPolicy-TLS13-1-3-*)";

/**
 * A target group's DNS failover threshold (`target_group_health.dns_failover.*`): with a count of
 * 1, a target group with no healthy target marks its load balancer's nodes unhealthy in DNS,
 * which Route 53's evaluate-target-health turns into a region failover; with `off` it never does.
 * The percentage stays off: one healthy target is enough to serve.
 */
export function dnsFailoverThreshold(definesRegionHealth: boolean): {
  minimumHealthyTargetsCount: string;
  minimumHealthyTargetsPercentage: string;
} {
  return {
    minimumHealthyTargetsCount: definesRegionHealth ? "1" : "off",
    minimumHealthyTargetsPercentage: "off",
  };
}

/** Health check of one target group. */
export interface HealthCheckArgs {
  /** HTTP path the app answers when it can serve traffic. */
  readonly path: string;
  /** Status codes that count as healthy, e.g. "200" or "200-299". */
  readonly matcher: string;
  /** Seconds between checks (5–300). */
  readonly intervalSeconds: number;
  /** Seconds before a check fails (2–120). */
  readonly timeoutSeconds: number;
  /** Consecutive successes to become healthy (2–10). */
  readonly healthyThreshold: number;
  /** Consecutive failures to become unhealthy (2–10). */
  readonly unhealthyThreshold: number;
}

/**
 * Who may reach an ALB backend beyond its host and path conditions (docs/security.md, Admin
 * access).
 * - `source-ip`: only clients from `cidrs` (1-3 IPv4 ranges; an ALB condition takes 3 values).
 * - `cognito`: clients sign in through an Amazon Cognito user pool first (HTTPS listeners only).
 */
export type BackendAccess =
  | { readonly kind: "source-ip"; readonly cidrs: readonly string[] }
  | {
      readonly kind: "cognito";
      readonly userPoolArn: string;
      readonly userPoolClientId: string;
      readonly userPoolDomain: string;
      /**
       * Longest an ALB sign-in session lasts before the user signs in again (SessionTimeout;
       * AWS's default when unset is 604800, 7 days).
       */
      readonly sessionTimeoutSeconds: number;
    };

/** One backend: a target group and the Auto Scaling group that fills it. */
export interface BackendArgs {
  /** Port the instances listen on. */
  readonly port: number;
  /** Target group health check. */
  readonly healthCheck: HealthCheckArgs;
  /** Seconds in-flight requests get to finish when a target leaves (0–3600). */
  readonly deregistrationDelaySeconds: number;
  /** ALB `lb_cookie` stickiness. @default - not sticky */
  readonly stickiness?: { readonly durationSeconds: number };
  /** ALB only: hosts and paths routed to this backend. Required for ALB backends. @default - none */
  readonly routing?: RouteSpec;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Smallest Auto Scaling group size (at least 1). */
  readonly minSize: number;
  /** Largest Auto Scaling group size. */
  readonly maxSize: number;
  /** Variables for the instances' `/etc/securecart/env` (see FleetArgs). @default - none */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Whether this backend losing its last healthy target marks the load balancer unhealthy in
   * DNS, and so (through Route 53's evaluate-target-health) fails the region over. `false` sets
   * the target group's `target_group_health.dns_failover.minimum_healthy_targets.count` to `off`,
   * so a small non-critical service can't move the whole region.
   * @default true
   */
  readonly definesRegionHealth?: boolean;
  /** ALB only: restrict who reaches the backend. @default - anyone its routing matches */
  readonly access?: BackendAccess;
  /**
   * CloudWatch alarm names that fail (stop) an instance refresh of this backend's fleet
   * (see FleetArgs `rollbackAlarmNames`). @default - none
   */
  readonly rollbackAlarmNames?: readonly pulumi.Input<string>[];
}

/** Arguments of {@link LoadBalancedService}. */
export interface LoadBalancedServiceArgs {
  /**
   * `application`: HTTPS with host/path routing to HTTP targets. `network`: a TLS listener that
   * re-encrypts to one TLS backend, whose instances serve TLS themselves (end-to-end TLS).
   */
  readonly type: "application" | "network";
  /** VPC of the load balancer and its targets. */
  readonly vpcId: pulumi.Input<string>;
  /** Subnets for the load balancer keyed by AZ letter (public tier), e.g. `{ a: "subnet-…" }`. */
  readonly publicSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Subnets for the instances, one per AZ (private tier). */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** Apex domain; ALB host rules are `<label>.<domain>`. */
  readonly domain: string;
  /** Certificate of the HTTPS or TLS listener (validated). */
  readonly certificateArn: pulumi.Input<string>;
  /** TLS 1.3 security policy of the HTTPS or TLS listener. */
  readonly tlsPolicy: string;
  /** AMI of the instances. */
  readonly imageId: pulumi.Input<string>;
  /** Access-log bucket and its prefix. */
  readonly accessLogs: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
  /** Backends keyed by service name. An NLB takes exactly one. */
  readonly backends: Readonly<Record<string, BackendArgs>>;
  /**
   * Deletion protection on the load balancer.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * The account's rules-per-ALB quota.
   * @default 100
   */
  readonly rulesQuota?: number;
  /**
   * ALB only: host labels (`@` for the apex) on which path-only backends answer; their rules get
   * this host-header condition. Must not name a host of a backend with `access`, so an
   * access-controlled host serves only its own backend.
   * @default - none: a path-only backend is refused
   */
  readonly sharedHosts?: readonly string[];
  /**
   * NLB only: an Elastic IP per AZ, so partners can allow-list fixed addresses and Shield
   * Advanced can protect the NLB (it protects NLBs only through EIPs).
   * @default true
   */
  readonly staticIps?: boolean;
  /**
   * Resources every fleet's Auto Scaling group waits for: the private subnets' routes, NAT
   * gateways and gateway endpoints (Network `privateEgress`). @default - none
   */
  readonly fleetDependsOn?: readonly pulumi.Resource[];
  /** Resources the load balancer must wait for, such as the log bucket's policy. @default - none */
  readonly loadBalancerDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A target group's identifiers, as alarms and scaling policies need them. */
export interface TargetGroupInfo {
  readonly arn: pulumi.Output<string>;
  /** `targetgroup/<name>/<id>`, the CloudWatch dimension form. */
  readonly arnSuffix: pulumi.Output<string>;
}

/**
 * A public load balancer and the backends it fronts.
 * - ALB: HTTPS:443 with an explicit TLS 1.3 policy and host/path rules, HTTP:80 that only
 *   redirects (301), invalid headers dropped, and a deliberate 404 default action.
 * - NLB: TLS:443 forwarding to one TLS backend (NLB does not validate target certificates, so
 *   the instances may use a certificate made at boot), cross-zone on, with a security group.
 * Every backend gets a target group with an explicit health check and an Auto Scaling group.
 */
export class LoadBalancedService extends pulumi.ComponentResource {
  /** `application` (ALB) or `network` (NLB), as given. */
  public readonly type: "application" | "network";
  /** The load balancer's ARN. */
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** `app/<name>/<id>` or `net/<name>/<id>`, the CloudWatch dimension form. */
  public readonly loadBalancerArnSuffix: pulumi.Output<string>;
  /** Public DNS name of the load balancer. */
  public readonly dnsName: pulumi.Output<string>;
  /** Canonical hosted zone of the load balancer, for Route 53 aliases. */
  public readonly zoneId: pulumi.Output<string>;
  /** The load balancer's security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The HTTPS or TLS listener's ARN. */
  public readonly secureListenerArn: pulumi.Output<string>;
  /** Target groups keyed by backend name. */
  public readonly targetGroups: Record<string, TargetGroupInfo>;
  /**
   * Per backend, the listener rule (ALB) or listener (NLB) that attaches its target group to the
   * load balancer: what a request-count scaling policy must wait for.
   */
  public readonly targetGroupAttachments: Record<string, pulumi.Resource> = {};
  /** Auto Scaling groups keyed by backend name. */
  public readonly fleets: Record<string, Fleet>;
  /**
   * NLB with `staticIps`: allocation IDs of its Elastic IPs keyed by AZ letter (Shield Advanced
   * protects an NLB only through these). Empty otherwise.
   */
  public readonly elasticIpAllocationIds: Record<string, pulumi.Output<string>>;
  /** ALB listener rules in evaluation order; empty for an NLB. */
  public readonly rules: readonly PlannedRule[];

  constructor(
    name: string,
    args: LoadBalancedServiceArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:LoadBalancedService", name, {}, opts);
    const deletionProtection = args.deletionProtection ?? true;
    const rulesQuota = args.rulesQuota ?? 100;
    const staticIps = args.staticIps ?? true;
    const tags = args.tags ?? {};
    const isAlb = args.type === "application";
    const lbName = `${name}-${isAlb ? "alb" : "nlb"}`;
    const backendNames = Object.keys(args.backends);

    this.validate(args, lbName, backendNames, rulesQuota);
    this.type = args.type;

    const child = { parent: this };
    const sg = new aws.ec2.SecurityGroup(
      `${name}-lb-sg`,
      {
        vpcId: args.vpcId,
        description: `${lbName}: ${isAlb ? "HTTP and HTTPS" : "TLS"} from the internet`,
        tags: { ...tags, Name: `${name}-lb-sg` },
      },
      child,
    );
    for (const port of isAlb ? [80, 443] : [443]) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-lb-in-${port}`,
        {
          securityGroupId: sg.id,
          cidrIpv4: "0.0.0.0/0",
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: port === 80 ? "HTTP, redirected to HTTPS" : "HTTPS/TLS from clients",
        },
        child,
      );
    }

    // The ALB calls the Cognito domain's token and user-info endpoints on 443 itself (ELB guide,
    // "Authenticate users using an Application Load Balancer").
    if (Object.values(args.backends).some((b) => b.access?.kind === "cognito")) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-lb-to-idp`,
        {
          securityGroupId: sg.id,
          cidrIpv4: "0.0.0.0/0",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: "HTTPS to the identity provider (Cognito) for admin sign-in",
        },
        child,
      );
    }

    const publicSubnets = Object.entries(args.publicSubnetIds);
    this.elasticIpAllocationIds = {};
    const subnetMappings =
      isAlb || !staticIps
        ? undefined
        : publicSubnets.map(([az, subnetId]) => {
            const allocationId = new aws.ec2.Eip(
              `${name}-eip-${az}`,
              { domain: "vpc", tags: { ...tags, Name: `${name}-eip-${az}` } },
              child,
            ).allocationId;
            this.elasticIpAllocationIds[az] = allocationId;
            return { subnetId, allocationId };
          });
    const lb = new aws.lb.LoadBalancer(
      lbName,
      {
        loadBalancerType: args.type,
        internal: false,
        ipAddressType: "ipv4",
        subnets: subnetMappings ? undefined : publicSubnets.map(([, id]) => id),
        subnetMappings,
        securityGroups: [sg.id],
        enableDeletionProtection: deletionProtection,
        // Off by default on ALB and NLB; without it ARC can neither shift nor autoshift the load
        // balancer out of an impaired AZ (ELB guides, "Enable zonal shift").
        enableZonalShift: true,
        accessLogs: {
          bucket: args.accessLogs.bucket,
          prefix: args.accessLogs.prefix,
          enabled: true,
        },
        ...(isAlb
          ? {
              dropInvalidHeaderFields: true,
              desyncMitigationMode: "defensive",
              enableHttp2: true,
              idleTimeout: 60,
            }
          : // AWS leaves cross-zone off on NLBs; with it off, an AZ with fewer healthy targets gets
            // the same share of traffic as the others.
            { enableCrossZoneLoadBalancing: true }),
        tags,
      },
      { parent: this, dependsOn: args.loadBalancerDependsOn },
    );

    this.targetGroups = {};
    this.fleets = {};
    for (const [backend, spec] of Object.entries(args.backends)) {
      const hc = spec.healthCheck;
      const tg = new aws.lb.TargetGroup(
        `${name}-${backend}-tg`,
        {
          vpcId: args.vpcId,
          targetType: "instance",
          port: spec.port,
          // NLB re-encrypts to its targets: card data never crosses the VPC in plaintext.
          protocol: isAlb ? "HTTP" : "TLS",
          ...(isAlb
            ? { protocolVersion: "HTTP1" }
            : {
                connectionTermination: true,
                // A cross-zone NLB accepts zonal shift only when connection termination for
                // unhealthy targets is off (AWS defaults it on). Connections to an unhealthy
                // target then drain for the deregistration delay instead of being reset at once
                // (ARC guide, "Network Load Balancers").
                targetHealthStates: [
                  {
                    enableUnhealthyConnectionTermination: false,
                    unhealthyDrainingInterval: spec.deregistrationDelaySeconds,
                  },
                ],
              }),
          deregistrationDelay: spec.deregistrationDelaySeconds,
          // Set explicitly both ways: AWS documents the count's default as 1 in one place and as
          // off in another (docs/data-tier-fixes.md, item 5).
          targetGroupHealth: {
            dnsFailover: dnsFailoverThreshold(spec.definesRegionHealth ?? true),
          },
          // Cross-zone follows the load balancer (always on for ALB, switched on above for NLB);
          // it is never turned off per target group.
          loadBalancingCrossZoneEnabled: "true",
          // Not set on the NLB's TLS target group: NLB supports no sticky sessions with a TLS
          // listener and TLS targets (NLB guide, "Sticky sessions"), and the provider sends no
          // stickiness attribute when the block is absent, so AWS keeps its default (off).
          ...(isAlb
            ? {
                stickiness: {
                  type: "lb_cookie",
                  enabled: spec.stickiness !== undefined,
                  cookieDuration: spec.stickiness?.durationSeconds ?? 86400,
                },
              }
            : {}),
          healthCheck: {
            enabled: true,
            // TLS targets are checked over HTTPS on the same port (a TLS target group allows
            // HTTP, HTTPS or TCP checks; ELB API reference, HealthCheckProtocol).
            protocol: isAlb ? "HTTP" : "HTTPS",
            port: "traffic-port",
            path: hc.path,
            matcher: hc.matcher,
            interval: hc.intervalSeconds,
            timeout: hc.timeoutSeconds,
            healthyThreshold: hc.healthyThreshold,
            unhealthyThreshold: hc.unhealthyThreshold,
          },
          // The admin-not-public policy finds the admin target group by this tag, whatever
          // rule or listener reaches it.
          tags: { ...tags, Service: backend },
        },
        child,
      );
      this.targetGroups[backend] = { arn: tg.arn, arnSuffix: tg.arnSuffix };

      const fleet = new Fleet(
        `${name}-${backend}`,
        {
          vpcId: args.vpcId,
          subnetIds: args.privateSubnetIds,
          imageId: args.imageId,
          instanceType: spec.instanceType,
          minSize: spec.minSize,
          maxSize: spec.maxSize,
          port: spec.port,
          targetGroupArn: tg.arn,
          ingress: [
            {
              key: "from-lb",
              protocol: "tcp",
              port: spec.port,
              peer: { securityGroupId: sg.id },
              description: "Application port, from the load balancer only",
            },
          ],
          environment: spec.environment,
          rollbackAlarmNames: spec.rollbackAlarmNames,
          groupDependsOn: args.fleetDependsOn,
          tls: !isAlb,
          tags: { ...tags, Service: backend },
        },
        child,
      );
      this.fleets[backend] = fleet;
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-lb-to-${backend}`,
        {
          securityGroupId: sg.id,
          referencedSecurityGroupId: fleet.securityGroupId,
          ipProtocol: "tcp",
          fromPort: spec.port,
          toPort: spec.port,
          description: `Traffic and health checks to ${backend}`,
        },
        child,
      );
    }

    let secureListener: aws.lb.Listener;
    if (isAlb) {
      new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: lb.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            {
              type: "redirect",
              redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            },
          ],
          tags,
        },
        child,
      );
      secureListener = new aws.lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: lb.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: args.tlsPolicy,
          certificateArn: args.certificateArn,
          // Requests no rule claims get a plain 404 rather than reaching some backend by accident.
          defaultActions: [
            {
              type: "fixed-response",
              fixedResponse: {
                contentType: "text/plain",
                statusCode: "404",
                messageBody: "Not found",
              },
            },
          ],
          tags,
        },
        child,
      );
      const routes = Object.fromEntries(
        Object.entries(args.backends).map(([k, b]) => [k, b.routing as RouteSpec]),
      );
      this.rules = planListenerRules(args.domain, routes, args.sharedHosts ?? []);
      for (const rule of this.rules) {
        const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
        if (rule.hostHeaders.length > 0)
          conditions.push({ hostHeader: { values: [...rule.hostHeaders] } });
        if (rule.pathPatterns.length > 0)
          conditions.push({ pathPattern: { values: [...rule.pathPatterns] } });
        const access = args.backends[rule.service].access;
        if (access?.kind === "source-ip")
          conditions.push({ sourceIp: { values: [...access.cidrs] } });
        const forward = { type: "forward", targetGroupArn: this.targetGroups[rule.service].arn };
        this.targetGroupAttachments[rule.service] = new aws.lb.ListenerRule(
          `${name}-${rule.service}-rule`,
          {
            listenerArn: secureListener.arn,
            priority: rule.priority,
            actions:
              access?.kind === "cognito"
                ? [
                    {
                      type: "authenticate-cognito",
                      order: 1,
                      authenticateCognito: {
                        // Explicit: "allow" would forward anonymous requests (docs/security.md).
                        onUnauthenticatedRequest: "authenticate",
                        userPoolArn: access.userPoolArn,
                        userPoolClientId: access.userPoolClientId,
                        userPoolDomain: access.userPoolDomain,
                        // Unset, the session would last AWS's default of 7 days.
                        sessionTimeout: access.sessionTimeoutSeconds,
                        scope: "openid",
                      },
                    },
                    { ...forward, order: 2 },
                  ]
                : [forward],
            conditions,
            tags,
          },
          child,
        );
      }
    } else {
      const [only] = backendNames;
      secureListener = new aws.lb.Listener(
        `${name}-tls`,
        {
          loadBalancerArn: lb.arn,
          port: 443,
          protocol: "TLS",
          sslPolicy: args.tlsPolicy,
          certificateArn: args.certificateArn,
          defaultActions: [{ type: "forward", targetGroupArn: this.targetGroups[only].arn }],
          tags,
        },
        child,
      );
      this.targetGroupAttachments[only] = secureListener;
      this.rules = [];
    }

    this.loadBalancerArn = lb.arn;
    this.loadBalancerArnSuffix = lb.arnSuffix;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.securityGroupId = sg.id;
    this.secureListenerArn = secureListener.arn;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerArnSuffix: this.loadBalancerArnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      securityGroupId: this.securityGroupId,
      secureListenerArn: this.secureListenerArn,
      targetGroups: this.targetGroups,
      elasticIpAllocationIds: this.elasticIpAllocationIds,
      rules: this.rules,
    });
  }

  /** Checks everything knowable before creating a child; throws a ResourceError naming the arg. */
  private validate(
    args: LoadBalancedServiceArgs,
    lbName: string,
    backendNames: string[],
    rulesQuota: number,
  ): void {
    const fail = (message: string): never => {
      throw new pulumi.ResourceError(message, this);
    };
    if (backendNames.length === 0) fail("backends must name at least one backend; got none");
    if (args.type === "network" && backendNames.length !== 1) {
      fail(
        `an NLB forwards its TLS listener to one backend; got ${backendNames.length} (${backendNames.join(", ")})`,
      );
    }
    if (!APPROVED_TLS_POLICY.test(args.tlsPolicy)) {
      fail(`tlsPolicy must be ${APPROVED_TLS_POLICY_TEXT}; got "${args.tlsPolicy}"`);
    }
    const publicCount = Object.keys(args.publicSubnetIds).length;
    if (publicCount < 2 || args.privateSubnetIds.length < 2) {
      fail(
        `publicSubnetIds and privateSubnetIds must span at least 2 AZs; got ${publicCount} and ${args.privateSubnetIds.length}`,
      );
    }
    for (const logical of [lbName, ...backendNames.map((b) => `${lbName.slice(0, -4)}-${b}-tg`)]) {
      const problem = elbLogicalNameProblem(logical);
      if (problem) fail(`${problem}. Shorten the component or backend name`);
    }
    for (const [backend, spec] of Object.entries(args.backends)) {
      if (args.type === "application" && !spec.routing) {
        fail(`backends.${backend}.routing is required on an ALB; got nothing`);
      }
      if (args.type === "network" && spec.access) {
        fail(`backends.${backend}.access is ALB-only; restrict an NLB with its security group`);
      }
      if (spec.access?.kind === "source-ip") {
        const n = spec.access.cidrs.length;
        if (n < 1 || n > 3 || spec.access.cidrs.some((c) => c === "0.0.0.0/0")) {
          fail(
            `backends.${backend}.access.cidrs must list 1-3 networks, not 0.0.0.0/0 (an ALB condition takes 3 values); got ${JSON.stringify(spec.access.cidrs)}`,
          );
        }
      }
      if (args.type === "network" && spec.stickiness) {
        fail(`backends.${backend}.stickiness is ALB-only (lb_cookie); remove it for an NLB`);
      }
      const d = spec.stickiness?.durationSeconds;
      if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > 604800)) {
        fail(`backends.${backend}.stickiness.durationSeconds must be 1–604800; got ${d}`);
      }
      const delay = spec.deregistrationDelaySeconds;
      if (!Number.isInteger(delay) || delay < 0 || delay > 3600) {
        fail(`backends.${backend}.deregistrationDelaySeconds must be 0–3600; got ${delay}`);
      }
    }
    if (args.type === "application") {
      const routes = Object.fromEntries(
        Object.entries(args.backends).map(([k, b]) => [k, b.routing ?? { hosts: [], paths: [] }]),
      );
      const shared = args.sharedHosts ?? [];
      for (const [backend, spec] of Object.entries(args.backends)) {
        if (!spec.access) continue;
        const hosts = spec.routing?.hosts ?? [];
        if (hosts.length === 0) {
          fail(
            `backends.${backend}.routing.hosts must name the backend's own host: with access control and no host, it would answer on every shared host; got none`,
          );
        }
        const leaked = hosts.filter((h) => shared.includes(h));
        if (leaked.length > 0) {
          fail(
            `sharedHosts must not include ${leaked.join(", ")}, the host of access-controlled backend ${backend}, or path-only backends would answer there; got ${JSON.stringify(shared)}`,
          );
        }
      }
      const sourceIpValues = Object.fromEntries(
        Object.entries(args.backends).map(([k, b]) => [
          k,
          b.access?.kind === "source-ip" ? b.access.cidrs.length : 0,
        ]),
      );
      const problems = routingProblems(args.domain, routes, shared, rulesQuota, sourceIpValues);
      if (problems.length > 0) {
        fail(
          problems
            .map((p) => {
              const [backend, ...rest] = p.path.map(String);
              const key =
                backend === undefined
                  ? "backends"
                  : ["backends", backend, "routing", ...rest].join(".");
              return `${key} ${p.message}`;
            })
            .join("; "),
        );
      }
    }
  }
}
