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
} from "../testing/harness";
import { parseGlobalConfig } from "../stacks/globalConfig";
import { parseStackConfig, webHostLabels } from "../stacks/config";
import { policyReport } from "../testing/policyRunner";
import { executionRolePolicy, planProblems } from "../components/recovery/regionSwitchRules";
import {
  planHealthCheckDuringPreview,
  planHealthCheckFor,
  regionalRecordProblems,
} from "../components/recovery/regionSwitchRecords";
import { listRoute53HealthChecks } from "../testing/recoveryMocks";
import { calculatedHealthCheckProblems } from "../testing/mocks";
import { UNKNOWN } from "../testing/plannedOutputs";
import { committedSettings } from "../tools/drill";

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

  it("moves shoppers' names first, then payments, admin last (traffic steps run in turn)", () => {
    const regional = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const fqdn = (l: string) => (l === "@" ? regional.domain : `${l}.${regional.domain}`);
    const admin = regional.services.admin.hosts;
    const shoppers = webHostLabels(regional).filter((l) => !admin.includes(l));
    // The apex first (where shoppers land), then their hosts by name; then pay; then admin.
    const expected = [
      ...shoppers.filter((l) => l === "@"),
      ...shoppers.filter((l) => l !== "@").sort(),
      regional.payments.host,
      ...[...admin].sort(),
    ].map(fqdn);
    const plan = byName(run, T.plan, "switch-plan").inputs;
    for (const w of plan.workflows) {
      const names = w.steps
        .filter((s: any) => s.executionBlockType === "Route53HealthCheck")
        .map((s: any) => s.route53HealthCheckConfigs[0].recordName);
      assert.deepEqual(names, expected, `workflow to ${w.workflowTargetRegion}`);
    }
    // The failover model times each name in the same order as the plan moves them.
    assert.deepEqual(
      committedSettings().records.map((r) => r.fqdn),
      east.outputs.failoverRecordNames,
    );
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
      const names = east.outputs.failoverRecordNames as string[];
      assert.deepEqual(
        w.steps.map((s: any) => [s.name, s.executionBlockType]),
        [
          ["approve", "ManualApproval"],
          ["writer-and-capacity", "Parallel"],
          // Top level, one per name: the provider waits for the health checks of these only.
          ...names.map((_, i) => [`traffic-${i + 1}`, "Route53HealthCheck"]),
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
      const dns = w.steps.slice(2);
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

  it("starts itself towards the other region when the active one's storefront alarm is red, in both directions, and never again once it switched", () => {
    const plan = byName(run, T.plan, "switch-plan");
    const hcAlarm = (r: ProgramRun) =>
      byName(r, "aws:cloudwatch/metricAlarm:MetricAlarm", "dns-web-hc-alarm").state.arn;
    const active = (region: string) =>
      byName(run, "aws:cloudwatch/metricAlarm:MetricAlarm", `switch-${region}-active`);
    if (!rs.automaticFailover) {
      assert.equal(plan.inputs.triggers, undefined);
      return;
    }
    assert.deepEqual(
      plan.inputs.associatedAlarms.filter((a: any) => a.alarmType === "trigger"),
      [
        {
          alarmType: "trigger",
          mapBlockKey: "us-east-1-web-dns-health",
          resourceIdentifier: hcAlarm(east),
        },
        {
          alarmType: "trigger",
          mapBlockKey: "us-west-2-web-dns-health",
          resourceIdentifier: hcAlarm(west),
        },
        // Named by us, so the plan can name them before they exist: the ARNs must be theirs.
        {
          alarmType: "trigger",
          mapBlockKey: "us-east-1-active",
          resourceIdentifier: active("us-east-1").state.arn,
        },
        {
          alarmType: "trigger",
          mapBlockKey: "us-west-2-active",
          resourceIdentifier: active("us-west-2").state.arn,
        },
      ],
    );
    const trigger = (from: string, to: string) => ({
      action: "activate",
      targetRegion: to,
      description: `${from} is active in the plan and every trigger alarm of ${from} is red`,
      minDelayMinutesBetweenExecutions: 1440,
      conditions: [
        { associatedAlarmName: `${from}-web-dns-health`, condition: "red" },
        { associatedAlarmName: `${from}-active`, condition: "green" },
      ],
    });
    assert.deepEqual(plan.inputs.triggers, [
      trigger("us-east-1", "us-west-2"),
      trigger("us-west-2", "us-east-1"),
    ]);
    // "Active" = the plan's own Route 53 health check for the first record name in that region,
    // in us-east-1 where Route 53 publishes its metrics; no data counts as not active.
    const checks = listRoute53HealthChecks({ planArn: plan.state.arn }, [plan]).healthChecks as {
      healthCheckId: string;
      recordName: string;
      region: string;
    }[];
    const first = (east.outputs.failoverRecordNames as string[])[0];
    for (const region of ["us-east-1", "us-west-2"]) {
      const { alarmDescription, tags, ...rest } = active(region).inputs;
      assert.deepEqual(rest, {
        region: "us-east-1",
        name: `${rs.planName}-${region}-active`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: {
          HealthCheckId: checks.find((c) => c.recordName === first && c.region === region)!
            .healthCheckId,
        },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
      });
      assert.match(alarmDescription, new RegExp(`does not have ${region} active`));
      assert.equal(tags.Stack, "prod-global");
    }
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

  it("previews an update that adds a failover record: the plan is read as deployed, the new gate is unknown", async () => {
    // The deployed plan lacks the last traffic step's record name: this update adds it.
    const plan = byName(run, T.plan, "switch-plan");
    const trafficName = (st: any) => st.route53HealthCheckConfigs?.[0]?.recordName;
    const names: string[] = plan.inputs.workflows[0].steps.map(trafficName).filter(Boolean);
    const added = names[names.length - 1];
    const asDeployed = {
      ...plan.state,
      workflows: plan.state.workflows.map((w: any) => ({
        ...w,
        steps: w.steps.filter((st: any) => trafficName(st) !== added),
      })),
    };
    const preview = await runStack(
      "prod-global",
      {},
      {
        preview: true,
        deployed: [{ type: T.plan, name: plan.name, id: plan.id!, state: asDeployed }],
      },
    );
    const primaryRecord = ofType(run, "aws:route53/record:Record").find(
      (r) => r.inputs.name === added && r.inputs.failoverRoutingPolicies[0].type === "PRIMARY",
    )!;
    const gateOf = (r: ProgramRun) =>
      Object.fromEntries(
        ofType(r, "aws:route53/healthCheck:HealthCheck")
          .filter((h) => h.name.endsWith("-gate"))
          .map((h) => [h.name, h]),
      );
    const addedGate = Object.values(gateOf(run)).find(
      (g) => g.id === primaryRecord.inputs.healthCheckId,
    )!;
    for (const [gateName, gate] of Object.entries(gateOf(preview))) {
      assert.equal(
        gate.inputs.childHealthchecks.includes(UNKNOWN),
        gateName === addedGate.name,
        `${gateName}: only the added name's plan check is unknown in the preview`,
      );
    }
  });

  it("deletes the plan before replacing it: its name is fixed and unique in the account", () => {
    assert.equal(byName(run, T.plan, "switch-plan").options.deleteBeforeReplace, true);
  });

  it("keeps every regional endpoint check prod-global's records or gates name when a regional up drops it", () => {
    const referenced = new Set<string>([
      ...ofType(run, "aws:route53/record:Record").map((r) => r.inputs.healthCheckId),
      ...ofType(run, "aws:route53/healthCheck:HealthCheck").flatMap(
        (h) => h.inputs.childHealthchecks ?? [],
      ),
    ]);
    const regionalChecks = [east, west].flatMap((r) =>
      ofType(r, "aws:route53/healthCheck:HealthCheck").filter((h) => referenced.has(h.id!)),
    );
    assert.ok(regionalChecks.length > 0, "prod-global names regional endpoint checks");
    for (const h of regionalChecks) {
      assert.equal(h.options.retainOnDelete, true, `${h.name} (${h.id}) is kept on delete`);
    }
  });

  it("declares no desired capacity on the groups the plan scales, so an up never undoes the plan's raise", () => {
    const plan = byName(run, T.plan, "switch-plan");
    const scaled = new Set<string>(
      plan.inputs.workflows.flatMap((w: any) =>
        w.steps
          .flatMap((st: any) => [st, ...(st.parallelConfigs ?? []).flatMap((p: any) => p.steps)])
          .flatMap((st: any) => st.ec2AsgCapacityIncreaseConfigs ?? [])
          .flatMap((c: any) => c.asgs.map((a: any) => a.arn)),
      ),
    );
    const groups = [east, west].flatMap((r) =>
      ofType(r, T.asg).filter((g) => scaled.has(g.state.arn)),
    );
    assert.equal(
      groups.length,
      scaled.size,
      "every scaled group is a group of prod-east or prod-west",
    );
    for (const g of groups) assert.equal(g.inputs.desiredCapacity, undefined, g.name);
  });

  it("lets the approver role, with MFA, approve and follow this plan's executions and nothing else", () => {
    const approver = byName(run, T.role, "switch-approver");
    assert.deepEqual(JSON.parse(approver.inputs.assumeRolePolicy).Statement[0].Condition, {
      Bool: { "aws:MultiFactorAuthPresent": "true" },
    });
    const planArn = byName(run, T.plan, "switch-plan").state.arn;
    const statements = JSON.parse(
      byName(run, T.policy, "switch-approver-policy").inputs.policy,
    ).Statement;
    assert.deepEqual(statements.flatMap((st: any) => st.Action).sort(), [
      "arc-region-switch:ApprovePlanExecutionStep",
      "arc-region-switch:GetPlan",
      "arc-region-switch:GetPlanExecution",
      "arc-region-switch:ListPlanExecutions",
      "arc-region-switch:UpdatePlanExecution",
    ]);
    for (const st of statements) {
      assert.equal(st.Effect, "Allow");
      assert.equal(st.Resource, planArn, `${st.Sid} is scoped to this plan`);
    }
  });

  it("lets the execution role start this plan, and only this plan, when it has triggers", () => {
    const plan = byName(run, T.plan, "switch-plan");
    const start = run.resources.find((r) => r.type === T.policy && r.name === "switch-exec-start");
    if ((plan.inputs.triggers ?? []).length === 0) {
      assert.equal(start, undefined);
      return;
    }
    assert.ok(start, "a plan with triggers needs StartPlanExecution on its execution role");
    assert.equal(start.inputs.role, byName(run, T.role, "switch-exec").state.name);
    assert.deepEqual(JSON.parse(start.inputs.policy).Statement, [
      {
        Sid: "TriggersStartThisPlan",
        Effect: "Allow",
        Action: ["arc-region-switch:StartPlanExecution"],
        Resource: plan.state.arn,
      },
    ]);
  });

  it("writes both regions' failover records; each PRIMARY is gated on its endpoint check AND the plan's us-east-1 check for that name", () => {
    const plan = byName(run, T.plan, "switch-plan");
    // The plan's checks as ListRoute53HealthChecks answers for this plan's ARN.
    const planChecks = listRoute53HealthChecks({ planArn: plan.state.arn }, [plan])
      .healthChecks as {
      healthCheckId: string;
      recordName: string;
      region: string;
    }[];
    const planCheck = (fqdn: string, region: string) =>
      planChecks.find((c) => c.recordName === fqdn && c.region === region)!.healthCheckId;
    const endpointCheck = (r: ProgramRun, key: string) =>
      byName(r, "aws:route53/healthCheck:HealthCheck", `dns-${key}-hc`).id;
    const zone = east.outputs.hostedZoneId;
    const lb = (r: ProgramRun, key: string) =>
      byName(r, "aws:lb/loadBalancer:LoadBalancer", key === "pay" ? "pay-nlb" : "web-alb").state;
    const records = ofType(run, "aws:route53/record:Record");
    const gates = ofType(run, "aws:route53/healthCheck:HealthCheck");
    const expectedRecords: Record<string, unknown> = {};
    const expectedGates: Record<string, unknown> = {};
    for (const fqdn of east.outputs.failoverRecordNames as string[]) {
      const key = fqdn === "securecart.com" ? "apex" : fqdn.split(".")[0];
      const endpoint = key === "pay" ? "pay" : "web";
      expectedGates[`records-${key}-gate`] = {
        type: "CALCULATED",
        childHealthThreshold: 2,
        childHealthchecks: [endpointCheck(east, endpoint), planCheck(fqdn, "us-east-1")],
        tags: { Name: `records-${key}-us-east-1`, Project: "securecart", Stack: "prod-global" },
      };
      for (const [r, region, failover] of [
        [east, "us-east-1", "PRIMARY"],
        [west, "us-west-2", "SECONDARY"],
      ] as const) {
        const target = lb(r, endpoint);
        expectedRecords[`records-${key}-${region}`] = {
          zoneId: zone,
          name: fqdn,
          type: "A",
          setIdentifier: region,
          healthCheckId:
            failover === "PRIMARY"
              ? byName(run, "aws:route53/healthCheck:HealthCheck", `records-${key}-gate`).id
              : endpointCheck(west, endpoint),
          failoverRoutingPolicies: [{ type: failover }],
          aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }],
          // Adopts the record a regional stack left when the records moved here.
          allowOverwrite: true,
        };
      }
    }
    assert.deepEqual(Object.fromEntries(gates.map((g) => [g.name, g.inputs])), expectedGates);
    assert.deepEqual(Object.fromEntries(records.map((r) => [r.name, r.inputs])), expectedRecords);
    // The standby's plan check is attached to nothing: Route 53 answers with the SECONDARY
    // whenever the PRIMARY is unhealthy, so gating it too would hold browsing on a lost region.
    const used = new Set(gates.flatMap((g) => g.inputs.childHealthchecks as string[]));
    for (const c of planChecks.filter((p) => p.region === "us-west-2")) {
      assert.ok(!used.has(c.healthCheckId), c.recordName);
    }
    assert.deepEqual(run.outputs.recordGateHealthCheckIds, {
      ...Object.fromEntries(gates.map((g) => [g.name.replace(/^records-|-gate$/g, ""), g.id])),
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

describe("Region switch records: pure rules", () => {
  const check = (recordName: string, region: string, id: string) => ({
    healthCheckId: id,
    recordName,
    region,
  });
  const id1 = "11111111-2222-4333-a444-555555555555";
  const id2 = "66666666-7777-4888-a999-000000000000";

  it("finds the plan's check by name (any case, trailing dot or not) and region", () => {
    const checks = [
      check("Shop.Securecart.com.", "us-east-1", id1),
      check("shop.securecart.com", "us-west-2", id2),
    ];
    assert.equal(planHealthCheckFor(checks, "shop.securecart.com", "us-east-1"), id1);
    assert.equal(planHealthCheckFor(checks, "shop.securecart.com", "us-west-2"), id2);
  });

  it("refuses to gate a record the plan has no check for, saying what to do", () => {
    assert.throws(
      () =>
        planHealthCheckFor(
          [check("pay.securecart.com", "us-east-1", id1)],
          "shop.securecart.com",
          "us-east-1",
        ),
      /the Region switch plan has no Route 53 health check for shop.securecart.com in us-east-1 \(it has pay.securecart.com@us-east-1\); .* run `pulumi up` on prod-global again/,
    );
    assert.throws(
      () =>
        planHealthCheckFor(
          [check("shop.securecart.com", "us-east-1", "")],
          "shop.securecart.com",
          "us-east-1",
        ),
      /has 1 Route 53 health check/,
    );
  });

  it("leaves a name the plan lacks unknown in a preview, and refuses it in an update", () => {
    const checks = [check("pay.securecart.com", "us-east-1", id1)];
    assert.equal(
      planHealthCheckDuringPreview(checks, "shop.securecart.com", "us-east-1", true),
      undefined,
    );
    assert.equal(
      planHealthCheckDuringPreview(checks, "pay.securecart.com", "us-east-1", true),
      id1,
    );
    assert.throws(
      () => planHealthCheckDuringPreview(checks, "shop.securecart.com", "us-east-1", false),
      /nothing waits for them after UpdatePlan\): wait a few minutes and run `pulumi up` on prod-global again/,
    );
  });

  it("needs one PRIMARY in the plan's primary region and one SECONDARY in the other, per name", () => {
    const rec = (fqdn: string, setIdentifier: string, failover: "PRIMARY" | "SECONDARY") => ({
      key: "shop",
      fqdn,
      type: "A" as const,
      setIdentifier,
      failover,
      target: { dnsName: "x", zoneId: "Z" },
      healthCheckId: id1,
    });
    const regions = ["us-east-1", "us-west-2"];
    assert.deepEqual(
      regionalRecordProblems(
        [rec("shop.x.com", "us-east-1", "PRIMARY"), rec("shop.x.com", "us-west-2", "SECONDARY")],
        "us-east-1",
        regions,
      ),
      [],
    );
    assert.deepEqual(
      regionalRecordProblems(
        [rec("shop.x.com", "us-east-1", "SECONDARY"), rec("shop.x.com", "us-west-2", "PRIMARY")],
        "us-east-1",
        regions,
      ),
      [
        "shop.x.com must have exactly us-east-1:PRIMARY and us-west-2:SECONDARY records; got us-east-1:SECONDARY, us-west-2:PRIMARY",
      ],
    );
    assert.deepEqual(
      regionalRecordProblems([rec("shop.x.com", "us-east-1", "PRIMARY")], "us-east-1", regions),
      [
        "shop.x.com must have exactly us-east-1:PRIMARY and us-west-2:SECONDARY records; got us-east-1:PRIMARY",
      ],
    );
  });
});

describe("CreateHealthCheck rules for calculated checks (mocks)", () => {
  const child = "11111111-2222-4333-a444-555555555555";
  it("accepts an AND of two checks and refuses what Route 53 refuses", () => {
    const ok = {
      type: "CALCULATED",
      childHealthThreshold: 2,
      childHealthchecks: [child, child.replace("1111", "9999")],
    };
    assert.deepEqual(calculatedHealthCheckProblems(ok), []);
    assert.deepEqual(
      calculatedHealthCheckProblems({
        ...ok,
        childHealthThreshold: 257,
        childHealthchecks: [child, child, "hc"],
        fqdn: "x.com",
      }),
      [
        "ChildHealthChecks has hc, which is not a health check ID",
        "ChildHealthChecks lists a health check twice",
        "HealthThreshold must be an integer from 0 to 256; got 257",
        "a CALCULATED health check takes no fqdn",
      ],
    );
    assert.deepEqual(calculatedHealthCheckProblems({ ...ok, childHealthchecks: [] }), [
      "ChildHealthChecks must list 1 to 255 health checks; got 0",
    ]);
    // Endpoint checks are not calculated: nothing to say.
    assert.deepEqual(calculatedHealthCheckProblems({ type: "HTTPS", fqdn: "x.com" }), []);
  });
});
