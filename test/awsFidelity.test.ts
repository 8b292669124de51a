/**
 * The mocks refuse what AWS refuses, and the stacks pass those checks: EC2 descriptions, names,
 * IDs that never repeat across stacks, and access-log delivery under the bucket policy.
 * See docs/aws-fidelity.md.
 */
import { strict as assert } from "assert";
import {
  ELB_LEGACY_LOG_ACCOUNTS,
  accessLogBucketPolicy,
} from "../components/loadBalancing/accessLogBucket";
import {
  albTargetGroupAttached,
  awsBehaviourErrors,
  bucketPolicyAdmitsElbLogs,
  elbLogObjectArn,
  WafRequest,
  wafStatementMatches,
} from "../testing/awsBehaviour";
import {
  awsInputErrors,
  ruleDescriptionError,
  securityGroupDescriptionError,
} from "../testing/awsValidation";
import { ProgramRun, ofType, runStack } from "../testing/harness";
import { MOCK_ACCOUNT_ID } from "../testing/mocks";
import { globMatch, policiesAllow } from "../testing/policyEval";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

describe("EC2 descriptions (pure, AWS's rules)", () => {
  // The three descriptions the pre-deploy review found, as they were.
  for (const d of [
    "RDS Proxy securecart-orders-us-east-1; admits only the database's client services",
    "Rotation function of securecart-orders-us-east-1's master secret",
  ]) {
    it(`refuses the group description ${JSON.stringify(d)}`, () => {
      assert.match(
        String(securityGroupDescriptionError(d)),
        /^InvalidParameterValue: Value \(.*\) for parameter GroupDescription is invalid\..*refused: "'"/,
      );
      assert.equal(
        awsInputErrors(SG, { name: "db-proxy-sg-1234567", description: d }).length,
        0 + 1,
      );
    });
  }
  it("refuses the rule description with an apostrophe, in AWS's words", () => {
    assert.equal(
      ruleDescriptionError("PostgreSQL from the secret's rotation function"),
      `InvalidParameterValue: Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$* (got "PostgreSQL from the secret's rotation function")`,
    );
    assert.equal(awsInputErrors(INGRESS, { description: "it's" }).length, 1);
  });
  const cases: [string, boolean][] = [
    ["HTTPS from the ALB (web) #1: a-z/A-Z [ok]+=&;{}!$*,@", true],
    ["x".repeat(255), true],
    ["x".repeat(256), false],
    ['say "hi"', false],
    ["what?", false],
    ["50%", false],
    ["a <b>", false],
    ["em — dash", false],
    ["café", false],
  ];
  for (const [d, ok] of cases) {
    it(`${ok ? "accepts" : "refuses"} ${JSON.stringify(d.length > 40 ? `${d.slice(0, 8)}…(${d.length})` : d)}`, () => {
      assert.equal(securityGroupDescriptionError(d) === undefined, ok);
      assert.equal(ruleDescriptionError(d) === undefined, ok);
    });
  }
  it("accepts a group with no description (the provider sends its default)", () => {
    assert.deepEqual(awsInputErrors(SG, { name: "web-sg-1234567" }), []);
  });
});

describe("resource names (pure, AWS's rules)", () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ["aws:lb/loadBalancer:LoadBalancer", { name: "web-1234567" }, true],
    ["aws:lb/loadBalancer:LoadBalancer", { name: "a".repeat(33) }, false],
    ["aws:lb/loadBalancer:LoadBalancer", { name: "internal-web" }, false],
    ["aws:lb/targetGroup:TargetGroup", { name: "web-checkout-tg-1234567" }, true],
    ["aws:lb/targetGroup:TargetGroup", { name: "web_checkout" }, false],
    ["aws:lb/targetGroup:TargetGroup", { name: "web-" }, false],
    ["aws:iam/role:Role", { name: "r".repeat(64) }, true],
    ["aws:iam/role:Role", { name: "r".repeat(65) }, false],
    ["aws:iam/role:Role", { name: "has space" }, false],
    ["aws:ec2/securityGroup:SecurityGroup", { name: "sg-web" }, false],
    ["aws:ec2/launchTemplate:LaunchTemplate", { name: "web-cart-lt-1234567" }, true],
    ["aws:ec2/launchTemplate:LaunchTemplate", { name: "lt" }, false],
    ["aws:s3/bucket:Bucket", { bucket: "lb-logs-1234567" }, true],
    ["aws:s3/bucket:Bucket", { bucket: "LB-logs" }, false],
    ["aws:cloudwatch/logGroup:LogGroup", { name: "aws-waf-logs-securecart-prod-east" }, true],
    ["aws:cloudwatch/logGroup:LogGroup", { name: "bad name" }, false],
    ["aws:sns/topic:Topic", { name: "dns-alarms-1234567" }, true],
    ["aws:sns/topic:Topic", { name: "dns.alarms" }, false],
    ["aws:rds/cluster:Cluster", { clusterIdentifier: "securecart-orders-us-east-1" }, true],
    ["aws:rds/cluster:Cluster", { clusterIdentifier: "1orders" }, false],
    ["aws:rds/cluster:Cluster", { clusterIdentifier: "orders--east" }, false],
    ["aws:rds/cluster:Cluster", { clusterIdentifier: "orders-" }, false],
    ["aws:rds/cluster:Cluster", { clusterIdentifier: "o".repeat(64) }, false],
    ["aws:rds/proxy:Proxy", { name: "securecart-orders-us-west-2" }, true],
    ["aws:kms/alias:Alias", { name: "alias/securecart-db" }, true],
    ["aws:kms/alias:Alias", { name: "alias/aws/rds" }, false],
    ["aws:dynamodb/table:Table", { name: "securecart-sessions" }, true],
    ["aws:dynamodb/table:Table", { name: "ab" }, false],
    ["aws:secretsmanager/secret:Secret", { name: "db-master-secret-1234567" }, true],
    ["aws:secretsmanager/secret:Secret", { name: "db master" }, false],
    ["aws:appautoscaling/scheduledAction:ScheduledAction", { name: "checkout-before-rush" }, true],
    ["aws:appautoscaling/scheduledAction:ScheduledAction", { name: "a:b" }, false],
    [
      "aws:shield/protectionGroup:ProtectionGroup",
      { protectionGroupId: "securecart-prod-east" },
      true,
    ],
    ["aws:shield/protectionGroup:ProtectionGroup", { protectionGroupId: "x".repeat(37) }, false],
  ];
  for (const [type, state, ok] of cases) {
    it(`${ok ? "accepts" : "refuses"} ${type.split(":").pop()} ${JSON.stringify(state).slice(0, 60)}`, () => {
      const errors = awsInputErrors(type, state);
      assert.equal(errors.length === 0, ok, errors.join("; "));
    });
  }
});

describe("access-log delivery (pure)", () => {
  const bucket = "lb-logs-1234567";
  const docIn = (region: string) =>
    accessLogBucketPolicy(
      `arn:aws:s3:::${bucket}`,
      ["elb/web", "elb/pay"],
      MOCK_ACCOUNT_ID,
      region,
    );
  it("writes where ELB writes: <prefix>/AWSLogs/<account>/elasticloadbalancing/<region>/", () => {
    assert.match(
      elbLogObjectArn(bucket, "elb/web", MOCK_ACCOUNT_ID, "us-east-1"),
      /^arn:aws:s3:::lb-logs-1234567\/elb\/web\/AWSLogs\/123456789012\/elasticloadbalancing\/us-east-1\//,
    );
  });
  it("admits each declared load balancer's prefix, for its delivery principal", () => {
    for (const [type, prefix] of [
      ["application", "elb/web"],
      ["network", "elb/pay"],
    ] as const) {
      assert.ok(
        bucketPolicyAdmitsElbLogs(
          docIn("us-west-2"),
          { type, bucket, prefix },
          MOCK_ACCOUNT_ID,
          "us-west-2",
        ),
      );
    }
  });
  it("refuses a prefix the policy doesn't name, and the parent folder alone", () => {
    for (const prefix of ["elb/admin", "elb", undefined]) {
      assert.ok(
        !bucketPolicyAdmitsElbLogs(
          docIn("us-east-1"),
          { type: "application", bucket, prefix },
          MOCK_ACCOUNT_ID,
          "us-east-1",
        ),
        String(prefix),
      );
    }
    // The policy as it was: one grant on elb/AWSLogs/<account>/*, which neither LB writes to.
    const old = accessLogBucketPolicy(
      `arn:aws:s3:::${bucket}`,
      ["elb"],
      MOCK_ACCOUNT_ID,
      "us-east-1",
    );
    assert.ok(
      !bucketPolicyAdmitsElbLogs(
        old,
        { type: "application", bucket, prefix: "elb/web" },
        MOCK_ACCOUNT_ID,
        "us-east-1",
      ),
    );
  });
  it("admits the Region's legacy ELB account besides the service principal where AWS had one", () => {
    // The ELB guide's table of legacy accounts ("Enable access logs", Step 2).
    assert.equal(ELB_LEGACY_LOG_ACCOUNTS["us-east-1"], "127311923021");
    assert.equal(ELB_LEGACY_LOG_ACCOUNTS["us-west-2"], "797873946194");
    assert.equal(ELB_LEGACY_LOG_ACCOUNTS["eu-west-1"], "156460612806");
    const web = { type: "application" as const, bucket, prefix: "elb/web" };
    // A policy with the service principal alone (the grant before this change) fails the mocks'
    // test write in us-east-1, where delivery may come from ELB account 127311923021.
    const serviceOnly = JSON.parse(docIn("us-east-1"));
    serviceOnly.Statement = serviceOnly.Statement.filter(
      (st: { Sid: string }) => st.Sid !== "AlbLogDeliveryLegacyRegion",
    );
    assert.ok(!bucketPolicyAdmitsElbLogs(serviceOnly, web, MOCK_ACCOUNT_ID, "us-east-1"));
    assert.ok(bucketPolicyAdmitsElbLogs(docIn("us-east-1"), web, MOCK_ACCOUNT_ID, "us-east-1"));
    const legacy = JSON.parse(docIn("us-east-1")).Statement.find(
      (st: { Sid: string }) => st.Sid === "AlbLogDeliveryLegacyRegion",
    );
    assert.deepEqual(legacy.Principal, { AWS: "arn:aws:iam::127311923021:root" });
    // Another Region's account is not this Region's: us-west-2's grant doesn't serve us-east-1.
    assert.ok(!bucketPolicyAdmitsElbLogs(docIn("us-west-2"), web, MOCK_ACCOUNT_ID, "us-east-1"));
    // A Region opened after August 2022 (Spain) never had one: the service principal alone.
    const spain = JSON.parse(docIn("eu-south-2"));
    assert.ok(!spain.Statement.some((st: { Principal: unknown }) => "AWS" in Object(st.Principal)));
    assert.ok(bucketPolicyAdmitsElbLogs(spain, web, MOCK_ACCOUNT_ID, "eu-south-2"));
  });
  it("makes the mocks refuse an ALB whose logs the bucket policy doesn't admit, as ELB's test write does", () => {
    const alb = {
      loadBalancerType: "application",
      accessLogs: { enabled: true, bucket, prefix: "elb/web" },
    };
    const policy = (prefixes: string[]) => ({
      type: "aws:s3/bucketPolicy:BucketPolicy",
      region: "us-east-1",
      state: {
        bucket,
        policy: accessLogBucketPolicy(
          `arn:aws:s3:::${bucket}`,
          prefixes,
          MOCK_ACCOUNT_ID,
          "us-east-1",
        ),
      },
    });
    const check = (prior: ReturnType<typeof policy>[]) =>
      awsBehaviourErrors(
        "aws:lb/loadBalancer:LoadBalancer",
        alb,
        "us-east-1",
        MOCK_ACCOUNT_ID,
        prior,
      );
    assert.deepEqual(check([policy(["elb/web"])]), []);
    assert.match(
      String(check([policy(["elb"])])),
      /^InvalidConfigurationRequest: Access Denied for bucket: lb-logs-1234567/,
    );
    const bucketOnly = { type: "aws:s3/bucket:Bucket", region: "us-east-1", state: { bucket } };
    assert.match(String(check([bucketOnly as ReturnType<typeof policy>])), /Access Denied/);
    // A bucket the run doesn't know (a component test's plain name) isn't judged.
    assert.deepEqual(check([]), []);
  });
});

describe("global table replica auto scaling (pure, AWS's behaviour)", () => {
  const replica = {
    type: "aws:dynamodb/tableReplica:TableReplica",
    region: "us-west-2",
    state: {
      globalTableArn: `arn:aws:dynamodb:us-east-1:${MOCK_ACCOUNT_ID}:table/securecart-sessions`,
      region: "us-west-2",
    },
  };
  const policy = {
    serviceNamespace: "dynamodb",
    resourceId: "table/securecart-sessions",
    scalableDimension: "dynamodb:table:WriteCapacityUnits",
    policyType: "TargetTrackingScaling",
  };
  const check = (region: string) =>
    awsBehaviourErrors("aws:appautoscaling/policy:Policy", policy, region, MOCK_ACCOUNT_ID, [
      replica,
    ]);
  it("refuses a second target-tracking policy on a replica, as Application Auto Scaling does", () => {
    assert.match(
      String(check("us-west-2")),
      /^ValidationException: Only one TargetTrackingScaling policy for a given metric specification is allowed/,
    );
  });
  it("accepts the global table's own policy in its region", () => {
    assert.deepEqual(check("us-east-1"), []);
  });
});

describe("request-count labels need an attached target group (pure, AWS's rule)", () => {
  const lbArn = `arn:aws:elasticloadbalancing:us-east-1:${MOCK_ACCOUNT_ID}:loadbalancer/app/web/1`;
  const tgArn = `arn:aws:elasticloadbalancing:us-east-1:${MOCK_ACCOUNT_ID}:targetgroup/tg/2`;
  const listenerArn = `arn:aws:elasticloadbalancing:us-east-1:${MOCK_ACCOUNT_ID}:listener/app/web/1/3`;
  const at = (type: string, state: Record<string, unknown>) => ({
    type,
    region: "us-east-1",
    state,
  });
  const base = [
    at("aws:lb/loadBalancer:LoadBalancer", { arn: lbArn, arnSuffix: "app/web/1" }),
    at("aws:lb/targetGroup:TargetGroup", { arn: tgArn, arnSuffix: "targetgroup/tg/2" }),
    at("aws:lb/listener:Listener", {
      arn: listenerArn,
      loadBalancerArn: lbArn,
      defaultActions: [],
    }),
  ];
  const rule = at("aws:lb/listenerRule:ListenerRule", {
    listenerArn,
    actions: [{ type: "forward", targetGroupArn: tgArn }],
  });
  const policy = {
    targetTrackingConfiguration: {
      predefinedMetricSpecification: {
        predefinedMetricType: "ALBRequestCountPerTarget",
        resourceLabel: "app/web/1/targetgroup/tg/2",
      },
    },
  };
  const check = (prior: typeof base) =>
    awsBehaviourErrors(
      "aws:autoscaling/policy:Policy",
      policy,
      "us-east-1",
      MOCK_ACCOUNT_ID,
      prior,
    );
  it("refuses the policy before a rule forwards to the target group", () => {
    assert.match(
      String(check(base)),
      /^ValidationError: resource label app\/web\/1\/targetgroup\/tg\/2/,
    );
  });
  it("accepts it once a listener rule (or a listener's default action) forwards there", () => {
    assert.deepEqual(check([...base, rule]), []);
    assert.ok(
      albTargetGroupAttached("app/web/1/targetgroup/tg/2", [
        ...base.slice(0, 2),
        at("aws:lb/listener:Listener", {
          arn: listenerArn,
          loadBalancerArn: lbArn,
          defaultActions: [{ type: "forward", targetGroupArn: tgArn }],
        }),
      ]),
    );
  });
});

describe("policy evaluation (pure)", () => {
  it("matches IAM wildcards", () => {
    assert.ok(
      globMatch("arn:aws:s3:::b/elb/web/AWSLogs/1/*", "arn:aws:s3:::b/elb/web/AWSLogs/1/x/y"),
    );
    assert.ok(!globMatch("arn:aws:s3:::b/elb/AWSLogs/1/*", "arn:aws:s3:::b/elb/web/AWSLogs/1/x"));
    assert.ok(globMatch("dynamodb:Get?tem", "dynamodb:GetItem"));
    assert.ok(globMatch("DynamoDB:getitem", "dynamodb:GetItem", true));
  });
  it("lets an explicit Deny win and needs every condition", () => {
    const doc = {
      Statement: [
        { Effect: "Allow", Action: "s3:*", Resource: "*", Principal: "*" },
        {
          Effect: "Deny",
          Action: "s3:*",
          Resource: "*",
          Principal: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    };
    const req = { action: "s3:PutObject", resource: "arn:aws:s3:::b/k" };
    assert.ok(policiesAllow([doc], { ...req, context: { "aws:SecureTransport": "true" } }));
    assert.ok(!policiesAllow([doc], { ...req, context: { "aws:SecureTransport": "false" } }));
  });
});

describe("both prod stacks against AWS's rules (mocks)", () => {
  const runs: Record<string, ProgramRun> = {};
  before(async function () {
    // Two stack evaluations (shared with other files through runStack's cache) on a busy machine.
    this.timeout(120_000);
    for (const stack of ["prod-east", "prod-west"]) runs[stack] = await runStack(stack);
  });

  it("every load balancer's log prefix is writable under its bucket's policy", () => {
    for (const run of Object.values(runs)) {
      const region = String(run.config["aws:region"]);
      const policies = ofType(run, "aws:s3/bucketPolicy:BucketPolicy");
      // Gateway Load Balancers have no access logs.
      const lbs = ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter(
        (lb) => lb.inputs.loadBalancerType !== "gateway",
      );
      assert.ok(lbs.length > 0);
      for (const lb of lbs) {
        const logs = lb.inputs.accessLogs;
        assert.equal(logs?.enabled, true, `${run.stack} ${lb.name} logs`);
        const policy = policies.find((p) => p.inputs.bucket === logs.bucket);
        assert.ok(policy, `${run.stack}: no policy on ${logs.bucket}`);
        const type = lb.inputs.loadBalancerType === "network" ? "network" : "application";
        assert.ok(
          bucketPolicyAdmitsElbLogs(
            policy.inputs.policy,
            { type, bucket: logs.bucket, prefix: logs.prefix },
            MOCK_ACCOUNT_ID,
            region,
          ),
          `${run.stack}: ${lb.name} logs under ${logs.prefix}, which the policy refuses`,
        );
      }
    }
  });

  it("every request-count scaling policy waits for the rule that attaches its target group", () => {
    for (const run of Object.values(runs)) {
      const policies = ofType(run, "aws:autoscaling/policy:Policy").filter(
        (p) =>
          p.inputs.targetTrackingConfiguration?.predefinedMetricSpecification
            ?.predefinedMetricType === "ALBRequestCountPerTarget",
      );
      assert.equal(
        policies.length,
        Object.keys(JSON.parse(run.config["securecart:services"])).length,
      );
      for (const p of policies) {
        const label: string =
          p.inputs.targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel;
        const tg = ofType(run, "aws:lb/targetGroup:TargetGroup").find((t) =>
          label.endsWith(`/${t.state.arnSuffix}`),
        );
        assert.ok(tg, `${run.stack} ${p.name}: no target group for ${label}`);
        const attaching = ofType(run, "aws:lb/listenerRule:ListenerRule").filter((r) =>
          (r.inputs.actions ?? []).some(
            (a: { targetGroupArn?: string }) => a.targetGroupArn === tg.state.arn,
          ),
        );
        assert.ok(attaching.length > 0, `${run.stack}: nothing attaches ${tg.name}`);
        assert.ok(
          attaching.some((r) => p.dependencies.includes(r.urn)),
          `${run.stack}: ${p.name} does not depend on ${attaching.map((r) => r.name).join(", ")}`,
        );
      }
    }
  });

  it("no interface endpoint's private DNS captures traffic its security groups refuse", () => {
    // With private DNS on, every call to the service from anywhere in the VPC resolves to the
    // endpoint; it must then admit HTTPS from the whole VPC, or it must have private DNS off.
    let checked = 0;
    for (const run of Object.values(runs)) {
      const vpcCidr = ofType(run, "aws:ec2/vpc:Vpc")[0].inputs.cidrBlock;
      const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
        (e) => e.inputs.vpcEndpointType === "Interface",
      );
      checked += endpoints.length;
      for (const e of endpoints.filter((x) => x.inputs.privateDnsEnabled !== false)) {
        const admitsVpc = ofType(run, INGRESS).some(
          (r) =>
            e.inputs.securityGroupIds.includes(r.inputs.securityGroupId) &&
            r.inputs.cidrIpv4 === vpcCidr &&
            r.inputs.fromPort <= 443 &&
            r.inputs.toPort >= 443,
        );
        assert.ok(admitsVpc, `${run.stack}: ${e.name} has private DNS on but refuses the VPC`);
      }
    }
    assert.ok(checked > 0, "the primary's Secrets Manager endpoint is among them");
  });

  it("no WAF rule can block Route 53's health checks of an ALB the web ACL protects", () => {
    let checked = 0;
    for (const run of Object.values(runs)) {
      const [acl] = ofType(run, "aws:wafv2/webAcl:WebAcl");
      const protectedArns = ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation").map(
        (a) => a.inputs.resourceArn,
      );
      const albNames = ofType(run, "aws:lb/loadBalancer:LoadBalancer")
        .filter((lb) => protectedArns.includes(lb.state.arn))
        .map((lb) => lb.state.dnsName);
      const checks = ofType(run, "aws:route53/healthCheck:HealthCheck").filter((c) =>
        albNames.includes(c.inputs.fqdn),
      );
      assert.ok(checks.length > 0, run.stack);
      type Rule = { name: string; priority: number; action?: { allow?: object }; statement: any };
      const rules = acl.inputs.rules as Rule[];
      // Only the per-IP rate limit may run before the allow rule: it must still shed floods that
      // forge the health check's Host and path.
      const rate = rules.find((r) => r.statement.rateBasedStatement !== undefined);
      assert.ok(rate, `${run.stack}: no rate-based rule`);
      const first = Math.min(...rules.filter((r) => r !== rate).map((r) => r.priority));
      assert.ok(rate.priority < first, `${run.stack}: the rate limit runs after the allow rule`);
      for (const c of checks) {
        // Route 53 sends the FQDN as Host and requests the resource path (HTTPS, port 443).
        const allows = rules.filter((r) => {
          const parts = r.statement.andStatement?.statements ?? [];
          const hostOk = parts.some(
            (p: any) =>
              p.byteMatchStatement?.fieldToMatch?.singleHeader?.name === "host" &&
              p.byteMatchStatement.positionalConstraint === "EXACTLY" &&
              p.byteMatchStatement.searchString === String(c.inputs.fqdn).toLowerCase(),
          );
          const pathOk = parts.some(
            (p: any) =>
              p.byteMatchStatement?.fieldToMatch?.uriPath !== undefined &&
              p.byteMatchStatement.positionalConstraint === "EXACTLY" &&
              p.byteMatchStatement.searchString === c.inputs.resourcePath,
          );
          return r.action?.allow !== undefined && hostOk && pathOk;
        });
        assert.equal(allows.length, 1, `${run.stack}: no rule allows ${c.name} first`);
        // Route 53's request passes the Allow; anything else with that Host and path must go on
        // to the managed groups (an Allow ends evaluation).
        const request: WafRequest = {
          method: "GET",
          path: c.inputs.resourcePath,
          query: "",
          headers: { host: String(c.inputs.fqdn) },
          body: "",
        };
        const allowed = (change: Partial<WafRequest>) =>
          wafStatementMatches(allows[0].statement, { ...request, ...change });
        assert.equal(allowed({}), true, `${run.stack}: Route 53's own GET`);
        for (const change of [
          { method: "POST", body: "' OR 1=1 --" },
          { query: "id=1%27%20OR%201=1" },
          { body: "<script>" },
          { method: "HEAD" },
        ]) {
          assert.equal(allowed(change), false, `${run.stack}: ${JSON.stringify(change)} skips WAF`);
        }
        assert.equal(
          allows[0].priority,
          first,
          `${run.stack}: a rule runs before ${allows[0].name}`,
        );
        assert.equal(rules.filter((r) => r.priority === first).length, 1);
        checked++;
      }
      const bot = rules.find(
        (r) => r.statement.managedRuleGroupStatement?.name === "AWSManagedRulesBotControlRuleSet",
      );
      assert.deepEqual(
        bot?.statement.managedRuleGroupStatement.ruleActionOverrides,
        [
          { name: "SignalNonBrowserUserAgent", actionToUse: { count: {} } },
          { name: "CategoryHttpLibrary", actionToUse: { count: {} } },
        ],
        `${run.stack}: Bot Control would block mobile apps and API clients`,
      );
    }
    assert.ok(checked >= 2);
  });

  it("no stack declares auto scaling on a table that is a replica in its region", () => {
    // DynamoDB passes the global table's auto scaling to each replica (UpdateTableReplicaAutoScaling
    // manages them together); the stacks run separately, so this is checked across both runs.
    const replicas = Object.values(runs).flatMap((run) =>
      ofType(run, "aws:dynamodb/tableReplica:TableReplica").map((r) => ({
        region: String(r.state.region),
        resourceId: `table/${String(r.state.arn).split(":table/")[1]}`,
      })),
    );
    assert.ok(replicas.length > 0, "the primary creates a sessions replica");
    for (const run of Object.values(runs)) {
      const region = String(run.config["aws:region"]);
      const onReplicas = ofType(run, "aws:appautoscaling/target:Target")
        .concat(ofType(run, "aws:appautoscaling/policy:Policy"))
        .filter((t) => t.state.arn?.split(":")[3] === region)
        .filter((t) =>
          replicas.some((r) => r.region === region && r.resourceId === t.inputs.resourceId),
        );
      assert.deepEqual(
        onReplicas.map((t) => t.name),
        [],
        run.stack,
      );
    }
  });

  it("no ID or ARN that AWS generates is shared between us-east-1 and us-west-2", () => {
    // IDs that are a name the program chose (a table, a schedule) are the same in both regions in
    // AWS too, and Route 53 records are global (the ACM validation record is shared on purpose).
    const idsOf = (run: ProgramRun) =>
      new Set(
        run.resources
          .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
          .filter((r) => !r.type.startsWith("aws:route53/") && !r.type.startsWith("aws:acm/"))
          .flatMap((r) => {
            const named = Object.entries(r.state)
              .filter(([k, v]) => k !== "arn" && typeof v === "string")
              .map(([, v]) => v);
            return [named.includes(r.id) ? undefined : r.id, r.state.arn];
          })
          .filter((v): v is string => typeof v === "string" && v !== ""),
      );
    const east = idsOf(runs["prod-east"]);
    const shared = [...idsOf(runs["prod-west"])].filter((id) => east.has(id));
    assert.deepEqual(shared, []);
  });
});
