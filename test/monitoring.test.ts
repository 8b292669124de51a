import { strict as assert } from "assert";
import { Monitoring, MonitoringArgs } from "../components/observability/monitoring";
import { Tracing, TracingArgs } from "../components/observability/tracing";
import { ofType, runComponents } from "../testing/harness";
import { errorOf } from "./support";

const ALB = "app/web-alb-1a2b3c4/0123456789abcdef";
const TG = "targetgroup/web-a-tg-1a2b3c4/1111111111111111";

function monitoringArgs(overrides: Partial<MonitoringArgs> = {}): MonitoringArgs {
  return {
    alarmEmail: "oncall@example.com",
    region: "us-east-1",
    loadBalancers: {
      web: { type: "application", arnSuffix: ALB, targetGroupArnSuffixes: { a: TG } },
    },
    autoScalingGroups: { "web-a": { name: "web-a-asg", minSize: 2 } },
    ...overrides,
  };
}

function tracingArgs(overrides: Partial<TracingArgs> = {}): TracingArgs {
  return {
    namePrefix: "sc",
    roleNames: { "web-a": "web-a-role", "web-b": "web-b-role" },
    ...overrides,
  };
}

describe("Monitoring (mocks)", () => {
  it("creates the topic, the email subscription, 5 alarms and one dashboard named after the prefix", async () => {
    const run = await runComponents(
      () => new Monitoring("ops", monitoringArgs({ namePrefix: "sc-test" })),
    );
    assert.equal(ofType(run, "aws:sns/topic:Topic").length, 1);
    const [sub] = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual([sub.inputs.protocol, sub.inputs.endpoint], ["email", "oncall@example.com"]);
    assert.deepEqual(
      ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((a) => a.inputs.name)
        .sort(),
      [
        "sc-test-web-a-in-service",
        "sc-test-web-a-p99",
        "sc-test-web-a-target-5xx",
        "sc-test-web-a-unhealthy",
        "sc-test-web-elb-5xx",
      ],
    );
    const [dash] = ofType(run, "aws:cloudwatch/dashboard:Dashboard");
    assert.equal(dash.inputs.dashboardName, "sc-test");
    assert.ok(JSON.parse(dash.inputs.dashboardBody).widgets.length > 0);
  });

  const invalid: [string, Partial<MonitoringArgs>, string][] = [
    ["a bad email", { alarmEmail: "oncall" }, 'alarmEmail must be an email address; got "oncall"'],
    [
      "a bad name prefix",
      { namePrefix: "sc test" },
      'namePrefix must be 1–200 letters, digits, "-" or "_"; got "sc test"',
    ],
    [
      "a bad threshold",
      { thresholds: { elb5xxRatePercent: 0 } },
      "thresholds.elb5xxRatePercent must be > 0 and <= 100; got 0",
    ],
  ];
  for (const [label, override, message] of invalid) {
    it(`rejects ${label}`, async () => {
      assert.equal(await errorOf(() => new Monitoring("ops", monitoringArgs(override))), message);
    });
  }
});

describe("Tracing (mocks)", () => {
  it("attaches AWSXRayDaemonWriteAccess to every role it is given", async () => {
    const run = await runComponents(() => new Tracing("xray", tracingArgs()));
    assert.deepEqual(
      ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .map((a) => [a.name, a.inputs.role, a.inputs.policyArn])
        .sort(),
      [
        ["xray-web-a-write", "web-a-role", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
        ["xray-web-b-write", "web-b-role", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
      ],
    );
    const [rule] = ofType(run, "aws:xray/samplingRule:SamplingRule");
    assert.deepEqual(
      [rule.inputs.host, rule.inputs.httpMethod, rule.inputs.serviceName, rule.inputs.version],
      ["*", "*", "*", 1],
    );
  });

  const invalid: [string, Partial<TracingArgs>, string][] = [
    [
      "a prefix too long for X-Ray names",
      { namePrefix: "securecart-prod-east-1" },
      'namePrefix (as the group name) gives "securecart-prod-east-1-slow-checkout" (36 characters); X-Ray allows 32 letters, digits, "-" and "_". Shorten namePrefix',
    ],
    [
      "a rate over 1",
      { checkoutSampleRate: 1.5 },
      "checkoutSampleRate must be from 0 to 1; got 1.5",
    ],
    [
      "a fractional reservoir",
      { checkoutReservoirPerSecond: 0.5 },
      "checkoutReservoirPerSecond must be a whole number >= 0; got 0.5",
    ],
    ["a zero slow threshold", { slowCheckoutSeconds: 0 }, "slowCheckoutSeconds must be > 0; got 0"],
    [
      "a path without /",
      { checkoutPath: "checkout*" },
      'checkoutPath must start with "/" and have no spaces or quotes; got "checkout*"',
    ],
  ];
  for (const [label, override, message] of invalid) {
    it(`rejects ${label}`, async () => {
      assert.equal(await errorOf(() => new Tracing("xray", tracingArgs(override))), message);
    });
  }
});
