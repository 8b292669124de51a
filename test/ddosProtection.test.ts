import { strict as assert } from "assert";
import { DdosProtection, DdosProtectionArgs } from "../components/edge/ddosProtection";
import { nameOfUrn, ofType, runComponents } from "../testing/harness";
import { errorOf } from "./support";

const ALB =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb-1a2b3c4/0123456789abcdef";
const EIP = "arn:aws:ec2:us-east-1:123456789012:eip-allocation/eipalloc-0123456789abcdef0";
const ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ";

function args(overrides: Partial<DdosProtectionArgs> = {}): DdosProtectionArgs {
  return {
    resourceArns: { "web-alb": ALB, "pay-eip-a": EIP, zone: ZONE },
    protectionGroupId: "securecart-test",
    ...overrides,
  };
}

describe("DdosProtection (mocks)", () => {
  it("protects each resource and groups them all (ARBITRARY, MAX) after the protections exist", async () => {
    const run = await runComponents(() => new DdosProtection("shield", args()));
    const protections = ofType(run, "aws:shield/protection:Protection");
    assert.deepEqual(
      protections.map((p) => [p.name, p.inputs.resourceArn]),
      [
        ["shield-web-alb", ALB],
        ["shield-pay-eip-a", EIP],
        ["shield-zone", ZONE],
      ],
    );
    const [group, ...more] = ofType(run, "aws:shield/protectionGroup:ProtectionGroup");
    assert.equal(more.length, 0);
    assert.deepEqual(
      [group.inputs.protectionGroupId, group.inputs.pattern, group.inputs.aggregation],
      ["securecart-test", "ARBITRARY", "MAX"],
    );
    assert.deepEqual(group.inputs.members, [ALB, EIP, ZONE]);
    assert.deepEqual(group.dependencies.map((u) => nameOfUrn(run, u)).sort(), [
      "shield-pay-eip-a",
      "shield-web-alb",
      "shield-zone",
    ]);
  });

  const invalid: [string, Partial<DdosProtectionArgs>, string][] = [
    [
      "nothing to protect",
      { resourceArns: {} },
      "resourceArns must name at least one resource to protect; got none. Turn Shield off instead",
    ],
    [
      "a group ID Shield refuses",
      { protectionGroupId: "securecart_prod" },
      'protectionGroupId must be 1–36 letters, digits and hyphens (Shield\'s format); got "securecart_prod"',
    ],
  ];
  for (const [label, override, message] of invalid) {
    it(`rejects ${label}`, async () => {
      assert.equal(await errorOf(() => new DdosProtection("shield", args(override))), message);
    });
  }

  it("an NLB's own ARN is refused, as Shield refuses it (mock check)", async () => {
    const nlb =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/pay-nlb-1a2b3c4/0123456789abcdef";
    await assert.rejects(
      runComponents(() => new DdosProtection("shield", args({ resourceArns: { nlb } }))),
      /Shield Advanced cannot protect .*net\/pay-nlb/,
    );
  });
});
