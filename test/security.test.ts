import { strict as assert } from "assert";
import { LoadBalancedService } from "../components";
import {
  awsOwnedBucketObjectArns,
  dynamoDbEndpointPolicy,
  s3EndpointPolicy,
} from "../components/network/endpointPolicies";
import {
  DEFAULT_ROLLOUT,
  effectiveMaxHealthyPercentage,
  rolloutProblem,
} from "../components/loadBalancing/rollout";
import { routingProblems } from "../components/loadBalancing/routing";
import { logGroupKeyPolicy } from "../components/network/vpcFlowLog";
import { ADMIN_POLICY_DEFAULTS } from "../policies/rules/security";
import {
  CLOSED_ADMIN_SOURCE,
  cidrsOverlap,
  ADMIN_MIN_IPV4_PREFIX_LENGTH,
  ADMIN_SESSION_TIMEOUT_SECONDS,
  ipv4CidrProblem,
  isAdminService,
} from "../stacks/securityConfig";
import {
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runComponents,
  runStack,
} from "../testing/harness";
import {
  MOCK_ACCOUNT_ID,
  RecordedResource,
  checkProviderRefresh,
  checkRefreshPreferences,
} from "../testing/mocks";
import { albArgs, backend, problemsOf } from "./support";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  rt: "aws:ec2/routeTable:RouteTable",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  asg: "aws:autoscaling/group:Group",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  route: "aws:ec2/route:Route",
  nat: "aws:ec2/natGateway:NatGateway",
};

/** IAM ARN matching: `*` spans any characters (slashes included), `?` one. */
function arnMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(arn);
}

describe("security helpers (pure)", () => {
  it("S3 endpoint: this account's buckets, and GetObject on the AL2023 and SSM buckets of the region", () => {
    const p = s3EndpointPolicy("us-west-2", "111122223333");
    assert.deepEqual(p.Statement[0].Condition, {
      StringEquals: { "aws:ResourceAccount": "111122223333" },
    });
    assert.equal(p.Statement[1].Action, "s3:GetObject");
    const owned = p.Statement[1].Resource as string[];
    assert.deepEqual(owned, awsOwnedBucketObjectArns("us-west-2"));
    // dnf fetches from al2023-repos-<region>-<suffix>; the SSM agent from amazon-ssm-<region>.
    for (const object of [
      "arn:aws:s3:::al2023-repos-us-west-2-de612dc2/core/mirrors/latest/x86_64/mirror.list",
      "arn:aws:s3:::amazon-ssm-us-west-2/latest/linux_amd64/amazon-ssm-agent.rpm",
      "arn:aws:s3:::aws-ssm-us-west-2/manifest.json",
    ]) {
      assert.ok(
        owned.some((o) => arnMatches(o, object)),
        object,
      );
    }
    assert.ok(!owned.some((o) => arnMatches(o, "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/x")));
    // The repository bucket is pinned: another bucket with the same prefix is someone else's.
    assert.ok(!owned.some((o) => arnMatches(o, "arn:aws:s3:::al2023-repos-us-west-2-attacker/x")));
    // No wildcard in any bucket name, only after the final slash (the objects).
    for (const o of owned) assert.ok(!o.replace(/\/\*$/, "").includes("*"), o);
    for (const st of p.Statement) assert.equal(st.Principal, "*");
  });

  it("S3 endpoint: covers every bucket of AWS's data-perimeter example that these instances use", () => {
    // From aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/
    // s3_endpoint_policy.json (AllowRequestsToAWSOwnedResources): the entries for Amazon Linux
    // repositories, the SSM agent and Patch Manager, and the CloudWatch agent, with <region>
    // filled in. The example's other entries serve services these fleets don't run.
    const region = "eu-west-1";
    const upstream = [
      "amazonlinux.<region>.amazonaws.com",
      "amazonlinux-2-repos-<region>",
      "al2023-repos-<region>-de612dc2",
      "al2023-<region>",
      "aws-ssm-<region>",
      "amazon-ssm-<region>",
      "amazon-ssm-packages-<region>",
      "<region>-birdwatcher-prod",
      "aws-ssm-distributor-file-<region>",
      "aws-ssm-document-attachments-<region>",
      "patch-baseline-snapshot-<region>",
      "amazoncloudwatch-agent-<region>",
      "amazoncloudwatch-agent",
    ].map((b) => `arn:aws:s3:::${b.replace("<region>", region)}/some/key`);
    const owned = awsOwnedBucketObjectArns(region);
    for (const object of upstream) {
      assert.ok(
        owned.some((o) => arnMatches(o, object)),
        object,
      );
    }
    // And the policy stays far below AWS's size limit.
    assert.ok(JSON.stringify(s3EndpointPolicy(region, "111122223333")).length < 20480);
  });

  it("DynamoDB endpoint: this account's tables in the region, with their indexes and streams", () => {
    const [st] = dynamoDbEndpointPolicy("us-east-1", "111122223333").Statement;
    const [pattern] = st.Resource as string[];
    assert.ok(arnMatches(pattern, "arn:aws:dynamodb:us-east-1:111122223333:table/sessions"));
    assert.ok(arnMatches(pattern, "arn:aws:dynamodb:us-east-1:111122223333:table/s/index/by-user"));
    assert.ok(!arnMatches(pattern, "arn:aws:dynamodb:us-east-1:444455556666:table/sessions"));
    assert.ok(!arnMatches(pattern, "arn:aws:dynamodb:us-west-2:111122223333:table/sessions"));
  });

  it("flow-log key policy: the regional logs principal, pinned to one log group", () => {
    const arn = "arn:aws:logs:us-west-2:111122223333:log-group:/x";
    const [, logs] = logGroupKeyPolicy("us-west-2", "111122223333", arn).Statement;
    assert.deepEqual(logs.Principal, { Service: "logs.us-west-2.amazonaws.com" });
    assert.deepEqual(logs.Condition, {
      ArnEquals: { "kms:EncryptionContext:aws:logs:arn": arn },
    });
  });

  const rollouts: [string, Partial<typeof DEFAULT_ROLLOUT>, RegExp | undefined][] = [
    ["the default", {}, undefined],
    [
      "all at once",
      { minHealthyPercentage: 0 },
      /minHealthyPercentage .* from 50 to 100 .*; got 0$/,
    ],
    ["no checkpoint", { checkpointPercentages: [100] }, /pause at least once before 100/],
    ["descending", { checkpointPercentages: [50, 20, 100] }, /ascending order; got \[50,20,100\]/],
    ["not ending at 100", { checkpointPercentages: [20, 50] }, /must end at 100/],
    ["a 3-day pause", { checkpointDelaySeconds: 259200 }, /0 to 172800; got 259200/],
    // AWS's own default maximum (100) with a 90 % minimum terminates before it launches: a
    // fleet of two loses half its capacity at each step.
    ["no room to launch first", { maxHealthyPercentage: 100 }, /must be above 100 .*; got 100$/],
    ["above 200", { maxHealthyPercentage: 210 }, /from 100 to 200 .*; got 210$/],
    [
      "a range wider than 100",
      { minHealthyPercentage: 90, maxHealthyPercentage: 200 },
      /at most 100 above minHealthyPercentage \(90\); got 200$/,
    ],
  ];
  for (const [label, overrides, expected] of rollouts) {
    it(`rollout: ${label}`, () => {
      const problem = rolloutProblem({ ...DEFAULT_ROLLOUT, ...overrides });
      if (expected === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? "", expected);
    });
  }

  it("rollout: a minimum of 100 % always leaves room for one more instance, even rounding down", () => {
    for (const size of [1, 2, 3, 7, 18]) {
      const max = effectiveMaxHealthyPercentage(DEFAULT_ROLLOUT, size);
      assert.ok(Math.floor((size * max) / 100) >= size + 1, `size ${size}: ${max} %`);
      assert.ok(
        max >= DEFAULT_ROLLOUT.maxHealthyPercentage && max <= 200,
        `size ${size}: ${max} %`,
      );
    }
    assert.equal(effectiveMaxHealthyPercentage(DEFAULT_ROLLOUT, 1), 200);
    assert.equal(effectiveMaxHealthyPercentage(DEFAULT_ROLLOUT, 2), 150);
    // Below 100 % the group can terminate first, so the configured maximum stands.
    const terminateFirst = {
      ...DEFAULT_ROLLOUT,
      minHealthyPercentage: 90,
      maxHealthyPercentage: 100,
    };
    assert.equal(effectiveMaxHealthyPercentage(terminateFirst, 1), 100);
  });

  describe("the mocks refuse the refresh preferences AWS refuses", () => {
    const group = (preferences: Record<string, unknown>, version = "3") => ({
      launchTemplate: { id: "lt-0123", version },
      instanceRefresh: { strategy: "Rolling", preferences },
    });
    const refused: [string, Record<string, unknown>, string | undefined, RegExp][] = [
      [
        "a maximum without a minimum",
        { maxHealthyPercentage: 150 },
        undefined,
        /needs minHealthyPercentage/,
      ],
      [
        "a range wider than 100",
        { minHealthyPercentage: 50, maxHealthyPercentage: 200 },
        undefined,
        /not 100-200 within 100 of the minimum/,
      ],
      ["rollback from $Latest", { autoRollback: true }, "$Latest", /not supported with .*\$Latest/],
      [
        "eleven alarms",
        { alarmSpecification: { alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) } },
        undefined,
        /names 11 alarms; at most 10/,
      ],
    ];
    for (const [label, preferences, version, expected] of refused) {
      it(`refuses ${label}`, () => {
        assert.throws(() => checkRefreshPreferences("g", group(preferences, version)), expected);
      });
    }
    it("refuses autoRollback on any Auto Scaling group: the provider saves the new version first", () => {
      assert.throws(
        () => checkProviderRefresh("g", group({ autoRollback: true })),
        /terraform-provider-aws#34189/,
      );
      checkProviderRefresh("g", group({ alarmSpecification: { alarms: ["a"] } }));
    });
    it("accepts the default rollout with alarms and rollback on a numbered version", () => {
      const { checkpointDelaySeconds, ...rest } = DEFAULT_ROLLOUT;
      checkRefreshPreferences(
        "g",
        group({
          ...rest,
          checkpointDelay: String(checkpointDelaySeconds),
          alarmSpecification: { alarms: ["a"] },
          autoRollback: true,
        }),
      );
    });
  });

  it("admin service: by name, by the admin host, or by an /admin path", () => {
    assert.ok(isAdminService("admin", { hosts: [], paths: ["/ops*"] }));
    assert.ok(isAdminService("backoffice", { hosts: ["admin"], paths: [] }));
    assert.ok(isAdminService("backoffice", { hosts: [], paths: ["/Admin*"] }));
    assert.ok(!isAdminService("cart", { hosts: [], paths: ["/cart*"] }));
  });

  it("admin CIDRs: no /0 and real octets", () => {
    assert.equal(ipv4CidrProblem("203.0.113.0/24"), undefined);
    assert.match(ipv4CidrProblem("0.0.0.0/0") ?? "", /whole internet/);
    assert.match(ipv4CidrProblem("300.0.0.0/8") ?? "", /octets 0-255/);
    assert.match(ipv4CidrProblem("10.0.0.0") ?? "", /IPv4 CIDR/);
    // A /8 or a /15 holds other people's networks; the policy's minimum is the same.
    assert.equal(ipv4CidrProblem(`198.51.0.0/${ADMIN_MIN_IPV4_PREFIX_LENGTH}`), undefined);
    assert.match(ipv4CidrProblem("198.50.0.0/15") ?? "", /must be a \/16 or narrower/);
    assert.match(ipv4CidrProblem("17.0.0.0/8") ?? "", /must be a \/16 or narrower/);
    assert.equal(ADMIN_POLICY_DEFAULTS.minIpv4PrefixLength, ADMIN_MIN_IPV4_PREFIX_LENGTH);
    assert.equal(ADMIN_POLICY_DEFAULTS.maxSessionTimeoutSeconds, ADMIN_SESSION_TIMEOUT_SECONDS.max);
  });
});

describe("security config", () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "an admin open to the world",
      { "securecart:admin": { mode: "source-ip", allowedCidrs: ["0.0.0.0/0"] } },
      /`securecart:admin.allowedCidrs\[0\]` must not be a \/0/,
    ],
    [
      "four admin networks",
      {
        "securecart:admin": {
          mode: "source-ip",
          allowedCidrs: ["1.1.1.0/24", "2.2.2.0/24", "3.3.3.0/24", "4.4.4.0/24"],
        },
      },
      /allowedCidrs` must list at most 3 networks/,
    ],
    [
      "admin allow-listing the VPC's own range",
      { "securecart:admin": { mode: "source-ip", allowedCidrs: ["10.10.4.0/24"] } },
      /`securecart:admin.allowedCidrs\[0\]` must not overlap securecart:vpcCidr \(10.10.0.0\/16\)/,
    ],
    [
      "a VPC holding the closed admin address",
      { "securecart:vpcCidr": "192.0.0.0/16" },
      /`securecart:vpcCidr` must not contain 192.0.2.1\/32, the address the closed admin rule admits/,
    ],
    [
      "an admin allow-list wider than a /16",
      { "securecart:admin": { mode: "source-ip", allowedCidrs: ["100.64.0.0/10"] } },
      /`securecart:admin.allowedCidrs\[0\]` must be a \/16 or narrower/,
    ],
    [
      "a Cognito session longer than 12 hours",
      {
        "securecart:admin": {
          mode: "cognito",
          userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123",
          userPoolClientId: "abc123",
          userPoolDomain: "securecart-admin",
          sessionTimeoutSeconds: 604800,
        },
      },
      /`securecart:admin.sessionTimeoutSeconds` must be at most 43200 seconds/,
    ],
    [
      "an unknown admin mode",
      { "securecart:admin": { mode: "waf" } },
      /`securecart:admin.mode` must be closed, source-ip or cognito; got "waf"/,
    ],
    [
      "ACCEPT-only flow logs",
      { "securecart:flowLogs": { trafficType: "ACCEPT" } },
      /`securecart:flowLogs.trafficType` must be REJECT or ALL/,
    ],
    [
      "no AMI for the region",
      { "securecart:amis": { "eu-west-1": "ami-0123456789abcdef0" } },
      /`securecart:amis` has no AMI for us-east-1/,
    ],
    [
      "an AMI name instead of an ID",
      { "securecart:amis": { "us-east-1": "al2023-ami-2023.6" } },
      /`securecart:amis.us-east-1` must be an AMI ID/,
    ],
    // The IDs committed before this check: they pass the ID pattern, and EC2 would refuse them
    // only when the Auto Scaling group launches, after the VPC, LBs and Aurora exist.
    [
      "a placeholder AMI",
      { "securecart:amis": { "us-east-1": "ami-0000000000000e001" } },
      /`securecart:amis.us-east-1` looks like a placeholder .*npm run ami:check.*; got "ami-0000000000000e001"/,
    ],
    [
      "a placeholder appliance AMI",
      { "securecart:inspection": { enabled: true, ami: "ami-0aaaaaaaaaaaaaaaa" } },
      /`securecart:inspection.ami` looks like a placeholder/,
    ],
  ];
  for (const [label, overrides, expected] of cases) {
    it(`rejects ${label}`, () => {
      const problems = problemsOf("prod-east", overrides);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], expected);
    });
  }
});

describe("admin rule values: source-ip counts toward an ALB rule's 5 match evaluations", () => {
  // The committed admin service, routed on its host plus two paths: 3 values before source-ip.
  const services = JSON.parse(readStackConfig("prod-east")["securecart:services"]);
  const withPaths = {
    ...services,
    admin: { ...services.admin, paths: ["/ops*", "/audit*"] },
  };
  const allowList = (n: number) => ({
    mode: "source-ip",
    allowedCidrs: ["198.51.100.0/24", "203.0.113.0/24", "192.0.2.128/25"].slice(0, n),
  });
  it("refuses three allow-listed networks on a rule with three hosts and paths, naming the key", () => {
    const problems = problemsOf("prod-east", {
      "securecart:services": withPaths,
      "securecart:admin": allowList(3),
    });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(
      problems[0],
      /`securecart:admin.allowedCidrs` lists 3 networks, but admin service "admin" already spends 3 of an ALB rule's 5 match evaluations .* List at most 2 networks/,
    );
  });
  it("accepts two, which fill the rule exactly", () => {
    assert.deepEqual(
      problemsOf("prod-east", {
        "securecart:services": withPaths,
        "securecart:admin": allowList(2),
      }),
      [],
    );
  });
  it("counts the closed rule's one address too", () => {
    const full = { ...services, admin: { ...services.admin, paths: ["/a*", "/b*", "/c*"] } };
    full.admin.hosts = ["admin", "ops"];
    const problems = problemsOf("prod-east", { "securecart:services": full });
    assert.ok(
      problems.some((p) =>
        /`securecart:services.admin` spends 5 match evaluations on hosts and paths; with the closed admin rule's source-ip value that is 6/.test(
          p,
        ),
      ),
      problems.join("\n"),
    );
  });
  it("refuses an admin service on another host, naming the key (the component would refuse it later)", () => {
    const problems = problemsOf("prod-east", {
      "securecart:services": { ...services, admin: { ...services.admin, hosts: ["ops"] } },
    });
    assert.ok(
      problems.some((p) =>
        /^`securecart:services.admin.hosts\[0\]` must be "admin": .*; got "ops"$/.test(p),
      ),
      problems.join("\n"),
    );
  });
  it("the component counts an allow-list in the rule's values (routingProblems)", () => {
    const spec = { admin: { hosts: ["admin"], paths: ["/a*", "/b*"] } };
    assert.deepEqual(routingProblems("securecart.com", spec, ["shop"], 100, { admin: 2 }), []);
    assert.deepEqual(routingProblems("securecart.com", spec, ["shop"], 100, { admin: 3 }), [
      {
        path: ["admin"],
        message:
          "has 3 hosts and paths and 3 source-ip values; an ALB rule allows 5 match evaluations",
      },
    ]);
  });
});

for (const stack of ["prod-east", "prod-west"]) {
  describe(`security posture of ${stack} (mocks)`, () => {
    let run: ProgramRun;
    let region: string;
    const policyOf = (r: RecordedResource) => JSON.parse(String(r.inputs.policy));
    before(async () => {
      run = await runStack(stack);
      region = run.config["aws:region"];
    });

    it("boots no service instance before its subnets' routes, NAT gateways and gateway endpoints exist", () => {
      const azs = JSON.parse(run.config["securecart:availabilityZones"]).length;
      const routes = ofType(run, T.route).filter((r) =>
        /^net-(private|public)-default-[a-z]$/.test(r.name),
      );
      const nats = ofType(run, T.nat);
      const endpoints = ofType(run, T.vpce).filter((e) => e.inputs.vpcEndpointType === "Gateway");
      // Two default routes and a NAT gateway per AZ, and the S3 and DynamoDB endpoints.
      assert.deepEqual([routes.length, nats.length, endpoints.length], [2 * azs, azs, 2]);
      // The service fleets (the inspection appliances live in their own subnets and routes).
      const services = ofType(run, T.asg).filter((g) =>
        g.inputs.tags.some(
          (t: { key: string; value: string }) => t.key === "Service" && t.value !== "inspection",
        ),
      );
      assert.equal(
        services.length,
        Object.keys(JSON.parse(run.config["securecart:services"])).length + 1,
      );
      for (const g of services) {
        for (const needed of [...routes, ...nats, ...endpoints]) {
          assert.ok(
            g.dependencies.includes(needed.urn),
            `${g.name} does not wait for ${needed.name}`,
          );
        }
      }
    });

    it("puts S3 and DynamoDB gateway endpoints on every private route table and nowhere else", () => {
      const privateRts = ofType(run, T.rt)
        .filter((r) => r.inputs.tags?.Name?.startsWith("net-private-rt-"))
        .map((r) => r.id)
        .sort();
      assert.equal(
        privateRts.length,
        JSON.parse(run.config["securecart:availabilityZones"]).length,
      );
      const gateways = ofType(run, T.vpce).filter((e) => e.inputs.vpcEndpointType === "Gateway");
      assert.deepEqual(
        gateways.map((e) => [e.inputs.serviceName, [...e.inputs.routeTableIds].sort()]),
        [
          [`com.amazonaws.${region}.s3`, privateRts],
          [`com.amazonaws.${region}.dynamodb`, privateRts],
        ],
      );
      const [s3, ddb] = gateways.map(policyOf);
      assert.deepEqual(s3, s3EndpointPolicy(region, MOCK_ACCOUNT_ID));
      // The sessions table the services use must pass the DynamoDB endpoint's policy.
      const table = `arn:aws:dynamodb:${region}:${MOCK_ACCOUNT_ID}:table/${String(run.outputs.sessionsTableName)}`;
      assert.ok(
        ddb.Statement.some(
          (st: { Resource: string[] }) =>
            st.Resource.some((p) => arnMatches(p, table)) &&
            st.Resource.some((p) => arnMatches(p, `${table}/index/x`)),
        ),
        table,
      );
    });

    it("logs the VPC's flows into a KMS-encrypted log group with the configured retention", () => {
      const flow = JSON.parse(run.config["securecart:flowLogs"]);
      const vpcs = ofType(run, T.vpc);
      const logs = ofType(run, T.flowLog);
      assert.deepEqual(
        logs.map((f) => [f.inputs.vpcId, f.inputs.trafficType, f.inputs.logDestinationType]),
        vpcs.map((v) => [v.id, flow.trafficType, "cloud-watch-logs"]),
      );
      const group = byName(run, T.logGroup, "net-flow-logs-logs");
      const key = byName(run, T.key, "net-flow-logs-key");
      assert.equal(logs[0].inputs.logDestination, group.state.arn);
      assert.equal(group.inputs.name, `/securecart/${stack}/vpc-flow-logs`);
      assert.equal(group.inputs.retentionInDays, flow.retentionDays);
      assert.equal(group.inputs.kmsKeyId, key.state.arn);
      assert.equal(key.inputs.enableKeyRotation, true);
      const trust = JSON.parse(
        String(byName(run, T.role, "net-flow-logs-role").inputs.assumeRolePolicy),
      ).Statement[0];
      assert.deepEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.equal(trust.Condition.StringEquals["aws:SourceAccount"], MOCK_ACCOUNT_ID);
      const delivery = policyOf(byName(run, T.rolePolicy, "net-flow-logs-delivery"));
      assert.deepEqual(delivery.Statement[0].Resource, [group.state.arn, `${group.state.arn}:*`]);
      assert.ok(
        logs[0].dependencies.includes(byName(run, T.rolePolicy, "net-flow-logs-delivery").urn),
      );
    });

    it("rolls every fleet through an instance refresh with checkpoints, launching before terminating", () => {
      const groups = ofType(run, T.asg);
      assert.ok(groups.length > 0);
      for (const g of groups) {
        const p = g.inputs.instanceRefresh.preferences;
        assert.equal(g.inputs.instanceRefresh.strategy, "Rolling", g.name);
        assert.deepEqual(
          [
            p.minHealthyPercentage,
            p.maxHealthyPercentage,
            p.checkpointPercentages,
            Number(p.checkpointDelay),
          ],
          [
            DEFAULT_ROLLOUT.minHealthyPercentage,
            DEFAULT_ROLLOUT.maxHealthyPercentage,
            DEFAULT_ROLLOUT.checkpointPercentages,
            DEFAULT_ROLLOUT.checkpointDelaySeconds,
          ],
          g.name,
        );
        // Never below the desired capacity: even the smallest fleet keeps every instance in
        // service while its replacement warms up.
        assert.equal(p.minHealthyPercentage, 100, g.name);
        assert.ok(Math.floor((g.inputs.minSize * p.maxHealthyPercentage) / 100) > g.inputs.minSize);
        // A launch template version by number, so a refresh can be rolled back to the last one.
        assert.match(g.inputs.launchTemplate.version, /^\d+$/, g.name);
      }
    });

    it("stops (never auto-rolls back) a service fleet's refresh when that service's own target-group alarms fire", () => {
      const alarmNames = new Set(ofType(run, T.alarm).map((a) => a.inputs.name as string));
      const services = [...Object.keys(JSON.parse(run.config["securecart:services"])), "payments"];
      for (const svc of services) {
        const g = ofType(run, T.asg).find((a) =>
          a.inputs.tags.some(
            (t: { key: string; value: string }) => t.key === "Service" && t.value === svc,
          ),
        );
        assert.ok(g, svc);
        const p = g.inputs.instanceRefresh.preferences;
        // No AutoRollback: it would restore the new launch template version (provider issue
        // hashicorp/terraform-provider-aws#34189); the alarms fail the refresh instead.
        assert.equal(p.autoRollback, false, svc);
        const watched: string[] = p.alarmSpecification.alarms;
        const lb = svc === "payments" ? "pay" : "web";
        // Each watched alarm exists in this stack under exactly that name, and is this
        // service's: unhealthy targets, plus target 5XX behind the ALB.
        assert.deepEqual(
          watched,
          [`${lb}-${svc}-unhealthy`, ...(lb === "web" ? [`${lb}-${svc}-target-5xx`] : [])].map(
            (key) => `securecart-${run.stack}-${key}`,
          ),
          svc,
        );
        for (const name of watched) assert.ok(alarmNames.has(name), `${svc}: no alarm ${name}`);
      }
    });

    it("encrypts payments end to end: TLS listener → TLS target group checked over HTTPS → TLS placeholder", () => {
      const tls = byName(run, T.listener, "pay-tls");
      const tg = byName(run, T.tg, "pay-payments-tg");
      assert.equal(tls.inputs.defaultActions[0].targetGroupArn, tg.state.arn);
      assert.deepEqual(
        [tg.inputs.protocol, tg.inputs.healthCheck.protocol, tg.inputs.healthCheck.port],
        ["TLS", "HTTPS", "traffic-port"],
      );
      const script = Buffer.from(byName(run, T.lt, "pay-payments-lt").inputs.userData, "base64")
        .toString()
        .split("\n");
      const port = JSON.parse(run.config["securecart:payments"]).port ?? 8080;
      assert.ok(
        script.includes(`ExecStart=/usr/bin/python3 /opt/placeholder/app.py ${port} --tls`),
      );
      assert.ok(script.some((l) => l.includes("openssl req -x509")));
      // The web tier's placeholders stay plain HTTP behind the ALB.
      const web = Buffer.from(
        byName(run, T.lt, "web-cart-lt").inputs.userData,
        "base64",
      ).toString();
      assert.match(web, /^ExecStart=\/usr\/bin\/python3 \/opt\/placeholder\/app\.py \d+$/m);
      assert.ok(!web.includes("openssl"));
    });

    it("closes admin to the internet and the VPC by default: only an address no client has matches", () => {
      const admin = byName(run, T.rule, "web-admin-rule");
      assert.deepEqual(admin.inputs.conditions, [
        { hostHeader: { values: [`admin.${run.config["securecart:domain"]}`] } },
        { sourceIp: { values: [CLOSED_ADMIN_SOURCE] } },
      ]);
      // The closed address is outside the VPC, so no instance of it matches either (an
      // internet-facing ALB also has private addresses, which instances can dial).
      assert.ok(!cidrsOverlap(CLOSED_ADMIN_SOURCE, run.config["securecart:vpcCidr"]));
      // The target group stays attached, so its health checks and alarms run; it is tagged so
      // admin-not-public finds it whatever rule reaches it.
      const tg = byName(run, T.tg, "web-admin-tg");
      assert.equal(admin.inputs.actions[0].targetGroupArn, tg.state.arn);
      assert.equal(tg.inputs.tags.Service, "admin");
      for (const rule of ofType(run, T.rule).filter((r) => r.name !== "web-admin-rule")) {
        const hosts = rule.inputs.conditions.flatMap(
          (c: { hostHeader?: { values: string[] } }) => c.hostHeader?.values ?? [],
        );
        assert.ok(!hosts.some((h: string) => h.startsWith("admin.")), rule.name);
        // No rule answers on every host: a rule without a host condition would serve admin.<domain>.
        assert.ok(hosts.length > 0, `${rule.name} has a host-header condition`);
      }
    });

    it("leaves stickiness unset on the payments TLS target group and drains unhealthy targets", () => {
      const tg = byName(run, T.tg, "pay-payments-tg");
      assert.equal(tg.inputs.stickiness, undefined);
      assert.equal(tg.inputs.connectionTermination, true);
      const delay = JSON.parse(run.config["securecart:payments"]).deregistrationDelaySeconds ?? 30;
      assert.deepEqual(tg.inputs.targetHealthStates, [
        { enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: delay },
      ]);
    });
  });
}

describe("admin access on an ALB (mocks)", () => {
  const base = albArgs({ backends: {}, sharedHosts: undefined });
  const admin = { ...backend, routing: { hosts: ["admin"], paths: [] } };

  it("signs in through Cognito before forwarding, and lets the ALB reach Cognito on 443", async () => {
    const cognito = {
      kind: "cognito" as const,
      userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123",
      userPoolClientId: "abc123",
      userPoolDomain: "securecart-admin",
      sessionTimeoutSeconds: 3600,
    };
    const run = await runComponents(
      () =>
        new LoadBalancedService("edge", {
          ...base,
          backends: { admin: { ...admin, access: cognito } },
        }),
    );
    const rule = byName(run, T.rule, "edge-admin-rule");
    assert.deepEqual(
      rule.inputs.actions.map((a: { type: string; order?: number }) => [a.type, a.order]),
      [
        ["authenticate-cognito", 1],
        ["forward", 2],
      ],
    );
    assert.deepEqual(rule.inputs.actions[0].authenticateCognito, {
      onUnauthenticatedRequest: "authenticate",
      userPoolArn: cognito.userPoolArn,
      userPoolClientId: cognito.userPoolClientId,
      userPoolDomain: cognito.userPoolDomain,
      // AWS's default would be 7 days (AuthenticateCognitoActionConfig SessionTimeout).
      sessionTimeout: cognito.sessionTimeoutSeconds,
      scope: "openid",
    });
    const idp = byName(run, T.egress, "edge-lb-to-idp").inputs;
    assert.deepEqual([idp.cidrIpv4, idp.fromPort, idp.toPort], ["0.0.0.0/0", 443, 443]);
  });

  it("admits only the allow-listed networks with source-ip, and opens no egress", async () => {
    const run = await runComponents(
      () =>
        new LoadBalancedService("edge", {
          ...base,
          backends: {
            admin: { ...admin, access: { kind: "source-ip", cidrs: ["198.51.100.0/24"] } },
          },
        }),
    );
    assert.deepEqual(byName(run, T.rule, "edge-admin-rule").inputs.conditions, [
      { hostHeader: { values: ["admin.example.com"] } },
      { sourceIp: { values: ["198.51.100.0/24"] } },
    ]);
    assert.deepEqual(
      ofType(run, T.egress).filter((e) => e.name === "edge-lb-to-idp"),
      [],
    );
  });
});
