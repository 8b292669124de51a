import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../testing/harness";

/**
 * The Pulumi nodejs language host runs index.ts through the project's own `typescript` and
 * `ts-node` (@pulumi/pulumi tsutils.typeScriptRequireStrings), falling back to a vendored
 * TypeScript 3.8 when they are missing, which fails on this code. By default it type-checks with
 * tsconfig.json, whose `types` must then resolve too. An install with `--omit=dev` (common in
 * deploy images) drops devDependencies, so all of these are regular dependencies.
 */
describe("what the Pulumi language host needs at run time", () => {
  it("is in dependencies: typescript, ts-node and every @types package tsconfig.json names", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), "utf8"));
    const types: string[] = tsconfig.compilerOptions.types ?? [];
    const needed = ["typescript", "ts-node", ...types.map((t) => `@types/${t}`)];
    assert.deepEqual(
      needed.filter((n) => !(n in (pkg.dependencies ?? {}))),
      [],
    );
  });
});
