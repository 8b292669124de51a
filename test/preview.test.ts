import { parseStackConfig } from "../stacks/config";
import { strict as assert } from "assert";
import { countByType, displayType, parseArgs, planOf, renderTree } from "../tools/preview";
import {
  ProgramRun,
  listGlobalStacks,
  listStacks,
  readStackConfig,
  runStack,
} from "../testing/harness";

describe("offline preview", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runStack("prod-east");
  });

  it("takes --stack, repeatable, and defaults to every stack file", () => {
    assert.deepEqual(parseArgs([]).stacks, [...listStacks(), ...listGlobalStacks()]);
    assert.deepEqual(parseArgs(["--stack", "prod-west"]).stacks, ["prod-west"]);
    assert.deepEqual(parseArgs(["--stack=prod-east", "-s", "prod-west"]).stacks, [
      "prod-east",
      "prod-west",
    ]);
    assert.throws(() => parseArgs(["--stack"]), /needs a stack name/);
    assert.equal(parseArgs(["--policy-pack-config", "cfg.json"]).policyConfigFile, "cfg.json");
    assert.throws(() => parseArgs(["--policy-pack-config"]), /needs a JSON file/);
    assert.throws(() => parseArgs(["--bogus"]), /unknown argument --bogus/);
  });

  it("nests the tree by parent under the stack, with preview's type tokens", () => {
    const lines = renderTree(run).split("\n");
    assert.match(lines[1], /^ \+ {3}pulumi:pulumi:Stack\s+securecart-prod-east\s+create$/);
    const alb = lines.findIndex((l) => /aws:lb:LoadBalancer\s+web-alb\s/.test(l));
    const web = lines.findIndex((l) => /securecart:components:LoadBalancedService\s+web\s/.test(l));
    assert.ok(web > 0 && alb > web, "the ALB is listed under its component");
    assert.match(lines[alb], /^ \+ {3}│ {2}[├└]─ aws:lb:LoadBalancer/);
    assert.match(lines[web], /^ \+ {3}[├└]─ securecart:components:LoadBalancedService/);
    assert.equal(
      lines.length,
      1 + 1 + run.resources.filter((r) => !r.type.startsWith("pulumi:providers:")).length,
    );
    assert.equal(displayType("aws:ec2/vpc:Vpc"), "aws:ec2:Vpc");
    assert.equal(displayType("securecart:components:Network"), "securecart:components:Network");
  });

  it("counts resources by type and writes a plan with parents, inputs and options", () => {
    const counts = Object.fromEntries(countByType(run));
    // A target group per web service, payments and the inspection appliances; a NAT per AZ.
    const cfg = parseStackConfig(run.stack, run.config);
    assert.equal(
      counts["aws:lb/targetGroup:TargetGroup"],
      Object.keys(cfg.services).length + 1 + (cfg.inspection.enabled ? 1 : 0),
    );
    assert.equal(counts["aws:ec2/natGateway:NatGateway"], cfg.availabilityZones.length);
    const plan = planOf(run) as {
      resources: { name: string; parent: string; inputs: any; options: any }[];
    };
    const record = plan.resources.find((r) => r.name === "tls-validation-apex");
    assert.equal(record?.parent, "tls");
    assert.equal(record?.options.retainOnDelete, true);
    const alb = plan.resources.find((r) => r.name === "web-alb");
    assert.ok(alb?.options.dependsOn.includes("lb-logs-policy"));
  });

  it("reads Pulumi.yaml defaults under the stack file, and turns secure values into placeholders", () => {
    const cfg = readStackConfig("prod-east", { "securecart:alarmPassword": { secure: "v1:abc" } });
    assert.equal(cfg["securecart:routing"], "failover");
    assert.equal(cfg["securecart:accessLogRetentionDays"], "90");
    assert.equal(cfg["aws:region"], "us-east-1");
    assert.equal(cfg["securecart:alarmPassword"], "[secret]");
    assert.throws(
      () => readStackConfig("prod-north"),
      /no stack file Pulumi\.prod-north\.yaml; known stacks: prod-east, prod-west/,
    );
  });
});
