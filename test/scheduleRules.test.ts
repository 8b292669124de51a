import { strict as assert } from "assert";
import {
  appScheduleProblem,
  ec2CronProblem,
  timeZoneProblem,
} from "../components/scaling/scheduleRules";

describe("scheduleRules: EC2 cron (5 fields)", () => {
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

describe("scheduleRules: Application Auto Scaling schedules", () => {
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

describe("scheduleRules: IANA time zones", () => {
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
