/**
 * Policy pack config as the Pulumi CLI handles it before running a pack: the effective
 * enforcement level of each policy, the config a policy's `getConfig()` returns (schema defaults
 * filled in), validation against each policy's schema, and reading a `--policy-pack-config` file.
 */
import * as fs from "fs";
import { EnforcementLevel, Policies, Policy, PolicyPackConfig } from "@pulumi/policy";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function levelIn(entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined {
  if (typeof entry === "string") return entry;
  return entry?.enforcementLevel;
}

/** The level a policy runs at: config for the policy, config `all`, the policy, the pack. */
export function effectiveLevel(
  policy: Policy,
  config: PolicyPackConfig,
  packLevel: EnforcementLevel | undefined,
): EnforcementLevel {
  return (
    levelIn(config[policy.name]) ||
    levelIn(config.all) ||
    policy.enforcementLevel ||
    packLevel ||
    "advisory"
  );
}

/** What `args.getConfig()` returns: schema defaults, overridden by the policy's config. */
export function policyConfig(policy: Policy, config: PolicyPackConfig): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) defaults[key] = structuredClone(schema.default);
  }
  const entry = config[policy.name];
  if (entry === undefined || typeof entry === "string") return defaults;
  const properties: Record<string, unknown> = structuredClone(entry);
  delete properties.enforcementLevel;
  return { ...defaults, ...properties };
}

function typeMatches(value: unknown, type: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Checks a policy pack config the way the CLI does before running the pack (names, levels,
 * property types, minimums, required keys) and throws on the first problem.
 */
export function validatePolicyConfig(policies: Policies, config: PolicyPackConfig): void {
  const byName = new Map(policies.map((p) => [p.name, p]));
  for (const [name, entry] of Object.entries(config)) {
    const fail = (problem: string): never => {
      throw new Error(`validating policy config: ${name}: ${problem}`);
    };
    const policy = byName.get(name);
    if (!policy && name !== "all") fail("no such policy in the pack");
    const level = levelIn(entry);
    if (level !== undefined && !LEVELS.includes(level)) {
      fail(`enforcementLevel must be one of ${LEVELS.join(", ")}; got ${JSON.stringify(level)}`);
    }
    if (typeof entry === "string" || !policy) continue;
    const schema = policy.configSchema;
    for (const key of schema?.required ?? []) {
      if (!(key in entry)) fail(`${key} is required`);
    }
    for (const [key, value] of Object.entries(entry)) {
      if (key === "enforcementLevel") continue;
      const prop = schema?.properties[key];
      if (!prop) fail(`unknown property ${key}`);
      if (!typeMatches(value, prop!.type)) {
        fail(`${key}: expected ${String(prop!.type)}, given ${JSON.stringify(value)}`);
      }
      const items = prop!.items;
      if (Array.isArray(value) && items && typeof items === "object" && !Array.isArray(items)) {
        value.forEach((v, i) => {
          if (!typeMatches(v, items.type)) {
            fail(`${key}.${i}: expected ${String(items.type)}, given ${JSON.stringify(v)}`);
          }
        });
      }
      if (typeof prop!.minimum === "number" && typeof value === "number" && value < prop!.minimum) {
        fail(`${key}: must be >= ${prop!.minimum}; given ${value}`);
      }
      if (typeof prop!.maximum === "number" && typeof value === "number" && value > prop!.maximum) {
        fail(`${key}: must be <= ${prop!.maximum}; given ${value}`);
      }
      if (
        typeof prop!.minItems === "number" &&
        Array.isArray(value) &&
        value.length < prop!.minItems
      ) {
        fail(`${key}: must have at least ${prop!.minItems} item(s); given ${value.length}`);
      }
    }
  }
}

/** Where {@link jsonErrorOffset}'s scan stopped. */
class JsonStop extends Error {
  constructor(readonly at: number) {
    super(`not JSON at offset ${at}`);
  }
}

/**
 * Offset of the first character at which `text` stops being JSON (RFC 8259), `text.length` when
 * it ends too early, or undefined when it is valid.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  // A word that does not match fails at its first character (`nope` at the `n`).
  const expect = (word: string) => {
    if (!text.startsWith(word, i)) fail();
    i += word.length;
  };
  const string = () => {
    expect('"');
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++)
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail();
            else i++;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
        else i++;
      } else i++;
    }
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        string();
        ws();
        expect(":");
        value();
        ws();
        if (text[i] === ",") i++;
        else return expect("}");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else return expect("]");
      }
    }
    if (c === '"') return string();
    if (c === "t") return expect("true");
    if (c === "f") return expect("false");
    if (c === "n") return expect("null");
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (stop) {
    if (!(stop instanceof JsonStop)) throw stop;
    return Math.min(stop.at, text.length);
  }
}

/** 1-based line and column of `offset` in `text`. */
function lineColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

/**
 * `text` as JSON, or an Error in our words naming `file`, the line and column and that line's
 * text (Node's own message gives only a character offset).
 */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Node gives an offset for some mistakes only ("Unexpected token 'o', ... is not valid JSON"
    // has none), so find the first character that cannot continue the JSON ourselves.
    const offset = jsonErrorOffset(text) ?? text.trimEnd().length;
    const { line, col } = lineColumn(text, offset);
    const shown = JSON.stringify(text.split("\n")[line - 1]?.trim() ?? "");
    const what =
      offset >= text.trimEnd().length
        ? "the JSON ends too early (a bracket, brace or string left open)"
        : "not valid JSON";
    throw new Error(
      `${file}:${line}:${col}: ${what} at line ${line}, column ${col} (line ${line}: ${shown}); a policy pack config is a JSON object keyed by policy name`,
    );
  }
}

/** The file's text, or an Error in our words naming it (missing, a directory, unreadable). */
function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory, not a JSON file"
          : code === "EACCES"
            ? "not readable (permission denied)"
            : `cannot be read (${code ?? "unknown error"})`;
    throw new Error(`${file}: ${why}`);
  }
}

/** Reads a `--policy-pack-config` JSON file (same format as the Pulumi CLI's). */
export function readPolicyPackConfig(file: string): PolicyPackConfig {
  const parsed: unknown = parseJsonFile(file, readTextFile(file));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file}: a policy pack config is a JSON object keyed by policy name`);
  }
  return parsed as PolicyPackConfig;
}
