/**
 * The wording of config errors: our own sentences for zod's issues, "did you mean" for unknown
 * keys and near-miss namespaces, and the pointer into docs/configuration.md. No validation
 * library text reaches an operator (docs/configuration.md#unknown-keys).
 */
import * as awsConfig from "@pulumi/aws/config/vars";
import { z } from "zod";

/** The generated configuration reference, relative to the project root. */
export const CONFIG_DOC = "docs/configuration.md";

/** Heading anchor of the doc section on unknown keys and namespaces. */
export const UNKNOWN_KEYS_ANCHOR = "unknown-keys";

/** GitHub's anchor for a top-level key's heading in {@link CONFIG_DOC}. */
export function configAnchor(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9\s_-]/g, "");
}

/**
 * The AWS provider's own config keys (`aws:<key>`), read from the installed @pulumi/aws: its
 * generated config module defines one property per key of the provider schema's config. The
 * provider refuses any other `aws:` key at `pulumi up` (pulumi-terraform-bridge's CheckConfig:
 * "`aws:x` is not a valid configuration key for the aws provider"); this check says so offline,
 * before any resource, with the closest key.
 */
export const AWS_PROVIDER_KEYS: readonly string[] = Object.keys(awsConfig).sort();

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word`, if it is close enough to be a slip: the same letters in
 * another case, or at most one edit per three characters (at least 1, at most 3).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const sameCase = candidates.find((c) => c.toLowerCase() === word.toLowerCase());
  if (sameCase !== undefined) return sameCase;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

/** `; did you mean <x>?` when a close candidate exists, else a list of what is allowed. */
export function suggestion(word: string, candidates: readonly string[], render = (c: string) => c) {
  const near = closest(word, candidates);
  if (near !== undefined) return `; did you mean ${render(near)}?`;
  return `; known: ${candidates.map(render).join(", ")}`;
}

/**
 * Problems with keys outside the program's namespace that a program would silently ignore:
 * an `aws:` key the AWS provider does not have, and a namespace one slip away from `namespace`
 * (`securcart:tlsPolicy`). Other namespaces (providers, `pulumi:`) are left alone.
 */
export function foreignKeyProblems(
  keys: readonly string[],
  namespace: string,
  knownKeys: readonly string[],
): string[] {
  const problems: string[] = [];
  // Values of other namespaces are not printed: they may be secrets (aws:secretKey, tokens).
  const HIDDEN = `hidden, as keys outside ${namespace}: may hold secrets`;
  for (const key of keys) {
    const i = key.indexOf(":");
    if (i < 0) continue;
    const [ns, name] = [key.slice(0, i), key.slice(i + 1)];
    if (ns === namespace) continue;
    if (ns === "aws") {
      if (AWS_PROVIDER_KEYS.includes(name)) continue;
      problems.push(
        `\`${key}\` is not a setting of the AWS provider, which would reject it; got a value (${HIDDEN})${suggestion(name, AWS_PROVIDER_KEYS, (c) => `aws:${c}`)}`,
      );
      continue;
    }
    if (editDistance(ns.toLowerCase(), namespace) <= 2) {
      const fixed = `${namespace}:${name}`;
      const known = knownKeys.includes(fixed) ? fixed : closest(fixed, knownKeys);
      problems.push(
        `\`${key}\` is in namespace "${ns}", which nothing reads, so the setting would be ignored; got a value (${HIDDEN})${known ? `; did you mean ${known}?` : `; use the ${namespace}: namespace`}`,
      );
    }
  }
  return problems;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a map of settings",
  array: "a list",
  record: "a map of settings",
};

function plural(n: number | bigint, one: string, many: string): string {
  return `${n} ${Number(n) === 1 ? one : many}`;
}

function bound(
  issue: { origin: string; inclusive?: boolean; exact?: boolean },
  n: number | bigint,
  side: "min" | "max",
): string {
  const op = issue.exact
    ? "exactly"
    : side === "min"
      ? issue.inclusive === false
        ? "more than"
        : "at least"
      : issue.inclusive === false
        ? "fewer than"
        : "at most";
  switch (issue.origin) {
    case "array":
    case "set":
      return `must list ${op} ${plural(n, "item", "items")}`;
    case "string":
      return `must have ${op} ${plural(n, "character", "characters")}`;
    default: {
      const sign = issue.exact
        ? "="
        : side === "min"
          ? issue.inclusive === false
            ? ">"
            : ">="
          : issue.inclusive === false
            ? "<"
            : "<=";
      return `must be ${sign} ${n}`;
    }
  }
}

/**
 * Our sentence for a zod issue that has no message of the schema's own, starting with a verb
 * ("must be …"), so it reads after the key. Passed to `safeParse` as its error map.
 */
export function issueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case "too_small":
      return bound(issue, issue.minimum, "min");
    case "too_big":
      return bound(issue, issue.maximum, "max");
    case "invalid_value":
      return `must be ${issue.values.length === 1 ? "" : "one of "}${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "invalid_format":
      if (issue.format === "email") return "must be an email address";
      return issue.format === "regex" && "pattern" in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "invalid_union":
      return "discriminator" in issue && issue.discriminator
        ? `must set ${String(issue.discriminator)} to one of ${((issue as { options?: unknown[] }).options ?? []).map((o) => JSON.stringify(o)).join(", ")}`
        : "matches none of the allowed forms";
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "has an element that is not allowed";
    case "unrecognized_keys":
      return `has unknown ${issue.keys.length === 1 ? "setting" : "settings"} ${issue.keys.join(", ")}`;
    default:
      return "is not allowed";
  }
}

/** Phrases of zod's own messages; none may reach an operator (test/configMessages.test.ts). */
export const LIBRARY_PHRASES: readonly RegExp[] = [
  /Invalid input/i,
  /Invalid option/i,
  /expected [a-z]+, received/i,
  /Unrecognized key/i,
  /Too (small|big)/i,
  /Invalid (string|element|key|union)/i,
];

/** The object keys a schema allows at `path` (walking defaults, optionals, records, unions). */
export function knownKeysAt(
  schema: z.core.$ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): string[] {
  let node: z.core.$ZodType | undefined = schema;
  let value = input;
  const unwrap = (n: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let cur = n;
    for (let i = 0; i < 10 && cur !== undefined; i++) {
      const def = cur._zod.def as {
        type: string;
        innerType?: z.core.$ZodType;
        in?: z.core.$ZodType;
      };
      if (def.innerType) cur = def.innerType;
      else if (def.type === "pipe" && def.in) cur = def.in;
      else break;
    }
    return cur;
  };
  const objectKeys = (n: z.core.$ZodType | undefined, v: unknown): string[] => {
    const u = unwrap(n);
    if (u === undefined) return [];
    const def = u._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      options?: z.core.$ZodType[];
    };
    if (def.type === "object" && def.shape) return Object.keys(def.shape);
    if (def.type === "union" && def.options) {
      const keys = def.options.map((o) => objectKeys(o, v));
      const discriminator = (def as { discriminator?: string }).discriminator;
      if (discriminator && v !== null && typeof v === "object") {
        const wanted = (v as Record<string, unknown>)[discriminator];
        const match = def.options.find((o) => {
          const shape = (unwrap(o)?._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape;
          const lit = shape?.[discriminator]?._zod.def as { values?: unknown[] } | undefined;
          return lit?.values?.includes(wanted);
        });
        if (match) return objectKeys(match, v);
      }
      return [...new Set(keys.flat())];
    }
    return [];
  };
  for (const step of path) {
    const u = unwrap(node);
    if (u === undefined) return [];
    const def = u._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      valueType?: z.core.$ZodType;
      element?: z.core.$ZodType;
      options?: z.core.$ZodType[];
    };
    const next: unknown =
      value !== null && typeof value === "object"
        ? (value as Record<PropertyKey, unknown>)[step]
        : undefined;
    if (def.type === "object" && def.shape) node = def.shape[String(step)];
    else if (def.type === "record") node = def.valueType;
    else if (def.type === "array") node = def.element;
    else if (def.type === "union" && def.options) {
      const options: z.core.$ZodType[] = def.options;
      node = options
        .map((o) => (unwrap(o)?._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape)
        .find((shape) => shape && String(step) in shape)?.[String(step)];
    } else return [];
    value = next;
  }
  return objectKeys(node, value);
}

/** `securecart:services.cart.paths[0]` from a zod path. */
export function keyOf(path: readonly PropertyKey[]): string {
  const [top, ...rest] = path.map(String);
  return [top, ...rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))]
    .join("")
    .replace(/\.\[/g, "[");
}

/** A config value as JSON, or `nothing`. */
export function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function valueAt(raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined,
    raw,
  );
}

/**
 * One line per zod issue, in our words: `` `key` <what is allowed>; got <value> ``, a missing
 * key as `` `key` is missing; it <what is allowed> ``, and an unknown key with the closest known
 * one. `topLevel` lists the keys allowed at the root (for "did you mean").
 */
export function zodProblems(
  schema: z.core.$ZodType,
  issues: readonly z.core.$ZodIssue[],
  values: Record<string, unknown>,
  topLevel: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = issue.path.length === 0 ? topLevel : knownKeysAt(schema, issue.path, values);
      for (const k of issue.keys) {
        const key = keyOf([...issue.path, k]);
        const fix = suggestion(k, allowed, (c) =>
          issue.path.length === 0 ? c : keyOf([...issue.path, c]),
        );
        problems.push(
          `\`${key}\` is not a known setting; got ${show(valueAt(values, [...issue.path, k]))}${fix}`,
        );
      }
      continue;
    }
    const key = keyOf(issue.path);
    // A bad record key (service or schedule name) carries the key schema's own message inside.
    const message = issue.code === "invalid_key" ? issue.issues[0].message : issue.message;
    // Refinements and unions report the whole object as input; show the value at the key instead.
    const got =
      issue.code === "invalid_key"
        ? issue.path[issue.path.length - 1]
        : issue.code !== "custom" && issue.code !== "invalid_union" && "input" in issue
          ? issue.input
          : valueAt(values, issue.path);
    if ((issue.code === "invalid_type" || issue.code === "invalid_union") && got === undefined) {
      problems.push(`\`${key}\` is missing; it ${message}`);
      continue;
    }
    problems.push(`\`${key}\` ${message}; got ${show(got)}`);
  }
  return problems;
}
