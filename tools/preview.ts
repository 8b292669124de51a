/**
 * Offline preview: runs each stack's program under the shared mocks and prints what
 * `pulumi preview --policy-pack policies` would show (the resource tree, a count by type, the
 * outputs and the guardrail verdicts), without AWS credentials or the Pulumi CLI. Writes every
 * resource's type, name, parent, inputs and options to out/<stack>.plan.json, prints one
 * progress line per stack and ends with a summary table. `npm start -- --help` lists the flags.
 *
 * Exits 1 when a program fails (for example on a config error) or a mandatory policy is
 * violated, and 2 when the command line or the policy pack config is wrong.
 */
import * as fs from "fs";
import * as path from "path";
import {
  PROJECT_ROOT,
  ProgramRun,
  listGlobalStacks,
  listStacks,
  runStack,
} from "../testing/harness";
import { RecordedResource } from "../testing/mocks";
import { PolicyPackConfig } from "@pulumi/policy";
import {
  Violation,
  policyReport,
  readPolicyPackConfig,
  validatePolicyConfig,
} from "../testing/policyRunner";
import {
  Palette,
  StackResult,
  paletteFor,
  progressLine,
  renderSummary,
  statusOf,
} from "./previewSummary";
import { Plan, diffPlans, renderDiff } from "./planDiff";
import { MASKED, maskInputs, maskWireSecrets } from "./planSecrets";
import { accountLevelCostLine, costLine, estimateMonthlyCost } from "./cost";
import {
  deploymentProblemsFor,
  globalProblemsFor,
  policyConfigFileFor,
  regionalStackConfigs,
} from "./deployments";
import { architectureDot, renderSvg } from "./diagram";

/** Every flag the preview takes, with its help text; the usage message is built from it. */
export const FLAGS: readonly { flag: string; value?: string; help: string }[] = [
  {
    flag: "--stack",
    value: "NAME",
    help: "preview this stack only (repeatable; -s for short; default: every Pulumi.<stack>.yaml)",
  },
  {
    flag: "--policy-pack-config",
    value: "FILE",
    help: "policy pack config JSON, as `pulumi preview --policy-pack-config` takes it; checked before any stack runs",
  },
  {
    flag: "--diff",
    help: "compare each stack with its previous out/<stack>.plan.json: + create, ~ update (with the inputs that changed), - delete",
  },
  { flag: "--quiet", help: "print the summary table only (-q for short)" },
  { flag: "--help", help: "print this message (-h for short)" },
];

/** The usage message: every flag of {@link FLAGS}. */
export function usage(): string {
  const width = Math.max(...FLAGS.map((f) => `${f.flag}${f.value ? ` ${f.value}` : ""}`.length));
  return [
    "usage: npm start [-- [--stack NAME]... [--policy-pack-config FILE] [--diff] [--quiet]]",
    "",
    ...FLAGS.map((f) => `  ${`${f.flag}${f.value ? ` ${f.value}` : ""}`.padEnd(width)}  ${f.help}`),
    "",
    "Colour is used on a terminal only, and never when NO_COLOR is set.",
  ].join("\n");
}

/** The preview's options, from the command line. */
export interface PreviewArgs {
  readonly stacks: string[];
  readonly policyConfigFile?: string;
  readonly quiet: boolean;
  readonly diff: boolean;
  readonly help: boolean;
}

/** Parses the command line; throws with the usage message on a mistake. */
export function parseArgs(argv: readonly string[]): PreviewArgs {
  const stacks: string[] = [];
  let policyConfigFile: string | undefined;
  let quiet = false;
  let diff = false;
  let help = false;
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
    } else if (arg.startsWith("--policy-pack-config=")) {
      policyConfigFile = arg.slice("--policy-pack-config=".length);
    } else if (arg === "--quiet" || arg === "-q") {
      quiet = true;
    } else if (arg === "--diff") {
      diff = true;
    } else if (arg === "--help" || arg === "-h") {
      help = true;
    } else {
      throw new Error(`unknown argument ${arg}\n${usage()}`);
    }
  }
  // Global stacks read the regional ones through StackReference, so they come last.
  const known = [...listStacks(), ...listGlobalStacks()];
  for (const stack of stacks) {
    if (!known.includes(stack)) {
      throw new Error(
        `no stack ${stack}: there is no Pulumi.${stack}.yaml; known stacks: ${known.join(", ")}`,
      );
    }
  }
  return { stacks: stacks.length > 0 ? stacks : known, policyConfigFile, quiet, diff, help };
}

/**
 * Reads and validates a `--policy-pack-config` file against the pack's schemas, as the CLI does
 * before it runs anything. Throws an Error naming the file and the problem.
 */
export async function loadPolicyConfig(file: string): Promise<PolicyPackConfig> {
  const { policies } = await import("../policies/rules");
  let config: PolicyPackConfig;
  try {
    config = readPolicyPackConfig(file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // readPolicyPackConfig's messages start with the file (and `:line:column` for bad JSON).
    const rest = message.startsWith(file) ? message.slice(file.length) : `: ${message}`;
    throw new Error(`--policy-pack-config ${file}${rest}`);
  }
  try {
    validatePolicyConfig(policies, config);
  } catch (err) {
    throw new Error(
      `--policy-pack-config ${file}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return config;
}

/**
 * The findings of both policy runs (after `pulumi up` and on a first-deploy preview), each
 * (policy, resource) pair once: the same finding reported by both runs is one thing to fix. A pair
 * reported at both levels counts as mandatory.
 */
export function distinctFindings(violations: readonly Violation[]): Violation[] {
  const byKey = new Map<string, Violation>();
  for (const v of violations) {
    const key = `${v.policyName}\u0000${v.urn}`;
    const seen = byKey.get(key);
    if (!seen || (seen.enforcementLevel === "advisory" && v.enforcementLevel === "mandatory"))
      byKey.set(key, v);
  }
  return [...byKey.values()];
}

/** A type token as `pulumi preview` prints it: `aws:ec2/vpc:Vpc` becomes `aws:ec2:Vpc`. */
export function displayType(type: string): string {
  return type.replace(/^([^:]+):([^/:]+)\/[^:]+:/, "$1:$2:");
}

/** The resource tree, nested by parent, in the layout `pulumi preview` uses. */
export function renderTree(run: ProgramRun): string {
  const project = run.project ?? "securecart";
  const rootUrn = `urn:pulumi:${run.stack}::${project}::pulumi:pulumi:Stack::${project}-${run.stack}`;
  const children = new Map<string, RecordedResource[]>();
  for (const r of run.resources) {
    if (r.type.startsWith("pulumi:providers:")) continue;
    const parent = r.parent ?? rootUrn;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const rows: [string, string][] = [["pulumi:pulumi:Stack", `${project}-${run.stack}`]];
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

/** Stack outputs as the CLI shows them: secret ones as `[secret]`. */
export function shownOutputs(run: ProgramRun): Record<string, unknown> {
  const secret = new Set(run.secretOutputs ?? []);
  return Object.fromEntries(
    Object.entries(run.outputs).map(([k, v]) => [k, secret.has(k) ? MASKED : maskWireSecrets(v)]),
  );
}

/**
 * The JSON plan: every resource's type, name, parent, inputs and options. Secrets are masked as
 * the CLI masks them (tools/planSecrets.ts); `secure:` config is already `[secret]`.
 */
export function planOf(run: ProgramRun): object {
  const nameOf = new Map(run.resources.map((r) => [r.urn, r.name]));
  return {
    stack: run.stack,
    config: run.config,
    outputs: shownOutputs(run),
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent ? (nameOf.get(r.parent) ?? r.parent) : null,
      inputs: maskInputs(r.inputs, r.options.additionalSecretOutputs),
      options: {
        ...r.options,
        provider: r.provider ?? null,
        dependsOn: r.dependencies.map((d) => nameOf.get(d) ?? d),
      },
    })),
  };
}

/** Where the plan of `stack` is written. */
export function planPath(stack: string, root: string = PROJECT_ROOT): string {
  return path.join(root, "out", `${stack}.plan.json`);
}

/**
 * The previous plan, masked again: a plan written before secrets were masked must not put a
 * secret on the screen through `--diff`.
 */
export function readPlan(file: string): Plan | undefined {
  try {
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
    return {
      ...plan,
      resources: plan.resources.map((r) => ({
        ...r,
        inputs: maskInputs(
          r.inputs,
          (r.options?.additionalSecretOutputs as string[] | undefined) ?? [],
        ),
      })),
    };
  } catch {
    return undefined;
  }
}

/** How one stack is previewed. */
export interface PreviewOptions {
  readonly policyConfig?: PolicyPackConfig;
  readonly quiet?: boolean;
  readonly diff?: boolean;
  readonly palette?: Palette;
  /** Where plans go; the project's out/ folder unless a test says otherwise. */
  readonly root?: string;
  /** Where the detail goes; console.log unless a test captures it. */
  readonly print?: (line: string) => void;
  /** Receives the stack's program run when it succeeded (for the whole-deployment picture). */
  readonly onRun?: (run: ProgramRun) => void;
}

/**
 * One line for the summary from a stack's error: its first line, and for a list of problems
 * (`Invalid configuration for stack x:` then `  - …` lines) the first problem and how many more.
 */
export function errorLine(message: string): string {
  const [first, ...rest] = message.split("\n");
  const items = rest.filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));
  if (!first.endsWith(":") || items.length === 0) return first;
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : "";
  return `${first} ${items[0]}${more}`;
}

/**
 * Previews one stack and returns its result record. A failed stack removes its old plan, so
 * out/ never holds a plan the current code and config did not produce.
 */
export async function previewStack(
  stack: string,
  options: PreviewOptions = {},
): Promise<StackResult> {
  const root = options.root ?? PROJECT_ROOT;
  const c = options.palette ?? paletteFor(false, {});
  const detail = options.quiet
    ? () => undefined
    : (options.print ?? ((l: string) => console.log(l)));
  const planFile = planPath(stack, root);
  const shownPlan = path.relative(process.cwd(), planFile);
  const previous = options.diff ? readPlan(planFile) : undefined;
  detail(c.bold(`Previewing update (${stack}), offline under mocks: no cloud, no Pulumi CLI\n`));
  let run: ProgramRun;
  try {
    run = await runStack(stack);
  } catch (err) {
    const message =
      err instanceof Error
        ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}`
        : String(err);
    detail(c.red(`error: stack ${stack} failed:\n${message}\n`));
    fs.rmSync(planFile, { force: true });
    fs.rmSync(planFile.replace(/\.plan\.json$/, ".svg"), { force: true });
    return {
      stack,
      status: "failed",
      resources: 0,
      mandatory: 0,
      advisory: 0,
      error: errorLine(message),
    };
  }
  const counts = countByType(run);
  const total = counts.reduce((n, [, count]) => n + count, 0);
  const plan = planOf(run);
  if (options.diff) {
    detail(`Changes since the previous plan${previous ? "" : " (none found: everything is new)"}:`);
    detail(renderDiff(diffPlans(previous ?? { resources: [] }, plan as Plan)));
  } else {
    detail(renderTree(run));
    detail(`\nResources:\n    + ${total} to create`);
    for (const [type, count] of counts) detail(`      ${String(count).padStart(4)}  ${type}`);
  }
  detail(`\n${costLine(stack, estimateMonthlyCost(run.resources))}`);
  detail("\nOutputs:");
  for (const [key, value] of Object.entries(shownOutputs(run))) {
    // Pulumi leaves an undefined output out of the stack's outputs; so does the preview.
    if (value === undefined) continue;
    detail(`    ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  fs.mkdirSync(path.dirname(planFile), { recursive: true });
  fs.writeFileSync(planFile, JSON.stringify(plan, null, 2));
  const svgFile = planFile.replace(/\.plan\.json$/, ".svg");
  fs.writeFileSync(svgFile, await renderSvg(architectureDot([run], `SecureCart ${stack}`)));
  options.onRun?.(run);
  detail(`\nPlan written to ${shownPlan}, picture to ${path.relative(process.cwd(), svgFile)}\n`);
  const report = await policyReport(run, options.policyConfig ?? {});
  detail(report.text);
  // The run above stands for the state after `pulumi up`. What gates the first deploy is
  // `pulumi preview --policy-pack`, before anything exists (docs/policies-when.md).
  const firstDeploy = await policyReport(
    await runStack(stack, {}, { preview: true }),
    options.policyConfig ?? {},
  );
  detail("On a first-deploy preview (nothing created yet, computed values unknown):");
  detail(firstDeploy.text);
  const violations = distinctFindings([...report.violations, ...firstDeploy.violations]);
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  return {
    stack,
    status: statusOf(false, mandatory),
    resources: total,
    mandatory,
    advisory: violations.length - mandatory,
    planFile: shownPlan,
  };
}

async function main(): Promise<number> {
  const palette = paletteFor(process.stdout.isTTY, process.env);
  let args: PreviewArgs;
  let policyConfig: PolicyPackConfig = {};
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      console.log(usage());
      return 0;
    }
    if (args.policyConfigFile) policyConfig = await loadPolicyConfig(args.policyConfigFile);
  } catch (err) {
    console.error(palette.red(`error: ${err instanceof Error ? err.message : String(err)}`));
    return 2;
  }
  // Stacks of one deployment must agree before any of them is worth previewing on its own.
  const configs = regionalStackConfigs();
  const disagreements = [
    ...deploymentProblemsFor(args.stacks, configs),
    ...globalProblemsFor(args.stacks, configs),
  ];
  if (disagreements.length > 0) {
    console.error(
      palette.red(
        `error: stacks that must agree don't (stacks/agreement.ts):\n${disagreements.map((d) => `  - ${d}`).join("\n")}\n`,
      ),
    );
  }
  const results: StackResult[] = [];
  const runs: ProgramRun[] = [];
  for (const stack of args.stacks) {
    // An explicit --policy-pack-config applies to every stack; otherwise each stack gets its
    // deployment's file, if it has one (docs/topology.md, "Which policy config").
    const ownFile = args.policyConfigFile
      ? undefined
      : policyConfigFileFor(stack, undefined, configs);
    const result = await previewStack(stack, {
      policyConfig: ownFile ? await loadPolicyConfig(ownFile) : policyConfig,
      quiet: args.quiet,
      diff: args.diff,
      palette,
      onRun: (run) => runs.push(run),
    });
    results.push(result);
    if (!args.quiet) console.log(`${progressLine(result, palette)}\n`);
  }
  const shield = accountLevelCostLine(
    runs.map((run) => ({ stack: run.stack, estimate: estimateMonthlyCost(run.resources) })),
  );
  if (shield && !args.quiet) console.log(`${shield}\n`);
  if (runs.length > 0) {
    const picture = path.join(PROJECT_ROOT, "out", "architecture.svg");
    fs.writeFileSync(picture, await renderSvg(architectureDot(runs)));
    if (!args.quiet)
      console.log(`Whole-deployment picture written to ${path.relative(process.cwd(), picture)}\n`);
  }
  const notes =
    disagreements.length > 0
      ? [`stacks that must agree don't (${disagreements.length} problem(s), listed above)`]
      : [];
  console.log(renderSummary(results, palette, notes));
  return disagreements.length === 0 && results.every((r) => r.status === "ok") ? 0 : 1;
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
