import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { byName, runComponents } from "../testing/harness";

/**
 * aws v7 takes a `region` on every resource, which overrides the provider's. The mocks must build
 * ARNs (and everything else regional) from it, or a resource placed in another region would look
 * like it lives in the stack's.
 */
describe("mocks honour a resource's own region", () => {
  it("builds ARNs in the resource's region, and in the stack's when it names none", async () => {
    const run = await runComponents(() => {
      new aws.sns.Topic("elsewhere", { region: "us-west-2" });
      new aws.sns.Topic("here", {});
      new aws.cloudwatch.MetricAlarm("alarm-elsewhere", {
        region: "us-west-2",
        comparisonOperator: "LessThanThreshold",
        evaluationPeriods: 1,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        period: 60,
        statistic: "Minimum",
        threshold: 1,
      });
    }, "us-east-1");
    const topic = "aws:sns/topic:Topic";
    assert.match(String(byName(run, topic, "elsewhere").state.arn), /^arn:aws:sns:us-west-2:/);
    assert.match(String(byName(run, topic, "here").state.arn), /^arn:aws:sns:us-east-1:/);
    assert.match(
      String(byName(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "alarm-elsewhere").state.arn),
      /^arn:aws:cloudwatch:us-west-2:/,
    );
  });
});
