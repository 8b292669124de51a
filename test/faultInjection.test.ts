import { strict as assert } from "assert";
import { ProgramRun, byName, ofType, readStackConfig, runStack } from "../testing/harness";
import { parseStackConfig } from "../stacks/config";
import { experimentProblems, fisRolePolicy } from "../components/recovery/faultInjectionRules";

const T = {
  template: "aws:fis/experimentTemplate:ExperimentTemplate",
  role: "aws:iam/role:Role",
  policy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

for (const stack of ["prod-east", "prod-west"]) {
  describe(`game-day experiments in ${stack} (mocks)`, () => {
    let run: ProgramRun;
    const cfg = parseStackConfig(stack, readStackConfig(stack));
    const az = [...cfg.availabilityZones].sort()[0];
    before(async () => {
      run = await runStack(stack);
    });
    const alarm = (name: string) => byName(run, T.alarm, `ops-${name}`).state.arn;
    const stops = () =>
      ["web-elb-5xx", "web-checkout-target-5xx", "pay-tcp-resets"].map((n) => ({
        source: "aws:cloudwatch:alarm",
        value: alarm(n),
      }));

    it("has the three templates, each stopped by the shoppers' alarms and run by the scoped role", () => {
      const templates = ofType(run, T.template);
      assert.deepEqual(templates.map((t) => t.name).sort(), [
        "gameday-aurora-failover",
        "gameday-az-outage",
        "gameday-terminate-share",
      ]);
      for (const t of templates) {
        assert.deepEqual(t.inputs.stopConditions, stops());
        assert.equal(t.inputs.roleArn, byName(run, T.role, "gameday-role").state.arn);
      }
    });

    it("cuts every subnet of the stack in one AZ for 10 minutes", () => {
      const t = byName(run, T.template, "gameday-az-outage").inputs;
      assert.deepEqual(t.targets, [
        {
          name: "az-subnets",
          resourceType: "aws:ec2:subnet",
          selectionMode: "ALL",
          resourceTags: [{ key: "Stack", value: stack }],
          filters: [{ path: "AvailabilityZone", values: [az] }],
        },
      ]);
      assert.deepEqual(t.actions, [
        {
          name: "disrupt-az",
          actionId: "aws:network:disrupt-connectivity",
          parameters: [
            { key: "duration", value: "PT10M" },
            { key: "scope", value: "all" },
          ],
          target: { key: "Subnets", value: "az-subnets" },
        },
      ]);
    });

    it("fails this region's Aurora cluster over, and terminates a quarter of the running instances", () => {
      const aurora = byName(run, T.template, "gameday-aurora-failover").inputs;
      assert.deepEqual(aurora.targets[0].resourceArns, [
        byName(run, "aws:rds/cluster:Cluster", "db-cluster").state.arn,
      ]);
      assert.equal(aurora.actions[0].actionId, "aws:rds:failover-db-cluster");
      const term = byName(run, T.template, "gameday-terminate-share").inputs;
      assert.deepEqual(term.targets, [
        {
          name: "instances",
          resourceType: "aws:ec2:instance",
          selectionMode: "PERCENT(25)",
          resourceTags: [{ key: "Stack", value: stack }],
          filters: [{ path: "State.Name", values: ["running"] }],
        },
      ]);
      assert.equal(term.actions[0].actionId, "aws:ec2:terminate-instances");
    });

    it("trusts only FIS from this account, and scopes the policy to this VPC, cluster and stack", () => {
      const role = byName(run, T.role, "gameday-role");
      assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "fis.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ]);
      assert.deepEqual(
        JSON.parse(byName(run, T.policy, "gameday-policy").inputs.policy),
        fisRolePolicy({
          region: cfg.region,
          accountId: "123456789012",
          vpcId: byName(run, "aws:ec2/vpc:Vpc", "net-vpc").id as string,
          clusterArn: byName(run, "aws:rds/cluster:Cluster", "db-cluster").state.arn,
          stackTag: stack,
        }),
      );
    });
  });
}

describe("FIS API rules", () => {
  const valid = () => ({
    description: "d",
    roleArn: "arn:aws:iam::123456789012:role/r",
    targets: [
      { name: "s", resourceType: "aws:ec2:subnet", selectionMode: "ALL", resourceArns: ["arn:x"] },
    ],
    actions: [
      {
        name: "a",
        actionId: "aws:network:disrupt-connectivity",
        parameters: [
          { key: "duration", value: "PT10M" },
          { key: "scope", value: "all" },
        ],
        target: { key: "Subnets", value: "s" },
      },
    ],
    stopConditions: [
      {
        source: "aws:cloudwatch:alarm",
        value: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:a",
      },
    ],
  });
  it("accepts a valid template", () => assert.deepEqual(experimentProblems(valid()), []));
  const cases: [string, (t: any) => void, RegExp][] = [
    ["an unknown action", (t) => (t.actions[0].actionId = "aws:ec2:melt"), /is not one of/],
    [
      "the wrong target key",
      (t) => (t.actions[0].target.key = "Instances"),
      /takes target key Subnets/,
    ],
    [
      "a target of the wrong type",
      (t) => (t.targets[0].resourceType = "aws:ec2:instance"),
      /needs a aws:ec2:subnet target/,
    ],
    [
      "a 13-hour outage",
      (t) => (t.actions[0].parameters[0].value = "PT13H"),
      /duration PT13H is not allowed/,
    ],
    ["PERCENT(0)", (t) => (t.targets[0].selectionMode = "PERCENT(0)"), /selectionMode/],
    [
      "ARNs and tags together",
      (t) => (t.targets[0].resourceTags = [{ key: "a", value: "b" }]),
      /exactly one of resourceArns or resourceTags/,
    ],
    ["no stop condition", (t) => (t.stopConditions = []), /at least one is required/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`refuses ${what}`, () => {
      const t = valid();
      mutate(t);
      assert.match(experimentProblems(t).join("; "), message);
    });
  }
});
