import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../testing/harness";

/**
 * `pulumi policy publish` packs policies/ with `npm pack`, and `run-policy-pack` type-checks the
 * unpacked folder, where nothing outside it exists. A tsconfig that extends ../tsconfig.json
 * fails there with TS5083. This packs the folder into a temporary one and type-checks it there,
 * offline: the pack's dependencies come from this project's installed node_modules (a symlink),
 * nothing is downloaded.
 */
describe("the policy pack as published", () => {
  it("packs into a folder of its own that type-checks there", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "securecart-pack-"));
    try {
      const tarball = execFileSync(
        "npm",
        ["pack", "--pack-destination", work, "--silent", "--ignore-scripts"],
        {
          cwd: path.join(PROJECT_ROOT, "policies"),
          encoding: "utf8",
          env: { ...process.env, npm_config_offline: "true" },
        },
      )
        .trim()
        .split("\n")
        .pop() as string;
      execFileSync("tar", ["-xzf", path.join(work, tarball), "-C", work]);
      const pack = path.join(work, "package");
      const deps = Object.keys(
        JSON.parse(fs.readFileSync(path.join(pack, "package.json"), "utf8")).dependencies,
      );
      for (const dep of ["@pulumi/policy", "typescript", "ts-node", "@types/node"]) {
        assert.ok(deps.includes(dep), `policies/package.json declares ${dep}`);
      }
      fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(pack, "node_modules"));
      const tsc = path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc");
      try {
        execFileSync(process.execPath, [tsc, "--noEmit", "-p", pack], { encoding: "utf8" });
      } catch (err) {
        assert.fail(
          `tsc in the packed pack failed:\n${(err as { stdout?: string }).stdout ?? String(err)}`,
        );
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
