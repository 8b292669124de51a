import { strict as assert } from "assert";
import {
  DEFAULT_METRICS,
  PREDEFINED_METRICS,
  albResourceLabel,
  appScheduleProblem,
  dynamoDbIndexResourceId,
  dynamoDbTableResourceId,
  ec2CronProblem,
  ecsResourceId,
  lambdaResourceId,
  metricKindProblem,
  scalableDimension,
  targetValueProblem,
  timeZoneProblem,
} from "../components/scalingRules";

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

describe("scalingRules: EC2 cron (5 fields)", () => {
  for (const ok of [
    "30 17 * * *",
    "0 21 * * *",
    "*/15 8-18 * * MON-FRI",
    "0 0 1,15 JAN,jul 0",
    "0 6 * * 7",
    "5-55/10 * * * *",
  ]) {
    it(`accepts "${ok}"`, () => assert.equal(ec2CronProblem(ok), undefined));
  }
  const bad: [string, string][] = [
    [
      "cron(30 17 * * ? *)",
      '"cron(30 17 * * ? *)" is Application Auto Scaling syntax; EC2 Auto Scaling takes 5-field Unix cron such as "30 17 * * *"',
    ],
    [
      "30 17 * * ? *",
      '"30 17 * * ? *" has 6 fields; EC2 Auto Scaling cron has 5: minute hour day-of-month month day-of-week, e.g. "30 17 * * *"',
    ],
    [
      "30 17 * *",
      '"30 17 * *" has 4 fields; EC2 Auto Scaling cron has 5: minute hour day-of-month month day-of-week, e.g. "30 17 * * *"',
    ],
    ["60 17 * * *", '"60 17 * * *": minute "60" must be 0-59'],
    ["30 24 * * *", '"30 24 * * *": hour "24" must be 0-23'],
    ["0 0 0 * *", '"0 0 0 * *": day-of-month "0" must be 1-31'],
    ["0 0 * 13 *", '"0 0 * 13 *": month "13" must be 1-12 or JAN-DEC'],
    ["0 0 * * 8", '"0 0 * * 8": day-of-week "8" must be 0-7 or SUN-SAT'],
    ["0 0 * * FUN", '"0 0 * * FUN": day-of-week "FUN" must be 0-7 or SUN-SAT'],
    ["30 17 ? * *", '"30 17 ? * *": day-of-month "?" is not allowed here; use "*"'],
    ["*/0 * * * *", '"*/0 * * * *": minute step "/0" must be at least 1'],
    ["1-2-3 * * * *", '"1-2-3 * * * *": minute "1-2-3" is not a value, range, list or step'],
    ["0 0 L * *", '"0 0 L * *": day-of-month "L" must be 1-31'],
  ];
  for (const [expr, message] of bad) {
    it(`rejects "${expr}"`, () => assert.equal(ec2CronProblem(expr), message));
  }
});

describe("scalingRules: Application Auto Scaling schedules", () => {
  for (const ok of [
    "cron(30 17 * * ? *)",
    "cron(0 18 ? * MON-FRI *)",
    "cron(0/15 * * * ? *)",
    "cron(0 8 L * ? 2026-2030)",
    "cron(0 8 ? * 6#3 *)",
    "cron(0 8 ? * 6L *)",
    "cron(0 8 15W * ? *)",
    "at(2026-11-27T06:00:00)",
    "rate(1 day)",
    "rate(5 minutes)",
    "rate(2 hours)",
  ]) {
    it(`accepts "${ok}"`, () => assert.equal(appScheduleProblem(ok), undefined));
  }
  const bad: [string, string][] = [
    [
      "30 17 * * *",
      '"30 17 * * *" is EC2 Auto Scaling cron; Application Auto Scaling takes cron() with 6 fields such as "cron(30 17 * * ? *)"',
    ],
    [
      "cron(30 17 * * *)",
      '"cron(30 17 * * *)" has 5 cron fields; Application Auto Scaling takes 6: minutes hours day-of-month month day-of-week year, e.g. "cron(30 17 * * ? *)"',
    ],
    [
      "cron(30 17 * * * *)",
      '"cron(30 17 * * * *)": exactly one of day-of-month and day-of-week must be "?"',
    ],
    [
      "cron(30 17 ? * ? *)",
      '"cron(30 17 ? * ? *)": exactly one of day-of-month and day-of-week must be "?"',
    ],
    ["cron(0 18 ? * 0 *)", '"cron(0 18 ? * 0 *)": day-of-week "0" must be 1-7 or SUN-SAT'],
    ["cron(0 18 * * ? 1969)", '"cron(0 18 * * ? 1969)": year "1969" must be 1970-2199'],
    [
      "cron(0 18 ? * 2#6 *)",
      '"cron(0 18 ? * 2#6 *)": day-of-week "2#6" must be L, <day 1-7>L or <day 1-7>#<week 1-5>',
    ],
    [
      "cron(0 8 32W * ? *)",
      '"cron(0 8 32W * ? *)": day-of-month "32W" must be L, LW or <day 1-31>W',
    ],
    ["at(2026-02-30T06:00:00)", '"at(2026-02-30T06:00:00)" is not a real date and time'],
    [
      "at(2026-11-27 06:00)",
      '"at(2026-11-27 06:00)" must be cron(6 fields), at(yyyy-mm-ddThh:mm:ss) or rate(<n> minutes|hours|days)',
    ],
    ["rate(0 minutes)", '"rate(0 minutes)": the rate must be a positive integer'],
    [
      "rate(1 week)",
      '"rate(1 week)" must be cron(6 fields), at(yyyy-mm-ddThh:mm:ss) or rate(<n> minutes|hours|days)',
    ],
  ];
  for (const [expr, message] of bad) {
    it(`rejects "${expr}"`, () => assert.equal(appScheduleProblem(expr), message));
  }
});

describe("scalingRules: IANA time zones", () => {
  // UTC and Etc/* are valid for AWS but absent from Intl.supportedValuesOf("timeZone").
  for (const ok of [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "UTC",
    "Etc/GMT+9",
    "Pacific/Tahiti",
  ]) {
    it(`accepts ${ok}`, () => assert.equal(timeZoneProblem(ok), undefined));
  }
  const bad: [string, string][] = [
    [
      "Mars/Olympus_Mons",
      '"Mars/Olympus_Mons" is not an IANA time zone name such as "America/New_York" or "UTC"',
    ],
    ["+01:00", '"+01:00" is not an IANA time zone name such as "America/New_York" or "UTC"'],
    ["UTC+1", '"UTC+1" is not an IANA time zone name such as "America/New_York" or "UTC"'],
    ["", '"" is not an IANA time zone name such as "America/New_York" or "UTC"'],
    ["america/new_york", '"america/new_york" must be spelled "America/New_York"'],
    ["US/Eastern", '"US/Eastern" is an alias; use the canonical IANA name "America/New_York"'],
    ["GMT", '"GMT" is an alias; use the canonical IANA name "UTC"'],
  ];
  for (const [tz, message] of bad) {
    it(`rejects "${tz}"`, () => assert.equal(timeZoneProblem(tz), message));
  }
});
