/**
 * Runs a stack's program under the shared mocks, the way `pulumi preview` would run it, for the
 * tests and the offline preview. Config comes from the same files the Pulumi CLI reads.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { AwsMocks, RecordedInvoke, RecordedResource, installMocks } from "./mocks";

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Placeholder that stands for a `secure:` value, which only the Pulumi CLI can decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

function readYaml(file: string): any {
  return parse(fs.readFileSync(file, "utf8")) ?? {};
}

/** Stack names that have a `Pulumi.<stack>.yaml` file. */
export function listStacks(root: string = PROJECT_ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function toConfigString(value: unknown): string {
  if (value !== null && typeof value === "object" && "secure" in value) return SECRET_PLACEHOLDER;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A stack's config as the CLI hands it to the program: `Pulumi.yaml` defaults, then
 * `Pulumi.<stack>.yaml`, then `overrides`. Values are strings; structured values are JSON.
 */
export function readStackConfig(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  root: string = PROJECT_ROOT,
): Record<string, string> {
  const project = readYaml(path.join(root, "Pulumi.yaml"));
  const stackFile = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new Error(
      `no stack file ${path.basename(stackFile)}; known stacks: ${listStacks(root).join(", ")}`,
    );
  }
  const config: Record<string, string> = {};
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, decl] of Object.entries<any>(project.config ?? {})) {
    if (decl && typeof decl === "object" && "default" in decl) {
      config[qualify(key)] = toConfigString(decl.default);
    }
  }
  for (const [key, value] of Object.entries(readYaml(stackFile).config ?? {})) {
    config[qualify(key)] = toConfigString(value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[qualify(key)];
    else config[qualify(key)] = toConfigString(value);
  }
  return config;
}

/** The result of running one stack's program under mocks. */
export interface ProgramRun {
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Stack outputs, resolved. */
  readonly outputs: Record<string, unknown>;
}

/** Resolves any Input (nested Outputs included) to its value. The one unwrap helper. */
export function valueOf<T>(input: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => {
    pulumi.output(input).apply((v) => {
      resolve(v);
      return v;
    });
  });
}

/**
 * Runs `work` with V8's own stack formatting. The Pulumi SDK records `new Error().stack` for every
 * promise it creates (for leak diagnostics), and under ts-node each of those stacks is rewritten
 * through source maps, which took two thirds of a stack's evaluation time. Mocked runs never show
 * those stacks, so they are left unmapped; error messages are unchanged.
 */
async function withPlainStacks<T>(work: () => Promise<T>): Promise<T> {
  const hooks = Error as { prepareStackTrace?: unknown };
  const saved = hooks.prepareStackTrace;
  // Deleting the hook (not assigning a formatter) restores V8's built-in formatting.
  delete hooks.prepareStackTrace;
  try {
    return await work();
  } finally {
    hooks.prepareStackTrace = saved;
  }
}

const runs = new Map<string, Promise<ProgramRun>>();

/**
 * Runs `Pulumi.<stack>.yaml` (plus overrides) through index.ts's composition under mocks and
 * returns every registered resource. Rejects with the program's error, e.g. a ConfigError.
 *
 * The program is deterministic under the mocks, so runs are cached per stack and overrides:
 * test files that look at the same stack share one evaluation. Treat the result as read-only.
 * `fresh` evaluates again, for tests that observe side effects such as warnings.
 */
export function runStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  options: { readonly fresh?: boolean } = {},
): Promise<ProgramRun> {
  // undefined (which removes a key) must not collapse into "no override" as JSON.stringify would.
  const key = JSON.stringify([stack, overrides], (_k, v: unknown) =>
    v === undefined ? { removed: true } : v,
  );
  let run = options.fresh ? undefined : runs.get(key);
  if (!run) {
    run = withPlainStacks(() => evaluateStack(stack, overrides));
    runs.set(key, run);
  }
  return run;
}

async function evaluateStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>>,
): Promise<ProgramRun> {
  const config = readStackConfig(stack, overrides);
  const mocks = new AwsMocks(config["aws:region"] ?? "us-east-1");
  await installMocks(mocks, "securecart", stack);
  pulumi.runtime.setAllConfig(config);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const { loadStackConfig } = await import("../stacks/config");
    const { createRegionStack } = await import("../stacks/region");
    const outputs = (await valueOf(createRegionStack(loadStackConfig()) as any)) as Record<
      string,
      unknown
    >;
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return { stack, config, resources: mocks.resources, invokes: mocks.invokes, outputs };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/**
 * Runs `declare` (which constructs components with plain args) under fresh mocks for `region`
 * and returns what it registered, for component-level tests.
 */
export async function runComponents<T>(
  declare: () => T,
  region = "us-east-1",
  stack = "unit",
): Promise<ProgramRun & { readonly result: T }> {
  const mocks = new AwsMocks(region);
  await installMocks(mocks, "securecart", stack);
  pulumi.runtime.setAllConfig({ "aws:region": region });
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const result = declare();
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return {
      stack,
      config: {},
      resources: mocks.resources,
      invokes: mocks.invokes,
      outputs: {},
      result,
    };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/** Resources of one type, in registration order. */
export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource with this type and logical name; throws when absent. */
export function byName(run: ProgramRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in stack ${run.stack}`);
  return found;
}

/** Logical name of the resource with this URN. */
export function nameOfUrn(run: ProgramRun, urn: string | undefined): string | undefined {
  return run.resources.find((r) => r.urn === urn)?.name;
}
