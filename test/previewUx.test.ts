import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramRun, readStackConfig, runStack } from "../testing/harness";
import { Plan, changedPaths, diffPlans, renderDiff } from "../tools/planDiff";
import { Violation } from "../testing/policyRunner";
import {
  FLAGS,
  distinctFindings,
  errorLine,
  loadPolicyConfig,
  parseArgs,
  planOf,
  planPath,
  previewStack,
  usage,
} from "../tools/preview";
import {
  StackResult,
  exitLine,
  paletteFor,
  progressLine,
  renderSummary,
} from "../tools/previewSummary";

const plain = paletteFor(false, {});
const ok: StackResult = {
  stack: "prod-east",
  status: "ok",
  resources: 356,
  mandatory: 0,
  advisory: 2,
  planFile: "out/prod-east.plan.json",
};
const blocked: StackResult = { ...ok, stack: "prod-west", status: "blocked", mandatory: 1 };
const failed: StackResult = {
  stack: "staging",
  status: "failed",
  resources: 0,
  mandatory: 0,
  advisory: 0,
  error: "Invalid configuration for stack staging:",
};

describe("preview command line", () => {
  it("lists every flag it accepts in the usage message, and accepts every flag it lists", () => {
    const text = usage();
    for (const f of FLAGS) {
      assert.ok(text.includes(f.flag), `${f.flag} missing from usage`);
      const argv = f.value ? [f.flag, f.flag === "--stack" ? "prod-east" : "x.json"] : [f.flag];
      assert.doesNotThrow(() => parseArgs(argv), f.flag);
    }
    assert.ok(text.includes("--policy-pack-config FILE"));
    const a = parseArgs(["-q", "--diff", "--policy-pack-config=cfg.json"]);
    assert.deepEqual(
      [a.quiet, a.diff, a.help, a.policyConfigFile],
      [true, true, false, "cfg.json"],
    );
    assert.throws(
      () => parseArgs(["--stack", "prod-north"]),
      /no stack prod-north: .*known stacks/,
    );
    assert.throws(
      () => parseArgs(["--bogus"]),
      (err: Error) => err.message.includes(usage()),
    );
  });

  it("checks --policy-pack-config before any stack runs, naming the file and the problem", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pp-"));
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const cases: [string, RegExp][] = [
      [
        write("bad.json", '{\n  "lb-alarms": nope\n}'),
        /^--policy-pack-config \S*bad\.json:2:16: not valid JSON at line 2, column 16 \(line 2: "\\"lb-alarms\\": nope"\)/,
      ],
      [write("open.json", '{"lb-alarms": "advisory"'), /open\.json:1:\d+: the JSON ends too early/],
      [write("list.json", "[]"), /list\.json: a policy pack config is a JSON object/],
      [
        write("unknown.json", '{"no-such": "advisory"}'),
        /unknown\.json: .*no-such: no such policy/,
      ],
      [
        write("level.json", '{"lb-alarms": "loud"}'),
        /level\.json: .*lb-alarms: enforcementLevel must be one of/,
      ],
      [path.join(dir, "missing.json"), /^--policy-pack-config \S*missing\.json: no such file$/],
      [dir, /: is a directory, not a JSON file$/],
    ];
    for (const [file, message] of cases) {
      await assert.rejects(loadPolicyConfig(file), (err: Error) => {
        assert.match(err.message, message);
        assert.doesNotMatch(err.message, /ENOENT|EISDIR|position \d+|Unexpected token/);
        return true;
      });
    }
    const good = write("good.json", '{"lb-alarms": "mandatory"}');
    assert.deepEqual(await loadPolicyConfig(good), { "lb-alarms": "mandatory" });
  });
});

describe("preview summary", () => {
  it("prints one progress line per stack with its counts and plan, or its error", () => {
    assert.equal(
      progressLine(ok, plain),
      "✔ prod-east: 356 resources, 0 mandatory and 2 advisory policy findings, plan out/prod-east.plan.json",
    );
    assert.equal(
      progressLine(failed, plain),
      "✘ staging: failed: Invalid configuration for stack staging:",
    );
  });

  it("ends with a row per stack and says why the exit code is non-zero", () => {
    const lines = renderSummary([ok, blocked, failed], plain).split("\n");
    assert.match(lines[1], /^ {2}Stack\s+Resources\s+Mandatory\s+Advisory\s+Status\s+Plan$/);
    assert.match(lines[2], /^ {2}prod-east\s+356\s+0\s+2\s+ok\s+out\/prod-east\.plan\.json$/);
    assert.match(lines[3], /^ {2}prod-west\s+356\s+1\s+2\s+blocked\s+out\/prod-east\.plan\.json$/);
    assert.match(lines[4], /^ {2}staging\s+-\s+-\s+-\s+failed\s+\(removed\)$/);
    assert.equal(
      lines[lines.length - 1],
      "Exit 1: prod-west has 1 mandatory policy violation(s); staging failed (Invalid configuration for stack staging:).",
    );
    assert.match(exitLine([ok]), /^Exit 0: 1 stack\(s\) previewed/);
    assert.match(exitLine([ok], ["prod-east and prod-west disagree"]), /^Exit 1: prod-east and/);
  });

  it("adds a cost column only when a stack has an estimate", () => {
    assert.doesNotMatch(renderSummary([ok], plain), /Cost/);
    const text = renderSummary([{ ...ok, monthlyCostUsd: 12345.6 }, failed], plain);
    assert.match(text, /Plan\s+Cost\/month\n/);
    assert.match(text, /prod-east.*\$12,346\n/);
  });

  it("colours only a terminal, and never with NO_COLOR set", () => {
    const red = (isTTY: boolean, env: NodeJS.ProcessEnv) => paletteFor(isTTY, env).red("x");
    assert.equal(red(true, {}), "\u001b[31mx\u001b[0m");
    assert.equal(red(false, {}), "x");
    assert.equal(red(true, { NO_COLOR: "1" }), "x");
    assert.equal(red(true, { NO_COLOR: "" }), "\u001b[31mx\u001b[0m");
    assert.ok(!renderSummary([ok, failed], plain).includes("\u001b"));
  });

  it("sums a failed stack's error up in one line: the first problem and how many more", () => {
    const list = [
      "Invalid configuration for stack staging:",
      '  - `securcart:tlsPolicy` is in namespace "securcart" (docs/configuration.md#unknown-keys)',
      "  - `aws:profil` is not a setting of the AWS provider (docs/configuration.md#unknown-keys)",
      "Fix them in Pulumi.staging.yaml (docs/configuration.md).",
    ].join("\n");
    assert.equal(
      errorLine(list),
      'Invalid configuration for stack staging: `securcart:tlsPolicy` is in namespace "securcart" (docs/configuration.md#unknown-keys) (+1 more)',
    );
    assert.equal(
      errorLine('Pulumi.yaml:3:3: YAML syntax error: Map keys must be unique (line 3: "a: 2")'),
      'Pulumi.yaml:3:3: YAML syntax error: Map keys must be unique (line 3: "a: 2")',
    );
  });

  it("removes a failed stack's old plan", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    fs.mkdirSync(path.join(root, "out"));
    fs.writeFileSync(planPath("prod-north", root), "{}");
    const result = await previewStack("prod-north", { root, quiet: true });
    assert.equal(result.status, "failed");
    assert.match(result.error ?? "", /no stack file Pulumi\.prod-north\.yaml/);
    assert.equal(fs.existsSync(planPath("prod-north", root)), false);
    assert.match(renderSummary([result], plain), /prod-north.*failed\s+\(removed\)/);
  });
});

describe("preview --diff", () => {
  let base: ProgramRun;
  before(async () => {
    base = await runStack("prod-east");
  });

  it("shows a one-line config change as one ~ with the input that changed", async () => {
    const services = JSON.parse(readStackConfig("prod-east")["securecart:services"]);
    const admin = services.admin;
    services.admin = { ...admin, maxSize: admin.maxSize + 1 };
    const changed = await runStack("prod-east", { "securecart:services": services });
    const diff = diffPlans(planOf(base) as Plan, planOf(changed) as Plan);
    assert.deepEqual(
      diff.map((c) => [c.op, c.name, c.changes.map((ch) => [ch.path, ch.before, ch.after])]),
      [["~", "web-admin-asg", [["maxSize", admin.maxSize, admin.maxSize + 1]]]],
    );
    assert.match(
      renderDiff(diff),
      /~ aws:autoscaling\/group:Group web-admin-asg\n\s+maxSize: \d+ => \d+\n\s+0 to create, 1 to update, 0 to replace, 0 to delete/,
    );
  });

  it("shows created and deleted resources and nested input paths", () => {
    const r = (urn: string, inputs: Record<string, unknown>) => ({
      urn,
      type: "t",
      name: urn,
      inputs,
    });
    const before: Plan = {
      resources: [r("a", { x: 1 }), r("b", { hc: { path: "/", ports: [1, 2] } })],
    };
    const after: Plan = { resources: [r("b", { hc: { path: "/h", ports: [1, 3] } }), r("c", {})] };
    assert.deepEqual(
      diffPlans(before, after).map((c) => [c.op, c.name, c.changes.map((ch) => ch.path)]),
      [
        ["~", "b", ["hc.path", "hc.ports[1]"]],
        ["+", "c", []],
        ["-", "a", []],
      ],
    );
    assert.deepEqual(changedPaths({ a: [1] }, { a: [1, 2] }), [
      { path: "a", before: [1], after: [1, 2] },
    ]);
    assert.equal(renderDiff([]), "    no changes since the previous plan");
  });

  it("shows +- with the inputs that force it when an input cannot change in place", () => {
    const vpc = (cidrBlock: string) => ({
      resources: [
        {
          urn: "urn:net-vpc",
          type: "aws:ec2/vpc:Vpc",
          name: "net-vpc",
          inputs: { cidrBlock, tags: { Name: cidrBlock } },
        },
        {
          urn: "urn:asg",
          type: "aws:autoscaling/group:Group",
          name: "asg",
          inputs: { maxSize: 2 },
        },
      ],
    });
    const diff = diffPlans(vpc("10.0.0.0/16"), vpc("10.1.0.0/16"));
    assert.deepEqual(
      diff.map((c) => [c.op, c.name, c.replacedBy]),
      [["+-", "net-vpc", ["cidrBlock"]]],
    );
    const text = renderDiff(diff);
    assert.match(text, /\+- aws:ec2\/vpc:Vpc net-vpc\n\s+cidrBlock: .* \(forces replacement\)\n/);
    assert.doesNotMatch(text, /tags\.Name: .*forces/);
    assert.match(text, /0 to update, 1 to replace/);
    assert.match(text, /take a replaced resource's ID or ARN change too/);
  });
});

describe("preview policy counts", () => {
  const finding = (policyName: string, urn: string, level: Violation["enforcementLevel"]) => ({
    policyName,
    enforcementLevel: level,
    urn,
    resourceName: urn,
    type: "t",
    message: "m",
  });

  it("counts a finding of both policy runs once per (policy, resource)", () => {
    const steady = [finding("p1", "a", "advisory"), finding("p2", "b", "advisory")];
    const firstDeploy = [finding("p1", "a", "advisory"), finding("p2", "b", "mandatory")];
    const distinct = distinctFindings([...steady, ...firstDeploy]);
    assert.deepEqual(
      distinct.map((v) => [v.policyName, v.urn, v.enforcementLevel]),
      [
        ["p1", "a", "advisory"],
        ["p2", "b", "mandatory"],
      ],
    );
    assert.equal(
      distinctFindings([finding("p1", "a", "advisory"), finding("p1", "c", "advisory")]).length,
      2,
    );
  });
});
