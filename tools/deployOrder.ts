/**
 * The order stacks are deployed in, derived from the stack files: per deployment
 * (`securecart:deployment`), the primary region's stack, then the secondaries' in the order the
 * deployment lists them, then any stack of that deployment that is not one of its regions (a
 * global stack). Deployments other than prod go first, so a staging stack is the canary.
 * `.github/workflows/deploy.yml` follows it, and `test/workflows.test.ts` checks that it does.
 */
import { listStacks, readStackConfig } from "./harness";

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
