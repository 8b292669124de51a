/**
 * Wiring completeness: every dependency a service is told about in its environment file is one it
 * can reach. A table named in the environment is granted to the service's instance role, on that
 * table's ARN in the service's own region, and routed: every subnet the service's instances run in
 * has a route table that the region's DynamoDB gateway endpoint is associated with, and the
 * endpoint's policy allows each action the role has on that ARN (likewise S3 for a bucket). A
 * database proxy endpoint is admitted by the proxy's security group. Expectations come from the
 * loaded config of every regional stack.
 */
import { strict as assert } from "assert";
import { StackConfig } from "../stacks/config";
import { ProgramRun, byName, ofType, runStack } from "../testing/harness";
import { regionalStackConfigs } from "../tools/deployments";
import { MOCK_ACCOUNT_ID } from "../testing/mocks";
import { policiesAllow } from "../testing/policyEval";
import { environmentOf } from "./support";
import {
  SESSION_ITEM_ACTIONS,
  SESSION_TABLE_INDEXES,
  sessionTableAccessPolicy,
  sessionTableArn,
} from "../components/data/sessionTable";

const T = {
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  table: "aws:dynamodb/table:Table",
  replica: "aws:dynamodb/tableReplica:TableReplica",
  proxy: "aws:rds/proxy:Proxy",
  asg: "aws:autoscaling/group:Group",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
};

/**
 * Why `svc` cannot reach `service` (`dynamodb`, `s3`) in `region` through a gateway endpoint for
 * `actions` on `resource`: a subnet of its Auto Scaling group whose route table the endpoint is
 * not associated with (AWS adds the service's prefix-list route only to those route tables), or
 * an action the endpoint's policy refuses. Empty when every path is open.
 */
function gatewayProblems(
  run: ProgramRun,
  svc: string,
  service: "dynamodb" | "s3",
  region: string,
  resource: string,
  actions: readonly string[],
  context: Readonly<Record<string, string>> = {},
): string[] {
  const endpoints = ofType(run, T.endpoint).filter(
    (e) =>
      e.inputs.vpcEndpointType === "Gateway" &&
      e.inputs.serviceName === `com.amazonaws.${region}.${service}`,
  );
  if (endpoints.length !== 1) return [`${endpoints.length} ${service} gateway endpoints`];
  const endpoint = endpoints[0].inputs;
  const problems: string[] = [];
  const subnets: string[] = byName(run, T.asg, `web-${svc}-asg`).inputs.vpcZoneIdentifiers;
  if (!subnets || subnets.length === 0) problems.push(`${svc} runs in no subnet`);
  for (const subnet of subnets ?? []) {
    const tables = ofType(run, T.rta)
      .filter((a) => a.inputs.subnetId === subnet)
      .map((a) => a.inputs.routeTableId as string);
    if (tables.length !== 1) problems.push(`${subnet}: ${tables.length} route tables`);
    for (const rt of tables) {
      if (!(endpoint.routeTableIds ?? []).includes(rt)) {
        problems.push(`${subnet}: route table ${rt} has no route to the ${service} endpoint`);
      }
    }
  }
  const policy = JSON.parse(String(endpoint.policy ?? "null"));
  for (const action of actions) {
    if (policy !== null && !policiesAllow([policy], { action, resource, context })) {
      problems.push(`the ${service} endpoint's policy refuses ${action} on ${resource}`);
    }
  }
  return problems;
}

/** Actions on `resource` that the documents allow, out of `candidates`. */
function allowedActions(docs: unknown[], resource: string, candidates: readonly string[]) {
  return candidates.filter((action) => policiesAllow(docs, { action, resource }));
}

/** The inline policy documents on a service's instance role. */
function rolePoliciesOf(run: ProgramRun, svc: string): unknown[] {
  const roleName = byName(run, T.role, `web-${svc}-role`).state.name;
  assert.ok(roleName, `web-${svc}-role has a name`);
  return ofType(run, T.rolePolicy)
    .filter((p) => p.inputs.role === roleName)
    .map((p) => JSON.parse(String(p.inputs.policy)));
}

const TABLE_VARIABLES = /_TABLE$/;
const BUCKET_VARIABLES = /_BUCKET$/;
const S3_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"];

describe("sessions table access policy (pure)", () => {
  it("grants Query on each secondary index's own ARN, and nothing on indexes without any", () => {
    const arn = sessionTableArn("us-west-2", MOCK_ACCOUNT_ID, "t");
    const withIndex = sessionTableAccessPolicy("us-west-2", MOCK_ACCOUNT_ID, "t", ["byUser"]);
    assert.ok(
      policiesAllow([withIndex], { action: "dynamodb:Query", resource: `${arn}/index/byUser` }),
    );
    assert.ok(
      !policiesAllow([withIndex], { action: "dynamodb:Query", resource: `${arn}/index/other` }),
    );
    assert.ok(
      !policiesAllow([withIndex], { action: "dynamodb:Scan", resource: `${arn}/index/byUser` }),
    );
    const plain = sessionTableAccessPolicy("us-west-2", MOCK_ACCOUNT_ID, "t", []);
    assert.ok(!policiesAllow([plain], { action: "dynamodb:Query", resource: `${arn}/index/x` }));
    assert.ok(policiesAllow([plain], { action: "dynamodb:Query", resource: arn }));
  });
});

const configs = regionalStackConfigs();
const primaryOf = (cfg: StackConfig) =>
  configs.find((c) => c.deployment.name === cfg.deployment.name && c.role === "primary");

for (const cfg of configs) {
  describe(`wiring of ${cfg.stack} (${cfg.region})`, () => {
    let run: ProgramRun;
    before(async function () {
      this.timeout(120_000);
      run = await runStack(cfg.stack);
    });

    it("tells exactly the configured sessions clients the table's name and this region", () => {
      const told = Object.keys(cfg.services).filter(
        (svc) => environmentOf(run, svc).SESSIONS_TABLE !== undefined,
      );
      assert.deepEqual(told.sort(), [...cfg.sessions.clients].sort());
      for (const svc of told) {
        const env = environmentOf(run, svc);
        assert.equal(env.SESSIONS_TABLE, cfg.sessions.tableName, svc);
        assert.equal(env.AWS_REGION, cfg.region, svc);
      }
    });

    it("grants every table named in a service's environment on its ARN in this region", async () => {
      // The copy of the table in this region, as AWS reports it: the table in the primary stack,
      // the replica (declared by the primary stack) elsewhere.
      const primary = primaryOf(cfg);
      assert.ok(primary, `${cfg.stack} has a primary stack`);
      const primaryRun = primary.stack === cfg.stack ? run : await runStack(primary.stack);
      const table = byName(primaryRun, T.table, "sessions-table").state;
      const copies = [
        table.arn as string,
        ...ofType(primaryRun, T.replica).map((r) => r.state.arn as string),
      ];
      const here = copies.find((arn) => arn.split(":")[3] === cfg.region);
      assert.equal(here, sessionTableArn(cfg.region, MOCK_ACCOUNT_ID, cfg.sessions.tableName));
      // Every secondary index the table has (a replica has the table's indexes) is queryable.
      const tableInputs = byName(primaryRun, T.table, "sessions-table").inputs;
      const indexes = [
        ...(tableInputs.globalSecondaryIndexes ?? []),
        ...(tableInputs.localSecondaryIndexes ?? []),
      ].map((i: { name: string }) => i.name);
      assert.deepEqual(indexes.sort(), [...SESSION_TABLE_INDEXES].sort());

      let checked = 0;
      for (const svc of Object.keys(cfg.services)) {
        const env = environmentOf(run, svc);
        const docs = rolePoliciesOf(run, svc);
        for (const [name, value] of Object.entries(env)) {
          if (!TABLE_VARIABLES.test(name)) continue;
          const arn = sessionTableArn(cfg.region, MOCK_ACCOUNT_ID, value);
          for (const action of ["dynamodb:GetItem", "dynamodb:PutItem", ...SESSION_ITEM_ACTIONS]) {
            assert.ok(policiesAllow(docs, { action, resource: arn }), `${svc} ${action} ${arn}`);
          }
          assert.ok(!policiesAllow(docs, { action: "dynamodb:Scan", resource: arn }), svc);
          for (const index of indexes) {
            const indexArn = `${arn}/index/${index}`;
            assert.ok(policiesAllow(docs, { action: "dynamodb:Query", resource: indexArn }), svc);
          }
          assert.ok(!policiesAllow(docs, { action: "dynamodb:DeleteTable", resource: arn }), svc);
          // Least privilege: no other region's copy, and no other table.
          for (const other of copies.filter((a) => a !== arn)) {
            assert.ok(!policiesAllow(docs, { action: "dynamodb:GetItem", resource: other }), svc);
          }
          assert.ok(
            !policiesAllow(docs, { action: "dynamodb:GetItem", resource: `${arn}-other` }),
            svc,
          );
          checked++;
        }
        if (!Object.keys(env).some((n) => TABLE_VARIABLES.test(n))) {
          for (const arn of copies) {
            assert.ok(!policiesAllow(docs, { action: "dynamodb:GetItem", resource: arn }), svc);
          }
        }
      }
      assert.equal(checked, cfg.sessions.clients.length);
    });

    it("admits every service told the proxy endpoint through the proxy's security group", () => {
      const proxy = byName(run, T.proxy, "db-proxy").state;
      const proxySg = byName(run, T.sg, "db-proxy-sg").id;
      let checked = 0;
      for (const svc of Object.keys(cfg.services)) {
        const env = environmentOf(run, svc);
        if (env.DB_PROXY_ENDPOINT === undefined) continue;
        assert.equal(env.DB_PROXY_ENDPOINT, proxy.endpoint, svc);
        const sgId = byName(run, T.sg, `web-${svc}-sg`).id;
        const port = Number(env.DB_PORT);
        const covers = (r: { inputs: Record<string, any> }) =>
          r.inputs.ipProtocol === "tcp" && r.inputs.fromPort <= port && port <= r.inputs.toPort;
        assert.ok(
          ofType(run, T.ingress).some(
            (r) =>
              r.inputs.securityGroupId === proxySg &&
              r.inputs.referencedSecurityGroupId === sgId &&
              covers(r),
          ),
          `${svc} admitted by the proxy's security group`,
        );
        assert.ok(
          ofType(run, T.egress).some(
            (r) =>
              r.inputs.securityGroupId === sgId &&
              r.inputs.referencedSecurityGroupId === proxySg &&
              covers(r),
          ),
          `${svc} may leave for the proxy`,
        );
        checked++;
      }
      assert.equal(checked, cfg.database.clients.length);
    });

    it("sends Route 53's web health check to a service whose role may connect to the proxy and whose security group reaches it", () => {
      // The service behind the health-check rule, found from the target group it forwards to.
      const rule = byName(run, "aws:lb/listenerRule:ListenerRule", "dns-web-hc-rule");
      const tgArn = rule.inputs.actions[0].targetGroupArn;
      const checked = Object.keys(cfg.services).filter(
        (svc) => byName(run, "aws:lb/targetGroup:TargetGroup", `web-${svc}-tg`).state.arn === tgArn,
      );
      assert.equal(
        checked.length,
        1,
        `one target group behind the rule; got ${checked.join(", ")}`,
      );
      const svc = checked[0];
      const proxySg = byName(run, T.sg, "db-proxy-sg").id;
      const sgId = byName(run, T.sg, `web-${svc}-sg`).id;
      assert.ok(
        ofType(run, T.ingress).some(
          (r) =>
            r.inputs.securityGroupId === proxySg && r.inputs.referencedSecurityGroupId === sgId,
        ),
        `${svc} (health-checked) admitted by the proxy's security group`,
      );
      const connect = byName(run, T.rolePolicy, `db-proxy-connect-${svc}`);
      assert.equal(connect.inputs.role, byName(run, T.role, `web-${svc}-role`).state.name);
      assert.ok(
        JSON.parse(connect.inputs.policy).Statement.some((st: { Action: string | string[] }) =>
          [st.Action].flat().includes("rds-db:connect"),
        ),
        `${svc} (health-checked) may rds-db:connect`,
      );
      assert.ok(environmentOf(run, svc).DB_PROXY_ENDPOINT, `${svc} is told the proxy endpoint`);
    });

    it("lets every sessions client reach DynamoDB's regional endpoint over HTTPS", () => {
      for (const svc of cfg.sessions.clients) {
        const sgId = byName(run, T.sg, `web-${svc}-sg`).id;
        assert.ok(
          ofType(run, T.egress).some(
            (r) =>
              r.inputs.securityGroupId === sgId &&
              r.inputs.ipProtocol === "tcp" &&
              r.inputs.fromPort <= 443 &&
              443 <= r.inputs.toPort &&
              (r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.prefixListId !== undefined),
          ),
          svc,
        );
      }
    });

    it("routes every table a service is told about through the DynamoDB gateway endpoint", () => {
      let checked = 0;
      for (const svc of Object.keys(cfg.services)) {
        const env = environmentOf(run, svc);
        const docs = rolePoliciesOf(run, svc);
        for (const [name, value] of Object.entries(env)) {
          if (!TABLE_VARIABLES.test(name)) continue;
          const arn = sessionTableArn(cfg.region, MOCK_ACCOUNT_ID, value);
          const granted = allowedActions(docs, arn, SESSION_ITEM_ACTIONS);
          assert.ok(granted.length > 0, `${svc} is granted ${arn}`);
          const problems = gatewayProblems(run, svc, "dynamodb", cfg.region, arn, granted);
          assert.deepEqual(problems, [], `${svc} ${name}`);
          checked++;
        }
      }
      assert.equal(checked, cfg.sessions.clients.length);
    });

    it("routes every bucket a service is told about through the S3 gateway endpoint", () => {
      // No service is told about a bucket today; any *_BUCKET variable is checked as soon as one
      // is. The same check runs on a bucket of this account from every service's subnets, so it
      // is exercised now and cannot rot.
      const account = { "aws:ResourceAccount": MOCK_ACCOUNT_ID };
      for (const svc of Object.keys(cfg.services)) {
        const env = environmentOf(run, svc);
        const docs = rolePoliciesOf(run, svc);
        for (const [name, bucket] of Object.entries(env)) {
          if (!BUCKET_VARIABLES.test(name)) continue;
          const objects = `arn:aws:s3:::${bucket}/*`;
          const granted = allowedActions(docs, objects, S3_OBJECT_ACTIONS);
          assert.ok(granted.length > 0, `${svc} is granted ${objects}`);
          assert.deepEqual(
            gatewayProblems(run, svc, "s3", cfg.region, objects, granted, account),
            [],
          );
        }
        const ours = "arn:aws:s3:::securecart-example/*";
        assert.deepEqual(
          gatewayProblems(run, svc, "s3", cfg.region, ours, S3_OBJECT_ACTIONS, account),
          [],
          svc,
        );
        // Another account's bucket is refused at the endpoint (the data perimeter).
        assert.ok(
          gatewayProblems(run, svc, "s3", cfg.region, ours, ["s3:PutObject"], {
            "aws:ResourceAccount": "210987654321",
          }).length > 0,
          svc,
        );
      }
    });
  });
}
