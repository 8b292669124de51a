/**
 * Conformance check for tools/policyRunner.ts: starts the real `@pulumi/policy` analyzer server
 * (policies/index.ts, as `pulumi preview --policy-pack policies` would), feeds it the same
 * recorded stack over gRPC (Analyze per resource with its inputs, AnalyzeStack with outputs and
 * dependency URNs), and compares its diagnostics with the engine-free runner's violations.
 *
 *   npx ts-node --transpile-only tools/policyConformance.ts [stack...]
 *
 * Exits non-zero when the two disagree. Slow (it starts a second Node process), so it is a tool,
 * not part of the unit tests.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PolicyPackConfig } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { PROJECT_ROOT, listStacks, runStack } from "./harness";
import { RecordedResource } from "./mocks";
import { PolicyInput, outputsOf, policyConfig, runPolicies } from "./policyRunner";

/** The engine's wire value for an unknown string during preview. */
const UNKNOWN_STRING: string = (policyProxy as unknown as { unknownStringValue: string })
  .unknownStringValue;

const LEVEL_NAMES: Record<number, string> = {
  [analyzer.EnforcementLevel.ADVISORY]: "advisory",
  [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzer.EnforcementLevel.DISABLED]: "disabled",
  [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};

/** JSON-clean copy (drops undefined), as the engine's property maps carry no undefined. */
function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function options(r: RecordedResource): analyzer.AnalyzerResourceOptions {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList([...r.options.ignoreChanges]);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  o.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) o.setParent(r.parent);
  return o;
}

function call<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    fn(req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const dir = path.join(PROJECT_ROOT, "policies");
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(parseInt(d.toString().trim(), 10)));
    child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
  });
  return { child, port };
}

/** One diagnostic or violation, as a comparable line. */
function line(policy: string, level: string, urn: string, message: string): string {
  return `${policy} [${level}] ${urn}\n    ${message}`;
}

/** Diagnostics of the real analyzer for `run`, as comparable lines. */
async function serverLines(client: AnalyzerClient, run: PolicyInput): Promise<string[]> {
  const out: string[] = [];
  const collect = (res: analyzer.AnalyzeResponse) => {
    for (const d of res.getDiagnosticsList()) {
      // The server prefixes the message with the policy description and a newline.
      // ("can't run during preview" diagnostics carry the bare message.)
      const prefix = `${d.getDescription()}\n`;
      const raw = d.getMessage();
      const message = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
      out.push(line(d.getPolicyname(), LEVEL_NAMES[d.getEnforcementlevel()], d.getUrn(), message));
    }
  };
  for (const r of run.resources) {
    const req = new analyzer.AnalyzeRequest();
    req.setType(r.type);
    req.setProperties(struct(r.inputs));
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setOptions(options(r));
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
      client.analyze.bind(client),
      req,
    );
    // Resource diagnostics carry no URN; the engine attaches the resource's.
    const before = out.length;
    collect(res);
    for (let i = before; i < out.length; i++) out[i] = out[i].replace("] \n", `] ${r.urn}\n`);
  }
  const stackReq = new analyzer.AnalyzeStackRequest();
  stackReq.setResourcesList(
    run.resources.map((r) => {
      const a = new analyzer.AnalyzerResource();
      a.setType(r.type);
      a.setProperties(struct(outputsOf(r)));
      a.setUrn(r.urn);
      a.setName(r.name);
      a.setOptions(options(r));
      if (r.parent) a.setParent(r.parent);
      a.setDependenciesList([...r.dependencies]);
      const deps = a.getPropertydependenciesMap();
      for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
        const d = new analyzer.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        deps.set(prop, d);
      }
      return a;
    }),
  );
  collect(
    await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      client.analyzeStack.bind(client),
      stackReq,
    ),
  );
  return out;
}

/** Sends what the CLI sends: every policy's level and its config with schema defaults filled. */
async function configure(client: AnalyzerClient, config: PolicyPackConfig): Promise<void> {
  const { policies } = await import("../policies/rules");
  const { effectiveLevel } = await import("./policyRunner");
  const req = new analyzer.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const p of policies) {
    const c = new analyzer.PolicyConfig();
    const level = effectiveLevel(p, config, "advisory");
    c.setEnforcementlevel(Number(Object.entries(LEVEL_NAMES).find(([, n]) => n === level)![0]));
    c.setProperties(struct(policyConfig(p, config)));
    map.set(p.name, c);
  }
  await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), req);
}

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

async function main(): Promise<number> {
  const stacks = process.argv.slice(2).length > 0 ? process.argv.slice(2) : listStacks();
  const { policies } = await import("../policies/rules");
  const { child, port } = await startServer();
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  let failures = 0;
  try {
    const info = await call<Empty, analyzer.AnalyzerInfo>(
      client.getAnalyzerInfo.bind(client),
      new Empty(),
    );
    const served = info.getPoliciesList().map((p) => p.getName());
    const ours = policies.map((p) => p.name);
    if (JSON.stringify(served) !== JSON.stringify(ours)) {
      console.log(
        `policy lists differ:\n  server: ${served.join(", ")}\n  ours:   ${ours.join(", ")}`,
      );
      failures++;
    }
    await configure(client, {});
    for (const stack of [...stacks, "zoo"]) {
      const run = stack === "zoo" ? zooRun() : await runStack(stack);
      const theirs = (await serverLines(client, run)).sort();
      const mine = (await runPolicies(run, policies))
        .map((v) => line(v.policyName, v.enforcementLevel, v.urn, v.message))
        .sort();
      const same = JSON.stringify(theirs) === JSON.stringify(mine);
      console.log(
        `${stack}: analyzer ${theirs.length} diagnostic(s), runner ${mine.length} violation(s): ${same ? "identical" : "DIFFERENT"}`,
      );
      if (!same) {
        failures++;
        console.log("analyzer only:\n" + theirs.filter((l) => !mine.includes(l)).join("\n"));
        console.log("runner only:\n" + mine.filter((l) => !theirs.includes(l)).join("\n"));
      }
    }
  } finally {
    client.close();
    child.kill();
  }
  return failures > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
