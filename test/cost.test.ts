import { strict as assert } from "assert";
import { accountLevelCostLine, costLine, estimateMonthlyCost } from "../tools/cost";
import { EC2_HOURLY, HOURLY, HOURS_PER_MONTH, SHIELD_ADVANCED_MONTHLY } from "../tools/prices";
import { RecordedResource } from "../testing/mocks";

const resource = (type: string, inputs: Record<string, unknown>, id?: string) =>
  ({ type, inputs, id, name: type, state: {} }) as unknown as RecordedResource;

describe("rough monthly cost", () => {
  it("prices fleets at minSize from their launch template, load balancers and NAT, not Shield", () => {
    const estimate = estimateMonthlyCost([
      resource("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "m7i.large" }, "lt-1"),
      resource("aws:autoscaling/group:Group", { minSize: 3, launchTemplate: { id: "lt-1" } }),
      resource("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application" }),
      resource("aws:ec2/natGateway:NatGateway", {}),
      resource("aws:shield/protection:Protection", {}),
    ]);
    assert.deepEqual(estimate.byPartUsd, {
      ec2: Math.round(3 * EC2_HOURLY["m7i.large"] * HOURS_PER_MONTH),
      loadBalancers: Math.round(HOURLY.applicationLoadBalancer * HOURS_PER_MONTH),
      natGateways: Math.round(HOURLY.natGateway * HOURS_PER_MONTH),
    });
    // The subscription is one fee per organization, so a stack only says that it uses it.
    assert.equal(estimate.usesShieldAdvanced, true);
    assert.equal(
      estimate.totalUsd,
      Object.values(estimate.byPartUsd).reduce((a, b) => a + b, 0),
    );
  });

  it("names instance types the table has no price for instead of guessing", () => {
    const estimate = estimateMonthlyCost([
      resource("aws:ec2/launchTemplate:LaunchTemplate", { instanceType: "x9z.huge" }, "lt-1"),
      resource("aws:autoscaling/group:Group", { minSize: 2, launchTemplate: { id: "lt-1" } }),
    ]);
    assert.deepEqual(estimate.unpriced, ["x9z.huge"]);
    assert.equal(estimate.totalUsd, 0);
  });

  it("counts the Shield Advanced subscription once for all stacks, naming the ones that use it", () => {
    const shielded = estimateMonthlyCost([resource("aws:shield/protection:Protection", {})]);
    const plain = estimateMonthlyCost([resource("aws:ec2/natGateway:NatGateway", {})]);
    const line = accountLevelCostLine([
      { stack: "prod-east", estimate: shielded },
      { stack: "staging", estimate: plain },
      { stack: "prod-west", estimate: shielded },
    ]);
    assert.equal(
      line,
      `Account-level monthly cost: Shield Advanced subscription ~$${SHIELD_ADVANCED_MONTHLY.toLocaleString("en-US")} (one fee per organization's consolidated billing family, 1-year commitment; not per stack), used by prod-east, prod-west`,
    );
    assert.equal(accountLevelCostLine([{ stack: "staging", estimate: plain }]), undefined);
    assert.match(
      costLine("prod-east", shielded),
      /plus the account's Shield Advanced subscription/,
    );
    assert.doesNotMatch(costLine("staging", plain), /Shield/);
  });

  it("prices RDS Proxy per vCPU of the instance class, from the size table", () => {
    const estimate = estimateMonthlyCost([
      resource("aws:rds/proxy:Proxy", {}),
      resource("aws:rds/clusterInstance:ClusterInstance", { instanceClass: "db.r7g.large" }),
    ]);
    assert.equal(
      estimate.byPartUsd.rdsProxy,
      Math.round(2 * HOURLY.rdsProxyPerVcpu * HOURS_PER_MONTH),
    );
  });
});
