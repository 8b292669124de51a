import { strict as assert } from "assert";
import { MOCK_ACCOUNT_ID } from "../testing/mocks";
import { ProgramRun, byName, ofType, runComponents } from "../testing/harness";
import type { ScalingPolicy, ScalingPolicyArgs } from "../components/scaling/scalingPolicy";

const ASG_POLICY = "aws:autoscaling/policy:Policy";
const ASG_SCHEDULE = "aws:autoscaling/schedule:Schedule";
const APP_TARGET = "aws:appautoscaling/target:Target";
const APP_POLICY = "aws:appautoscaling/policy:Policy";
const APP_ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction";
const SCALING_TYPES = [ASG_POLICY, ASG_SCHEDULE, APP_TARGET, APP_POLICY, APP_ACTION];

const ALB_SUFFIX = "app/web-alb-1a2b3c4/50dc6c495c0c9188";
const TG_SUFFIX = "targetgroup/web-cart-tg-9f8e7d6/943f017f100becff";

async function run(
  args: ScalingPolicyArgs,
  region = "us-east-1",
): Promise<ProgramRun & { result: ScalingPolicy }> {
  const { ScalingPolicy } = await import("../components/scaling/scalingPolicy");
  return runComponents(() => new ScalingPolicy("scale", args), region);
}

/** Counts of each scaling resource type, so no test can pass with extra or missing children. */
function counts(r: ProgramRun): Record<string, number> {
  return Object.fromEntries(SCALING_TYPES.map((t) => [t, ofType(r, t).length]));
}

function expectCounts(r: ProgramRun, expected: Partial<Record<string, number>>): void {
  assert.deepEqual(counts(r), Object.fromEntries(SCALING_TYPES.map((t) => [t, expected[t] ?? 0])));
}

describe("ScalingPolicy: EC2 Auto Scaling group", () => {
  it("defaults to CPU target tracking at 60 % and nothing else", async () => {
    const r = await run({ target: { kind: "ec2", autoScalingGroupName: "web-cart-asg-1234567" } });
    expectCounts(r, { [ASG_POLICY]: 1 });
    const cpu = byName(r, ASG_POLICY, "scale-cpu");
    assert.deepEqual(cpu.inputs, {
      autoscalingGroupName: "web-cart-asg-1234567",
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: 60,
        disableScaleIn: false,
      },
    });
    assert.equal(cpu.parent, byName(r, "securecart:components:ScalingPolicy", "scale").urn);
    assert.match(
      cpu.state.arn,
      new RegExp(
        `^arn:aws:autoscaling:us-east-1:${MOCK_ACCOUNT_ID}:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName/web-cart-asg-1234567:policyName/scale-cpu-[0-9a-f]{7}$`,
      ),
    );
  });

  it("tracks ALB requests per target with the app/…/targetgroup/… resource label", async () => {
    const r = await run({
      target: { kind: "ec2", autoScalingGroupName: "asg" },
      targetTracking: [
        { predefinedMetricType: "ASGAverageCPUUtilization", targetValue: 55 },
        {
          predefinedMetricType: "ALBRequestCountPerTarget",
          targetValue: 800,
          loadBalancer: { loadBalancerArnSuffix: ALB_SUFFIX, targetGroupArnSuffix: TG_SUFFIX },
        },
      ],
    });
    expectCounts(r, { [ASG_POLICY]: 2 });
    assert.equal(
      byName(r, ASG_POLICY, "scale-cpu").inputs.targetTrackingConfiguration.targetValue,
      55,
    );
    assert.deepEqual(byName(r, ASG_POLICY, "scale-requests").inputs.targetTrackingConfiguration, {
      predefinedMetricSpecification: {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: `${ALB_SUFFIX}/${TG_SUFFIX}`,
      },
      targetValue: 800,
      disableScaleIn: false,
    });
  });

  it("schedules with a 5-field cron in an IANA time zone, leaving unset bounds at -1", async () => {
    const r = await run({
      target: { kind: "ec2", autoScalingGroupName: "asg", minSize: 3, maxSize: 24 },
      targetTracking: [],
      scheduledActions: {
        "before-rush": { schedule: "30 17 * * *", timeZone: "America/New_York", minCapacity: 12 },
        "night-cap": { schedule: "0 3 * * *", maxCapacity: 10 },
        "after-rush": {
          schedule: "0 21 * * *",
          minCapacity: 3,
          maxCapacity: 20,
          desiredCapacity: 4,
        },
      },
    });
    expectCounts(r, { [ASG_SCHEDULE]: 3 });
    assert.deepEqual(byName(r, ASG_SCHEDULE, "scale-night-cap").inputs, {
      autoscalingGroupName: "asg",
      scheduledActionName: "scale-night-cap",
      recurrence: "0 3 * * *",
      timeZone: "UTC",
      minSize: -1,
      maxSize: 10,
      desiredCapacity: -1,
    });
    assert.deepEqual(byName(r, ASG_SCHEDULE, "scale-before-rush").inputs, {
      autoscalingGroupName: "asg",
      scheduledActionName: "scale-before-rush",
      recurrence: "30 17 * * *",
      timeZone: "America/New_York",
      minSize: 12,
      maxSize: -1,
      desiredCapacity: -1,
    });
    assert.deepEqual(byName(r, ASG_SCHEDULE, "scale-after-rush").inputs, {
      autoscalingGroupName: "asg",
      scheduledActionName: "scale-after-rush",
      recurrence: "0 21 * * *",
      timeZone: "UTC",
      minSize: 3,
      maxSize: 20,
      desiredCapacity: 4,
    });
    assert.equal(
      byName(r, ASG_SCHEDULE, "scale-before-rush").state.arn.split(":").slice(0, 6).join(":"),
      `arn:aws:autoscaling:us-east-1:${MOCK_ACCOUNT_ID}:scheduledUpdateGroupAction`,
    );
    assert.deepEqual(Object.keys(r.result.scheduledActionArns).sort(), [
      "after-rush",
      "before-rush",
      "night-cap",
    ]);
  });

  it("adds forecast-only predictive scaling on the CPU pair at the CPU target", async () => {
    const r = await run({
      target: { kind: "ec2", autoScalingGroupName: "asg" },
      targetTracking: [{ predefinedMetricType: "ASGAverageCPUUtilization", targetValue: 50 }],
      predictiveScaling: {},
    });
    expectCounts(r, { [ASG_POLICY]: 2 });
    assert.deepEqual(byName(r, ASG_POLICY, "scale-predictive").inputs, {
      autoscalingGroupName: "asg",
      policyType: "PredictiveScaling",
      predictiveScalingConfiguration: {
        mode: "ForecastOnly",
        maxCapacityBreachBehavior: "HonorMaxCapacity",
        metricSpecification: {
          targetValue: 50,
          predefinedMetricPairSpecification: { predefinedMetricType: "ASGCPUUtilization" },
        },
      },
    });
    assert.deepEqual(Object.keys(r.result.policyArns).sort(), ["cpu", "predictive"]);
  });

  it("uses ForecastAndScale and its own CPU target when asked", async () => {
    const r = await run({
      target: { kind: "ec2", autoScalingGroupName: "asg" },
      predictiveScaling: { mode: "ForecastAndScale", cpuTargetPercent: 40 },
    });
    const cfg = byName(r, ASG_POLICY, "scale-predictive").inputs.predictiveScalingConfiguration;
    assert.equal(cfg.mode, "ForecastAndScale");
    assert.equal(cfg.metricSpecification.targetValue, 40);
  });
});

describe("ScalingPolicy: Application Auto Scaling targets", () => {
  it("ECS: registers service/<cluster>/<svc> on DesiredCount and tracks ECS CPU at 60 %", async () => {
    const r = await run({
      target: {
        kind: "ecs",
        clusterName: "prod",
        serviceName: "checkout",
        capacity: { min: 2, max: 20 },
      },
      scheduledActions: {
        "before-rush": {
          schedule: "cron(30 17 * * ? *)",
          timeZone: "America/New_York",
          minCapacity: 8,
        },
      },
    });
    expectCounts(r, { [APP_TARGET]: 1, [APP_POLICY]: 1, [APP_ACTION]: 1 });
    const target = byName(r, APP_TARGET, "scale-target");
    assert.deepEqual(target.inputs, {
      serviceNamespace: "ecs",
      resourceId: "service/prod/checkout",
      scalableDimension: "ecs:service:DesiredCount",
      minCapacity: 2,
      maxCapacity: 20,
      tags: {},
    });
    assert.equal(target.id, "service/prod/checkout");
    assert.match(
      target.state.arn,
      new RegExp(
        `^arn:aws:application-autoscaling:us-east-1:${MOCK_ACCOUNT_ID}:scalable-target/[0-9a-f]{36}$`,
      ),
    );
    const policy = byName(r, APP_POLICY, "scale-cpu");
    assert.deepEqual(policy.inputs, {
      serviceNamespace: "ecs",
      resourceId: "service/prod/checkout",
      scalableDimension: "ecs:service:DesiredCount",
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
        targetValue: 60,
        disableScaleIn: false,
      },
    });
    // The policy takes its IDs from the target's outputs, so it waits for the registration.
    assert.deepEqual(policy.propertyDependencies.resourceId, [target.urn]);
    assert.match(
      policy.state.arn,
      /^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/prod\/checkout:policyName\/scale-cpu-[0-9a-f]{7}$/,
    );
    assert.deepEqual(byName(r, APP_ACTION, "scale-before-rush").inputs, {
      serviceNamespace: "ecs",
      resourceId: "service/prod/checkout",
      scalableDimension: "ecs:service:DesiredCount",
      schedule: "cron(30 17 * * ? *)",
      timezone: "America/New_York",
      scalableTargetAction: { minCapacity: 8 },
    });
  });

  it("ECS: tracks memory and ALB requests with cooldowns", async () => {
    const r = await run({
      target: {
        kind: "ecs",
        clusterName: "prod",
        serviceName: "api",
        capacity: { min: 1, max: 10 },
      },
      targetTracking: [
        {
          predefinedMetricType: "ECSServiceAverageMemoryUtilization",
          scaleInCooldownSeconds: 300,
          scaleOutCooldownSeconds: 60,
        },
        {
          predefinedMetricType: "ALBRequestCountPerTarget",
          targetValue: 500,
          loadBalancer: { loadBalancerArnSuffix: ALB_SUFFIX, targetGroupArnSuffix: TG_SUFFIX },
        },
      ],
    });
    expectCounts(r, { [APP_TARGET]: 1, [APP_POLICY]: 2 });
    assert.deepEqual(
      byName(r, APP_POLICY, "scale-memory").inputs.targetTrackingScalingPolicyConfiguration,
      {
        predefinedMetricSpecification: {
          predefinedMetricType: "ECSServiceAverageMemoryUtilization",
        },
        targetValue: 70,
        disableScaleIn: false,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
      },
    );
    assert.equal(
      byName(r, APP_POLICY, "scale-requests").inputs.targetTrackingScalingPolicyConfiguration
        .predefinedMetricSpecification.resourceLabel,
      `${ALB_SUFFIX}/${TG_SUFFIX}`,
    );
  });

  it("DynamoDB table: read and write targets, each tracked at 70 %, in the target's own region", async () => {
    const r = await run(
      {
        target: {
          kind: "dynamodb-table",
          tableName: "sessions",
          read: { min: 5, max: 500 },
          write: { min: 5, max: 200 },
        },
        scheduledActions: {
          "sale-reads": {
            schedule: "at(2026-11-27T06:00:00)",
            timeZone: "America/Los_Angeles",
            dimension: "read",
            minCapacity: 100,
          },
        },
      },
      "us-west-2",
    );
    expectCounts(r, { [APP_TARGET]: 2, [APP_POLICY]: 2, [APP_ACTION]: 1 });
    for (const [dim, unit, range] of [
      ["read", "Read", [5, 500]],
      ["write", "Write", [5, 200]],
    ] as const) {
      assert.deepEqual(byName(r, APP_TARGET, `scale-${dim}-target`).inputs, {
        serviceNamespace: "dynamodb",
        resourceId: "table/sessions",
        scalableDimension: `dynamodb:table:${unit}CapacityUnits`,
        minCapacity: range[0],
        maxCapacity: range[1],
        tags: {},
      });
      assert.deepEqual(byName(r, APP_POLICY, `scale-${dim}`).inputs, {
        serviceNamespace: "dynamodb",
        resourceId: "table/sessions",
        scalableDimension: `dynamodb:table:${unit}CapacityUnits`,
        policyType: "TargetTrackingScaling",
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: {
            predefinedMetricType: `DynamoDB${unit}CapacityUtilization`,
          },
          targetValue: 70,
          disableScaleIn: false,
        },
      });
    }
    const action = byName(r, APP_ACTION, "scale-sale-reads");
    assert.equal(action.inputs.scalableDimension, "dynamodb:table:ReadCapacityUnits");
    assert.equal(action.inputs.schedule, "at(2026-11-27T06:00:00)");
    assert.equal(action.inputs.timezone, "America/Los_Angeles");
    assert.match(
      action.state.arn,
      /^arn:aws:autoscaling:us-west-2:123456789012:scheduledAction:[0-9a-f-]{36}:resource\/dynamodb\/table\/sessions:scheduledActionName\/scale-sale-reads-[0-9a-f]{7}$/,
    );
    assert.equal(
      byName(r, APP_TARGET, "scale-read-target").state.roleArn,
      `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`,
    );
    assert.deepEqual(Object.keys(r.result.scalableTargetArns).sort(), ["read", "write"]);
  });

  it("DynamoDB GSI: table/<name>/index/<index> on the index dimensions", async () => {
    const r = await run({
      target: {
        kind: "dynamodb-index",
        tableName: "sessions",
        indexName: "by-user",
        read: { min: 1, max: 100 },
        write: { min: 1, max: 50 },
      },
      targetTracking: [
        { predefinedMetricType: "DynamoDBWriteCapacityUtilization", targetValue: 50 },
      ],
    });
    expectCounts(r, { [APP_TARGET]: 2, [APP_POLICY]: 1 });
    assert.deepEqual(
      ofType(r, APP_TARGET).map((t) => [t.inputs.resourceId, t.inputs.scalableDimension]),
      [
        ["table/sessions/index/by-user", "dynamodb:index:ReadCapacityUnits"],
        ["table/sessions/index/by-user", "dynamodb:index:WriteCapacityUnits"],
      ],
    );
    const policy = byName(r, APP_POLICY, "scale-write");
    assert.equal(policy.inputs.scalableDimension, "dynamodb:index:WriteCapacityUnits");
    assert.equal(policy.inputs.targetTrackingScalingPolicyConfiguration.targetValue, 50);
  });

  it("Lambda: function:<name>:<alias> provisioned concurrency tracked at 0.7", async () => {
    const r = await run({
      target: {
        kind: "lambda",
        functionName: "resize",
        alias: "live",
        capacity: { min: 2, max: 50 },
      },
      scheduledActions: {
        nightly: {
          schedule: "cron(0 2 * * ? *)",
          timeZone: "Europe/Berlin",
          minCapacity: 0,
          maxCapacity: 10,
        },
        hourly: { schedule: "rate(1 hour)", maxCapacity: 50 },
      },
    });
    expectCounts(r, { [APP_TARGET]: 1, [APP_POLICY]: 1, [APP_ACTION]: 2 });
    const target = byName(r, APP_TARGET, "scale-target").inputs;
    assert.equal(target.serviceNamespace, "lambda");
    assert.equal(target.resourceId, "function:resize:live");
    assert.equal(target.scalableDimension, "lambda:function:ProvisionedConcurrency");
    assert.deepEqual(
      byName(r, APP_POLICY, "scale-concurrency").inputs.targetTrackingScalingPolicyConfiguration,
      {
        predefinedMetricSpecification: {
          predefinedMetricType: "LambdaProvisionedConcurrencyUtilization",
        },
        targetValue: 0.7,
        disableScaleIn: false,
      },
    );
    assert.deepEqual(byName(r, APP_ACTION, "scale-nightly").inputs.scalableTargetAction, {
      minCapacity: 0,
      maxCapacity: 10,
    });
    assert.equal(byName(r, APP_ACTION, "scale-hourly").inputs.timezone, "UTC");
  });
});

describe("ScalingPolicy: validation", () => {
  const ec2 = { kind: "ec2", autoScalingGroupName: "asg", minSize: 3, maxSize: 24 } as const;
  const ecs = {
    kind: "ecs",
    clusterName: "c",
    serviceName: "s",
    capacity: { min: 1, max: 10 },
  } as const;
  const table = {
    kind: "dynamodb-table",
    tableName: "t",
    read: { min: 5, max: 100 },
    write: { min: 5, max: 100 },
  } as const;
  const lambda = {
    kind: "lambda",
    functionName: "f",
    alias: "live",
    capacity: { min: 1, max: 10 },
  } as const;
  const alb = { loadBalancerArnSuffix: ALB_SUFFIX, targetGroupArnSuffix: TG_SUFFIX };

  const cases: [string, ScalingPolicyArgs, string][] = [
    [
      "CPU target above 100",
      {
        target: ec2,
        targetTracking: [{ predefinedMetricType: "ASGAverageCPUUtilization", targetValue: 120 }],
      },
      "targetTracking[0].targetValue (ASGAverageCPUUtilization) must be a utilisation from 1 to 100 %; got 120",
    ],
    [
      "CPU target 0",
      {
        target: ecs,
        targetTracking: [
          { predefinedMetricType: "ECSServiceAverageCPUUtilization", targetValue: 0 },
        ],
      },
      "targetTracking[0].targetValue (ECSServiceAverageCPUUtilization) must be a utilisation from 1 to 100 %; got 0",
    ],
    [
      "request-count target 0",
      {
        target: ec2,
        targetTracking: [
          { predefinedMetricType: "ALBRequestCountPerTarget", targetValue: 0, loadBalancer: alb },
        ],
      },
      "targetTracking[0].targetValue (ALBRequestCountPerTarget) must be a number of requests per target per minute greater than 0; got 0",
    ],
    [
      "DynamoDB target outside 20–90",
      {
        target: table,
        targetTracking: [
          { predefinedMetricType: "DynamoDBReadCapacityUtilization", targetValue: 95 },
        ],
      },
      "targetTracking[0].targetValue (DynamoDBReadCapacityUtilization) must be a utilisation from 20 to 90 %; got 95",
    ],
    [
      "Lambda target given as a percentage",
      {
        target: lambda,
        targetTracking: [
          { predefinedMetricType: "LambdaProvisionedConcurrencyUtilization", targetValue: 70 },
        ],
      },
      "targetTracking[0].targetValue (LambdaProvisionedConcurrencyUtilization) must be a ratio greater than 0 and at most 1 (0.7 = 70 %); got 70; for 70 % use 0.7",
    ],
    [
      "metric of another service",
      {
        target: ec2,
        targetTracking: [{ predefinedMetricType: "ECSServiceAverageCPUUtilization" }],
      },
      'targetTracking[0].predefinedMetricType "ECSServiceAverageCPUUtilization" is not a predefined metric for a ec2 target; use one of ASGAverageCPUUtilization, ALBRequestCountPerTarget',
    ],
    [
      "same metric twice",
      {
        target: ec2,
        targetTracking: [
          { predefinedMetricType: "ASGAverageCPUUtilization" },
          { predefinedMetricType: "ASGAverageCPUUtilization", targetValue: 50 },
        ],
      },
      'targetTracking[1].predefinedMetricType "ASGAverageCPUUtilization" is tracked twice; keep one policy per metric',
    ],
    [
      "request count without a load balancer",
      { target: ec2, targetTracking: [{ predefinedMetricType: "ALBRequestCountPerTarget" }] },
      "targetTracking[0].loadBalancer is required for ALBRequestCountPerTarget: pass the ALB's and target group's arnSuffix (resource label app/…/targetgroup/…)",
    ],
    [
      "load balancer on a CPU policy",
      {
        target: ec2,
        targetTracking: [{ predefinedMetricType: "ASGAverageCPUUtilization", loadBalancer: alb }],
      },
      "targetTracking[0].loadBalancer applies only to ALBRequestCountPerTarget; remove it",
    ],
    [
      "cooldown on EC2",
      {
        target: ec2,
        targetTracking: [
          { predefinedMetricType: "ASGAverageCPUUtilization", scaleInCooldownSeconds: 60 },
        ],
      },
      "targetTracking[0].scaleInCooldownSeconds is Application Auto Scaling only; EC2 uses the group's default instance warm-up",
    ],
    [
      "negative cooldown",
      {
        target: ecs,
        targetTracking: [
          { predefinedMetricType: "ECSServiceAverageCPUUtilization", scaleOutCooldownSeconds: -1 },
        ],
      },
      "targetTracking[0].scaleOutCooldownSeconds must be a whole number of seconds >= 0; got -1",
    ],
    [
      "capacity min above max",
      { target: { ...ecs, capacity: { min: 5, max: 2 } } },
      "target.capacity.max must be an integer >= min (5); got 2. Lower min or raise max",
    ],
    [
      "DynamoDB min below 1",
      { target: { ...table, write: { min: 0, max: 10 } } },
      "target.write.min must be an integer >= 1; got 0",
    ],
    [
      "EC2 minSize above maxSize",
      { target: { ...ec2, minSize: 30 } },
      "target.minSize must be <= maxSize; got 30 > 24",
    ],
    [
      "Lambda on $LATEST",
      { target: { ...lambda, alias: "$LATEST" } },
      'target.alias must name an alias or version; "$LATEST" cannot have provisioned concurrency',
    ],
    [
      "predictive scaling on ECS",
      { target: ecs, predictiveScaling: {} },
      "predictiveScaling is EC2 Auto Scaling only; got a ecs target",
    ],
    [
      "predictive CPU target above 100",
      { target: ec2, predictiveScaling: { cpuTargetPercent: 150 } },
      "predictiveScaling.cpuTargetPercent must be a utilisation from 1 to 100 %; got 150",
    ],
    [
      "Application Auto Scaling cron on EC2",
      {
        target: ec2,
        scheduledActions: { rush: { schedule: "cron(30 17 * * ? *)", minCapacity: 9 } },
      },
      'scheduledActions.rush.schedule "cron(30 17 * * ? *)" is Application Auto Scaling syntax; EC2 Auto Scaling takes 5-field Unix cron such as "30 17 * * *"',
    ],
    [
      "EC2 cron on ECS",
      { target: ecs, scheduledActions: { rush: { schedule: "30 17 * * *", minCapacity: 9 } } },
      'scheduledActions.rush.schedule "30 17 * * *" is EC2 Auto Scaling cron; Application Auto Scaling takes cron() with 6 fields such as "cron(30 17 * * ? *)"',
    ],
    [
      "bad hour on EC2",
      { target: ec2, scheduledActions: { rush: { schedule: "30 25 * * *", minCapacity: 9 } } },
      'scheduledActions.rush.schedule "30 25 * * *": hour "25" must be 0-23',
    ],
    [
      "offset instead of a zone",
      {
        target: ec2,
        scheduledActions: { rush: { schedule: "30 17 * * *", timeZone: "-05:00", minCapacity: 9 } },
      },
      'scheduledActions.rush.timeZone "-05:00" is not an IANA time zone name such as "America/New_York" or "UTC"',
    ],
    [
      "alias zone",
      {
        target: lambda,
        scheduledActions: {
          rush: { schedule: "rate(1 day)", timeZone: "US/Pacific", minCapacity: 2 },
        },
      },
      'scheduledActions.rush.timeZone "US/Pacific" is an alias; use the canonical IANA name "America/Los_Angeles"',
    ],
    [
      "schedule key not kebab-case",
      {
        target: ec2,
        scheduledActions: { "Before Rush": { schedule: "30 17 * * *", minCapacity: 9 } },
      },
      'scheduledActions key "Before Rush" must be kebab-case (a-z, 0-9, -), at most 64 characters',
    ],
    [
      "schedule changing nothing",
      { target: ec2, scheduledActions: { rush: { schedule: "30 17 * * *" } } },
      "scheduledActions.rush changes nothing; set minCapacity, maxCapacity or both",
    ],
    [
      "schedule min above its own max",
      {
        target: ec2,
        scheduledActions: { rush: { schedule: "30 17 * * *", minCapacity: 12, maxCapacity: 10 } },
      },
      "scheduledActions.rush.minCapacity must be <= maxCapacity (10); got 12. Lower minCapacity or raise the max",
    ],
    [
      "schedule min above the group's max",
      { target: ec2, scheduledActions: { rush: { schedule: "30 17 * * *", minCapacity: 30 } } },
      "scheduledActions.rush.minCapacity must be <= the target's max (24); got 30. Lower minCapacity or raise the max",
    ],
    [
      "schedule max below the target's min",
      {
        target: ecs,
        scheduledActions: { night: { schedule: "cron(0 2 * * ? *)", maxCapacity: 0 } },
      },
      "scheduledActions.night.maxCapacity must be >= the target's min (1); got 0. Raise maxCapacity or lower the min too",
    ],
    [
      "desired below min",
      {
        target: ec2,
        scheduledActions: {
          rush: { schedule: "30 17 * * *", minCapacity: 10, desiredCapacity: 5 },
        },
      },
      "scheduledActions.rush.desiredCapacity must be >= the minimum (10); got 5",
    ],
    [
      "desired above max",
      { target: ec2, scheduledActions: { rush: { schedule: "30 17 * * *", desiredCapacity: 30 } } },
      "scheduledActions.rush.desiredCapacity must be <= the maximum (24); got 30",
    ],
    [
      "desired on Application Auto Scaling",
      { target: ecs, scheduledActions: { rush: { schedule: "rate(1 day)", desiredCapacity: 5 } } },
      "scheduledActions.rush.desiredCapacity is EC2 only; Application Auto Scaling sets min and max",
    ],
    [
      "fractional capacity",
      { target: ec2, scheduledActions: { rush: { schedule: "30 17 * * *", minCapacity: 2.5 } } },
      "scheduledActions.rush.minCapacity must be an integer >= 0; got 2.5",
    ],
    [
      "DynamoDB schedule without a dimension",
      { target: table, scheduledActions: { sale: { schedule: "rate(1 day)", minCapacity: 50 } } },
      'scheduledActions.sale.dimension is required on a DynamoDB target: "read" or "write"',
    ],
    [
      "dimension on a non-DynamoDB target",
      {
        target: ecs,
        scheduledActions: { sale: { schedule: "rate(1 day)", minCapacity: 5, dimension: "read" } },
      },
      "scheduledActions.sale.dimension applies only to DynamoDB targets; remove it",
    ],
  ];
  for (const [title, args, message] of cases) {
    it(`rejects ${title}`, async () => {
      await assert.rejects(run(args), (e: Error) => {
        assert.equal(e.message, message);
        return true;
      });
    });
  }

  it("rejects an NLB's arnSuffix as the request-count resource label", async () => {
    await assert.rejects(
      run({
        target: ec2,
        targetTracking: [
          {
            predefinedMetricType: "ALBRequestCountPerTarget",
            loadBalancer: {
              loadBalancerArnSuffix: "net/pay-nlb-1/abc",
              targetGroupArnSuffix: TG_SUFFIX,
            },
          },
        ],
      }),
      /targetTracking\[0\]\.loadBalancer: ALBRequestCountPerTarget needs an Application Load Balancer's arnSuffix \(app\/<name>\/<id>\); got "net\/pay-nlb-1\/abc"/,
    );
  });
});
