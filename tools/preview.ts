/**
 * Offline preview: runs each stack's program under the shared mocks and prints what
 * `pulumi preview --policy-pack policies` would show (the resource tree, a count by type and the
 * guardrail verdicts), without AWS credentials or the Pulumi CLI. Writes every resource's type,
 * name, parent, inputs and options to out/.
 *
 *   npm start                                              both stacks
 *   npm start -- --stack prod-west                         one stack
 *   npm start -- --policy-pack-config policies/cfg.json   policy config, as the CLI takes it
 *
 * Exits non-zero when a program fails (for example on a config error) or a mandatory policy is
 * violated.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, ProgramRun, listStacks, runStack } from "./harness";
import { RecordedResource } from "./mocks";
import { PolicyPackConfig } from "@pulumi/policy";
import { policyReport, readPolicyPackConfig } from "./policyRunner";

/** Parses `--stack NAME` (repeatable; none means every stack file) and `--policy-pack-config FILE`. */
export function parseArgs(argv: readonly string[]): {
  stacks: string[];
  policyConfigFile?: string;
} {
  const stacks: string[] = [];
  let policyConfigFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack" || arg === "-s") {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a stack name, e.g. --stack prod-west`);
      stacks.push(value);
    } else if (arg.startsWith("--stack=")) {
      stacks.push(arg.slice("--stack=".length));
    } else if (arg === "--policy-pack-config") {
      policyConfigFile = argv[++i];
      if (!policyConfigFile) throw new Error(`${arg} needs a JSON file`);
    } else {
      throw new Error(`unknown argument ${arg}; usage: npm start [-- --stack NAME]`);
    }
  }
  return { stacks: stacks.length > 0 ? stacks : listStacks(), policyConfigFile };
}

/** A type token as `pulumi preview` prints it: `aws:ec2/vpc:Vpc` becomes `aws:ec2:Vpc`. */
export function displayType(type: string): string {
  return type.replace(/^([^:]+):([^/:]+)\/[^:]+:/, "$1:$2:");
}

/** The resource tree, nested by parent, in the layout `pulumi preview` uses. */
export function renderTree(run: ProgramRun): string {
  const rootUrn = `urn:pulumi:${run.stack}::securecart::pulumi:pulumi:Stack::securecart-${run.stack}`;
  const children = new Map<string, RecordedResource[]>();
  for (const r of run.resources) {
    if (r.type.startsWith("pulumi:providers:")) continue;
    const parent = r.parent ?? rootUrn;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const rows: [string, string][] = [["pulumi:pulumi:Stack", `securecart-${run.stack}`]];
  const walk = (urn: string, prefix: string) => {
    const kids = children.get(urn) ?? [];
    kids.forEach((r, i) => {
      const last = i === kids.length - 1;
      rows.push([`${prefix}${last ? "└─ " : "├─ "}${displayType(r.type)}`, r.name]);
      walk(r.urn, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(rootUrn, "");
  const width = Math.max(...rows.map(([t]) => t.length)) + 2;
  const nameWidth = Math.max(...rows.map(([, n]) => n.length)) + 2;
  const header = `     ${"Type".padEnd(width)}${"Name".padEnd(nameWidth)}Plan`;
  return [
    header,
    ...rows.map(([t, n]) => ` +   ${t.padEnd(width)}${n.padEnd(nameWidth)}create`),
  ].join("\n");
}

/** Resource counts by type, largest first. */
export function countByType(run: ProgramRun): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of run.resources) {
    if (r.type.startsWith("pulumi:providers:")) continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The JSON plan: every resource's type, name, parent, inputs and options. */
export function planOf(run: ProgramRun): object {
  const nameOf = new Map(run.resources.map((r) => [r.urn, r.name]));
  return {
    stack: run.stack,
    config: run.config,
    outputs: run.outputs,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ? (nameOf.get(r.parent) ?? r.parent) : null,
      inputs: r.inputs,
      options: {
        ...r.options,
        provider: r.provider ?? null,
        dependsOn: r.dependencies.map((d) => nameOf.get(d) ?? d),
      },
    })),
  };
}

/** Previews one stack; false when its program failed or a mandatory policy is violated. */
export async function previewStack(
  stack: string,
  policyConfig: PolicyPackConfig = {},
): Promise<boolean> {
  console.log(`Previewing update (${stack}), offline under mocks: no cloud, no Pulumi CLI\n`);
  let run: ProgramRun;
  try {
    run = await runStack(stack);
  } catch (err) {
    const message =
      err instanceof Error
        ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}`
        : String(err);
    console.error(`error: stack ${stack} failed:\n${message}\n`);
    return false;
  }
  console.log(renderTree(run));
  const counts = countByType(run);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  console.log(`\nResources:\n    + ${total} to create`);
  for (const [type, count] of counts) console.log(`      ${String(count).padStart(4)}  ${type}`);
  console.log("\nOutputs:");
  for (const [key, value] of Object.entries(run.outputs)) {
    // Pulumi leaves an undefined output out of the stack's outputs; so does the preview.
    if (value === undefined) continue;
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    console.log(`    ${key}: ${shown.length > 110 ? `${shown.slice(0, 107)}...` : shown}`);
  }
  const outDir = path.join(PROJECT_ROOT, "out");
  fs.mkdirSync(outDir, { recursive: true });
  const planFile = path.join(outDir, `${stack}.plan.json`);
  fs.writeFileSync(planFile, JSON.stringify(planOf(run), null, 2));
  console.log(`\nPlan written to ${path.relative(process.cwd(), planFile)}\n`);
  const report = await policyReport(run, policyConfig);
  console.log(report.text);
  console.log("");
  return report.exitCode === 0;
}

async function main(): Promise<number> {
  let stacks: string[];
  let policyConfig: PolicyPackConfig = {};
  try {
    const args = parseArgs(process.argv.slice(2));
    stacks = args.stacks;
    if (args.policyConfigFile) policyConfig = readPolicyPackConfig(args.policyConfigFile);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 2;
  }
  let ok = true;
  for (const stack of stacks) ok = (await previewStack(stack, policyConfig)) && ok;
  return ok ? 0 : 1;
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
