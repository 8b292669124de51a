import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, byName, ofType, readStackConfig, runStack } from "../tools/harness";
import { ConfigError, parseStackConfig } from "../stacks/config";
import { capacityShortfalls } from "../stacks/scaling";

const ASG = "aws:autoscaling/group:Group";
const POLICY = "aws:autoscaling/policy:Policy";
const SCHEDULE = "aws:autoscaling/schedule:Schedule";
const WEB_SERVICES = ["storefront", "admin", "cart", "orders", "checkout", "products"];

/** Runs a stack with pulumi.log.warn captured; returns the run and every warning. */
async function runCapturingWarnings(
  stack: string,
  overrides: Record<string, unknown> = {},
): Promise<{ run: ProgramRun; warnings: string[] }> {
  const warnings: string[] = [];
  const original = pulumi.log.warn;
  pulumi.log.warn = (msg: string) => {
    warnings.push(msg);
    return Promise.resolve();
  };
  try {
    return { run: await runStack(stack, overrides, { fresh: true }), warnings };
  } finally {
    pulumi.log.warn = original;
  }
}

/** A fleet's settings as the stack file holds them. */
type FleetJson = Record<string, unknown> & { minSize: number; maxSize: number };

/** The stack file's web services, parsed. */
function servicesOf(stack: string): Record<string, FleetJson> {
  return JSON.parse(readStackConfig(stack)["securecart:services"]) as Record<string, FleetJson>;
}

function policiesOf(run: ProgramRun, asgName: string) {
  return ofType(run, POLICY).filter((p) => p.inputs.autoscalingGroupName === asgName);
}

for (const stack of ["prod-east", "prod-west"]) {
  describe(`scaling in ${stack}`, () => {
    let run: ProgramRun;
    let warnings: string[];
    before(async () => {
      ({ run, warnings } = await runCapturingWarnings(stack));
    });

    it("declares 16 scaling policies (8 CPU, 6 request count, 2 predictive) and 4 schedules", () => {
      // Six web services, payments, and the inspection appliances.
      assert.equal(ofType(run, ASG).length, 8);
      assert.equal(ofType(run, POLICY).length, 16);
      assert.equal(ofType(run, SCHEDULE).length, 4);
    });

    it("gives every ASG CPU target tracking at 60 %", () => {
      for (const asg of ofType(run, ASG)) {
        const cpu = policiesOf(run, asg.state.name).filter(
          (p) =>
            p.inputs.targetTrackingConfiguration?.predefinedMetricSpecification
              .predefinedMetricType === "ASGAverageCPUUtilization",
        );
        assert.equal(cpu.length, 1, `${asg.name} has ${cpu.length} CPU policies`);
        assert.equal(cpu[0].inputs.policyType, "TargetTrackingScaling");
        assert.equal(cpu[0].inputs.targetTrackingConfiguration.targetValue, 60);
        assert.equal(cpu[0].inputs.targetTrackingConfiguration.disableScaleIn, false);
      }
    });

    it("gives every ALB service request-count tracking on its own target group", () => {
      const alb = byName(run, "aws:lb/loadBalancer:LoadBalancer", "web-alb");
      for (const svc of WEB_SERVICES) {
        const asg = byName(run, ASG, `web-${svc}-asg`);
        const tg = byName(run, "aws:lb/targetGroup:TargetGroup", `web-${svc}-tg`);
        const requests = policiesOf(run, asg.state.name).filter(
          (p) =>
            p.inputs.targetTrackingConfiguration?.predefinedMetricSpecification
              .predefinedMetricType === "ALBRequestCountPerTarget",
        );
        assert.equal(requests.length, 1, svc);
        assert.match(alb.state.arnSuffix, /^app\/web-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        assert.match(
          tg.state.arnSuffix,
          new RegExp(`^targetgroup/web-${svc}-tg-[0-9a-f]{7}/[0-9a-f]{16}$`),
        );
        assert.deepEqual(requests[0].inputs.targetTrackingConfiguration, {
          predefinedMetricSpecification: {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: `${alb.state.arnSuffix}/${tg.state.arnSuffix}`,
          },
          targetValue: svc === "checkout" ? 500 : 1000,
          disableScaleIn: false,
        });
      }
    });

    it("gives payments (behind the NLB) CPU tracking only", () => {
      const asg = byName(run, ASG, "pay-payments-asg");
      assert.deepEqual(
        policiesOf(run, asg.state.name).map((p) => p.name),
        ["scale-payments-cpu"],
      );
    });

    it("sets a 120 s default instance warm-up on every app ASG, the appliances' grace on theirs", () => {
      for (const asg of ofType(run, ASG)) {
        // Vendor appliances boot slowly: securecart:inspection.healthCheckGracePeriodSeconds
        // (300 s by default) is their grace period and warm-up.
        const seconds = asg.name === "net-insp-appliance-asg" ? 300 : 120;
        assert.equal(asg.inputs.defaultInstanceWarmup, seconds, asg.name);
        assert.equal(asg.inputs.healthCheckGracePeriod, seconds, asg.name);
      }
    });

    it("raises checkout's and storefront's min at 17:30 New York time and lowers it at 21:00", () => {
      const services = servicesOf(stack);
      const rush: Record<string, number> =
        stack === "prod-east" ? { storefront: 9, checkout: 12 } : { storefront: 6, checkout: 8 };
      for (const svc of ["storefront", "checkout"]) {
        const asgName = byName(run, ASG, `web-${svc}-asg`).state.name;
        const common = {
          autoscalingGroupName: asgName,
          timeZone: "America/New_York",
          maxSize: -1,
          desiredCapacity: -1,
        };
        assert.deepEqual(byName(run, SCHEDULE, `scale-${svc}-before-rush`).inputs, {
          ...common,
          scheduledActionName: `scale-${svc}-before-rush`,
          recurrence: "30 17 * * *",
          minSize: rush[svc],
        });
        assert.deepEqual(byName(run, SCHEDULE, `scale-${svc}-after-rush`).inputs, {
          ...common,
          scheduledActionName: `scale-${svc}-after-rush`,
          recurrence: "0 21 * * *",
          // Back to the group's own minimum after the rush.
          minSize: services[svc].minSize,
        });
      }
    });

    it("runs predictive scaling forecast-only for checkout and storefront", () => {
      const predictive = ofType(run, POLICY).filter(
        (p) => p.inputs.policyType === "PredictiveScaling",
      );
      assert.deepEqual(
        predictive.map((p) => [p.name, p.inputs.predictiveScalingConfiguration.mode]),
        [
          ["scale-storefront-predictive", "ForecastOnly"],
          ["scale-checkout-predictive", "ForecastOnly"],
        ],
      );
    });

    it("exports each service's policy ARNs by role", () => {
      const arns = run.outputs.scalingPolicyArns as Record<string, Record<string, string>>;
      assert.deepEqual(Object.keys(arns.checkout).sort(), ["cpu", "predictive", "requests"]);
      assert.deepEqual(Object.keys(arns.payments), ["cpu"]);
      assert.match(
        arns.payments.cpu,
        /:autoScalingGroupName\/pay-payments-asg-[0-9a-f]{7}:policyName\/scale-payments-cpu-[0-9a-f]{7}$/,
      );
    });

    it("issues no warm-standby warning with the committed config", () => {
      assert.deepEqual(warnings, []);
    });
  });
}

describe("warm-standby capacity check", () => {
  it("keeps prod-west's securecart:peerCapacity equal to prod-east's maxSize per service", () => {
    const east = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const west = parseStackConfig("prod-west", readStackConfig("prod-west"));
    assert.deepEqual(west.peerCapacity, {
      ...Object.fromEntries(Object.entries(east.services).map(([n, s]) => [n, s.maxSize])),
      payments: east.payments.maxSize,
    });
  });

  it("finds services whose max is below the peer's", () => {
    assert.deepEqual(capacityShortfalls({ a: 10, b: 5, c: 8 }, { a: 10, b: 6, c: 4 }), [
      { service: "b", maxSize: 5, peerMaxSize: 6 },
    ]);
    assert.deepEqual(capacityShortfalls({ a: 10 }, {}), []);
  });

  it("warns in preview when a standby service's max cannot absorb the primary's", async () => {
    const services = servicesOf("prod-west");
    services.checkout.maxSize = 12;
    const payments = {
      ...(JSON.parse(readStackConfig("prod-west")["securecart:payments"]) as FleetJson),
      maxSize: 8,
    };
    const { run, warnings } = await runCapturingWarnings("prod-west", {
      "securecart:services": services,
      "securecart:payments": payments,
    });
    assert.deepEqual(warnings, [
      "warm standby: checkout can grow to only 12 instances in us-west-2 (securecart:services.checkout.maxSize), but us-east-1 runs up to 24 (securecart:peerCapacity.checkout). If us-east-1 fails at peak, checkout here cannot absorb its load: raise maxSize to at least 24.",
      "warm standby: payments can grow to only 8 instances in us-west-2 (securecart:payments.maxSize), but us-east-1 runs up to 12 (securecart:peerCapacity.payments). If us-east-1 fails at peak, payments here cannot absorb its load: raise maxSize to at least 12.",
    ]);
    // A warning, not an error: the stack still deploys.
    assert.equal(ofType(run, POLICY).length, 16);
  });

  it("does not warn when the standby's max exceeds the primary's", async () => {
    const services = servicesOf("prod-west");
    services.checkout.maxSize = 30;
    const { warnings } = await runCapturingWarnings("prod-west", {
      "securecart:services": services,
    });
    assert.deepEqual(warnings, []);
  });

  it("warns that nothing was checked when a standby lacks securecart:peerCapacity", async () => {
    const { warnings } = await runCapturingWarnings("prod-west", {
      "securecart:peerCapacity": undefined,
    });
    assert.deepEqual(warnings, [
      "warm standby not checked: set securecart:peerCapacity in Pulumi.prod-west.yaml to the us-east-1 stack's maxSize per service (payments included), so a max too low to absorb it is caught in preview",
    ]);
  });

  it("asks the primary for peer figures only under latency routing", async () => {
    const { warnings } = await runCapturingWarnings("prod-east", {
      "securecart:routing": "latency",
    });
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /^warm standby not checked: set securecart:peerCapacity in Pulumi\.prod-east\.yaml to the us-west-2 stack's maxSize/,
    );
  });
});

describe("scaling config validation", () => {
  const base = readStackConfig("prod-east");
  const services = () => JSON.parse(base["securecart:services"]);
  const payments = () => JSON.parse(base["securecart:payments"]);
  const withService = (svc: string, scaling: unknown) => {
    const s = services();
    s[svc].scaling = scaling;
    return { "securecart:services": JSON.stringify(s) };
  };
  const rush = { recurrence: "30 17 * * *", minSize: 12 };

  const cases: [string, Record<string, string>, string][] = [
    [
      "an alias time zone",
      { "securecart:scalingTimeZone": "US/Eastern" },
      '`securecart:scalingTimeZone` must be a canonical IANA time zone name ("US/Eastern" is an alias; use the canonical IANA name "America/New_York"); got "US/Eastern"',
    ],
    [
      "an offset as time zone",
      { "securecart:scalingTimeZone": "UTC-5" },
      '`securecart:scalingTimeZone` must be a canonical IANA time zone name ("UTC-5" is not an IANA time zone name such as "America/New_York" or "UTC"); got "UTC-5"',
    ],
    [
      "a schedule's own bad time zone",
      withService("checkout", { schedules: { "before-rush": { ...rush, timeZone: "Eastern" } } }),
      '`securecart:services.checkout.scaling.schedules.before-rush.timeZone` must be a canonical IANA time zone name ("Eastern" is not an IANA time zone name such as "America/New_York" or "UTC"); got "Eastern"',
    ],
    [
      "Application Auto Scaling cron for an ASG",
      withService("checkout", {
        schedules: { "before-rush": { ...rush, recurrence: "cron(30 17 * * ? *)" } },
      }),
      '`securecart:services.checkout.scaling.schedules.before-rush.recurrence` must be a 5-field EC2 Auto Scaling cron expression ("cron(30 17 * * ? *)" is Application Auto Scaling syntax; EC2 Auto Scaling takes 5-field Unix cron such as "30 17 * * *"); got "cron(30 17 * * ? *)"',
    ],
    [
      "a schedule min above the service max",
      withService("checkout", { schedules: { "before-rush": { ...rush, minSize: 30 } } }),
      "`securecart:services.checkout.scaling.schedules.before-rush.minSize` must be <= the service's maxSize (24). Lower it or raise the max; got 30",
    ],
    [
      "a schedule min above its own max",
      withService("checkout", { schedules: { "before-rush": { ...rush, maxSize: 10 } } }),
      "`securecart:services.checkout.scaling.schedules.before-rush.minSize` must be <= maxSize (10). Lower it or raise the max; got 12",
    ],
    [
      "a desired capacity outside min..max",
      withService("checkout", { schedules: { "before-rush": { ...rush, desiredCapacity: 4 } } }),
      "`securecart:services.checkout.scaling.schedules.before-rush.desiredCapacity` must be from minSize (12) to the service's maxSize (24); got 4",
    ],
    [
      "a schedule min of 0",
      withService("cart", { schedules: { night: { recurrence: "0 2 * * *", minSize: 0 } } }),
      "`securecart:services.cart.scaling.schedules.night.minSize` must be an integer from 1 to 1000; got 0",
    ],
    [
      "a schedule name that is not kebab-case",
      withService("cart", { schedules: { Night: { recurrence: "0 2 * * *", minSize: 2 } } }),
      '`securecart:services.cart.scaling.schedules.Night` must be kebab-case (a-z, 0-9, -), at most 32 characters; got "Night"',
    ],
    [
      "a CPU target of 0",
      withService("cart", { cpuTargetPercent: 0 }),
      "`securecart:services.cart.scaling.cpuTargetPercent` must be a number from 1 to 100; got 0",
    ],
    [
      "a CPU target of 101",
      withService("cart", { cpuTargetPercent: 101 }),
      "`securecart:services.cart.scaling.cpuTargetPercent` must be a number from 1 to 100; got 101",
    ],
    [
      "a request-count target of 0",
      withService("cart", { requestsPerTarget: 0 }),
      "`securecart:services.cart.scaling.requestsPerTarget` must be a number of requests per target per minute > 0; got 0",
    ],
    [
      "an unknown predictive mode",
      withService("cart", { predictiveScaling: "on" }),
      '`securecart:services.cart.scaling.predictiveScaling` must be off, ForecastOnly or ForecastAndScale; got "on"',
    ],
    [
      "request-count tracking on the NLB service",
      {
        "securecart:payments": JSON.stringify({
          ...payments(),
          scaling: { requestsPerTarget: 500 },
        }),
      },
      "`securecart:payments.scaling.requestsPerTarget` is not a known setting; check its spelling against the README's Config reference",
    ],
    [
      "a peer figure for an unknown service",
      { "securecart:peerCapacity": JSON.stringify({ basket: 10 }) },
      "`securecart:peerCapacity.basket` is not a service of this stack; use one of storefront, admin, cart, orders, checkout, products, payments",
    ],
    [
      "a peer figure of 0",
      { "securecart:peerCapacity": JSON.stringify({ cart: 0 }) },
      "`securecart:peerCapacity.cart` must be an integer from 1 to 1000; got 0",
    ],
  ];
  for (const [title, overrides, message] of cases) {
    it(`rejects ${title}`, () => {
      assert.throws(
        () => parseStackConfig("prod-east", { ...base, ...overrides }),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.deepEqual(e.problems, [message]);
          return true;
        },
      );
    });
  }

  it("defaults scaling to CPU 60 %, 1000 requests per target, no predictive scaling, no schedules", () => {
    const cfg = parseStackConfig("prod-east", base);
    assert.deepEqual(cfg.services.cart.scaling, {
      cpuTargetPercent: 60,
      predictiveScaling: "off",
      schedules: {},
      requestsPerTarget: 1000,
    });
    assert.deepEqual(cfg.payments.scaling, {
      cpuTargetPercent: 60,
      predictiveScaling: "off",
      schedules: {},
    });
    assert.equal(cfg.scalingTimeZone, "America/New_York");
    assert.equal(cfg.peerCapacity, undefined);
  });
});
