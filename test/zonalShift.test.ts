import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import {
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runComponents,
  runStack,
} from "../testing/harness";
import { parseStackConfig } from "../stacks/config";
import {
  nlbZonalShiftProblem,
  practiceRunProblems,
  windowProblem,
} from "../components/recovery/zonalShiftRules";
import { errorOf, problemsOf } from "./support";
import { ZonalAutoshift } from "../components/recovery/zonalAutoshift";

const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  autoshift: "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration",
};
const ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-5xx";

describe("zonal shift rules", () => {
  it("accepts same-day windows and rejects what the ARC API rejects", () => {
    assert.equal(windowProblem("Tue:13:00-Tue:20:00"), undefined);
    assert.match(windowProblem("Tue:13:00-Wed:01:00") ?? "", /spans two days/);
    assert.match(windowProblem("Tue:20:00-Tue:13:00") ?? "", /ends before it starts/);
    assert.match(windowProblem("TUE:13:00-TUE:20:00") ?? "", /not Day:HH:MM-Day:HH:MM/);
    assert.match(windowProblem("Tue:24:00-Tue:24:30") ?? "", /hour above 23/);
  });

  const cases: [string, Parameters<typeof practiceRunProblems>[0], RegExp][] = [
    ["no outcome alarm", { outcomeAlarmArns: [] }, /outcomeAlarms must have 1 to 10 alarms; got 0/],
    [
      "11 outcome alarms",
      { outcomeAlarmArns: Array(11).fill(ALARM) },
      /outcomeAlarms must have 1 to 10 alarms; got 11/,
    ],
    ["not an alarm ARN", { outcomeAlarmArns: ["web-5xx"] }, /must be CloudWatch alarm ARNs/],
    [
      "allowed and blocked windows",
      {
        outcomeAlarmArns: [ALARM],
        allowedWindows: ["Mon:13:00-Mon:20:00"],
        blockedWindows: ["Sat:00:00-Sat:23:00"],
      },
      /cannot both be set/,
    ],
    [
      "bad date",
      { outcomeAlarmArns: [ALARM], blockedDates: ["2026-11-27T00:00"] },
      /not a YYYY-MM-DD date/,
    ],
    [
      "16 windows",
      { outcomeAlarmArns: [ALARM], allowedWindows: Array(16).fill("Mon:13:00-Mon:20:00") },
      /allowedWindows takes at most 15; got 16/,
    ],
  ];
  for (const [what, input, message] of cases) {
    it(`refuses a practice run configuration with ${what}`, () => {
      assert.match(practiceRunProblems(input).join("; "), message);
    });
  }

  it("knows the cross-zone NLB prerequisites for zonal shift", () => {
    const ok = {
      protocol: "TCP",
      targetType: "instance",
      loadBalancingCrossZoneEnabled: "true",
      targetHealthStates: [{ enableUnhealthyConnectionTermination: false }],
    };
    assert.equal(nlbZonalShiftProblem(ok), undefined);
    assert.match(
      nlbZonalShiftProblem({ ...ok, targetHealthStates: undefined }) ?? "",
      /AWS defaults it to true/,
    );
    assert.match(nlbZonalShiftProblem({ ...ok, protocol: "UDP" }) ?? "", /TCP or TLS/);
    assert.match(
      nlbZonalShiftProblem({ ...ok, loadBalancingCrossZoneEnabled: "false" }) ?? "",
      /cross-zone must stay on/,
    );
  });

  it("refuses bad windows in the stack config, naming the key", () => {
    assert.deepEqual(
      problemsOf("prod-east", {
        "securecart:zonalAutoshift": { allowedWindows: ["Fri:22:00-Sat:02:00"] },
      }),
      [
        '`securecart:zonalAutoshift.allowedWindows[0]` must be a UTC window Day:HH:MM-Day:HH:MM within one day ("Fri:22:00-Sat:02:00" spans two days; ARC takes windows within one day); got "Fri:22:00-Sat:02:00"',
      ],
    );
  });
});

for (const stack of ["prod-east", "prod-west"]) {
  describe(`zonal autoshift in ${stack} (mocks)`, () => {
    let run: ProgramRun;
    const cfg = parseStackConfig(stack, readStackConfig(stack));
    before(async () => {
      run = await runStack(stack);
    });

    it("enables zonal shift on the ALB and the NLB", () => {
      for (const name of ["web-alb", "pay-nlb"]) {
        assert.equal(byName(run, T.lb, name).inputs.enableZonalShift, true, name);
      }
    });

    it("keeps the payments NLB cross-zone and lets unhealthy targets drain, as zonal shift needs", () => {
      assert.equal(byName(run, T.lb, "pay-nlb").inputs.enableCrossZoneLoadBalancing, true);
      const tg = byName(run, T.tg, "pay-payments-tg");
      assert.deepEqual(tg.inputs.targetHealthStates, [
        {
          enableUnhealthyConnectionTermination: false,
          unhealthyDrainingInterval: cfg.payments.deregistrationDelaySeconds,
        },
      ]);
    });

    it("configures autoshift per load balancer with the customer-visible alarms as outcome alarms", () => {
      const configs = ofType(run, T.autoshift);
      assert.deepEqual(configs.map((c) => c.name).sort(), ["azshift-pay", "azshift-web"]);
      const alarmArn = (name: string) => byName(run, T.alarm, name).state.arn;
      const prefix = `ops-`;
      const web = byName(run, T.autoshift, "azshift-web");
      assert.equal(web.inputs.resourceArn, byName(run, T.lb, "web-alb").state.arn);
      assert.equal(
        web.inputs.zonalAutoshiftStatus,
        cfg.zonalAutoshift.enabled ? "ENABLED" : "DISABLED",
      );
      const webAlarmNames = [
        "web-elb-5xx",
        ...Object.keys(cfg.services).map((s) => `web-${s}-target-5xx`),
      ];
      assert.deepEqual(
        web.inputs.outcomeAlarms,
        webAlarmNames.map((n) => ({
          alarmIdentifier: alarmArn(`${prefix}${n}`),
          type: "CLOUDWATCH",
        })),
      );
      assert.deepEqual(web.inputs.allowedWindows, cfg.zonalAutoshift.allowedWindows);
      const pay = byName(run, T.autoshift, "azshift-pay");
      assert.equal(pay.inputs.resourceArn, byName(run, T.lb, "pay-nlb").state.arn);
      assert.deepEqual(pay.inputs.outcomeAlarms, [
        { alarmIdentifier: alarmArn(`${prefix}pay-tcp-resets`), type: "CLOUDWATCH" },
      ]);
    });
  });
}

describe("zonal shift mocks", () => {
  it("refuse an NLB target group that terminates connections to unhealthy targets", async () => {
    const nlbWithTargetGroup = (
      healthStates?: { enableUnhealthyConnectionTermination: boolean }[],
    ) =>
      runComponents(() => {
        const lb = new aws.lb.LoadBalancer("nlb", {
          loadBalancerType: "network",
          subnets: ["subnet-1"],
          enableCrossZoneLoadBalancing: true,
          enableZonalShift: true,
        });
        const tg = new aws.lb.TargetGroup("tg", {
          port: 8443,
          protocol: "TCP",
          vpcId: "vpc-1",
          targetHealthStates: healthStates,
        });
        return new aws.lb.Listener("l", {
          loadBalancerArn: lb.arn,
          port: 443,
          protocol: "TCP",
          defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
        });
      });
    await assert.rejects(
      nlbWithTargetGroup(),
      /connection termination for unhealthy targets must be disabled/,
    );
    await nlbWithTargetGroup([{ enableUnhealthyConnectionTermination: false }]);
  });

  it("refuse autoshift for a load balancer without zonal shift", async () => {
    await assert.rejects(
      runComponents(() => {
        const lb = new aws.lb.LoadBalancer("lb", {
          loadBalancerType: "application",
          subnets: ["subnet-1"],
        });
        const alarm = new aws.cloudwatch.MetricAlarm("a", {
          comparisonOperator: "GreaterThanThreshold",
          evaluationPeriods: 1,
          metricName: "HTTPCode_ELB_5XX_Count",
          namespace: "AWS/ApplicationELB",
          period: 60,
          statistic: "Sum",
          threshold: 1,
        });
        return new ZonalAutoshift("z", {
          resources: { web: { arn: lb.arn, outcomeAlarmArns: [alarm.arn] } },
        });
      }),
      /load balancer lb-[0-9a-f]+ has zonal shift off|lb has zonal shift off/,
    );
  });

  it("refuse the component's plain-value mistakes before creating anything", async () => {
    const message = await errorOf(
      () => new ZonalAutoshift("z", { resources: { web: { arn: "arn", outcomeAlarmArns: [] } } }),
    );
    assert.match(message, /zonal autoshift for web: outcomeAlarms must have 1 to 10 alarms; got 0/);
  });
});
