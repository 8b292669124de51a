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

/** Reads a `--policy-pack-config` JSON file (same format as the Pulumi CLI's). */
export function readPolicyPackConfig(file: string): PolicyPackConfig {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file}: a policy pack config is a JSON object keyed by policy name`);
  }
  return parsed as PolicyPackConfig;
}
