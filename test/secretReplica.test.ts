/**
 * The master secret is readable in every region of the global database, and rotates in one: the
 * primary keeps a Secrets Manager replica in each other region, encrypted with a key in that
 * region; rotation (its function, endpoint and security groups) exists only in the primary's
 * region, and no workload may read the secret anywhere. Expectations from the loaded configs.
 */
import { strict as assert } from "assert";
import { ProgramRun, byName, ofType, runStack } from "../testing/harness";
import { regionalStackConfigs } from "../tools/deployments";
import { PriorResource, secretReplicaErrors } from "../testing/awsBehaviour";
import { policiesAllow } from "../testing/policyEval";

const T = {
  secret: "aws:secretsmanager/secret:Secret",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  key: "aws:kms/key:Key",
  rotator: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  policy: "aws:iam/policy:Policy",
};

describe("secret replicas: what Secrets Manager refuses (mocks)", () => {
  const key = (region: string) => `arn:aws:kms:${region}:123456789012:key/0000`;
  const prior: PriorResource[] = [
    { type: T.key, region: "us-west-2", state: { arn: key("us-west-2") } },
  ];
  const cases: [string, Record<string, unknown>[], RegExp | undefined][] = [
    [
      "a replica with a key in its region",
      [{ region: "us-west-2", kmsKeyId: key("us-west-2") }],
      undefined,
    ],
    [
      "a replica in the secret's own region",
      [{ region: "us-east-1" }],
      /can't replicate a secret to its own region us-east-1/,
    ],
    ["a region twice", [{ region: "us-west-2" }, { region: "us-west-2" }], /named twice/],
    [
      "the primary's key for the replica",
      [{ region: "us-west-2", kmsKeyId: key("us-east-1") }],
      /KMS key arn:aws:kms:us-east-1:.* is in us-east-1; KMS keys are regional, use a key in us-west-2/,
    ],
    [
      "a key not created yet",
      [{ region: "us-west-2", kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/9999" }],
      /does not exist yet/,
    ],
  ];
  for (const [title, replicas, message] of cases) {
    it(`${message ? "refuses" : "accepts"} ${title}`, () => {
      const errors = secretReplicaErrors({ replicas }, "us-east-1", prior);
      if (message) assert.match(errors.join("; "), message);
      else assert.deepEqual(errors, []);
    });
  }
  it("refuses a replica where a secret of that name already exists (a promoted replica)", () => {
    const promoted: PriorResource = {
      type: T.secret,
      region: "us-west-2",
      state: { name: "db-master-secret-1a2b3c4" },
    };
    const secret = {
      name: "db-master-secret-1a2b3c4",
      replicas: [{ region: "us-west-2", kmsKeyId: key("us-west-2") }],
    };
    assert.match(
      secretReplicaErrors(secret, "us-east-1", [...prior, promoted]).join("; "),
      /a secret named db-master-secret-1a2b3c4 already exists in us-west-2/,
    );
    // Another name, or another region, is no clash.
    assert.deepEqual(secretReplicaErrors(secret, "us-east-1", prior), []);
    assert.deepEqual(
      secretReplicaErrors({ ...secret, name: "other" }, "us-east-1", [...prior, promoted]),
      [],
    );
  });
});

const configs = regionalStackConfigs();
for (const cfg of configs.filter((c) => c.role === "primary")) {
  describe(`master secret of ${cfg.stack} across regions`, () => {
    let run: ProgramRun;
    const peers = cfg.database.global ? [...cfg.peerRegions].sort() : [];
    before(async function () {
      this.timeout(120_000);
      run = await runStack(cfg.stack);
    });

    it("keeps a replica in every other region of the global database, with that region's key", () => {
      const secret = byName(run, T.secret, "db-master-secret");
      const replicas: { region: string; kmsKeyId: string; status: string }[] =
        secret.state.replicas;
      assert.deepEqual(
        replicas.map((r) => r.region),
        peers,
      );
      for (const r of replicas) {
        const key = ofType(run, T.key).find((k) => k.state.arn === r.kmsKeyId);
        assert.ok(key, `${r.region} replica uses a key this stack created`);
        assert.equal(key.state.arn.split(":")[3], r.region);
        assert.equal(key.inputs.enableKeyRotation, true);
        // A promoted replica keeps using this key: no plan of this stack may delete it.
        assert.deepEqual([key.options.protect, key.options.retainOnDelete], [true, true]);
        assert.equal(r.status, "InSync");
      }
    });

    it("rotates in its own region only: one rotation, one function, nothing in the replica regions", () => {
      const rotations = ofType(run, T.rotation);
      assert.equal(rotations.length, 1);
      const secret = byName(run, T.secret, "db-master-secret");
      assert.equal(rotations[0].inputs.secretId, secret.id);
      assert.equal(secret.state.arn.split(":")[3], cfg.region);
      const rotators = ofType(run, T.rotator);
      assert.equal(rotators.length, 1);
      assert.equal(rotators[0].state.region ?? cfg.region, cfg.region);
    });

    it("lets no role of any stack of the deployment read the secret or a replica", async () => {
      const secretArn: string = byName(run, T.secret, "db-master-secret").state.arn;
      const arns = [cfg.region, ...peers].map((region) =>
        secretArn.replace(`:${cfg.region}:`, `:${region}:`),
      );
      const stacks = configs.filter((c) => c.deployment.name === cfg.deployment.name);
      for (const c of stacks) {
        const other = c.stack === cfg.stack ? run : await runStack(c.stack);
        const docs = [...ofType(other, T.rolePolicy), ...ofType(other, T.policy)].map((p) =>
          JSON.parse(String(p.inputs.policy)),
        );
        for (const arn of arns) {
          assert.ok(
            !policiesAllow(docs, { action: "secretsmanager:GetSecretValue", resource: arn }),
            `${c.stack} reads ${arn}`,
          );
        }
      }
    });
  });
}
