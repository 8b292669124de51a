/**
 * A made-up stack that breaks every policy of the pack at least once, passes some, and carries
 * values that are unknown during preview. testing/policyConformance.ts runs it through both the
 * real analyzer and testing/policyRunner.ts.
 */
import * as policyProxy from "@pulumi/policy/proxy";
import { PolicyInput } from "./policyRunner";

/** The engine's wire value for an unknown string during preview. */
const UNKNOWN_STRING: string = (policyProxy as unknown as { unknownStringValue: string })
  .unknownStringValue;

/**
 * A made-up stack that breaks every policy at least once (and passes some), so the comparison
 * covers every rule, not only the ones the real stacks trip.
 */
export function zooRun(): PolicyInput {
  type Spec = [
    type: string,
    name: string,
    props: Record<string, unknown>,
    links?: Record<string, string[]>,
  ];
  const specs: Spec[] = [
    ["aws:elb/loadBalancer:LoadBalancer", "clb", { listeners: [] }],
    ["aws:ec2/securityGroup:SecurityGroup", "lb-sg", {}],
    [
      "aws:ec2/securityGroup:SecurityGroup",
      "app-sg",
      { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
    ],
    [
      "aws:alb/loadBalancer:LoadBalancer",
      "alb",
      {
        loadBalancerType: "application",
        desyncMitigationMode: "monitor",
        securityGroups: ["lb-sg-id"],
        arn: "arn:alb",
        arnSuffix: "app/alb/1",
      },
      { securityGroups: ["lb-sg"] },
    ],
    [
      "aws:lb/loadBalancer:LoadBalancer",
      "nlb",
      { loadBalancerType: "network", subnets: ["a"], arn: "arn:nlb", arnSuffix: "net/nlb/1" },
    ],
    [
      "aws:lb/loadBalancer:LoadBalancer",
      "gwlb",
      { loadBalancerType: "gateway", enableCrossZoneLoadBalancing: false },
    ],
    [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "lb-in-443",
      {
        securityGroupId: "lb-sg-id",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      },
      { securityGroupId: ["lb-sg"] },
    ],
    [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "lb-in-22",
      {
        securityGroupId: "lb-sg-id",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv6: "::/0",
      },
      { securityGroupId: ["lb-sg"] },
    ],
    [
      "aws:ec2/securityGroupRule:SecurityGroupRule",
      "app-all",
      {
        type: "ingress",
        securityGroupId: "app-sg-id",
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      },
      { securityGroupId: ["app-sg"] },
    ],
    ["aws:lb/targetGroup:TargetGroup", "tg-none", { protocol: "HTTP", port: 80 }],
    [
      "aws:alb/targetGroup:TargetGroup",
      "tg-off",
      {
        protocol: "HTTP",
        port: 80,
        loadBalancingCrossZoneEnabled: "false",
        healthCheck: { enabled: false },
      },
    ],
    [
      "aws:lb/targetGroup:TargetGroup",
      "tg-nopath",
      { protocol: "HTTP", port: 80, healthCheck: { enabled: true, protocol: "HTTPS" } },
    ],
    [
      "aws:lb/listener:Listener",
      "http-fwd",
      {
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
      },
    ],
    [
      "aws:lb/listenerRule:ListenerRule",
      "http-rule",
      {
        listenerArn: "arn:http-fwd",
        priority: 1,
        actions: [{ type: "forward", targetGroupArn: "arn:tg" }],
      },
      { listenerArn: ["http-fwd"] },
    ],
    [
      "aws:alb/listener:Listener",
      "https-old",
      {
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-2016-08",
        defaultActions: [{ type: "forward" }],
      },
    ],
    [
      "aws:lb/listener:Listener",
      "tls-none",
      { port: 443, protocol: "TLS", defaultActions: [{ type: "forward" }] },
    ],
    [
      "aws:wafv2/webAcl:WebAcl",
      "acl",
      {
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: [
          {
            name: "crs",
            priority: 1,
            overrideAction: { count: {} },
            statement: {
              managedRuleGroupStatement: {
                vendorName: "AWS",
                name: "AWSManagedRulesCommonRuleSet",
              },
            },
          },
        ],
      },
    ],
    [
      "aws:route53/record:Record",
      "primary",
      {
        zoneId: "Z1",
        name: "shop.example.com",
        type: "A",
        setIdentifier: "east",
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
      },
    ],
    [
      "aws:route53/record:Record",
      "latency",
      {
        zoneId: "Z1",
        name: "pay.example.com",
        type: "A",
        setIdentifier: "west",
        latencyRoutingPolicies: [{ region: "us-west-2" }],
        healthCheckId: "hc",
      },
    ],
    [
      "aws:rds/proxy:Proxy",
      "proxy",
      { engineFamily: "POSTGRESQL", auths: [{ authScheme: "SECRETS", iamAuth: "DISABLED" }] },
    ],
    [
      "aws:rds/cluster:Cluster",
      "db",
      { engine: "aurora-postgresql", clusterIdentifier: "db-1", backupRetentionPeriod: 3 },
    ],
    [
      "aws:rds/clusterInstance:ClusterInstance",
      "db-1",
      { clusterIdentifier: "db-1", publiclyAccessible: true, availabilityZone: "us-east-1a" },
      { clusterIdentifier: ["db"] },
    ],
    [
      "aws:route53/record:Record",
      "secondary",
      {
        zoneId: "Z1",
        name: "shop.example.com",
        type: "A",
        setIdentifier: "west",
        failoverRoutingPolicies: [{ type: "SECONDARY" }],
      },
    ],
    // Preview: values of resources not created yet are unknown.
    [
      "aws:route53/record:Record",
      "primary-new-check",
      {
        zoneId: "Z1",
        name: "www.example.com",
        type: "A",
        setIdentifier: "east",
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
        healthCheckId: UNKNOWN_STRING,
      },
    ],
    ["aws:rds/cluster:Cluster", "db2", { clusterIdentifier: "db2" }],
    [
      "aws:rds/clusterInstance:ClusterInstance",
      "db2-1",
      { clusterIdentifier: "db2", availabilityZone: UNKNOWN_STRING },
      { clusterIdentifier: ["db2"] },
    ],
    [
      "aws:autoscaling/group:Group",
      "asg",
      {
        name: "asg-1",
        minSize: 1,
        maxSize: 2,
        vpcZoneIdentifiers: ["a"],
        targetGroupArns: ["arn:tg"],
      },
    ],
    [
      "aws:autoscaling/policy:Policy",
      "asg-step",
      { autoscalingGroupName: "asg-1", policyType: "StepScaling" },
      { autoscalingGroupName: ["asg"] },
    ],
  ];
  const urn = (type: string, name: string) => `urn:pulumi:zoo::securecart::${type}::${name}`;
  const urnOf = (name: string) => {
    const [type] = specs.find(([, n]) => n === name)!;
    return urn(type, name);
  };
  return {
    resources: specs.map(([type, name, props, links = {}]) => {
      const propertyDependencies = Object.fromEntries(
        Object.entries(links).map(([k, names]) => [k, names.map(urnOf)]),
      );
      return {
        urn: urn(type, name),
        type,
        name,
        custom: true,
        id: `${name}-id`,
        inputs: props,
        state: props,
        parent: undefined,
        provider: undefined,
        dependencies: Object.values(propertyDependencies).flat(),
        propertyDependencies,
        options: {
          protect: false,
          retainOnDelete: false,
          deleteBeforeReplace: false,
          ignoreChanges: [],
        },
      };
    }),
  };
}
