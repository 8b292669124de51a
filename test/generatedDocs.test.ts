import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { configRows, renderConfigDoc, staleNotes, undocumented } from "../tools/configDoc";
import {
  configJsonSchema,
  generatedDocs,
  globalConfigRows,
  readConfigNotes,
} from "../tools/generateDocs";
import { PROJECT_ROOT } from "../testing/harness";
import { renderPolicyDoc } from "../tools/policyDoc";
import { policies } from "../policies/rules";

describe("generated docs", () => {
  it("docs/configuration.md and docs/policies.md are what `npm run docs` writes", async () => {
    for (const [file, text] of Object.entries(await generatedDocs())) {
      const committed = fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
      assert.ok(committed === text, `${file} is stale: run \`npm run docs\` and commit the result`);
    }
  });

  it("documents every setting of the schema, each with a meaning", () => {
    const rows = [
      ...configRows(configJsonSchema(), {}, readConfigNotes()),
      ...globalConfigRows(readConfigNotes()),
    ];
    assert.ok(rows.some((r) => r.key === "securecart-global:regionSwitch.automaticFailover"));
    const fix = "add a note per setting to docs/config-notes.yaml, then run `npm run docs`";
    assert.deepEqual(undocumented(rows), [], `settings without a meaning: ${fix}`);
    assert.deepEqual(
      staleNotes(rows, readConfigNotes()),
      [],
      "notes for settings that don't exist",
    );
  });

  it("lists every policy of the pack with its level", () => {
    const doc = renderPolicyDoc("pack", policies);
    for (const p of policies) assert.ok(doc.includes(`| \`${p.name}\` |`), p.name);
  });
});

describe("config doc rendering", () => {
  const schema = {
    type: "object",
    required: ["a:size"],
    properties: {
      "a:size": { type: "integer", minimum: 1, maximum: 9 },
      "a:mode": { type: "string", enum: ["x", "y"] },
      "a:fleets": {
        type: "object",
        additionalProperties: {
          type: "object",
          properties: { port: { type: "integer", default: 80, exclusiveMinimum: 0 } },
        },
      },
    },
  };

  it("walks maps and objects, with defaults from the schema or Pulumi.yaml", () => {
    const rows = configRows(
      schema,
      { "a:mode": { default: "x", description: "Mode." } },
      {
        "a:fleets.<key>.port": "Port.",
      },
    );
    assert.deepEqual(
      rows.map((r) => [r.key, r.type, r.default, r.allowed, r.meaning]),
      [
        ["a:size", "integer", "required", "1–9", ""],
        ["a:mode", "string", '`"x"`', "`x`, `y`", "Mode."],
        ["a:fleets", "map of object", "optional", "", ""],
        ["a:fleets.<key>", "object", "required", "", ""],
        ["a:fleets.<key>.port", "integer", "`80`", "> 0", "Port."],
      ],
    );
    assert.deepEqual(undocumented(rows), ["a:size", "a:fleets", "a:fleets.<key>"]);
    assert.deepEqual(staleNotes(rows, { "a:gone": "x" }), ["a:gone"]);
  });

  it("gives each top-level key a section that the summary links to", () => {
    const doc = renderConfigDoc(configRows(schema, {}, {}));
    assert.match(doc, /\| \[`a:size`\]\(#asize\) \|/);
    assert.match(doc, /\n## a:size\n/);
  });
});
