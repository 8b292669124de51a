/**
 * Config messages (issue 15, section 4): unknown keys and near-miss namespaces are errors with a
 * "did you mean", every message names the key, the value and what is allowed and points to an
 * existing section of docs/configuration.md, no validation-library text reaches an operator, and
 * a YAML syntax error names the file and the line. Pure: no stack runs.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_KEYS, CONFIG_SCHEMA, ConfigError, parseStackConfig } from "../stacks/config";
import {
  AWS_PROVIDER_KEYS,
  CONFIG_DOC,
  LIBRARY_PHRASES,
  UNKNOWN_KEYS_ANCHOR,
  closest,
  configAnchor,
  editDistance,
  foreignKeyProblems,
  issueMessage,
  knownKeysAt,
} from "../stacks/configMessages";
import { GLOBAL_CONFIG_DOC, REGIONAL_PROJECT, parseGlobalConfig } from "../stacks/globalConfig";
import { anchorsOf } from "../tools/docLinks";
import { GLOBAL_ROOT, PROJECT_ROOT, readStackConfig, readYaml } from "../testing/harness";

const base = readStackConfig("prod-east");
const globalBase = readStackConfig("prod-global", {}, GLOBAL_ROOT);

/** The problems for prod-east's config with `changes` applied (raw values; undefined removes). */
function problems(changes: Record<string, unknown>): string[] {
  const raw: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete raw[key];
    else raw[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  try {
    parseStackConfig("prod-east", raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return [...err.lines];
  }
  return [];
}

/** prod-east's value of an object key, with `patch` merged in. */
function withField(key: string, patch: Record<string, unknown>): Record<string, unknown> {
  return { [key]: { ...JSON.parse(base[key] ?? "{}"), ...patch } };
}

const doc = (anchor: string) => `(${CONFIG_DOC}#${anchor})`;
const HIDDEN = "got a value (hidden, as keys outside securecart: may hold secrets)";

describe("config messages", () => {
  describe("helpers (pure)", () => {
    const distances: [string, string, number][] = [
      ["securcart", "securecart", 1],
      ["secruecart", "securecart", 1],
      ["securecart", "securecart", 0],
      ["aws", "securecart", 9],
      ["rateLimt", "rateLimit", 1],
    ];
    for (const [a, b, d] of distances) {
      it(`measures ${a} -> ${b} as ${d} edits`, () => assert.equal(editDistance(a, b), d));
    }

    it("suggests the closest candidate only when it is a likely slip", () => {
      assert.equal(closest("minsize", ["minSize", "maxSize"]), "minSize");
      assert.equal(closest("regoin", AWS_PROVIDER_KEYS), "region");
      assert.equal(closest("rateLimt", ["rateLimit", "rateWindowSeconds"]), "rateLimit");
      assert.equal(closest("colour", ["minSize", "maxSize"]), undefined);
    });

    it("reads the AWS provider's config keys from the installed package", () => {
      const dts = fs.readFileSync(
        require.resolve("@pulumi/aws/config/vars.d.ts", { paths: [PROJECT_ROOT] }),
        "utf8",
      );
      const declared = [...dts.matchAll(/^export declare const (\w+):/gm)].map((m) => m[1]);
      assert.ok(declared.includes("region") && declared.includes("assumeRoles"));
      assert.deepEqual(AWS_PROVIDER_KEYS, [...declared].sort());
    });

    it("leaves other providers' and Pulumi's own namespaces alone", () => {
      assert.deepEqual(
        foreignKeyProblems(
          ["pulumi:tags", "gcp:project", "awsx:foo", "aws:region", "aws:profile", "securecart:x"],
          "securecart",
          CONFIG_KEYS,
        ),
        [],
      );
    });

    it("finds the fields a schema allows below a key, through defaults, records and unions", () => {
      assert.deepEqual(knownKeysAt(CONFIG_SCHEMA, ["securecart:waf"], {}), [
        "rateLimit",
        "rateWindowSeconds",
        "logRetentionDays",
      ]);
      const values = { "securecart:admin": { mode: "source-ip" } };
      assert.deepEqual(knownKeysAt(CONFIG_SCHEMA, ["securecart:admin"], values), [
        "mode",
        "allowedCidrs",
      ]);
      assert.ok(
        knownKeysAt(CONFIG_SCHEMA, ["securecart:services", "cart", "scaling"], {}).includes(
          "requestsPerTarget",
        ),
      );
    });

    const issues: [string, Parameters<typeof issueMessage>[0], string][] = [
      [
        "a wrong type",
        { code: "invalid_type", expected: "boolean", input: 1, path: [] },
        "must be true or false",
      ],
      [
        "a short list",
        { code: "too_small", origin: "array", minimum: 2, inclusive: true, input: [], path: [] },
        "must list at least 2 items",
      ],
      [
        "a long string",
        { code: "too_big", origin: "string", maximum: 3, inclusive: true, input: "abcd", path: [] },
        "must have at most 3 characters",
      ],
      [
        "a small number",
        { code: "too_small", origin: "number", minimum: 1, inclusive: true, input: 0, path: [] },
        "must be >= 1",
      ],
      [
        "a value outside an enum",
        { code: "invalid_value", values: ["a", "b"], input: "c", path: [] },
        'must be one of "a", "b"',
      ],
      [
        "an email",
        { code: "invalid_format", format: "email", input: "x", path: [] },
        "must be an email address",
      ],
    ];
    for (const [label, issue, expected] of issues) {
      it(`words ${label} in our own terms`, () => assert.equal(issueMessage(issue), expected));
    }
  });

  describe("every message (table)", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "a namespace one letter off",
        { "securcart:tlsPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        `\`securcart:tlsPolicy\` is in namespace "securcart", which nothing reads, so the setting would be ignored; ${HIDDEN}; did you mean securecart:tlsPolicy? ${doc(UNKNOWN_KEYS_ANCHOR)}`,
      ],
      [
        "a transposed namespace with an unknown key",
        { "secruecart:colour": "blue" },
        `\`secruecart:colour\` is in namespace "secruecart", which nothing reads, so the setting would be ignored; ${HIDDEN}; use the securecart: namespace ${doc(UNKNOWN_KEYS_ANCHOR)}`,
      ],
      [
        "an AWS provider key misspelt",
        { "aws:regoin": "us-east-1" },
        `\`aws:regoin\` is not a setting of the AWS provider, which would reject it; ${HIDDEN}; did you mean aws:region? ${doc(UNKNOWN_KEYS_ANCHOR)}`,
      ],
      [
        "an AWS key the provider does not have",
        { "aws:skipCredentialValidation": "true" },
        `\`aws:skipCredentialValidation\` is not a setting of the AWS provider, which would reject it; ${HIDDEN}; did you mean aws:skipCredentialsValidation? ${doc(UNKNOWN_KEYS_ANCHOR)}`,
      ],
      [
        "an unknown securecart key",
        { "securecart:tlsPolicyy": "x" },
        `\`securecart:tlsPolicyy\` is not a known setting; got "x"; did you mean securecart:tlsPolicy? ${doc(UNKNOWN_KEYS_ANCHOR)}`,
      ],
      [
        "an unknown nested key",
        withField("securecart:waf", { rateLimt: 100 }),
        `\`securecart:waf.rateLimt\` is not a known setting; got 100; did you mean securecart:waf.rateLimit? ${doc("securecartwaf")}`,
      ],
      [
        "a nested key in the wrong case, deep inside a record",
        {
          "securecart:services": {
            ...JSON.parse(base["securecart:services"]),
            cart: { ...JSON.parse(base["securecart:services"]).cart, minsize: 2 },
          },
        },
        `\`securecart:services.cart.minsize\` is not a known setting; got 2; did you mean securecart:services.cart.minSize? ${doc("securecartservices")}`,
      ],
      [
        "an unknown key of the admin mode in use",
        { "securecart:admin": { mode: "source-ip", allowedCidrs: ["198.51.100.0/24"], cidr: 1 } },
        `\`securecart:admin.cidr\` is not a known setting; got 1; known: securecart:admin.mode, securecart:admin.allowedCidrs ${doc("securecartadmin")}`,
      ],
      [
        "a required nested field left out",
        withField("securecart:sessions", { writeCapacity: undefined }),
        `\`securecart:sessions.writeCapacity\` is missing; it must be an integer from 1 to 40000 ${doc("securecartsessions")}`,
      ],
      [
        "a list given as text",
        withField("securecart:deployment", { secondaries: "us-west-2" }),
        `\`securecart:deployment.secondaries\` must be a list; got "us-west-2" ${doc("securecartdeployment")}`,
      ],
      [
        "a value outside an enum",
        { "securecart:flowLogs": { trafficType: "SOME" } },
        `\`securecart:flowLogs.trafficType\` must be REJECT or ALL; got "SOME" ${doc("securecartflowlogs")}`,
      ],
      [
        "an unknown admin mode",
        { "securecart:admin": { mode: "open" } },
        `\`securecart:admin.mode\` must be closed, source-ip or cognito; got "open" ${doc("securecartadmin")}`,
      ],
      [
        "a cross-key rule",
        { "securecart:albRuleQuota": 6 },
        `\`securecart:services\` need 6 listener rules plus 1 for Route 53 health checks; the ALB quota allows 6. Merge services or raise the quota with AWS and then securecart:albRuleQuota ${doc("securecartservices")}`,
      ],
    ];
    for (const [label, changes, expected] of cases) {
      it(`reports ${label}`, () => {
        const found = problems(changes);
        assert.ok(
          found.includes(expected),
          `expected:\n  ${expected}\ngot:\n  ${found.join("\n  ")}`,
        );
      });
    }

    it("lists each problem with its doc section in the error, and names the file to fix", () => {
      try {
        parseStackConfig("prod-east", { ...base, "securecart:routing": "weighted" });
        assert.fail("expected a ConfigError");
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.equal(
          err.message,
          `Invalid configuration for stack prod-east:\n  - \`securecart:routing\` must be failover or latency; got "weighted" ${doc("securecartrouting")}\nFix it in Pulumi.prod-east.yaml (docs/configuration.md).`,
        );
      }
    });
  });

  describe("every message (sweep of wrong values over the whole schema)", () => {
    const anchors = anchorsOf(fs.readFileSync(path.join(PROJECT_ROOT, CONFIG_DOC), "utf8"));
    // Every JSON kind once at the top level; for fields, the three that reach every zod issue
    // kind here (wrong type, out of range, wrong shape) while keeping the sweep under a second.
    const wrong: unknown[] = ["text", -1, 1.5, true, [], {}, [{}], null];
    const wrongField: unknown[] = ["text", -1, {}];
    const collected: string[] = [];
    before(() => {
      for (const key of CONFIG_KEYS) {
        for (const value of wrong) collected.push(...problems({ [key]: value }));
        collected.push(...problems({ [key]: undefined }));
        let parsed: unknown;
        try {
          parsed = JSON.parse(base[key] ?? "null");
        } catch {
          continue; // A plain string value: no fields.
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
        for (const field of knownKeysAt(CONFIG_SCHEMA, [key], { [key]: parsed })) {
          for (const value of wrongField) {
            collected.push(...problems({ [key]: { ...parsed, [field]: value } }));
          }
        }
        collected.push(...problems({ [key]: { ...parsed, unknownField: 1 } }));
      }
    });

    it("produces many distinct problems", () => {
      assert.ok(new Set(collected).size > 150, `${new Set(collected).size} distinct problems`);
    });

    it("never shows the validation library's wording", () => {
      const raw = collected.filter((p) => LIBRARY_PHRASES.some((phrase) => phrase.test(p)));
      assert.deepEqual([...new Set(raw)], []);
    });

    it("names the key in backticks, says what it got or that it is missing, and links its section", () => {
      const bad = collected.filter((p) => {
        const m = /^`([^`]+)` (.*) \(docs\/configuration\.md#([a-z0-9-]+)\)$/.exec(p);
        return m === null || !anchors.has(m[3]) || !/(; got |is missing; it |; known: )/.test(p);
      });
      assert.deepEqual([...new Set(bad)], []);
    });

    it("points every top-level key and the unknown-key rules at a heading that exists", () => {
      for (const key of CONFIG_KEYS) assert.ok(anchors.has(configAnchor(key)), key);
      assert.ok(anchors.has(UNKNOWN_KEYS_ANCHOR));
    });
  });

  describe("the global stack", () => {
    const globalProblems = (changes: Record<string, unknown>): string => {
      const raw: Record<string, string> = { ...globalBase };
      for (const [k, v] of Object.entries(changes)) {
        raw[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      try {
        parseGlobalConfig("prod-global", raw);
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    };
    const switchOf = () => JSON.parse(globalBase["securecart-global:regionSwitch"]);

    it("words its problems the same way and points each at its key's section", () => {
      const message = globalProblems({
        "securecart-global:regionSwitch": { ...switchOf(), scalingTargetPercent: 0, planNme: "x" },
        "securecart-globl:regionalStacks": "[]",
      });
      const lines = message.split("\n").slice(1, -1);
      const section = "docs/configuration.md#securecart-globalregionswitch";
      assert.deepEqual(lines, [
        `  - \`securecart-globl:regionalStacks\` is in namespace "securecart-globl", which nothing reads, so the setting would be ignored; got a value (hidden, as keys outside securecart-global: may hold secrets); did you mean securecart-global:regionalStacks? (docs/configuration.md#${UNKNOWN_KEYS_ANCHOR})`,
        `  - \`securecart-global:regionSwitch.scalingTargetPercent\` must be >= 1; got 0 (${section})`,
        `  - \`securecart-global:regionSwitch.planNme\` is not a known setting; got "x"; did you mean securecart-global:regionSwitch.planName? (${section})`,
      ]);
      assert.match(
        message,
        /\nFix them in global\/Pulumi\.prod-global\.yaml \(docs\/configuration\.md#global-stack-securecart-global\)\.$/,
      );
      const doc = anchorsOf(
        fs.readFileSync(path.join(PROJECT_ROOT, "docs/configuration.md"), "utf8"),
      );
      assert.ok(
        doc.has("securecart-globalregionswitch") && doc.has("securecart-globalregionalstacks"),
      );
      assert.ok(!LIBRARY_PHRASES.some((p) => p.test(message)), message);
      const [file, anchor] = GLOBAL_CONFIG_DOC.split("#");
      assert.ok(anchorsOf(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8")).has(anchor));
    });
  });

  describe("the global stack's stack references and keys", () => {
    const problemsOf = (changes: Record<string, unknown>): string[] => {
      const raw: Record<string, string> = { ...globalBase };
      for (const [k, v] of Object.entries(changes)) {
        raw[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
      try {
        parseGlobalConfig("prod-global", raw);
      } catch (err) {
        return (err as Error).message.split("\n").slice(1, -1);
      }
      return [];
    };
    const refs = JSON.parse(globalBase["securecart-global:regionalStacks"]) as string[];
    const stackOf = (ref: string) => ref.split("/")[2];

    it("names the regional project the root Pulumi.yaml declares", () => {
      assert.equal(readYaml(path.join(PROJECT_ROOT, "Pulumi.yaml")).name, REGIONAL_PROJECT);
    });

    it("says what a stack reference looks like, on a DIY backend and on Pulumi Cloud", () => {
      const lines = problemsOf({
        "securecart-global:regionalStacks": [stackOf(refs[0]), ...refs.slice(1)],
      });
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0], /<org>\/<project>\/<stack>/);
      assert.match(lines[0], /literally `organization`/);
      assert.match(lines[0], /\(docs\/configuration\.md#securecart-globalregionalstacks\)$/);
    });

    it("refuses another project's stacks and stacks of two orgs", () => {
      const otherProject = refs.map((r) => r.replace(/\/[^/]+\//, "/securecart-global/"));
      assert.match(
        problemsOf({ "securecart-global:regionalStacks": otherProject }).join("\n"),
        new RegExp(`must name a stack of project ${REGIONAL_PROJECT}`),
      );
      const twoOrgs = refs.map((r, i) => (i === 0 ? r.replace(/^[^/]+/, "organization") : r));
      const orgs = new Set(twoOrgs.map((r) => r.split("/")[0]));
      if (orgs.size > 1) {
        assert.match(
          problemsOf({ "securecart-global:regionalStacks": twoOrgs }).join("\n"),
          /must name stacks of one org/,
        );
      }
      assert.deepEqual(
        problemsOf({
          "securecart-global:regionalStacks": refs.map((r) => r.replace(/^[^/]+/, "organization")),
        }),
        [],
      );
    });

    it("refuses securecart: keys, which only the regional stacks read", () => {
      const lines = problemsOf({ "securecart:vpcCidr": "10.10.0.0/16" });
      assert.deepEqual(lines, [
        `  - \`securecart:vpcCidr\` is a setting of the regional stacks, which the global project (securecart-global) never reads; securecart: keys belong in the regional stack files (Pulumi.<stack>.yaml at the repository root) (${GLOBAL_CONFIG_DOC})`,
      ]);
    });
  });

  describe("YAML syntax errors", () => {
    const cases: [string, string, string][] = [
      [
        "a duplicate key",
        "config:\n  securecart:domain: a.com\n  securecart:domain: b.com\n",
        'Pulumi.broken.yaml:3:3: YAML syntax error: Map keys must be unique (line 3: "securecart:domain: b.com")',
      ],
      [
        "a tab as indentation",
        "config:\n\tsecurecart:domain: a.com\n",
        'Pulumi.broken.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation (line 2: "securecart:domain: a.com")',
      ],
      [
        "an unclosed flow sequence, at its bracket rather than where the parser noticed",
        "config:\n  securecart:availabilityZones: [us-east-1a\n  securecart:domain: a.com\n",
        'Pulumi.broken.yaml:2:33: YAML syntax error: [ is never closed (the parser noticed at line 3) (line 2: "securecart:availabilityZones: [us-east-1a")',
      ],
      [
        "an unclosed flow map at the end of the file",
        'config:\n  securecart:x: "[" # [\n  securecart:dns: {apex: true\n',
        'Pulumi.broken.yaml:3:19: YAML syntax error: { is never closed (the parser noticed at line 4) (line 3: "securecart:dns: {apex: true")',
      ],
    ];
    for (const [label, text, expected] of cases) {
      it(`names the file and the line of ${label}`, () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-"));
        const file = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(file, text);
        try {
          assert.throws(
            () => readYaml(file),
            (err: Error) => {
              // Outside the project the file is named by its path from the project root.
              assert.equal(
                err.message,
                expected.replace("Pulumi.broken.yaml", path.relative(PROJECT_ROOT, file)),
              );
              return true;
            },
          );
        } finally {
          fs.rmSync(dir, { recursive: true });
        }
      });
    }

    it("names a top-level key of a stack file that is not a stack-file setting", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.broken.yaml"),
        "confg:\n  securecart:domain: a.com\n",
      );
      try {
        assert.throws(
          () => readStackConfig("broken", {}, PROJECT_ROOT, dir),
          (err: Error) => {
            assert.match(
              err.message,
              /Pulumi\.broken\.yaml: top-level key `confg` is not a stack file setting, so nothing under it is read; did you mean `config`\? A stack file holds `config`, /,
            );
            return true;
          },
        );
      } finally {
        fs.rmSync(dir, { recursive: true });
      }
    });

    it("reaches a stack's config read through the same reader", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yaml-"));
      fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  a: 1\n  a: 2\n");
      try {
        assert.throws(
          () => readStackConfig("broken", {}, PROJECT_ROOT, dir),
          /Pulumi\.broken\.yaml:3:3: YAML syntax error: Map keys must be unique/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true });
      }
    });
  });
});
