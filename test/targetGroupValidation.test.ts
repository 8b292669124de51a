import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { dnsFailoverThreshold } from "../components/loadBalancing/loadBalancedService";
import { runComponents } from "../testing/harness";
import {
  validateTargetGroupHealth,
  validateTargetGroupProtocolAttributes,
} from "../testing/targetGroupValidation";

const tg = (targetGroupHealth: unknown, patch: Record<string, unknown> = {}) => ({
  protocol: "HTTP",
  targetType: "instance",
  targetGroupHealth,
  ...patch,
});

describe("target group health mock validation (ModifyTargetGroupAttributes)", () => {
  it("accepts what the program sets, both ways", () => {
    for (const critical of [true, false]) {
      validateTargetGroupHealth(tg({ dnsFailover: dnsFailoverThreshold(critical) }));
    }
    assert.deepEqual(dnsFailoverThreshold(false), {
      minimumHealthyTargetsCount: "off",
      minimumHealthyTargetsPercentage: "off",
    });
    assert.deepEqual(dnsFailoverThreshold(true).minimumHealthyTargetsCount, "1");
    validateTargetGroupHealth(
      tg({
        dnsFailover: { minimumHealthyTargetsCount: "3", minimumHealthyTargetsPercentage: "70" },
        unhealthyStateRouting: {
          minimumHealthyTargetsCount: 2,
          minimumHealthyTargetsPercentage: "off",
        },
      }),
    );
    validateTargetGroupHealth({ protocol: "GENEVE" });
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "a count of 0",
      tg({ dnsFailover: { minimumHealthyTargetsCount: "0" } }),
      /count must be off or an integer from 1/,
    ],
    [
      "a count as a word",
      tg({ dnsFailover: { minimumHealthyTargetsCount: "none" } }),
      /count must be off/,
    ],
    [
      "a percentage of 101",
      tg({ dnsFailover: { minimumHealthyTargetsPercentage: "101" } }),
      /percentage must be off or an integer from 1 to 100/,
    ],
    [
      "a routing percentage of 0",
      tg({ unhealthyStateRouting: { minimumHealthyTargetsPercentage: "0" } }),
      /unhealthy_state_routing.minimum_healthy_targets.percentage/,
    ],
    [
      "a routing count of 0",
      tg({ unhealthyStateRouting: { minimumHealthyTargetsCount: 0 } }),
      /unhealthy_state_routing.minimum_healthy_targets.count/,
    ],
    [
      "a DNS threshold below the routing one",
      tg({
        dnsFailover: { minimumHealthyTargetsCount: "1" },
        unhealthyStateRouting: { minimumHealthyTargetsCount: 2 },
      }),
      /must be greater than or equal to the routing failover threshold/,
    ],
    [
      "a GENEVE target group",
      tg({ dnsFailover: { minimumHealthyTargetsCount: "off" } }, { protocol: "GENEVE" }),
      /supported by Application and Network Load Balancer/,
    ],
  ];
  for (const [label, inputs, message] of cases) {
    it(`rejects ${label}`, () => {
      assert.throws(() => validateTargetGroupHealth(inputs), message);
    });
  }

  describe("protocol-bound attributes", () => {
    const nlbTls = {
      protocol: "TLS",
      connectionTermination: true,
      targetHealthStates: [
        { enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: 30 },
      ],
    };
    it("accepts the payments TLS target group's attributes and an ALB's lb_cookie", () => {
      validateTargetGroupProtocolAttributes(nlbTls);
      validateTargetGroupProtocolAttributes({
        protocol: "TCP",
        stickiness: { type: "source_ip", enabled: true },
      });
      validateTargetGroupProtocolAttributes({
        protocol: "HTTP",
        stickiness: { type: "lb_cookie", enabled: true, cookieDuration: 3600 },
      });
    });
    const rejected: [string, Record<string, unknown>, RegExp][] = [
      [
        "stickiness on a TLS target group",
        { ...nlbTls, stickiness: { type: "source_ip" } },
        /sticky sessions are not supported with TLS listeners and TLS target groups/,
      ],
      [
        "an ALB stickiness type on an NLB target group",
        { protocol: "TCP", stickiness: { type: "lb_cookie", enabled: false } },
        /Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol/,
      ],
      [
        "connection termination on an ALB target group",
        { protocol: "HTTP", connectionTermination: true },
        /Network Load Balancer target groups only/,
      ],
      [
        "unhealthy connection termination on UDP",
        { protocol: "UDP", targetHealthStates: [{ enableUnhealthyConnectionTermination: true }] },
        /can't be enabled for UDP target groups/,
      ],
      [
        "a draining interval while connections are terminated",
        {
          protocol: "TLS",
          targetHealthStates: [
            { enableUnhealthyConnectionTermination: true, unhealthyDrainingInterval: 30 },
          ],
        },
        /only be configured when .*connection_termination.enabled is false/,
      ],
      [
        "a draining interval above 360000 s",
        {
          protocol: "TCP",
          targetHealthStates: [
            { enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: 360001 },
          ],
        },
        /must be 0-360000/,
      ],
    ];
    for (const [label, inputs, message] of rejected) {
      it(`rejects ${label}`, () => {
        assert.throws(() => validateTargetGroupProtocolAttributes(inputs), message);
      });
    }
  });

  it("fails a mocked run on a target group ELB would refuse", async () => {
    await assert.rejects(
      runComponents(
        () =>
          new aws.lb.TargetGroup("t", {
            port: 8080,
            protocol: "HTTP",
            vpcId: "vpc-1",
            targetGroupHealth: { dnsFailover: { minimumHealthyTargetsCount: "0" } },
          }),
      ),
      /ValidationError: target_group_health.dns_failover.minimum_healthy_targets.count/,
    );
  });
});
