import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import {
  GLOBAL_ROOT,
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runComponents,
  runStack,
} from "../tools/harness";
import { parseGlobalConfig } from "../stacks/globalConfig";
import { policyReport } from "../tools/policyRunner";
import { executionRolePolicy, planProblems } from "../components/recovery/regionSwitchRules";

const T = {
  plan: "aws:arcregionswitch/plan:Plan",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  asg: "aws:autoscaling/group:Group",
  cluster: "aws:rds/cluster:Cluster",
};

describe("prod-global: the Region switch plan (mocks)", () => {
  let run: ProgramRun;
  let east: ProgramRun;
  let west: ProgramRun;
  const cfg = parseGlobalConfig("prod-global", readStackConfig("prod-global", {}, GLOBAL_ROOT));
  const rs = cfg.regionSwitch;
  before(async () => {
    [east, west] = [await runStack("prod-east"), await runStack("prod-west")];
    run = await runStack("prod-global");
  });

  const asgArns = (r: ProgramRun) =>
    Object.fromEntries(
      ofType(r, T.asg)
        .filter((a) => /^(web|pay)-/.test(a.name))
        .map((a) => [a.name.replace(/^(web|pay)-/, "").replace(/-asg$/, ""), a.state.arn]),
    );

  it("is active-passive over both regions with us-east-1 primary, and states its RTO", () => {
    const plan = byName(run, T.plan, "switch-plan").inputs;
    assert.equal(plan.name, rs.planName);
    assert.equal(plan.recoveryApproach, "activePassive");
    assert.deepEqual(plan.regions, [east.outputs.region, west.outputs.region]);
    assert.equal(plan.primaryRegion, east.outputs.region);
    assert.equal(plan.recoveryTimeObjectiveMinutes, rs.recoveryTimeObjectiveMinutes);
    assert.equal(plan.executionRole, byName(run, T.role, "switch-exec").state.arn);
  });

  it("has an activate workflow per region: approve, then writer and capacity together, then DNS", () => {
    const plan = byName(run, T.plan, "switch-plan").inputs;
    assert.deepEqual(
      plan.workflows.map((w: any) => [w.workflowTargetAction, w.workflowTargetRegion]),
      [
        ["activate", "us-east-1"],
        ["activate", "us-west-2"],
      ],
    );
    const regional = { "us-east-1": east, "us-west-2": west } as Record<string, ProgramRun>;
    for (const w of plan.workflows) {
      const target = w.workflowTargetRegion as string;
      const source = target === "us-east-1" ? "us-west-2" : "us-east-1";
      assert.deepEqual(
        w.steps.map((s: any) => [s.name, s.executionBlockType]),
        [
          ["approve", "ManualApproval"],
          ["writer-and-capacity", "Parallel"],
          ["traffic", "Parallel"],
        ],
      );
      assert.deepEqual(w.steps[0].executionApprovalConfigs, [
        {
          approvalRole: byName(run, T.role, "switch-approver").state.arn,
          timeoutMinutes: rs.approvalTimeoutMinutes,
        },
      ]);
      const [aurora, ...scale] = w.steps[1].parallelConfigs[0].steps;
      assert.deepEqual(aurora.globalAuroraConfigs, [
        {
          behavior: "switchoverOnly",
          ungracefuls: [{ ungraceful: "failover" }],
          globalClusterIdentifier: east.outputs.dbGlobalClusterIdentifier,
          databaseClusterArns: [
            byName(east, T.cluster, "db-cluster").state.arn,
            byName(west, T.cluster, "db-cluster").state.arn,
          ],
          timeoutMinutes: rs.auroraTimeoutMinutes,
        },
      ]);
      // Every web service plus payments, each from the source's ASG to the target's.
      const [src, dst] = [asgArns(regional[source]), asgArns(regional[target])];
      assert.deepEqual(
        Object.keys(dst).sort(),
        [...Object.keys(readServices()), "payments"].sort(),
      );
      assert.deepEqual(
        scale.map((s: any) => [s.name, s.executionBlockType, s.ec2AsgCapacityIncreaseConfigs]),
        Object.keys(dst)
          .sort()
          .map((svc) => [
            `scale-${svc}`,
            "EC2AutoScaling",
            [
              {
                asgs: [{ arn: src[svc] }, { arn: dst[svc] }],
                capacityMonitoringApproach: "sampledMaxInLast24Hours",
                targetPercent: rs.scalingTargetPercent,
                timeoutMinutes: rs.scalingTimeoutMinutes,
              },
            ],
          ]),
      );
      const dns = w.steps[2].parallelConfigs[0].steps;
      assert.deepEqual(
        dns.map((s: any) => s.route53HealthCheckConfigs[0].recordName),
        east.outputs.failoverRecordNames,
      );
      for (const s of dns) {
        assert.equal(s.executionBlockType, "Route53HealthCheck");
        assert.equal(s.route53HealthCheckConfigs[0].hostedZoneId, east.outputs.hostedZoneId);
        assert.deepEqual(s.route53HealthCheckConfigs[0].recordSets, [
          { recordSetIdentifier: "us-east-1", region: "us-east-1" },
          { recordSetIdentifier: "us-west-2", region: "us-west-2" },
        ]);
      }
    }
  });

  it("starts itself towards us-west-2 only, on us-east-1's storefront health-check alarm", () => {
    const plan = byName(run, T.plan, "switch-plan").inputs;
    const eastHcAlarm = byName(east, "aws:cloudwatch/metricAlarm:MetricAlarm", "dns-web-hc-alarm")
      .state.arn;
    assert.deepEqual(
      plan.associatedAlarms.filter((a: any) => a.alarmType === "trigger"),
      rs.automaticFailover
        ? [
            {
              alarmType: "trigger",
              mapBlockKey: "us-east-1-web-dns-health",
              resourceIdentifier: eastHcAlarm,
            },
          ]
        : [],
    );
    assert.deepEqual(
      plan.triggers,
      rs.automaticFailover
        ? [
            {
              action: "activate",
              targetRegion: "us-west-2",
              description: "Every trigger alarm of us-east-1 is red",
              minDelayMinutesBetweenExecutions: 1440,
              conditions: [{ associatedAlarmName: "us-east-1-web-dns-health", condition: "red" }],
            },
          ]
        : undefined,
    );
  });

  it("gives the execution role exactly the sample policies' actions, on these ARNs", () => {
    const role = byName(run, T.role, "switch-exec");
    assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "arc-region-switch.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
    const policy = JSON.parse(byName(run, T.policy, "switch-exec-policy").inputs.policy);
    const plan = byName(run, T.plan, "switch-plan").inputs;
    assert.deepEqual(
      policy,
      executionRolePolicy({
        accountId: "123456789012",
        roleArn: role.state.arn,
        globalClusterIdentifier: east.outputs.dbGlobalClusterIdentifier as string,
        clusterArns: [
          byName(east, T.cluster, "db-cluster").state.arn,
          byName(west, T.cluster, "db-cluster").state.arn,
        ],
        autoScalingGroupArns: [
          ...Object.values(asgArns(east)),
          ...Object.values(asgArns(west)),
        ].sort(),
        hostedZoneId: east.outputs.hostedZoneId as string,
        alarmArns: plan.associatedAlarms.map((a: any) => a.resourceIdentifier),
      }),
    );
  });

  it("lets the approver role approve steps of this plan only, with MFA", () => {
    const approver = byName(run, T.role, "switch-approver");
    assert.deepEqual(JSON.parse(approver.inputs.assumeRolePolicy).Statement[0].Condition, {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
    });
    assert.deepEqual(JSON.parse(byName(run, T.policy, "switch-approver-policy").inputs.policy), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ApproveThisPlan",
          Effect: "Allow",
          Action: ["arc-region-switch:ApprovePlanExecutionStep"],
          Resource: byName(run, T.plan, "switch-plan").state.arn,
        },
      ],
    });
  });

  it("passes the policy pack", async () => {
    const report = await policyReport(run);
    assert.deepEqual(
      report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
      [],
    );
  });
});

describe("Region switch API rules", () => {
  const valid = () => ({
    name: "securecart-storefront",
    executionRole: "arn:aws:iam::123456789012:role/x",
    recoveryApproach: "activePassive",
    regions: ["us-east-1", "us-west-2"],
    primaryRegion: "us-east-1",
    workflows: [
      {
        workflowTargetAction: "activate",
        workflowTargetRegion: "us-west-2",
        steps: [
          {
            name: "scale",
            executionBlockType: "EC2AutoScaling",
            ec2AsgCapacityIncreaseConfigs: [
              {
                asgs: ["us-east-1", "us-west-2"].map((r) => ({
                  arn: `arn:aws:autoscaling:${r}:123456789012:autoScalingGroup:0a1b-2c:autoScalingGroupName/checkout`,
                })),
                capacityMonitoringApproach: "sampledMaxInLast24Hours",
              },
            ],
          },
        ],
      },
    ],
  });
  it("accepts a valid plan", () => assert.deepEqual(planProblems(valid()), []));
  const cases: [string, (p: any) => void, RegExp][] = [
    ["a 33-character name", (p) => (p.name = "a".repeat(33)), /name must be 1 to 32/],
    ["three regions", (p) => p.regions.push("eu-west-1"), /exactly 2 distinct/],
    [
      "one ASG in a capacity step",
      (p) => p.workflows[0].steps[0].ec2AsgCapacityIncreaseConfigs[0].asgs.pop(),
      /exactly 2 Auto Scaling group ARNs/,
    ],
    [
      "a step with two configurations",
      (p) => (p.workflows[0].steps[0].executionApprovalConfigs = [{ approvalRole: "x" }]),
      /exactly one ec2AsgCapacityIncreaseConfigs entry/,
    ],
    [
      "a trigger on a health alarm",
      (p) => {
        p.associatedAlarms = [
          {
            mapBlockKey: "h",
            alarmType: "applicationHealth",
            resourceIdentifier: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:h",
          },
        ];
        p.triggers = [
          {
            action: "activate",
            targetRegion: "us-west-2",
            minDelayMinutesBetweenExecutions: 60,
            conditions: [{ associatedAlarmName: "h", condition: "red" }],
          },
        ];
      },
      /h is not an associated alarm of type trigger/,
    ],
    [
      "an alarm outside the plan's regions",
      (p) =>
        (p.associatedAlarms = [
          {
            mapBlockKey: "h",
            alarmType: "applicationHealth",
            resourceIdentifier: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:h",
          },
        ]),
      /CloudWatch alarm ARN in a plan region/,
    ],
  ];
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what}`, () => {
      const p = valid();
      mutate(p);
      assert.match(planProblems(p).join("; "), message);
    });
  }

  it("the mocks refuse a plan whose execution role ARC cannot assume", async () => {
    await assert.rejects(
      runComponents(() => {
        const role = new aws.iam.Role("r", {
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "ec2.amazonaws.com" },
                Action: "sts:AssumeRole",
              },
            ],
          }),
        });
        return new aws.arcregionswitch.Plan("p", { ...valid(), executionRole: role.arn });
      }),
      /is not a role of this program that trusts arc-region-switch.amazonaws.com/,
    );
  });

  it("refuses a bad plan name in the global stack's config, naming the key", async () => {
    await assert.rejects(
      runStack("prod-global", {
        "securecart-global:regionSwitch": { ...readPlanConfig(), planName: "bad name!" },
      }),
      /`securecart-global:regionSwitch.planName` must be 1 to 32 letters/,
    );
  });
});

function readServices(): Record<string, unknown> {
  return JSON.parse(readStackConfig("prod-east")["securecart:services"]);
}

function readPlanConfig(): Record<string, unknown> {
  return JSON.parse(
    readStackConfig("prod-global", {}, GLOBAL_ROOT)["securecart-global:regionSwitch"],
  );
}
