/**
 * Renders docs/configuration.md from the config schema (`stacks/config.ts`, through zod's JSON
 * Schema export), the key declarations in `Pulumi.yaml` and the per-field notes in
 * `docs/config-notes.yaml`. Pure: the caller reads the files. `npm run docs` writes the result
 * and `test/generatedDocs.test.ts` fails when the committed file differs.
 */
import { AWS_PROVIDER_KEYS, configAnchor } from "../stacks/configMessages";

/** The subset of JSON Schema that zod emits for our config. */
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  /** A discriminated union (`z.discriminatedUnion`): exactly one branch matches. */
  readonly oneOf?: readonly JsonSchema[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly format?: string;
}

/** A key's declaration in Pulumi.yaml's `config:` block. */
export interface ProjectKey {
  readonly type?: string;
  readonly default?: unknown;
  readonly description?: string;
}

/** One documented setting: a top-level key or a field inside one. */
export interface ConfigRow {
  /** Full path, e.g. `securecart:services.<service>.healthCheck.path`. */
  readonly key: string;
  readonly type: string;
  /** `required`, `optional`, or the default as JSON. */
  readonly default: string;
  readonly allowed: string;
  readonly meaning: string;
}

/** Placeholder for a map's keys, by the map's own name. */
const MAP_KEY_NAMES: Readonly<Record<string, string>> = {
  services: "<service>",
  schedules: "<schedule>",
  cnameTtlSeconds: "<label>",
};

/** Fields of `securecart:payments` share the services' notes. */
const NOTE_FALLBACKS: readonly [string, string][] = [
  ["securecart:payments.", "securecart:services.<service>."],
];

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** A default as the table shows it: short JSON in a code span, or a pointer to the fields. */
function defaultText(def: unknown, required: boolean, schema: JsonSchema): string {
  if (def === undefined) return required ? "required" : "optional";
  const text = json(def);
  if (text.length > 40 && schema.properties) return "see fields";
  return `\`${text}\``;
}

/** The field whose constant tells the branches of a union of objects apart, if there is one. */
function discriminatorOf(branches: readonly JsonSchema[]): string | undefined {
  const first = Object.keys(branches[0]?.properties ?? {});
  return first.find((name) => branches.every((b) => b.properties?.[name]?.const !== undefined));
}

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(" | ");
  if (s.oneOf) {
    const by = discriminatorOf(s.oneOf);
    if (by) {
      const values = s.oneOf.map((b) => String(b.properties?.[by]?.const));
      return `object by ${by}: ${values.join(" | ")}`;
    }
    return [...new Set(s.oneOf.map(typeOf))].join(" | ");
  }
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "any"}`;
  if (s.type === "object" && typeof s.additionalProperties === "object") {
    return `map of ${typeOf(s.additionalProperties)}`;
  }
  return s.type ?? "any";
}

function literal(v: unknown): string {
  return `\`${typeof v === "string" ? v : json(v)}\``;
}

function allowedOf(schema: JsonSchema): string {
  // zod's `.int()` bounds a number by the safe-integer range: no limit a reader needs to see.
  const s: JsonSchema = {
    ...schema,
    maximum: schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum,
    minimum: schema.minimum === Number.MIN_SAFE_INTEGER ? undefined : schema.minimum,
  };
  const parts: string[] = [];
  if (s.enum) parts.push(s.enum.map(literal).join(", "));
  if (s.const !== undefined) parts.push(literal(s.const));
  if (s.anyOf?.every((a) => a.const !== undefined)) {
    parts.push(s.anyOf.map((a) => literal(a.const)).join(" or "));
  }
  const lo =
    s.minimum !== undefined
      ? `${s.minimum}`
      : s.exclusiveMinimum !== undefined
        ? `> ${s.exclusiveMinimum}`
        : undefined;
  if (lo !== undefined && s.maximum !== undefined) {
    parts.push(lo.startsWith(">") ? `${lo} and ≤ ${s.maximum}` : `${lo}–${s.maximum}`);
  } else if (lo !== undefined) parts.push(lo.startsWith(">") ? lo : `≥ ${lo}`);
  else if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.minItems !== undefined || s.maxItems !== undefined) {
    parts.push(`${s.minItems ?? 0}–${s.maxItems ?? "any"} items`);
  }
  if (s.format === "email") parts.push("an email address");
  else if (s.pattern) parts.push(`matches \`${s.pattern.replace(/\|/g, "\\|")}\``);
  return parts.join("; ");
}

function noteFor(key: string, notes: Readonly<Record<string, string>>): string | undefined {
  if (notes[key] !== undefined) return notes[key];
  for (const [from, to] of NOTE_FALLBACKS) {
    if (key.startsWith(from)) {
      const note = notes[to + key.slice(from.length)];
      if (note !== undefined) return note;
    }
  }
  return undefined;
}

/** Every setting under `schema` at `key`, depth first, the node itself first. */
function rowsOf(
  key: string,
  schema: JsonSchema,
  required: boolean,
  notes: Readonly<Record<string, string>>,
  project?: ProjectKey,
): ConfigRow[] {
  const def = schema.default ?? project?.default;
  const rows: ConfigRow[] = [
    {
      key,
      type: typeOf(schema),
      default: defaultText(def, required, schema),
      allowed: allowedOf(schema),
      meaning: noteFor(key, notes) ?? project?.description ?? "",
    },
  ];
  const mapOf =
    typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  const child = schema.properties
    ? Object.entries(schema.properties).map(
        ([name, s]) => [`${key}.${name}`, s, schema.required?.includes(name) ?? false] as const,
      )
    : mapOf
      ? [
          [
            `${key}.${MAP_KEY_NAMES[key.split(/[.:]/).pop() ?? ""] ?? "<key>"}`,
            mapOf,
            true,
          ] as const,
        ]
      : schema.type === "array" && schema.items?.type === "object"
        ? [[`${key}[]`, schema.items, true] as const]
        : [];
  for (const [k, s, r] of child) rows.push(...rowsOf(k, s, r, notes));
  return rows;
}

/** Every documented setting, top-level keys in schema order, each followed by its fields. */
export function configRows(
  schema: JsonSchema,
  project: Readonly<Record<string, ProjectKey>>,
  notes: Readonly<Record<string, string>>,
): ConfigRow[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, s]) =>
    rowsOf(
      key,
      s,
      (schema.required?.includes(key) ?? false) && !("default" in (project[key] ?? {})),
      notes,
      project[key],
    ),
  );
}

/** Settings that have no meaning yet (neither a note nor a Pulumi.yaml description). */
export function undocumented(rows: readonly ConfigRow[]): string[] {
  return rows.filter((r) => r.meaning === "").map((r) => r.key);
}

/** Notes that no longer match any setting. */
export function staleNotes(
  rows: readonly ConfigRow[],
  notes: Readonly<Record<string, string>>,
): string[] {
  const keys = new Set(rows.map((r) => r.key));
  return Object.keys(notes).filter((k) => !keys.has(k));
}

export { configAnchor };

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Heading of the global stack's part; its anchor is `GLOBAL_CONFIG_DOC`'s. */
export const GLOBAL_HEADING = "Global stack (securecart-global)";

/** The summary table of the top-level keys of `rows`, then one section per key. */
function keySections(rows: readonly ConfigRow[]): string[] {
  const out: string[] = [];
  const top = rows.filter((r) => !/[.[]/.test(r.key.slice(r.key.indexOf(":") + 1)));
  out.push("| Key | Type | Default | Meaning |", "| --- | --- | --- | --- |");
  for (const r of top) {
    out.push(
      `| [\`${r.key}\`](#${configAnchor(r.key)}) | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.meaning)} |`,
    );
  }
  for (const t of top) {
    out.push("", `## ${t.key}`, "");
    if (t.meaning) out.push(t.meaning, "");
    out.push(
      `Type: ${t.type}. Default: ${t.default}.${t.allowed ? ` Allowed: ${t.allowed}.` : ""}`,
    );
    const fields = rows.filter(
      (r) => r.key.startsWith(t.key + ".") || r.key.startsWith(t.key + "["),
    );
    if (fields.length === 0) continue;
    out.push(
      "",
      "| Field | Type | Default | Allowed | Meaning |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const f of fields) {
      out.push(
        `| \`${cell(f.key.slice(t.key.length + 1))}\` | ${cell(f.type)} | ${cell(f.default)} | ${cell(f.allowed)} | ${cell(f.meaning)} |`,
      );
    }
  }
  return out;
}

/**
 * The whole of docs/configuration.md: the regional stacks' keys, then (when given) the global
 * stack's `securecart-global:` keys.
 */
export function renderConfigDoc(
  rows: readonly ConfigRow[],
  globalRows: readonly ConfigRow[] = [],
): string {
  const out: string[] = [
    "# Configuration reference",
    "",
    "<!-- Generated by `npm run docs` from stacks/config.ts, Pulumi.yaml and docs/config-notes.yaml. Do not edit: change those and re-run it. -->",
    "",
    "Every key a stack reads, with its type, default and allowed values as `stacks/config.ts`",
    "validates them before any resource is declared. Defaults come from the schema or from",
    "`Pulumi.yaml`; a stack file (`Pulumi.<stack>.yaml`) overrides them. Keys marked required",
    "must be in every stack file. Set a nested field with",
    "`pulumi config set --path 'securecart:services.cart.maxSize' 16`.",
    "",
    "A mistake stops the program with one message per problem naming the full key, the value",
    "found and what is allowed, and pointing to the key's section here.",
    "",
  ];
  out.push(...keySections(rows));
  if (globalRows.length > 0) {
    out.push(
      "",
      `## ${GLOBAL_HEADING}`,
      "",
      "The account-global stack `prod-global` (project `securecart-global`, `global/Pulumi.yaml`)",
      "reads only these keys and `aws:region`, from `global/Pulumi.<stack>.yaml`;",
      "`stacks/globalConfig.ts` validates them. A `securecart:` key there is an error: it belongs",
      "in the regional stack files. Set a field with",
      "`pulumi config set --path 'securecart-global:regionSwitch.approvalTimeoutMinutes' 20`",
      "(run in `global/`).",
      "",
      ...keySections(globalRows),
    );
  }
  out.push(
    "",
    "## Unknown keys",
    "",
    "A key this program does not read is an error, not a silent no-op:",
    "",
    "- an unknown `securecart:` key, or an unknown field inside one of the objects above, with the",
    "  closest known name (`did you mean securecart:tlsPolicy?`);",
    "- a key whose namespace is one or two letters away from `securecart` (`securcart:tlsPolicy`),",
    "  which nothing would read;",
    "- an `aws:` key that the AWS provider does not have, which the provider itself would refuse",
    '  at `pulumi up` ("is not a valid configuration key for the aws provider"). Its keys, read from the installed',
    `  \`@pulumi/aws\`: ${AWS_PROVIDER_KEYS.map((k) => `\`${k}\``).join(", ")}.`,
    "",
    "Keys of other namespaces (other providers, `pulumi:`) are left to their owners.",
  );
  return out.join("\n") + "\n";
}
