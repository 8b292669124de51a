import { strict as assert } from "assert";
import { estimateMonthlyCost } from "../tools/cost";
import { EC2_HOURLY, HOURLY, HOURS_PER_MONTH, SHIELD_ADVANCED_MONTHLY } from "../tools/prices";
import { RecordedResource } from "../tools/mocks";

const resource = (type: string, inputs: Record<string, unknown>, id?: string) =>
  ({ type, inputs, id, name: type, state: {} }) as unknown as RecordedResource;

describe("rough monthly cost", () => {
  it("prices fleets at minSize from their launch template, load balancers, NAT and Shield", () => {
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
      shieldAdvanced: SHIELD_ADVANCED_MONTHLY,
    });
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
});
