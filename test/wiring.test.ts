/**
 * Wiring completeness: every dependency a service is told about in its environment file is one it
 * can reach. A table named in the environment is granted to the service's instance role, on that
 * table's ARN in the service's own region; a database proxy endpoint is admitted by the proxy's
 * security group. Expectations come from the loaded config of every regional stack.
 */
import { strict as assert } from "assert";
import { StackConfig } from "../stacks/config";
import { ProgramRun, byName, ofType, runStack } from "../tools/harness";
import { regionalStackConfigs } from "../tools/deployments";
import { MOCK_ACCOUNT_ID } from "../tools/mocks";
import { policiesAllow } from "../tools/policyEval";
import { SESSION_ITEM_ACTIONS, sessionTableArn } from "../components/sessionTable";

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
};

/** The variables user data writes to /etc/securecart/env, or {} when it writes none. */
function environmentOf(run: ProgramRun, svc: string): Record<string, string> {
  const userData = Buffer.from(
    String(byName(run, T.lt, `web-${svc}-lt`).inputs.userData ?? ""),
    "base64",
  ).toString("utf8");
  const m = /cat > \/etc\/securecart\/env <<'ENV'\n([\s\S]*?)\nENV\n/.exec(userData);
  if (!m) return {};
  return Object.fromEntries(
    m[1].split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
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
  });
}
