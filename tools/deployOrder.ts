/**
 * The order stacks are deployed in, derived from the stack files: per deployment
 * (`securecart:deployment`), the primary region's stack, then the secondaries' in the order the
 * deployment lists them, then any stack of that deployment that is not one of its regions (a
 * global stack). Deployments other than prod go first, so a staging stack is the canary.
 * `.github/workflows/deploy.yml` follows it, and `test/workflows.test.ts` checks that it does.
 */
import * as path from "path";
import {
  GLOBAL_ROOT,
  PROJECT_ROOT,
  listGlobalStacks,
  listStacks,
  readStackConfig,
} from "../testing/harness";

/** What the order needs to know about one stack. */
export interface StackPlacement {
  readonly stack: string;
  /** `securecart:deployment.name`. */
  readonly deployment: string;
  /** 0 for the primary, 1.. for the secondaries in order, Infinity for a global stack. */
  readonly rank: number;
}

/** Where `stack` sits in its deployment, from its config (Pulumi.yaml defaults included). */
export function placementOf(
  stack: string,
  config: Readonly<Record<string, string>>,
): StackPlacement {
  let deployment: { name?: string; primary?: string; secondaries?: string[] } = {};
  try {
    deployment = JSON.parse(config["securecart:deployment"] ?? "{}") as typeof deployment;
  } catch {
    // Left to config validation; such a stack sorts as a global stack of an unnamed deployment.
  }
  const regions = [deployment.primary, ...(deployment.secondaries ?? [])];
  const i = regions.indexOf(config["aws:region"]);
  return {
    stack,
    deployment: deployment.name ?? "",
    rank: i >= 0 && config["aws:region"] !== undefined ? i : Number.POSITIVE_INFINITY,
  };
}

/** Stacks in deploy order: other deployments before prod, then primary, secondaries, global. */
export function deployOrder(placements: readonly StackPlacement[]): string[] {
  const prodLast = (d: string) => (d === "prod" ? 1 : 0);
  return [...placements]
    .sort(
      (a, b) =>
        prodLast(a.deployment) - prodLast(b.deployment) ||
        a.deployment.localeCompare(b.deployment) ||
        a.rank - b.rank ||
        a.stack.localeCompare(b.stack),
    )
    .map((p) => p.stack);
}

/** Every stack file of the project, in deploy order. */
export function projectDeployOrder(): string[] {
  return deployOrder(listStacks().map((s) => placementOf(s, readStackConfig(s))));
}

/** A global stack (global/Pulumi.<stack>.yaml) and the regional stacks it reads. */
export interface GlobalPlacement {
  readonly stack: string;
  /** Stack names (the last part of `org/project/stack`) of `securecart-global:regionalStacks`. */
  readonly reads: readonly string[];
}

/** Where a global stack's project lives, relative to the repository root: its `work-dir` in CI. */
export const GLOBAL_WORK_DIR = path.relative(PROJECT_ROOT, GLOBAL_ROOT);

/**
 * Regional stacks in `regionalOrder`, each global stack inserted right after the last regional
 * stack it reads: its StackReferences must see that stack's new outputs. A global stack reading a
 * stack that is not in the order is refused, as CI would deploy it against a stack nobody updates.
 */
export function withGlobalStacks(
  regionalOrder: readonly string[],
  globals: readonly GlobalPlacement[],
): string[] {
  const order = [...regionalOrder];
  for (const g of [...globals].sort((a, b) => a.stack.localeCompare(b.stack))) {
    const missing = g.reads.filter((s) => !order.includes(s));
    if (missing.length > 0) {
      throw new Error(
        `global stack ${g.stack} reads ${missing.join(", ")}, which no Pulumi.<stack>.yaml of the project defines`,
      );
    }
    const after = Math.max(-1, ...g.reads.map((s) => order.indexOf(s)));
    order.splice(after + 1, 0, g.stack);
  }
  return order;
}

/** The regional stacks a global stack reads, from `securecart-global:regionalStacks`. */
export function globalPlacementOf(stack: string): GlobalPlacement {
  const raw = readStackConfig(stack, {}, GLOBAL_ROOT)["securecart-global:regionalStacks"] ?? "[]";
  const refs = JSON.parse(raw) as string[];
  return { stack, reads: refs.map((r) => r.split("/").pop() as string) };
}

/** Every stack of the repository, regional and global, in the order CI deploys them. */
export function fullDeployOrder(): string[] {
  return withGlobalStacks(projectDeployOrder(), listGlobalStacks().map(globalPlacementOf));
}
