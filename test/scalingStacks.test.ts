import { strict as assert } from "assert";
import { ProgramRun, byName, ofType, readStackConfig, runStack } from "../testing/harness";
import { ConfigError, parseStackConfig } from "../stacks/config";

const ASG = "aws:autoscaling/group:Group";
const POLICY = "aws:autoscaling/policy:Policy";
const SCHEDULE = "aws:autoscaling/schedule:Schedule";

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
    const cfg = parseStackConfig(stack, readStackConfig(stack));
    const webServices = Object.keys(cfg.services);
    const fleets = [...Object.values(cfg.services), cfg.payments];
    before(async () => {
      run = await runStack(stack);
    });

    it("declares a CPU policy per group, a request-count policy per web service, the predictive policies and schedules the config asks for", () => {
      // Every web service, payments, and the inspection appliances when enabled.
      const groups = webServices.length + 1 + (cfg.inspection.enabled ? 1 : 0);
      const predictive = fleets.filter((f) => f.scaling.predictiveScaling !== "off").length;
      const schedules = fleets.reduce((n, f) => n + Object.keys(f.scaling.schedules).length, 0);
      assert.equal(ofType(run, ASG).length, groups);
      assert.equal(ofType(run, POLICY).length, groups + webServices.length + predictive);
      assert.equal(ofType(run, SCHEDULE).length, schedules);
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
      for (const svc of webServices) {
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
          targetValue: cfg.services[svc].scaling.requestsPerTarget,
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
  });
}

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
      withService("checkout", {
        schedules: { "before-rush": { ...rush, minSize: 31, maxSize: 30 } },
      }),
      "`securecart:services.checkout.scaling.schedules.before-rush.minSize` must be <= maxSize (30). Lower it or raise the max; got 31",
    ],
    [
      "a schedule min below the service's min (it would lower the capacity the region keeps)",
      withService("checkout", { schedules: { night: { recurrence: "0 2 * * *", minSize: 1 } } }),
      `\`securecart:services.checkout.scaling.schedules.night.minSize\` must be >= the service's minSize (${services().checkout.minSize}): a schedule must not lower the capacity this region keeps. Raise it, or lower the service's minSize; got 1`,
    ],
    [
      "a schedule max below the service's max (it would cut a Region switch's scale-up)",
      withService("checkout", { schedules: { "before-rush": { ...rush, maxSize: 20 } } }),
      `\`securecart:services.checkout.scaling.schedules.before-rush.maxSize\` must be >= the service's maxSize (${services().checkout.maxSize}): a lower maximum would cut the capacity a Region switch raised. Leave it out or raise it; got 20`,
    ],
    [
      "a schedule's desired capacity (each run would reset a Region switch's scale-up)",
      withService("checkout", { schedules: { "before-rush": { ...rush, desiredCapacity: 14 } } }),
      "`securecart:services.checkout.scaling.schedules.before-rush.desiredCapacity` must not be set: at each run it would reset the group's desired capacity, undoing a Region switch's scale-up. Set minSize instead; got 14",
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
      "`securecart:payments.scaling.requestsPerTarget` is not a known setting; got 500; known: securecart:payments.scaling.cpuTargetPercent, securecart:payments.scaling.predictiveScaling, securecart:payments.scaling.schedules",
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
  });
});
