import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  anchorsOf,
  brokenLinks,
  commandsWithoutPolicyPack,
  documentationFiles,
  headingSlug,
  linksOf,
  unreachableDocs,
} from "../tools/docLinks";
import { PROJECT_ROOT } from "../testing/harness";

describe("documentation", () => {
  const files = documentationFiles(PROJECT_ROOT);
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

  it("keeps the README a front door of at most 250 lines", () => {
    assert.ok(readme.split("\n").length <= 250, `README.md has ${readme.split("\n").length} lines`);
  });

  it("gives the three commands", () => {
    for (const command of ["npm ci", "npm start", "npm test"]) assert.ok(readme.includes(command));
  });

  it("reaches every document under docs/ from the README, directly or through linked docs", () => {
    const unreachable = unreachableDocs(path.join(PROJECT_ROOT, "README.md"), files);
    assert.deepEqual(
      unreachable.map((f) => path.relative(PROJECT_ROOT, f)),
      [],
    );
  });

  it("has no relative link to a missing file or heading", () => {
    assert.deepEqual(
      files.flatMap((f) => brokenLinks(f).map((p) => path.relative(PROJECT_ROOT, p))),
      [],
    );
  });

  it("runs the policy pack in every pulumi preview and pulumi up it tells operators to run", () => {
    const offending = files.flatMap((f) =>
      commandsWithoutPolicyPack(fs.readFileSync(f, "utf8")).map(
        (c) => `${path.relative(PROJECT_ROOT, f)}: ${c}`,
      ),
    );
    assert.deepEqual(offending, []);
  });
});

describe("documentation helpers", () => {
  it("finds documents no chain of links from the start reaches", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-"));
    const write = (name: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    };
    write("README.md", "See [a](docs/a.md#top) and [site](https://example.com/b.md).\n");
    write("docs/a.md", "# Top\nNext: [b](runbooks/b.md). `[c](c.md)` is code.\n");
    write("docs/runbooks/b.md", "Back to [a](../a.md).\n");
    write("docs/c.md", "Links [a](a.md) but nothing links here.\n");
    const all = ["docs/a.md", "docs/runbooks/b.md", "docs/c.md"].map((f) => path.join(dir, f));
    assert.deepEqual(unreachableDocs(path.join(dir, "README.md"), all), [
      path.join(dir, "docs/c.md"),
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it("slugs headings the way GitHub does", () => {
    assert.equal(
      headingSlug("Database: unplanned failover (`--allow-data-loss`)"),
      "database-unplanned-failover---allow-data-loss",
    );
    assert.equal(
      headingSlug("Config reference: `securecart:dns`"),
      "config-reference-securecartdns",
    );
  });

  it("numbers repeated headings and ignores headings in code blocks", () => {
    const anchors = anchorsOf("# Runbook\n\n## Config\n\n```sh\n# not a heading\n```\n## Config\n");
    assert.deepEqual([...anchors], ["runbook", "config", "config-1"]);
  });

  it("finds links outside code only", () => {
    const links = linksOf("see [a](a.md#x) and `[b](b.md)`\n```\n[c](c.md)\n```\n");
    assert.deepEqual(links, [{ line: 1, target: "a.md#x" }]);
  });

  it("flags pulumi commands with arguments but without the policy pack", () => {
    const md = [
      "Run `pulumi up` after review, or `pulumi up -s prod-east`.",
      "```sh",
      "pulumi preview --policy-pack policies   # fine",
      "pulumi up --yes                         # not fine",
      "pulumi up                               # nor this",
      "```",
    ].join("\n");
    assert.deepEqual(commandsWithoutPolicyPack(md), [
      "pulumi up -s prod-east",
      "pulumi up --yes",
      "pulumi up",
    ]);
  });

  it("wants ../policies for a global stack (run from global/) and policies for the others", () => {
    const isGlobal = (s: string) => s === "prod-global";
    const md = [
      "`pulumi up -s prod-global --policy-pack ../policies` and `pulumi up -s prod-east --policy-pack policies`",
      "`pulumi up -s prod-global --policy-pack policies` and `pulumi up -s prod-east --policy-pack ../policies`",
      "`pulumi up -s acme/prod-global --policy-pack ../policies` and `pulumi up -s organization/securecart/prod-global --policy-pack policies`",
    ].join("\n");
    assert.deepEqual(commandsWithoutPolicyPack(md, isGlobal), [
      "pulumi up -s prod-global --policy-pack policies",
      "pulumi up -s prod-east --policy-pack ../policies",
      "pulumi up -s organization/securecart/prod-global --policy-pack policies",
    ]);
  });
});
