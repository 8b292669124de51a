import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
  deployOrder,
  fullDeployOrder,
  globalPlacementOf,
  placementOf,
  withGlobalStacks,
} from "../tools/deployOrder";
import { PROJECT_ROOT, listGlobalStacks, listStacks } from "../testing/harness";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  strategy?: { matrix?: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  const file = path.join(PROJECT_ROOT, ".github", "workflows", name);
  return parse(fs.readFileSync(file, "utf8")) as Workflow;
}

const pulumiStep = (job: Job) => job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
const needsOf = (job: Job) => (job.needs === undefined ? [] : [job.needs].flat());
const runs = (job: Job) => job.steps.map((s) => s.run).filter((r) => r !== undefined);

/**
 * Checks that a pulumi/actions step runs `stack` in the directory holding its stack file, with the
 * policy pack at `policies/` resolved from there (the action runs the CLI in `work-dir`).
 */
function assertRunsWhereTheStackLives(where: string, step: Step | undefined, stack: string): void {
  const dir = (step?.with?.["work-dir"] as string | undefined) ?? "./";
  const workDir = path.join(PROJECT_ROOT, dir);
  assert.ok(
    fs.existsSync(path.join(workDir, `Pulumi.${stack}.yaml`)),
    `${where}: work-dir ${dir} holds no Pulumi.${stack}.yaml`,
  );
  assert.equal(
    path.resolve(workDir, String(step?.with?.policyPacks)),
    path.join(PROJECT_ROOT, "policies"),
    `${where}: policyPacks must point at the pack from its work-dir`,
  );
}

describe("CI workflows", () => {
  // Regional stack files at the root, global ones under global/: CI must run both kinds.
  const stacks = [...listStacks(), ...listGlobalStacks()].sort();

  it("on a pull request: npm ci, npm test, then pulumi preview with the pack for every stack", () => {
    const wf = workflow("preview.yml");
    assert.ok("pull_request" in wf.on);
    assert.deepEqual(runs(wf.jobs.test), ["npm ci", "npm test"]);
    const previews = Object.entries(wf.jobs).filter(
      ([, job]) => pulumiStep(job)?.with?.command === "preview",
    );
    const previewed: string[] = [];
    for (const [id, job] of previews) {
      assert.deepEqual(needsOf(job), ["test"], id);
      const step = pulumiStep(job);
      assert.equal(step?.with?.["stack-name"], "${{ matrix.stack }}", id);
      for (const stack of job.strategy?.matrix?.stack as string[]) {
        assertRunsWhereTheStackLives(`${id} (${stack})`, step, stack);
        previewed.push(stack);
      }
    }
    assert.deepEqual(previewed.sort(), stacks);
  });

  it("on main: pulumi up with the pack for every stack, in deploy order, behind approval", () => {
    const wf = workflow("deploy.yml");
    assert.deepEqual(wf.on.push?.branches, ["main"]);
    assert.deepEqual(runs(wf.jobs.test), ["npm ci", "npm test"]);
    const ups = Object.entries(wf.jobs).filter(
      ([, job]) => pulumiStep(job)?.with?.command === "up",
    );
    const stackOf = new Map(
      ups.map(([id, job]) => [id, String(pulumiStep(job)?.with?.["stack-name"])]),
    );
    // Walk the needs chain from the test job: each up job waits for exactly the one before it.
    const order: string[] = [];
    let previous = "test";
    for (;;) {
      const next = ups.filter(([, job]) => needsOf(job).includes(previous));
      if (next.length === 0) break;
      assert.equal(
        next.length,
        1,
        `more than one job waits for ${previous}: deploys must be serial`,
      );
      const [id, job] = next[0];
      assert.deepEqual(needsOf(job), [previous]);
      assertRunsWhereTheStackLives(id, pulumiStep(job), stackOf.get(id)!);
      const env = typeof job.environment === "string" ? job.environment : job.environment?.name;
      assert.equal(env, "production", `${id} waits for the production environment's approval`);
      order.push(stackOf.get(id)!);
      previous = id;
    }
    assert.equal(order.length, ups.length, "every up job is on the chain");
    assert.deepEqual(order, fullDeployOrder());
    assert.deepEqual([...order].sort(), stacks);
    // A global stack's StackReferences must see the outputs of this run's regional updates.
    for (const g of listGlobalStacks().map(globalPlacementOf)) {
      assert.ok(g.reads.length > 0, `${g.stack} reads some regional stack`);
      for (const read of g.reads) {
        assert.ok(order.indexOf(read) < order.indexOf(g.stack), `${read} before ${g.stack}`);
      }
    }
  });
});

describe("deploy order", () => {
  const deployment = (name: string, primary: string, secondaries: string[]) =>
    JSON.stringify({ name, primary, secondaries });
  const at = (stack: string, dep: string, region?: string) =>
    placementOf(stack, {
      "securecart:deployment": dep,
      ...(region ? { "aws:region": region } : {}),
    });

  it("puts the primary first, then the secondaries in order, then global stacks", () => {
    const prod = deployment("prod", "us-east-1", ["us-west-2", "eu-west-1"]);
    const order = deployOrder([
      at("prod-global", prod),
      at("prod-eu", prod, "eu-west-1"),
      at("prod-west", prod, "us-west-2"),
      at("prod-east", prod, "us-east-1"),
    ]);
    assert.deepEqual(order, ["prod-east", "prod-west", "prod-eu", "prod-global"]);
  });

  it("puts a global stack right after the last regional stack it reads, and refuses unknown ones", () => {
    const regional = ["staging", "prod-east", "prod-west", "prod-eu"];
    assert.deepEqual(
      withGlobalStacks(regional, [{ stack: "prod-global", reads: ["prod-west", "prod-east"] }]),
      ["staging", "prod-east", "prod-west", "prod-global", "prod-eu"],
    );
    assert.throws(
      () => withGlobalStacks(regional, [{ stack: "g", reads: ["prod-south"] }]),
      /global stack g reads prod-south, which no Pulumi.<stack>.yaml of the project defines/,
    );
  });

  it("deploys other deployments (staging) before prod", () => {
    const order = deployOrder([
      at("prod-east", deployment("prod", "us-east-1", []), "us-east-1"),
      at("staging", deployment("staging", "us-east-2", []), "us-east-2"),
    ]);
    assert.deepEqual(order, ["staging", "prod-east"]);
  });
});
