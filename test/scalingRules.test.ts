import { strict as assert } from "assert";
import {
  DEFAULT_METRICS,
  PREDEFINED_METRICS,
  albResourceLabel,
  dynamoDbIndexResourceId,
  dynamoDbTableResourceId,
  ecsResourceId,
  lambdaResourceId,
  metricKindProblem,
  scalableDimension,
  targetValueProblem,
} from "../components/scaling/scalingRules";

describe("scalingRules: resource IDs and dimensions", () => {
  it("builds Application Auto Scaling resource IDs in AWS's formats", () => {
    assert.equal(ecsResourceId("prod", "checkout"), "service/prod/checkout");
    assert.equal(dynamoDbTableResourceId("sessions"), "table/sessions");
    assert.equal(dynamoDbIndexResourceId("sessions", "by-user"), "table/sessions/index/by-user");
    assert.equal(lambdaResourceId("resize", "live"), "function:resize:live");
  });

  it("names the scalable dimension of every kind", () => {
    assert.equal(scalableDimension("ecs"), "ecs:service:DesiredCount");
    assert.equal(scalableDimension("lambda"), "lambda:function:ProvisionedConcurrency");
    assert.equal(scalableDimension("dynamodb-table", "read"), "dynamodb:table:ReadCapacityUnits");
    assert.equal(scalableDimension("dynamodb-table", "write"), "dynamodb:table:WriteCapacityUnits");
    assert.equal(scalableDimension("dynamodb-index", "read"), "dynamodb:index:ReadCapacityUnits");
    assert.equal(scalableDimension("dynamodb-index", "write"), "dynamodb:index:WriteCapacityUnits");
    assert.throws(() => scalableDimension("dynamodb-table"), /read and a write dimension/);
  });

  it("defaults each kind to its utilisation metric(s)", () => {
    assert.deepEqual(DEFAULT_METRICS, {
      ec2: ["ASGAverageCPUUtilization"],
      ecs: ["ECSServiceAverageCPUUtilization"],
      "dynamodb-table": ["DynamoDBReadCapacityUtilization", "DynamoDBWriteCapacityUtilization"],
      "dynamodb-index": ["DynamoDBReadCapacityUtilization", "DynamoDBWriteCapacityUtilization"],
      lambda: ["LambdaProvisionedConcurrencyUtilization"],
    });
    assert.equal(PREDEFINED_METRICS.ASGAverageCPUUtilization.defaultTarget, 60);
    assert.equal(PREDEFINED_METRICS.DynamoDBReadCapacityUtilization.defaultTarget, 70);
    assert.equal(PREDEFINED_METRICS.LambdaProvisionedConcurrencyUtilization.defaultTarget, 0.7);
  });

  it("builds the ALBRequestCountPerTarget resource label from both arnSuffixes", () => {
    assert.equal(
      albResourceLabel(
        "app/web-alb-1a2b3c4/50dc6c495c0c9188",
        "targetgroup/web-cart-tg-9f8e7d6/943f017f100becff",
      ),
      "app/web-alb-1a2b3c4/50dc6c495c0c9188/targetgroup/web-cart-tg-9f8e7d6/943f017f100becff",
    );
    assert.throws(
      () => albResourceLabel("net/pay-nlb-1/abc", "targetgroup/t/1"),
      /needs an Application Load Balancer's arnSuffix \(app\/<name>\/<id>\); got "net\/pay-nlb-1\/abc"/,
    );
    assert.throws(
      () =>
        albResourceLabel("app/web/1", "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1"),
      /needs a target group's arnSuffix/,
    );
  });
});

describe("scalingRules: metrics and targets", () => {
  it("accepts each metric only for its kinds", () => {
    assert.equal(metricKindProblem("ASGAverageCPUUtilization", "ec2"), undefined);
    assert.equal(metricKindProblem("ALBRequestCountPerTarget", "ecs"), undefined);
    assert.equal(
      metricKindProblem("ECSServiceAverageCPUUtilization", "ec2"),
      '"ECSServiceAverageCPUUtilization" is not a predefined metric for a ec2 target; use one of ASGAverageCPUUtilization, ALBRequestCountPerTarget',
    );
    assert.equal(
      metricKindProblem("DynamoDBReadCapacityUtilization", "lambda"),
      '"DynamoDBReadCapacityUtilization" is not a predefined metric for a lambda target; use one of LambdaProvisionedConcurrencyUtilization',
    );
    assert.match(
      metricKindProblem("CPUUtilization", "ecs") ?? "",
      /use one of ALBRequestCountPerTarget, ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization$/,
    );
  });

  const cases: [Parameters<typeof targetValueProblem>[0], number, string | undefined][] = [
    ["ASGAverageCPUUtilization", 1, undefined],
    ["ASGAverageCPUUtilization", 100, undefined],
    ["ASGAverageCPUUtilization", 0, "must be a utilisation from 1 to 100 %; got 0"],
    ["ASGAverageCPUUtilization", 101, "must be a utilisation from 1 to 100 %; got 101"],
    ["ASGAverageCPUUtilization", NaN, "must be a utilisation from 1 to 100 %; got NaN"],
    ["ECSServiceAverageMemoryUtilization", 0.5, "must be a utilisation from 1 to 100 %; got 0.5"],
    ["DynamoDBWriteCapacityUtilization", 20, undefined],
    ["DynamoDBWriteCapacityUtilization", 90, undefined],
    ["DynamoDBReadCapacityUtilization", 19, "must be a utilisation from 20 to 90 %; got 19"],
    ["DynamoDBWriteCapacityUtilization", 95, "must be a utilisation from 20 to 90 %; got 95"],
    ["LambdaProvisionedConcurrencyUtilization", 0.7, undefined],
    ["LambdaProvisionedConcurrencyUtilization", 1, undefined],
    [
      "LambdaProvisionedConcurrencyUtilization",
      70,
      "must be a ratio greater than 0 and at most 1 (0.7 = 70 %); got 70; for 70 % use 0.7",
    ],
    [
      "LambdaProvisionedConcurrencyUtilization",
      0,
      "must be a ratio greater than 0 and at most 1 (0.7 = 70 %); got 0",
    ],
    ["ALBRequestCountPerTarget", 0.5, undefined],
    ["ALBRequestCountPerTarget", 50000, undefined],
    [
      "ALBRequestCountPerTarget",
      0,
      "must be a number of requests per target per minute greater than 0; got 0",
    ],
    [
      "ALBRequestCountPerTarget",
      -5,
      "must be a number of requests per target per minute greater than 0; got -5",
    ],
  ];
  for (const [metric, value, expected] of cases) {
    it(`${metric} target ${value} → ${expected ?? "ok"}`, () => {
      assert.equal(targetValueProblem(metric, value), expected);
    });
  }
});
