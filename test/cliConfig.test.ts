import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import {
  PROJECT_ROOT,
  fitsConfigType,
  listStacks,
  mergeProjectConfig,
  readStackConfig,
} from "../testing/harness";

/**
 * The Pulumi CLI merges `Pulumi.yaml`'s `config:` into the stack's config before it starts the
 * program (pulumi/pulumi pkg/workspace/config.go `mergeConfig`), and stops preview, up, refresh
 * and destroy alike on a missing or mistyped key. The offline harness applies the same rules with
 * the same wording, so a stack the CLI would refuse fails here first.
 */
const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));
const stackValues = (stack: string): Record<string, unknown> =>
  parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")).config ?? {};

/** A temporary project folder with this project's Pulumi.yaml and one edited stack file. */
function projectWith(stack: string, edit: (config: Record<string, unknown>) => void): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "securecart-cli-"));
  fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
  const config = stackValues(stack);
  edit(config);
  fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), stringify({ config }));
  return root;
}

describe("Pulumi CLI config rules", () => {
  for (const stack of listStacks()) {
    it(`starts ${stack}: every declared key without a default is set, and every typed value fits`, () => {
      assert.doesNotThrow(() => readStackConfig(stack));
    });
  }

  it("stops a stack that lacks a required key, with the CLI's wording", () => {
    const [stack] = listStacks();
    const root = projectWith(stack, (c) => delete c["securecart:domain"]);
    assert.throws(() => readStackConfig(stack, {}, root), {
      message: `Stack '${stack}' is missing configuration value 'securecart:domain'`,
    });
  });

  const decl = { "app:a": { type: "string" }, "app:c": {}, "app:b": { description: "x" } };
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string][] = [
    [
      "one key",
      decl,
      { "app:a": "x", "app:b": "y" },
      "Stack 's' is missing configuration value 'app:c'",
    ],
    [
      "two keys, sorted",
      decl,
      { "app:a": "x" },
      "Stack 's' is missing configuration values 'app:b' and 'app:c'",
    ],
    [
      "three keys",
      decl,
      {},
      "Stack 's' is missing configuration values 'app:a', 'app:b' and 'app:c'",
    ],
    [
      "an object where a string is declared",
      { "app:a": { type: "string" } },
      { "app:a": { x: 1 } },
      "Stack 's' with configuration key 'app:a' must be of type 'string'",
    ],
    [
      "a list where an object is declared",
      { "app:o": { type: "object" } },
      { "app:o": [1] },
      "Stack 's' with configuration key 'app:o' must be of type 'object'",
    ],
    [
      "a number in a list of strings",
      { "app:l": { type: "array", items: { type: "string" } } },
      { "app:l": ["a", 2] },
      "Stack 's' with configuration key 'app:l' must be of type 'array<string>'",
    ],
    [
      "a default of the wrong type",
      { "app:n": { type: "integer", default: "many" } },
      {},
      "The default value specified for configuration key 'app:n' is not of the expected type 'integer'",
    ],
    [
      "an array without items",
      { "app:l": { type: "array" } },
      {},
      "The configuration key 'app:l' declares an array but does not specify the underlying type via the 'items' attribute",
    ],
  ];
  for (const [title, declared, values, message] of cases) {
    it(`rejects ${title}`, () => {
      assert.throws(() => mergeProjectConfig("s", "app", declared, values), { message });
    });
  }

  it("fills defaults and shorthand values, and requires nothing outside the project's namespace", () => {
    const merged = mergeProjectConfig(
      "s",
      "app",
      {
        "app:n": { type: "integer", default: 3 },
        "app:m": 7,
        "aws:region": "us-east-1",
        "app:o": { type: "object", default: {} },
      },
      { "app:n": "5", "other:k": "v" },
    );
    assert.deepEqual(merged, {
      "app:n": "5",
      "other:k": "v",
      "app:m": 7,
      "aws:region": "us-east-1",
      "app:o": {},
    });
  });

  it("accepts plain stack values in their string form, as the CLI sees them", () => {
    assert.ok(fitsConfigType("integer", undefined, "90"));
    assert.ok(fitsConfigType("boolean", undefined, "false"));
    assert.ok(!fitsConfigType("integer", undefined, "1.5"));
    assert.ok(!fitsConfigType("boolean", undefined, "yes"));
  });

  it("types every structured key as an object, so the CLI checks it is a map", () => {
    const structured = new Set<string>();
    for (const stack of listStacks()) {
      for (const [key, value] of Object.entries(stackValues(stack))) {
        const isMap = value !== null && typeof value === "object" && !Array.isArray(value);
        if (isMap && !("secure" in value) && key in project.config) structured.add(key);
      }
    }
    assert.ok(structured.size > 0);
    const untyped = [...structured].filter((k) => project.config[k].type !== "object");
    assert.deepEqual(untyped, []);
    assert.throws(
      () =>
        mergeProjectConfig("prod-east", project.name, project.config, {
          ...stackValues("prod-east"),
          "securecart:services": "storefront",
        }),
      {
        message:
          "Stack 'prod-east' with configuration key 'securecart:services' must be of type 'object'",
      },
    );
  });
});
