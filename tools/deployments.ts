/**
 * What the offline preview knows about the stack files as a whole: which of them are regional
 * stacks, which deployment each belongs to, whether the stacks of a deployment agree
 * (stacks/agreement.ts), and which policy pack config applies to each stack.
 */
import * as fs from "fs";
import * as path from "path";
import { StackConfig, parseStackConfig } from "../stacks/config";
import { agreementProblems, globalStackProblems } from "../stacks/agreement";
import { parseGlobalConfig } from "../stacks/globalConfig";
import {
  GLOBAL_ROOT,
  PROJECT_ROOT,
  listGlobalStacks,
  listStacks,
  readStackConfig,
} from "../testing/harness";

/**
 * A regional stack runs index.ts's region composition, which needs `securecart:services`; other
 * stacks of the project (such as a global stack) don't set it and aren't part of a deployment.
 */
export function isRegionalStack(config: Readonly<Record<string, string>>): boolean {
  return "securecart:services" in config;
}

/**
 * The validated config of every regional stack file under `root`. A stack whose config is
 * invalid is left out: its own preview reports why, and comparing it would only add noise.
 */
export function regionalStackConfigs(root: string = PROJECT_ROOT): StackConfig[] {
  const configs: StackConfig[] = [];
  for (const stack of listStacks(root)) {
    let raw: Record<string, string>;
    try {
      raw = readStackConfig(stack, {}, root);
    } catch {
      continue;
    }
    if (!isRegionalStack(raw)) continue;
    try {
      configs.push(parseStackConfig(stack, raw));
    } catch {
      continue;
    }
  }
  return configs;
}

/**
 * Disagreements within the deployments that `selected` stacks belong to, compared over every
 * regional stack file of those deployments (a deployment is checked whole even when only one of
 * its stacks is previewed).
 */
export function deploymentProblemsFor(
  selected: readonly string[],
  configs: readonly StackConfig[] = regionalStackConfigs(),
): string[] {
  const deployments = new Set(
    configs.filter((c) => selected.includes(c.stack)).map((c) => c.deployment.name),
  );
  return agreementProblems(configs.filter((c) => deployments.has(c.deployment.name)));
}

/**
 * Problems of the global stacks that `selected` concerns (selected themselves, or naming a stack
 * of a selected stack's deployment) against the deployment config (stacks/agreement.ts,
 * globalStackProblems). A global stack whose own config is invalid is left to its preview.
 */
export function globalProblemsFor(
  selected: readonly string[],
  configs: readonly StackConfig[] = regionalStackConfigs(),
  globalStacks: readonly string[] = listGlobalStacks(),
  globalRoot: string = GLOBAL_ROOT,
): string[] {
  const deployments = new Set(
    configs.filter((c) => selected.includes(c.stack)).map((c) => c.deployment.name),
  );
  const problems: string[] = [];
  for (const stack of globalStacks) {
    let global;
    try {
      global = parseGlobalConfig(stack, readStackConfig(stack, {}, globalRoot));
    } catch {
      continue;
    }
    const names = global.regionalStacks.map((q) => q.split("/").pop());
    const concerned =
      selected.includes(stack) ||
      configs.some((c) => names.includes(c.stack) && deployments.has(c.deployment.name));
    if (concerned) problems.push(...globalStackProblems(global, configs));
  }
  return problems;
}

/**
 * The policy pack config file for a stack: `policies/<deployment>.policy-config.json` when it
 * exists (staging: `policies/staging.policy-config.json`), otherwise none, and the pack runs
 * with each policy's own enforcement level (prod). The Pulumi CLI equivalent is
 * `pulumi preview --stack <stack> --policy-pack policies --policy-pack-config <file>`.
 */
export function policyConfigFileFor(
  stack: string,
  root: string = PROJECT_ROOT,
  configs: readonly StackConfig[] = regionalStackConfigs(root),
): string | undefined {
  const deployment = configs.find((c) => c.stack === stack)?.deployment.name;
  if (!deployment) return undefined;
  const file = path.join(root, "policies", `${deployment}.policy-config.json`);
  return fs.existsSync(file) ? file : undefined;
}
