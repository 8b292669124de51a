/**
 * Plans show secrets the way the Pulumi CLI does, as `[secret]`: no value the program or a
 * provider SDK marked secret (`pulumi.secret`, `additionalSecretOutputs`, the master password) is
 * in out/<stack>.plan.json or in the `--diff` output.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramRun, runStack } from "../testing/harness";
import { Plan, diffPlans, renderDiff } from "../tools/planDiff";
import { MASKED, maskInputs, maskWireSecrets, secretValuesIn } from "../tools/planSecrets";
import { planOf, readPlan, shownOutputs } from "../tools/preview";
import { regionalStackConfigs } from "../tools/deployments";

const wire = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

describe("plan secret masking (pure)", () => {
  it("masks the wire form of a secret at any depth, and nothing else", () => {
    assert.deepEqual(
      maskWireSecrets({ a: wire("pw"), b: [1, { c: wire({ x: 1 }) }], d: "plain", e: null }),
      { a: MASKED, b: [1, { c: MASKED }], d: "plain", e: null },
    );
  });

  it("masks top-level inputs named in additionalSecretOutputs, present or not", () => {
    assert.deepEqual(maskInputs({ password: "pw", user: "u" }, ["password", "absent"]), {
      password: MASKED,
      user: "u",
    });
    assert.deepEqual(secretValuesIn({ password: "pw", n: wire({ k: 1 }) }, ["password"]), [
      '{"k":1}',
      "pw",
    ]);
  });

  it("masks secret stack outputs", () => {
    const run = {
      stack: "s",
      config: {},
      resources: [],
      invokes: [],
      outputs: { token: "t0ps3cret", name: "n", nested: { k: wire("inner") } },
      secretOutputs: ["token"],
    } as ProgramRun;
    assert.deepEqual(shownOutputs(run), { token: MASKED, name: "n", nested: { k: MASKED } });
  });
});

for (const cfg of regionalStackConfigs()) {
  describe(`plan of ${cfg.stack} shows no secret`, () => {
    let run: ProgramRun;
    let secrets: string[];
    before(async function () {
      this.timeout(120_000);
      run = await runStack(cfg.stack);
      secrets = run.resources.flatMap((r) =>
        secretValuesIn(r.inputs, r.options.additionalSecretOutputs ?? []),
      );
    });

    it("finds the master password among the secrets where the stack sets one", () => {
      const passwords = run.invokes
        .filter((i) => i.token === "aws:secretsmanager/getRandomPassword:getRandomPassword")
        .map((i) => i.inputs);
      // The primary generates the master password; a secondary joins with no credentials.
      assert.equal(passwords.length > 0, cfg.role === "primary");
      const clusters = run.resources.filter((r) => r.type === "aws:rds/cluster:Cluster");
      for (const c of clusters) {
        if (c.inputs.masterPasswordWo === undefined) continue;
        const pw = secretValuesIn({ p: c.inputs.masterPasswordWo })[0];
        assert.ok(pw && pw.length >= 16, `${c.name} master password is a marked secret`);
        assert.ok(secrets.includes(pw));
      }
      if (cfg.role === "primary") assert.ok(secrets.length >= 2, "password and secret string");
    });

    it("writes none of them into the plan file's JSON", () => {
      const text = JSON.stringify(planOf(run), null, 2);
      for (const s of secrets)
        assert.ok(!text.includes(s), `plan shows a secret (${s.length} chars)`);
      if (secrets.length > 0) assert.ok(text.includes(`"${MASKED}"`));
    });

    it("shows none of them in --diff, even against an old plan written in clear", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-secrets-"));
      const file = path.join(dir, "old.plan.json");
      // An old plan from before masking: raw inputs; every secret changed since.
      const clear = {
        resources: run.resources.map((r) => ({
          urn: r.urn,
          type: r.type,
          name: r.name,
          inputs: r.inputs,
          options: { additionalSecretOutputs: r.options.additionalSecretOutputs ?? [] },
        })),
      };
      fs.writeFileSync(file, JSON.stringify(clear));
      const previous = readPlan(file) as Plan;
      const diff = renderDiff(diffPlans(previous, planOf(run) as Plan));
      const old = JSON.stringify(previous);
      for (const s of secrets) {
        assert.ok(!diff.includes(s), "diff shows a secret");
        assert.ok(!old.includes(s), "old plan read back in clear");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}
