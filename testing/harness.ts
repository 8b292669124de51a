/**
 * Runs a stack's program under the shared mocks, the way `pulumi preview` would run it, for the
 * tests and the offline preview. Config comes from the same files the Pulumi CLI reads.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { YAMLParseError, parse } from "yaml";
import { closest } from "../stacks/configMessages";
import { AwsMocks, RecordedInvoke, RecordedResource, installMocks } from "./mocks";
import { withWireUnknowns } from "./plannedOutputs";

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** The account-global project (global/Pulumi.yaml), deployed after the regional stacks. */
export const GLOBAL_ROOT = path.join(PROJECT_ROOT, "global");

/** Placeholder that stands for a `secure:` value, which only the Pulumi CLI can decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * A YAML file as data. A syntax error names the file (relative to the project), the line and
 * column, the parser's reason and the offending line, on one line:
 * `Pulumi.prod-east.yaml:12:5: YAML syntax error: Map keys must be unique (line 12: "a: 2")`.
 */
export function readYaml(file: string): any {
  const text = fs.readFileSync(file, "utf8");
  try {
    return parse(text) ?? {};
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    // linePos is where the parser noticed the problem (1-based line and column of err.pos).
    // For a flow collection left open that is the next key, a line or more below the bracket
    // that needs closing: report the bracket instead.
    const opener = /end with an? ([\]}])/.exec(err.message)
      ? unclosedBracket(text, err.pos[0])
      : undefined;
    const [pos] = opener ? [opener] : (err.linePos ?? []);
    const reason = opener
      ? `${opener.bracket} is never closed (the parser noticed at line ${err.linePos?.[0].line})`
      : err.message.split(/ at line \d+, column \d+/)[0];
    const where = pos ? `:${pos.line}:${pos.col}` : "";
    const line = pos
      ? ` (line ${pos.line}: ${JSON.stringify(text.split("\n")[pos.line - 1].trim())})`
      : "";
    throw new Error(
      `${path.relative(PROJECT_ROOT, file) || file}${where}: YAML syntax error: ${reason}${line}`,
    );
  }
}

/**
 * The last `[` or `{` before `offset` that no bracket closes, skipping quoted text and comments;
 * 1-based line and column, as the yaml package's linePos.
 */
export function unclosedBracket(
  text: string,
  offset: number,
): { line: number; col: number; bracket: string } | undefined {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\n") quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1])))
      i = text.indexOf("\n", i) < 0 ? text.length : text.indexOf("\n", i) - 1;
    else if (c === "[" || c === "{") open.push(i);
    else if ((c === "]" || c === "}") && open.length > 0) open.pop();
  }
  const at = open.pop();
  if (at === undefined) return undefined;
  const before = text.slice(0, at).split("\n");
  return { line: before.length, col: before[before.length - 1].length + 1, bracket: text[at] };
}

/** The top-level keys a Pulumi stack file may hold (pulumi/pulumi, workspace.ProjectStack). */
export const STACK_FILE_KEYS: readonly string[] = [
  "config",
  "environment",
  "secretsprovider",
  "encryptedkey",
  "encryptionsalt",
];

/**
 * A stack file's top-level keys that are not stack-file settings, e.g. `confg:`: every setting
 * under one would go unread. One sentence per key, naming the file and the closest known key.
 */
export function stackFileKeyProblems(file: string, doc: unknown): string[] {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return [];
  const name = path.relative(PROJECT_ROOT, file) || file;
  return Object.keys(doc)
    .filter((k) => !STACK_FILE_KEYS.includes(k))
    .map((k) => {
      const near = closest(k, STACK_FILE_KEYS);
      return `${name}: top-level key \`${k}\` is not a stack file setting, so nothing under it is read${near ? `; did you mean \`${near}\`?` : ""} A stack file holds ${STACK_FILE_KEYS.map((x) => `\`${x}\``).join(", ")}.`;
    });
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
  if (isSecure(value)) return SECRET_PLACEHOLDER;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isSecure(value: unknown): boolean {
  return value !== null && typeof value === "object" && "secure" in value;
}

/** The `items` of an array declaration in `Pulumi.yaml`. */
export interface ProjectConfigItemsType {
  readonly type: string;
  readonly items?: ProjectConfigItemsType;
}

/** One `config:` declaration in `Pulumi.yaml`, as the CLI reads it (`ProjectConfigType`). */
export interface ProjectConfigType {
  readonly type?: string;
  readonly items?: ProjectConfigItemsType;
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret?: boolean;
  readonly description?: string;
}

/**
 * The CLI's `config:` shorthand: a plain or array value under a project key is its default, under
 * another namespace (`aws:region: us-east-1`) its value (`RewriteShorthandConfigValues` in
 * pulumi/pulumi sdk/go/common/workspace/project.go).
 */
function declarationOf(projectName: string, key: string, raw: unknown): ProjectConfigType {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) return raw;
  return isProjectKey(projectName, key) ? { default: raw } : { value: raw };
}

function isProjectKey(projectName: string, key: string): boolean {
  return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** `InferFullTypeName`: `array<string>` for an array of strings, else the type's name. */
export function fullTypeName(type: string, items?: ProjectConfigItemsType): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/**
 * `ValidateConfigValue` from the CLI: whether `value` fits a declared type. A plain stack value
 * reaches it as a string, so `integer` and `boolean` accept their string forms; an object or array
 * value reaches it as parsed JSON.
 */
export function fitsConfigType(
  type: string,
  items: ProjectConfigItemsType | undefined,
  value: unknown,
): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((item) => fitsConfigType(items.type, items.items, item))
      );
  }
}

/** `Stack 'prod-east' is missing configuration value 'a'`, or `values 'a', 'b' and 'c'`. */
function missingKeysError(stack: string, keys: string[]): Error {
  if (keys.length === 1) {
    return new Error(`Stack '${stack}' is missing configuration value '${keys[0]}'`);
  }
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  const list = `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
  return new Error(`Stack '${stack}' is missing configuration values ${list}`);
}

/**
 * What the Pulumi CLI does with `Pulumi.yaml`'s `config:` before it starts the program, for
 * preview, up, refresh and destroy alike (`Project.Validate` in sdk/go/common/workspace/project.go
 * and `mergeConfig` in pkg/workspace/config.go of pulumi/pulumi), with the CLI's wording:
 * - a declaration's `default` must fit its `type`, and an `array` needs `items`;
 * - a project key with neither a default nor a value that the stack does not set stops the run
 *   (`Stack 'prod-east' is missing configuration value 'securecart:peerCapacity'`);
 * - a stack value of a key with a `type` must fit it
 *   (`Stack 'prod-east' with configuration key 'securecart:services' must be of type 'object'`);
 * - otherwise a key the stack does not set gets its default (or value).
 * Returns the merged raw values keyed by full key; `secure:` values are not checked (the CLI
 * checks them after decrypting, which needs the stack's secrets provider).
 */
export function mergeProjectConfig(
  stack: string,
  projectName: string,
  declared: Readonly<Record<string, unknown>>,
  stackValues: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const qualify = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stackValues)) merged[qualify(key)] = value;
  const missing: string[] = [];
  for (const key of Object.keys(declared).sort()) {
    const decl = declarationOf(projectName, key, declared[key]);
    const hasDefault = decl.default !== undefined && decl.default !== null;
    const hasValue = decl.value !== undefined && decl.value !== null;
    if (hasDefault && hasValue) {
      throw new Error(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    }
    if (isProjectKey(projectName, key) && decl.type !== undefined) {
      if (decl.type === "array" && decl.items === undefined) {
        throw new Error(
          `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
        );
      }
      if (hasDefault && !fitsConfigType(decl.type, decl.items, decl.default)) {
        throw new Error(
          `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(decl.type, decl.items)}'`,
        );
      }
    }
  }
  for (const key of Object.keys(declared).sort()) {
    const decl = declarationOf(projectName, key, declared[key]);
    const full = qualify(key);
    const found = full in merged;
    const hasDefault = decl.default !== undefined && decl.default !== null;
    const hasValue = decl.value !== undefined && decl.value !== null;
    if (!found && !hasDefault && !hasValue && full.startsWith(`${projectName}:`)) {
      missing.push(key);
    } else if (!found) {
      merged[full] = hasDefault ? decl.default : decl.value;
    } else if (decl.type !== undefined && !isSecure(merged[full])) {
      const raw = merged[full];
      // A plain stack value is a string to the CLI; objects and arrays are JSON.
      const content = raw !== null && typeof raw === "object" ? raw : String(raw);
      if (!fitsConfigType(decl.type, decl.items, content)) {
        throw new Error(
          `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, decl.items)}'`,
        );
      }
    }
  }
  if (missing.length > 0) throw missingKeysError(stack, missing);
  return merged;
}

/**
 * A stack's config as the CLI hands it to the program: `Pulumi.yaml`'s declarations merged with
 * `Pulumi.<stack>.yaml` under the CLI's rules ({@link mergeProjectConfig}, which throws the CLI's
 * error for a missing or mistyped key), then `overrides`. Overrides stand for what the program
 * receives after that merge (a test device for the program's own validation), so removing a key
 * with `undefined` does not bring its default back. Values are strings; structured values are
 * JSON.
 */
export function readStackConfig(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  root: string = PROJECT_ROOT,
  stackDir: string = root,
): Record<string, string> {
  const project = readYaml(path.join(root, "Pulumi.yaml"));
  const stackFile = path.join(stackDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new Error(
      `no stack file ${path.basename(stackFile)}; known stacks: ${listStacks(stackDir).join(", ")}`,
    );
  }
  const stackDoc = readYaml(stackFile);
  const keyProblems = stackFileKeyProblems(stackFile, stackDoc);
  if (keyProblems.length > 0) throw new Error(keyProblems.join("\n"));
  const merged = mergeProjectConfig(
    stack,
    project.name,
    project.config ?? {},
    stackDoc.config ?? {},
  );
  const config: Record<string, string> = {};
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, value] of Object.entries(merged)) config[key] = toConfigString(value);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[qualify(key)];
    else config[qualify(key)] = toConfigString(value);
  }
  return config;
}

/** Global stack names: those with a `global/Pulumi.<stack>.yaml` file. */
export function listGlobalStacks(): string[] {
  return listStacks(GLOBAL_ROOT);
}

/** The names index.ts exports: what another stack sees through StackReference. */
export function exportedOutputNames(): string[] {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, "index.ts"), "utf8");
  return [...source.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
}

/** The result of running one stack's program under mocks. */
export interface ProgramRun {
  readonly stack: string;
  /** The Pulumi project: `securecart`, or `securecart-global` for a global stack. */
  readonly project?: string;
  readonly config: Readonly<Record<string, string>>;
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Stack outputs, resolved (unknowns as the wire sentinel in a preview run). */
  readonly outputs: Record<string, unknown>;
  /** True for a first-deploy preview run (see {@link runStack}). */
  readonly preview?: boolean;
  /** Stack outputs that are secret (the CLI shows them as `[secret]`). */
  readonly secretOutputs?: readonly string[];
}

/** The keys of `exported` whose Outputs are secret (at any depth: secretness propagates). */
async function secretKeysOf(exported: Record<string, unknown>): Promise<string[]> {
  const keys = await Promise.all(
    Object.entries(exported ?? {}).map(async ([key, value]) => {
      const secret = await (pulumi.output(value) as unknown as { isSecret: Promise<boolean> })
        .isSecret;
      return secret ? key : undefined;
    }),
  );
  return keys.filter((k): k is string => k !== undefined);
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
 * Resolves `input`, or rejects with the first error the mocks raise. A failed registration
 * leaves every Output that depends on it pending forever (and {@link valueOf} with it), so
 * without the race a mock's error would surface only as Pulumi's "N promises were still active".
 */
export function resolvedOrFailed<T>(
  input: pulumi.Input<T>,
  mocks: AwsMocks,
): Promise<pulumi.Unwrap<T>> {
  return Promise.race([valueOf(input), mocks.failed]);
}

/**
 * Resolves an Input during a preview, where `apply` never runs on an unknown value; unknowns come
 * back as `pulumi.unknown`.
 */
function previewValueOf(input: unknown): Promise<unknown> {
  return (
    pulumi.output(input) as unknown as { promise(withUnknowns: boolean): Promise<unknown> }
  ).promise(true);
}

/**
 * Runs `work` without building stack traces. The Pulumi SDK records `new Error().stack` for every
 * promise it creates (for leak diagnostics, see @pulumi/pulumi runtime/debuggable.js), and
 * formatting those stacks, through ts-node's source maps or even V8's own formatter, took over
 * half of a stack's evaluation time. Mocked runs never show those stacks, so none are captured
 * while a program runs; error messages are unchanged, only their stack lines are missing.
 */
async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
  const hooks = Error as { prepareStackTrace?: unknown };
  const savedHook = hooks.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  // Deleting the hook (not assigning a formatter) restores V8's built-in formatting.
  delete hooks.prepareStackTrace;
  Error.stackTraceLimit = 0;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = savedLimit;
    hooks.prepareStackTrace = savedHook;
  }
}

/** Empties the Pulumi runtime's set of unsettled promises (an internal of the SDK). */
function forgetLeakCandidates(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const debuggable = require("@pulumi/pulumi/runtime/debuggable");
  debuggable.leakedPromises();
}

/** The (live) error lists of mocks whose run failed and has already returned. */
const settledCauses: (readonly Error[])[] = [];
let collector: ((reason: unknown) => void) | undefined;

function onUnhandledRejection(reason: unknown): void {
  if (collector) {
    collector(reason);
    return;
  }
  // A failed registration keeps rejecting its dependants after the run reported the cause;
  // those carry the cause's message and are its fallout, not news.
  const text = reason instanceof Error ? reason.message : String(reason);
  if (settledCauses.some((errors) => errors.some((e) => text.includes(e.message)))) return;
  // Anything else behaves as Node's default: an uncaught error.
  setImmediate(() => {
    throw reason;
  });
}

/**
 * Collects the program's unhandled rejections into `failures` while a run is active. The
 * returned function ends collection; the mocks' error list it is given stays watched (errors
 * raised after the run returned included), so their late fallout is dropped instead of crashing
 * whatever runs next.
 */
function collectRejections(failures: unknown[]): (causes: readonly Error[]) => void {
  if (!process.listeners("unhandledRejection").includes(onUnhandledRejection)) {
    process.on("unhandledRejection", onUnhandledRejection);
  }
  collector = (reason) => failures.push(reason);
  return (causes) => {
    collector = undefined;
    if (causes.length > 0) {
      settledCauses.push(causes);
      // The failed registration's dependants can never settle. The run has reported the cause,
      // so don't let Pulumi's exit hook report them as leaked promises and fail the process.
      forgetLeakCandidates();
    }
  };
}

const runs = new Map<string, Promise<ProgramRun>>();

/**
 * Runs `Pulumi.<stack>.yaml` (plus overrides) through index.ts's composition under mocks and
 * returns every registered resource. Rejects with the program's error, e.g. a ConfigError.
 *
 * The program is deterministic under the mocks, so runs are cached per stack and overrides:
 * test files that look at the same stack share one evaluation. Treat the result as read-only.
 * `fresh` evaluates again, for tests that observe side effects such as warnings. `stackDir` reads
 * the stack file from another folder (test fixtures) with the project's own Pulumi.yaml.
 *
 * `preview` runs the program as a first-deploy `pulumi preview` does: nothing exists yet, so every
 * output AWS computes is unknown to the program, resources' inputs carry unknowns where they come
 * from such outputs, and the recorded outputs are the planned ones (testing/plannedOutputs.ts), as
 * the policy analyzer sees them during preview. The default run stands for the state after
 * `pulumi up`, when every value is known.
 */
export function runStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
  options: {
    readonly fresh?: boolean;
    readonly stackDir?: string;
    readonly preview?: boolean;
    /**
     * With `preview`, on a global stack: the state an earlier `up` left (see AwsMocks.deployed),
     * so the run is a preview of an update rather than of a first deploy.
     */
    readonly deployed?: AwsMocks["deployed"];
  } = {},
): Promise<ProgramRun> {
  const stackDir = options.stackDir ?? PROJECT_ROOT;
  const preview = options.preview === true;
  const deployed = options.deployed ?? [];
  // undefined (which removes a key) must not collapse into "no override" as JSON.stringify would.
  const key = JSON.stringify([stack, overrides, stackDir, preview, deployed], (_k, v: unknown) =>
    v === undefined ? { removed: true } : v,
  );
  let run = options.fresh ? undefined : runs.get(key);
  if (!run) {
    run = withoutStackTraces(() =>
      listGlobalStacks().includes(stack)
        ? evaluateGlobalStack(stack, overrides, preview, deployed)
        : evaluateStack(stack, overrides, stackDir, preview),
    );
    runs.set(key, run);
  }
  return run;
}

async function evaluateStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>>,
  stackDir: string,
  preview: boolean,
): Promise<ProgramRun> {
  const config = readStackConfig(stack, overrides, PROJECT_ROOT, stackDir);
  const mocks = new AwsMocks(config["aws:region"] ?? "us-east-1", preview);
  await installMocks(mocks, "securecart", stack);
  pulumi.runtime.setAllConfig(config);

  const failures: unknown[] = [];
  const stopCollecting = collectRejections(failures);
  try {
    const { loadStackConfig } = await import("../stacks/config");
    const { createRegionStack } = await import("../stacks/region");
    const exported = createRegionStack(loadStackConfig()) as any;
    const outputs = (
      preview
        ? withWireUnknowns(await Promise.race([previewValueOf(exported), mocks.failed]))
        : await resolvedOrFailed(exported, mocks)
    ) as Record<string, unknown>;
    const secretOutputs = await secretKeysOf(exported);
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return {
      stack,
      config,
      resources: mocks.resources,
      invokes: mocks.invokes,
      outputs,
      preview,
      secretOutputs,
    };
  } finally {
    stopCollecting(mocks.errors);
  }
}

/**
 * Runs a global stack (global/Pulumi.<stack>.yaml): first the regional stacks it references
 * (cached runs), whose exported outputs become the StackReference values, then its program.
 */
async function evaluateGlobalStack(
  stack: string,
  overrides: Readonly<Record<string, unknown>>,
  preview: boolean,
  deployed: AwsMocks["deployed"],
): Promise<ProgramRun> {
  const config = readStackConfig(stack, overrides, GLOBAL_ROOT);
  const referenced: string[] = JSON.parse(config["securecart-global:regionalStacks"] ?? "[]");
  const exported = exportedOutputNames();
  const stackOutputs: Record<string, Record<string, unknown>> = {};
  for (const name of referenced) {
    const regional = await runStack(name.split("/").pop() as string);
    stackOutputs[name] = Object.fromEntries(
      exported
        .filter((k) => regional.outputs[k] !== undefined)
        .map((k) => [k, regional.outputs[k]]),
    );
  }
  // The regional stacks are deployed first, so their outputs are known even in a first preview.
  const mocks = new AwsMocks(config["aws:region"] ?? "us-east-1", preview);
  mocks.stackOutputs = stackOutputs;
  mocks.deployed = deployed;
  await installMocks(mocks, "securecart-global", stack);
  pulumi.runtime.setAllConfig(config);

  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const { loadGlobalConfig } = await import("../stacks/globalConfig");
    const { createGlobalStack } = await import("../stacks/global");
    const exportedOutputs = (await createGlobalStack(loadGlobalConfig())) as any;
    const outputs = (
      preview
        ? withWireUnknowns(await previewValueOf(exportedOutputs))
        : await valueOf(exportedOutputs)
    ) as Record<string, unknown>;
    const secretOutputs = await secretKeysOf(exportedOutputs);
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    if (mocks.errors.length > 0) throw mocks.errors[0];
    return {
      stack,
      project: "securecart-global",
      config,
      resources: mocks.resources,
      invokes: mocks.invokes,
      outputs,
      preview,
      secretOutputs,
    };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/**
 * Runs `declare` (which constructs components with plain args) under fresh mocks for `region`
 * and returns what it registered, for component-level tests.
 */
export function runComponents<T>(
  declare: () => T,
  region = "us-east-1",
  stack = "unit",
): Promise<ProgramRun & { readonly result: T }> {
  return withoutStackTraces(() => evaluateComponents(declare, region, stack));
}

async function evaluateComponents<T>(
  declare: () => T,
  region: string,
  stack: string,
): Promise<ProgramRun & { readonly result: T }> {
  const mocks = new AwsMocks(region);
  await installMocks(mocks, "securecart", stack);
  pulumi.runtime.setAllConfig({ "aws:region": region });
  const failures: unknown[] = [];
  const stopCollecting = collectRejections(failures);
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
    stopCollecting(mocks.errors);
  }
}

/**
 * Declares what `declare` returns under fresh mocks for `region` and resolves it, as the stack
 * harness resolves a stack's outputs: a mock's error rejects with that error.
 */
export async function resolveUnderMocks<T>(
  declare: () => pulumi.Input<T>,
  region = "us-east-1",
): Promise<pulumi.Unwrap<T>> {
  const mocks = new AwsMocks(region);
  await installMocks(mocks, "securecart", "unit");
  pulumi.runtime.setAllConfig({ "aws:region": region });
  const failures: unknown[] = [];
  const stopCollecting = collectRejections(failures);
  try {
    const value = await resolvedOrFailed(declare(), mocks);
    await pulumi.runtime.disconnect();
    if (failures.length > 0) throw failures[0];
    return value;
  } finally {
    stopCollecting(mocks.errors);
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
