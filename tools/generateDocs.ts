/**
 * `npm run docs`: regenerates docs/configuration.md, docs/policies.md and docs/architecture.svg
 * (the picture of every stack's plan). With `--check` it
 * writes nothing and exits 1 when a committed file differs from what it would write.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { parse } from "yaml";
import { z } from "zod";
import { CONFIG_SCHEMA } from "../stacks/config";
import { GLOBAL_CONFIG_SCHEMA } from "../stacks/globalConfig";
import { PACK_NAME, policies } from "../policies/rules";
import {
  ConfigRow,
  JsonSchema,
  ProjectKey,
  configRows,
  renderConfigDoc,
  staleNotes,
} from "./configDoc";
import { PROJECT_ROOT, listStacks, runStack } from "../testing/harness";
import { architectureDot, renderSvg } from "./diagram";
import { renderPolicyDoc } from "./policyDoc";

/** The config notes, keyed by full setting path. */
export function readConfigNotes(root: string = PROJECT_ROOT): Record<string, string> {
  return (parse(fs.readFileSync(path.join(root, "docs", "config-notes.yaml"), "utf8")) ??
    {}) as Record<string, string>;
}

/** The config schema as JSON Schema (what a stack file may hold, before defaults apply). */
export function configJsonSchema(): JsonSchema {
  return z.toJSONSchema(CONFIG_SCHEMA, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/**
 * The global stack's `securecart-global:` settings as JSON Schema; its `aws:region` is the
 * regional stacks' key, documented once with them.
 */
export function globalConfigJsonSchema(): JsonSchema {
  const full = z.toJSONSchema(GLOBAL_CONFIG_SCHEMA, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  const properties = Object.fromEntries(
    Object.entries(full.properties ?? {}).filter(([k]) => k.startsWith("securecart-global:")),
  );
  return { ...full, properties, required: full.required?.filter((k) => k in properties) };
}

/** Every documented setting of the global stack (global/Pulumi.yaml and the notes). */
export function globalConfigRows(
  notes: Readonly<Record<string, string>>,
  root: string = PROJECT_ROOT,
): ConfigRow[] {
  const project = (parse(fs.readFileSync(path.join(root, "global", "Pulumi.yaml"), "utf8")) ??
    {}) as { config?: Record<string, ProjectKey> };
  return configRows(globalConfigJsonSchema(), project.config ?? {}, notes);
}

async function format(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** Every generated document: path relative to the root, and its formatted content. */
export async function generatedDocs(root: string = PROJECT_ROOT): Promise<Record<string, string>> {
  const project = (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) ?? {}) as {
    config?: Record<string, ProjectKey>;
  };
  const notes = readConfigNotes(root);
  const rows = configRows(configJsonSchema(), project.config ?? {}, notes);
  const globalRows = globalConfigRows(notes, root);
  const stale = staleNotes([...rows, ...globalRows], notes);
  if (stale.length > 0) {
    throw new Error(
      `docs/config-notes.yaml has notes for settings that don't exist: ${stale.join(", ")}. Remove or rename them.`,
    );
  }
  const docs: Record<string, string> = {
    "docs/configuration.md": renderConfigDoc(rows, globalRows),
    "docs/policies.md": renderPolicyDoc(PACK_NAME, policies),
  };
  for (const [file, text] of Object.entries(docs)) {
    docs[file] = await format(path.join(root, file), text);
  }
  // The whole deployment as every stack file declares it (the same picture `npm start` draws).
  const runs = [];
  for (const stack of listStacks(root)) runs.push(await runStack(stack));
  docs["docs/architecture.svg"] = await renderSvg(architectureDot(runs));
  return docs;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const [file, text] of Object.entries(await generatedDocs())) {
    const full = path.join(PROJECT_ROOT, file);
    const current = fs.existsSync(full) ? fs.readFileSync(full, "utf8") : "";
    if (current === text) continue;
    stale.push(file);
    if (!check) fs.writeFileSync(full, text);
  }
  if (check && stale.length > 0) {
    console.error(`stale: ${stale.join(", ")}. Run \`npm run docs\` and commit the result.`);
    process.exitCode = 1;
  } else {
    console.log(stale.length > 0 ? `wrote ${stale.join(", ")}` : "docs are up to date");
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
