import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import {
  Policies,
  PolicyPackConfig,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import {
  Violation,
  effectiveLevel,
  formatViolations,
  isTypeOf,
  mandatoryCount,
  policyConfig,
  readPolicyPackConfig,
  runPolicies,
  validatePolicyConfig,
} from "../testing/policyRunner";
import { T, fakeRun, fakeUrn } from "./policyHelpers";

/** A resource policy that reports every resource of both LB classes, once per matching class. */
const everyLb: ResourceValidationPolicy = {
  name: "every-lb",
  description: "test",
  enforcementLevel: "mandatory",
  validateResource: [
    validateResourceOfType(aws.lb.LoadBalancer, (_p, args, report) => report(`lb ${args.name}`)),
    validateResourceOfType(aws.alb.LoadBalancer, (_p, args, report) => report(`alb ${args.name}`)),
  ],
};

const run = fakeRun([
  { type: T.lb, name: "a", props: { loadBalancerType: "application" } },
  { type: T.albLb, name: "b", props: { loadBalancerType: "network" } },
  { type: T.sg, name: "sg", props: { description: "x" } },
]);

describe("policy runner", () => {
  describe("isTypeOf", () => {
    it("matches a class by its Pulumi type token, and nothing else", () => {
      assert.equal(isTypeOf(T.lb, aws.lb.LoadBalancer), true);
      assert.equal(isTypeOf(T.albLb, aws.lb.LoadBalancer), false);
      assert.equal(isTypeOf(T.albLb, aws.alb.LoadBalancer), true);
      assert.equal(isTypeOf(T.sg, aws.lb.LoadBalancer), false);
    });
    it("falls back to isInstance for a class without a type token", () => {
      const cls = { isInstance: (o: { __pulumiType?: string }) => o.__pulumiType === "x:y:Z" };
      assert.equal(isTypeOf("x:y:Z", cls), true);
      assert.equal(isTypeOf("x:y:W", cls), false);
    });
  });

  it("runs each validation function on the types it matches only; notApplicable is not a failure", async () => {
    const violations = await runPolicies(run, [everyLb]);
    assert.deepEqual(
      violations.map((v) => [v.message, v.urn, v.resourceName, v.type, v.enforcementLevel]),
      [
        ["lb a", fakeUrn(T.lb, "a"), "a", T.lb, "mandatory"],
        ["alb b", fakeUrn(T.albLb, "b"), "b", T.albLb, "mandatory"],
      ],
    );
  });

  it("gives resource policies the inputs, with stackTags, opts, isType/asType and notApplicable", async () => {
    const seen: ResourceValidationArgs[] = [];
    const spy: ResourceValidationPolicy = {
      name: "spy",
      description: "test",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        seen.push(args);
      },
    };
    const r = fakeRun([
      {
        type: T.lb,
        name: "a",
        inputs: { internal: false },
        state: { internal: false, dnsName: "x" },
      },
      { type: T.sg, name: "sg", props: {}, parent: "a" },
    ]);
    await runPolicies(r, [spy]);
    assert.equal(seen.length, 2);
    const [lb, sg] = seen;
    assert.deepEqual(lb.props, { internal: false });
    assert.ok(lb.stackTags instanceof Map);
    assert.equal(lb.isType(aws.lb.LoadBalancer), true);
    assert.equal(lb.isType(aws.alb.LoadBalancer), false);
    assert.deepEqual(lb.asType(aws.lb.LoadBalancer), { internal: false });
    assert.equal(lb.asType(aws.ec2.SecurityGroup), undefined);
    assert.throws(() => lb.notApplicable("nope"), /nope/);
    assert.equal(sg.opts.parent, fakeUrn(T.lb, "a"));
    assert.equal(sg.opts.protect, false);
  });

  it("gives stack policies the outputs with parent, dependencies and propertyDependencies as objects", async () => {
    let args: StackValidationArgs | undefined;
    const spy: StackValidationPolicy = {
      name: "spy",
      description: "test",
      enforcementLevel: "advisory",
      validateStack: (a) => {
        args = a;
      },
    };
    await runPolicies(
      fakeRun([
        { type: "securecart:components:LoadBalancedService", name: "web", props: {} },
        { type: T.sg, name: "sg", id: "sg-1", props: { description: "x" }, parent: "web" },
        {
          type: T.lb,
          name: "lb",
          inputs: { securityGroups: ["sg-1"] },
          state: { securityGroups: ["sg-1"], dnsName: "d" },
          parent: "web",
          links: { securityGroups: ["sg"] },
        },
      ]),
      [spy],
    );
    const resources = args!.resources;
    const byName = (n: string) => resources.find((r) => r.name === n) as PolicyResource;
    const lb = byName("lb");
    assert.equal(lb.props.dnsName, "d");
    assert.equal(lb.parent, byName("web"));
    assert.deepEqual(lb.dependencies, [byName("sg")]);
    assert.equal(lb.propertyDependencies.securityGroups[0], byName("sg"));
    assert.equal(byName("sg").props.id, "sg-1", "bridged providers report the ID as an output");
    assert.equal(byName("web").props.id, undefined);
    assert.ok(lb.isType(aws.lb.LoadBalancer));
    assert.ok(args!.stackTags instanceof Map);
  });

  it("does not let a policy change the recorded run", async () => {
    const mutate: ResourceValidationPolicy = {
      name: "mutate",
      description: "test",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        args.props.internal = true;
      },
    };
    const r = fakeRun([{ type: T.lb, name: "a", props: { internal: false } }]);
    await runPolicies(r, [mutate]);
    assert.equal(r.resources[0].inputs.internal, false);
  });

  it("wraps a policy's own error the way the analyzer does", async () => {
    const broken: ResourceValidationPolicy = {
      name: "broken",
      description: "test",
      enforcementLevel: "mandatory",
      validateResource: () => {
        throw new Error("boom");
      },
    };
    await assert.rejects(
      runPolicies(run, [broken]),
      /Error validating resource with policy 'broken': boom/,
    );
  });

  describe("enforcement levels", () => {
    const p = { name: "p", description: "d", enforcementLevel: "mandatory" as const };
    const bare = { name: "p", description: "d" };
    const cases: [string, Parameters<typeof effectiveLevel>, string][] = [
      ["policy config wins", [p, { p: "advisory", all: "disabled" }, "mandatory"], "advisory"],
      ["object form", [p, { p: { enforcementLevel: "disabled" } }, undefined], "disabled"],
      ["then `all`", [p, { all: "advisory" }, undefined], "advisory"],
      ["then the policy", [p, {}, "advisory"], "mandatory"],
      ["then the pack", [bare, {}, "mandatory"], "mandatory"],
      ["else advisory", [bare, {}, undefined], "advisory"],
    ];
    for (const [title, args, expected] of cases) {
      it(title, () => assert.equal(effectiveLevel(...args), expected));
    }

    it("skips disabled policies and reports remediate as mandatory", async () => {
      assert.deepEqual(await runPolicies(run, [everyLb], { "every-lb": "disabled" }), []);
      const remediate = await runPolicies(run, [everyLb], { "every-lb": "remediate" });
      assert.deepEqual(
        remediate.map((v) => v.enforcementLevel),
        ["mandatory", "mandatory"],
      );
      const advisory = await runPolicies(run, [{ ...everyLb, enforcementLevel: undefined }]);
      assert.deepEqual(
        advisory.map((v) => v.enforcementLevel),
        ["advisory", "advisory"],
      );
    });
  });

  describe("config", () => {
    const configurable: StackValidationPolicy = {
      name: "cfg",
      description: "d",
      enforcementLevel: "mandatory",
      configSchema: {
        properties: {
          min: { type: "integer", minimum: 1, maximum: 10, default: 2 },
          names: { type: "array", items: { type: "string" }, minItems: 1, default: ["a"] },
        },
      },
      validateStack: (args, report) => report(JSON.stringify(args.getConfig())),
    };

    it("merges schema defaults with the given config, without enforcementLevel", async () => {
      assert.deepEqual(policyConfig(configurable, {}), { min: 2, names: ["a"] });
      assert.deepEqual(policyConfig(configurable, { cfg: "advisory" }), { min: 2, names: ["a"] });
      const [v] = await runPolicies(run, [configurable], {
        cfg: { enforcementLevel: "advisory", min: 5 },
      });
      assert.equal(v.message, '{"min":5,"names":["a"]}');
      assert.equal(v.enforcementLevel, "advisory");
      assert.equal(v.urn, "", "a stack violation without a URN is about the stack");
    });

    const invalid: [string, Record<string, unknown>, RegExp][] = [
      ["unknown policy", { nope: "advisory" }, /nope: no such policy in the pack/],
      [
        "bad level",
        { cfg: "strict" },
        /cfg: enforcementLevel must be one of advisory, mandatory, remediate, disabled; got "strict"/,
      ],
      ["unknown property", { cfg: { max: 1 } }, /cfg: unknown property max/],
      ["wrong type", { cfg: { min: "3" } }, /cfg: min: expected integer, given "3"/],
      ["wrong item type", { cfg: { names: ["a", 1] } }, /cfg: names\.1: expected string, given 1/],
      ["below minimum", { cfg: { min: 0 } }, /cfg: min: must be >= 1; given 0/],
      ["above maximum", { cfg: { min: 11 } }, /cfg: min: must be <= 10; given 11/],
      [
        "too few items",
        { cfg: { names: [] } },
        /cfg: names: must have at least 1 item\(s\); given 0/,
      ],
    ];
    for (const [title, config, message] of invalid) {
      it(`rejects ${title}`, () => {
        assert.throws(
          () => validatePolicyConfig([configurable], config as PolicyPackConfig),
          message,
        );
      });
    }

    it("accepts the documented example config (policies/policy-config.example.json)", async () => {
      const { policies } = await import("../policies/rules");
      const example = readPolicyPackConfig(
        path.join(__dirname, "..", "policies", "policy-config.example.json"),
      );
      validatePolicyConfig(policies, example);
      const tls = policies.find((p) => p.name === "listener-approved-tls-policy")!;
      assert.deepEqual(policyConfig(tls, example), {
        allowedPolicies: [
          "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
        ],
      });
      assert.equal(
        effectiveLevel(
          policies.find((p) => p.name === "lb-alarms")!,
          example,
          undefined,
        ),
        "mandatory",
      );
    });

    it("reads a --policy-pack-config file", () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-")), "cfg.json");
      fs.writeFileSync(file, JSON.stringify({ all: "advisory", cfg: { min: 3 } }));
      assert.deepEqual(readPolicyPackConfig(file), { all: "advisory", cfg: { min: 3 } });
      fs.writeFileSync(file, "[]");
      assert.throws(() => readPolicyPackConfig(file), /a policy pack config is a JSON object/);
    });
  });

  describe("formatViolations", () => {
    const policies: Policies = [
      { ...everyLb, description: "Every LB is reported." },
      {
        name: "soft",
        description: "Advice.",
        enforcementLevel: "advisory",
        validateStack: () => {},
      },
    ];
    const violations: Violation[] = [
      {
        policyName: "every-lb",
        enforcementLevel: "mandatory",
        urn: "u1",
        resourceName: "a",
        type: T.lb,
        message: "lb a",
      },
      {
        policyName: "soft",
        enforcementLevel: "advisory",
        urn: "",
        resourceName: "",
        type: "",
        message: "stack-wide",
      },
      {
        policyName: "every-lb",
        enforcementLevel: "mandatory",
        urn: "u2",
        resourceName: "b",
        type: T.albLb,
        message: "alb b",
      },
    ];

    it("prints one section per policy with its level, description, resources and a summary", () => {
      assert.equal(
        formatViolations(violations, policies),
        [
          "Policies:",
          "    ❌ securecart-guardrails@v0.1.0 (local: policies)",
          "        - [mandatory]  every-lb",
          "          Every LB is reported.",
          `          * (${T.lb}: a)`,
          "            lb a",
          `          * (${T.albLb}: b)`,
          "            alb b",
          "        - [advisory]  soft",
          "          Advice.",
          "          * (stack)",
          "            stack-wide",
          "",
          "    2 mandatory, 1 advisory violation(s)",
          "",
        ].join("\n"),
      );
      assert.equal(mandatoryCount(violations), 2);
    });

    it("prints a pass when there is nothing to report", () => {
      assert.equal(
        formatViolations([]),
        "Policies:\n    ✅ securecart-guardrails@v0.1.0 (local: policies)\n",
      );
    });
  });
});
