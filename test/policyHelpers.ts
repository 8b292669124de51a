/**
 * Builds small hand-written "program runs" for policy tests, so a single resource or a handful of
 * linked resources can go through the same runner (testing/policyRunner.ts) as a whole stack.
 */
import { Policy, PolicyPackConfig } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { RecordedResource } from "../testing/mocks";
import { PolicyInput, Violation, runPolicies } from "../testing/policyRunner";

/**
 * The wire value of an unknown string (an output of a resource not created yet) during preview.
 * `@pulumi/policy` 1.21 exports it at runtime only (its typings strip @internal names).
 */
export const UNKNOWN: string = (policyProxy as unknown as { unknownStringValue: string })
  .unknownStringValue;

/** A resource in a test run. Names stand in for URNs in links. */
export interface FakeResource {
  readonly type: string;
  readonly name: string;
  /** Inputs and outputs both, when they are the same. */
  readonly props?: Record<string, unknown>;
  /** Inputs only (what resource policies see); defaults to `props`. */
  readonly inputs?: Record<string, unknown>;
  /** Outputs only (what stack policies see); defaults to `props`. */
  readonly state?: Record<string, unknown>;
  /** Physical ID; defaults to `<name>-id` for custom resources. */
  readonly id?: string;
  /** Logical name of the parent. */
  readonly parent?: string;
  /** Logical names of the resources `props[key]` came from. */
  readonly links?: Readonly<Record<string, readonly string[]>>;
  /** Logical names of other dependencies (`dependsOn`). */
  readonly dependsOn?: readonly string[];
}

/** The URN a fake resource gets. */
export function fakeUrn(type: string, name: string): string {
  return `urn:pulumi:test::securecart::${type}::${name}`;
}

/** A run made of `resources`, with names in `parent`, `links` and `dependsOn` turned into URNs. */
export function fakeRun(resources: readonly FakeResource[]): PolicyInput {
  const urnOf = (name: string) => {
    const r = resources.find((x) => x.name === name);
    if (!r) throw new Error(`fakeRun: no resource named ${name}`);
    return fakeUrn(r.type, r.name);
  };
  const recorded: RecordedResource[] = resources.map((r) => {
    const custom = r.type.startsWith("aws:");
    const propertyDependencies = Object.fromEntries(
      Object.entries(r.links ?? {}).map(([k, names]) => [k, names.map(urnOf)]),
    );
    return {
      urn: fakeUrn(r.type, r.name),
      type: r.type,
      name: r.name,
      custom,
      id: custom ? (r.id ?? `${r.name}-id`) : undefined,
      inputs: r.inputs ?? r.props ?? {},
      state: r.state ?? r.props ?? {},
      parent: r.parent ? urnOf(r.parent) : undefined,
      provider: undefined,
      dependencies: [
        ...new Set([
          ...Object.values(propertyDependencies).flat(),
          ...(r.dependsOn ?? []).map(urnOf),
        ]),
      ],
      propertyDependencies,
      options: {
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ignoreChanges: [],
      },
    };
  });
  return { resources: recorded };
}

/** Violations of one policy over `resources`. */
export function check(
  policy: Policy,
  resources: readonly FakeResource[],
  config: PolicyPackConfig = {},
): Promise<Violation[]> {
  return runPolicies(fakeRun(resources), [policy], config);
}

/** Violation messages of one policy for a single resource of `type` with `props`. */
export async function checkResource(
  policy: Policy,
  type: string,
  props: Record<string, unknown>,
  config: PolicyPackConfig = {},
  name = "subject",
): Promise<string[]> {
  return (await check(policy, [{ type, name, props }], config)).map((v) => v.message);
}

/** Violation messages of one policy over a small stack. */
export async function checkStack(
  policy: Policy,
  resources: readonly FakeResource[],
  config: PolicyPackConfig = {},
): Promise<string[]> {
  return (await check(policy, resources, config)).map((v) => v.message);
}

/** Type tokens used in the tests. */
export const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  albLb: "aws:alb/loadBalancer:LoadBalancer",
  clb: "aws:elb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  albTg: "aws:alb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  wafAssoc: "aws:wafv2/webAclAssociation:WebAclAssociation",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  record: "aws:route53/record:Record",
  proxy: "aws:rds/proxy:Proxy",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  asg: "aws:autoscaling/group:Group",
  asgPolicy: "aws:autoscaling/policy:Policy",
  asgAttachment: "aws:autoscaling/attachment:Attachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  eip: "aws:ec2/eip:Eip",
  shield: "aws:shield/protection:Protection",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;
