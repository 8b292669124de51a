import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { dbConnectPolicy, proxyResourceId } from "../components/data/databasePolicies";
import { POSTGRES_ROTATION_APP } from "../components/data/rotatedSecret";
import { ProgramRun, byName, ofType, runStack } from "../testing/harness";
import { MOCK_ACCOUNT_ID, RecordedResource } from "../testing/mocks";

const T = {
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  subnet: "aws:ec2/subnet:Subnet",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  global: "aws:rds/globalCluster:GlobalCluster",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  proxy: "aws:rds/proxy:Proxy",
  pool: "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
  target: "aws:rds/proxyTarget:ProxyTarget",
  endpoint: "aws:rds/proxyEndpoint:ProxyEndpoint",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  rotation: "aws:secretsmanager/secretRotation:SecretRotation",
  sar: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  table: "aws:dynamodb/table:Table",
  replica: "aws:dynamodb/tableReplica:TableReplica",
  scalingTarget: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
};

const CLIENTS = ["cart", "checkout", "orders"];
const NON_CLIENTS = ["admin", "products", "storefront"];

/** A Pulumi secret as the engine records it, unwrapped; fails if the value is not secret. */
function secretValue(v: unknown): unknown {
  assert.ok(v !== null && typeof v === "object", `expected a secret, got ${JSON.stringify(v)}`);
  const o = v as Record<string, unknown>;
  assert.equal(o[pulumi.runtime.specialSigKey], pulumi.runtime.specialSecretSig, "not a secret");
  return o.value;
}

const userDataOf = (run: ProgramRun, svc: string) =>
  Buffer.from(byName(run, T.lt, `web-${svc}-lt`).inputs.userData, "base64").toString("utf8");

const envFileOf = (userData: string): Record<string, string> => {
  const m = /cat > \/etc\/securecart\/env <<'ENV'\n([\s\S]*?)\nENV\n/.exec(userData);
  if (!m) return {};
  return Object.fromEntries(
    m[1].split("\n").map((l) => [l.split("=")[0], l.slice(l.indexOf("=") + 1)]),
  );
};

/** The sessions table's scalable targets and their tracking, as [dimension, min, max, target]. */
function sessionScaling(run: ProgramRun): [string, number, number, number][] {
  return ofType(run, T.scalingTarget)
    .filter((t) => t.inputs.resourceId === "table/securecart-sessions")
    .map((t): [string, number, number, number] => {
      const policy = ofType(run, T.scalingPolicy).find(
        (p) =>
          p.inputs.scalableDimension === t.inputs.scalableDimension &&
          p.inputs.resourceId === t.inputs.resourceId,
      );
      return [
        t.inputs.scalableDimension,
        t.inputs.minCapacity,
        t.inputs.maxCapacity,
        policy?.inputs.targetTrackingScalingPolicyConfiguration.targetValue,
      ];
    })
    .sort();
}

/** The global table (set in the primary, passed to every replica by DynamoDB): reads 50–500 and writes 25–500, tracked at 70 %. */
const EXPECTED_SESSION_SCALING: [string, number, number, number][] = [
  ["dynamodb:table:ReadCapacityUnits", 50, 500, 70],
  ["dynamodb:table:WriteCapacityUnits", 25, 500, 70],
];

for (const [stack, region, role] of [
  ["prod-east", "us-east-1", "primary"],
  ["prod-west", "us-west-2", "secondary"],
] as const) {
  describe(`database in ${stack} (mocks)`, () => {
    let run: ProgramRun;
    const primary = role === "primary";
    const clusterId = `securecart-orders-${region}`;
    const sgId = (name: string) => byName(run, T.sg, name).id;
    const isolated = () =>
      ["a", "b", "c"].map((l) => byName(run, T.subnet, `net-isolated-${l}`).id);
    const ingressOf = (sg: string | undefined) =>
      ofType(run, T.ingress).filter((r) => r.inputs.securityGroupId === sg);
    const egressOf = (sg: string | undefined) =>
      ofType(run, T.egress).filter((r) => r.inputs.securityGroupId === sg);
    const rule = (r: RecordedResource) => [
      r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4,
      r.inputs.ipProtocol,
      r.inputs.fromPort,
      r.inputs.toPort,
    ];

    before(async () => {
      run = await runStack(stack);
    });

    it("encrypts with its own rotating KMS key in this region", () => {
      // The network's flow-log key is its own (test/security.test.ts), and so are the keys of the
      // master secret's replicas in other regions (test/secretReplica.test.ts).
      const keys = ofType(run, T.key).filter(
        (k) => !k.name.startsWith("net-") && !k.name.startsWith("db-master-key-"),
      );
      assert.equal(keys.length, 1);
      const [key] = keys;
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.match(
        key.state.arn,
        new RegExp(`^arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/[0-9a-f-]{36}$`),
      );
      const alias = byName(run, T.alias, "db-key-alias");
      assert.deepEqual(
        [alias.inputs.name, alias.inputs.targetKeyId],
        [`alias/${clusterId}`, key.state.keyId],
      );
      const cluster = byName(run, T.cluster, "db-cluster");
      assert.equal(cluster.inputs.kmsKeyId, key.state.arn);
      assert.equal(cluster.inputs.storageEncrypted, true);
      // Its description names the master secret only where this stack holds one.
      assert.equal(ofType(run, T.secret).length > 0, primary);
      assert.equal(/master secret/.test(key.inputs.description), primary, key.inputs.description);
    });

    it("keeps the cluster protected: deletion protection, backups, final snapshot, `protect`", () => {
      const clusters = ofType(run, T.cluster);
      assert.equal(clusters.length, 1);
      const c = clusters[0];
      assert.equal(c.options.protect, true);
      // A switchover makes either cluster the secondary; AWS then sets this field. The global
      // cluster upgrades the members' engine version.
      assert.deepEqual(c.options.ignoreChanges, ["replicationSourceIdentifier", "engineVersion"]);
      assert.deepEqual(
        [
          c.inputs.clusterIdentifier,
          c.inputs.engine,
          c.inputs.engineVersion,
          c.inputs.globalClusterIdentifier,
          c.inputs.deletionProtection,
          c.inputs.backupRetentionPeriod,
          c.inputs.skipFinalSnapshot,
          c.inputs.finalSnapshotIdentifier,
          c.inputs.iamDatabaseAuthenticationEnabled,
          c.inputs.port,
        ],
        [
          clusterId,
          "aurora-postgresql",
          "16.4",
          "securecart-orders",
          true,
          14,
          false,
          `${clusterId}-final`,
          true,
          5432,
        ],
      );
      assert.deepEqual(c.inputs.vpcSecurityGroupIds, [sgId("db-sg")]);
      const group = byName(run, T.subnetGroup, "db-subnets");
      assert.equal(c.inputs.dbSubnetGroupName, group.state.name);
      assert.deepEqual(group.inputs.subnetIds, isolated());
    });

    it("runs 3 instances keyed by AZ letter in 3 distinct AZs, none publicly accessible", () => {
      const instances = ofType(run, T.instance);
      assert.deepEqual(
        instances.map((i) => [i.name, i.inputs.availabilityZone, i.inputs.promotionTier]),
        [
          ["db-a", `${region}a`, 0],
          ["db-b", `${region}b`, 1],
          ["db-c", `${region}c`, 2],
        ],
      );
      const first = byName(run, T.instance, "db-a");
      for (const i of instances) {
        assert.equal(i.inputs.publiclyAccessible, false);
        assert.equal(i.inputs.instanceClass, "db.r7g.large");
        assert.equal(i.inputs.clusterIdentifier, clusterId);
        assert.equal(i.inputs.identifier, `${clusterId}-${i.name.replace("db-", "")}`);
        // Aurora makes the first instance the writer, so the others wait for it.
        if (i !== first) assert.ok(i.dependencies.includes(first.urn), i.name);
      }
    });

    it("turns Performance Insights on for every instance, 7 days, encrypted with this region's key", () => {
      const key = ofType(run, T.key)[0];
      const instances = ofType(run, T.instance);
      assert.equal(instances.length, 3);
      for (const i of instances) {
        assert.deepEqual(
          [
            i.inputs.performanceInsightsEnabled,
            i.inputs.performanceInsightsKmsKeyId,
            i.inputs.performanceInsightsRetentionPeriod,
          ],
          [true, key.state.arn, 7],
          i.name,
        );
        assert.ok(key.state.arn.startsWith(`arn:aws:kms:${region}:`));
      }
    });

    it("drives the engine version through the global cluster: members ignore version drift", () => {
      const cluster = byName(run, T.cluster, "db-cluster");
      assert.ok(cluster.options.ignoreChanges.includes("engineVersion"));
      for (const i of ofType(run, T.instance)) {
        // An instance runs its cluster's version; declaring one would drift after an upgrade.
        assert.equal(i.inputs.engineVersion, undefined, i.name);
      }
      const globals = ofType(run, T.global);
      if (primary) {
        assert.equal(globals.length, 1);
        assert.equal(globals[0].inputs.engineVersion, "16.4");
        assert.deepEqual(globals[0].options.ignoreChanges, []);
      } else {
        assert.deepEqual(globals, []);
      }
    });

    it("admits PostgreSQL to the cluster only from the proxy, and to the proxy only from its clients", () => {
      const dbSg = sgId("db-sg");
      const proxySg = sgId("db-proxy-sg");
      const expectedDbIngress = [[proxySg, "tcp", 5432, 5432]];
      if (primary) expectedDbIngress.push([sgId("db-master-rotator-sg"), "tcp", 5432, 5432]);
      assert.deepEqual(ingressOf(dbSg).map(rule).sort(), expectedDbIngress.sort());
      assert.deepEqual(egressOf(dbSg), []);

      assert.deepEqual(
        ingressOf(proxySg).map(rule).sort(),
        CLIENTS.map((svc) => [sgId(`web-${svc}-sg`), "tcp", 5432, 5432]).sort(),
      );
      assert.deepEqual(egressOf(proxySg).map(rule), [[dbSg, "tcp", 5432, 5432]]);

      for (const svc of CLIENTS) {
        const toProxy = egressOf(sgId(`web-${svc}-sg`)).filter(
          (r) => r.inputs.referencedSecurityGroupId === proxySg,
        );
        assert.deepEqual(toProxy.map(rule), [[proxySg, "tcp", 5432, 5432]], svc);
      }
      for (const svc of NON_CLIENTS) {
        const sg = sgId(`web-${svc}-sg`);
        assert.deepEqual(
          egressOf(sg).filter((r) => r.inputs.fromPort === 5432),
          [],
          `${svc} must not reach the database`,
        );
      }
      assert.deepEqual(
        egressOf(sgId("pay-payments-sg")).filter((r) => r.inputs.fromPort === 5432),
        [],
      );
    });

    it("puts RDS Proxy in the isolated subnets of every AZ, TLS and IAM auth required", () => {
      const proxies = ofType(run, T.proxy);
      assert.equal(proxies.length, 1);
      const p = proxies[0].inputs;
      assert.deepEqual(
        [p.name, p.engineFamily, p.requireTls, p.idleClientTimeout, p.debugLogging],
        [`${clusterId}-proxy`, "POSTGRESQL", true, 1800, false],
      );
      assert.deepEqual(p.vpcSubnetIds, isolated());
      assert.deepEqual(p.vpcSecurityGroupIds, [sgId("db-proxy-sg")]);
      const role = byName(run, T.role, "db-proxy-role");
      assert.equal(p.roleArn, role.state.arn);
      assert.deepEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
        { Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
    });

    it("pools connections per config and targets this region's cluster", () => {
      const proxy = byName(run, T.proxy, "db-proxy");
      const pools = ofType(run, T.pool);
      assert.equal(pools.length, 1);
      assert.equal(pools[0].inputs.dbProxyName, proxy.state.name);
      assert.deepEqual(pools[0].inputs.connectionPoolConfig, {
        maxConnectionsPercent: 90,
        maxIdleConnectionsPercent: 50,
        connectionBorrowTimeout: 120,
      });
      const targets = ofType(run, T.target);
      assert.equal(targets.length, 1);
      const t = targets[0];
      assert.deepEqual(
        [t.inputs.dbProxyName, t.inputs.targetGroupName, t.inputs.dbClusterIdentifier],
        [proxy.state.name, "default", clusterId],
      );
      assert.equal(t.inputs.dbInstanceIdentifier, undefined);
      for (const i of ofType(run, T.instance)) assert.ok(t.dependencies.includes(i.urn), i.name);

      const endpoints = ofType(run, T.endpoint);
      assert.equal(endpoints.length, 1);
      const ro = endpoints[0].inputs;
      assert.deepEqual(
        [ro.dbProxyName, ro.dbProxyEndpointName, ro.targetRole],
        [proxy.state.name, `${clusterId}-ro`, "READ_ONLY"],
      );
      assert.deepEqual(ro.vpcSubnetIds, isolated());
      assert.deepEqual(ro.vpcSecurityGroupIds, [sgId("db-proxy-sg")]);
    });

    it("gives only the client services the proxy endpoints, never the cluster endpoint", () => {
      const proxy = byName(run, T.proxy, "db-proxy").state.endpoint;
      const ro = byName(run, T.endpoint, "db-proxy-ro").state.endpoint;
      const cluster = byName(run, T.cluster, "db-cluster").state;
      assert.match(
        proxy,
        new RegExp(`^${clusterId}-proxy\\.proxy-[0-9a-f]{12}\\.${region}\\.rds\\.amazonaws\\.com$`),
      );
      for (const svc of CLIENTS) {
        const userData = userDataOf(run, svc);
        const expected: Record<string, string> = {
          DB_AUTH: "iam",
          DB_NAME: "securecart",
          DB_PORT: "5432",
          DB_PROXY_ENDPOINT: proxy,
          DB_PROXY_READ_ENDPOINT: ro,
          // One least-privilege application user in both regions, and no master secret.
          DB_USER: "securecart_app",
        };
        // The sessions table's variables are checked in test/wiring.test.ts.
        const db = Object.entries(envFileOf(userData)).filter(([k]) => k.startsWith("DB_"));
        assert.deepEqual(Object.fromEntries(db), expected, svc);
        assert.ok(!userData.includes("secretsmanager"), svc);
        assert.ok(
          !userData.includes(cluster.endpoint) && !userData.includes(cluster.readerEndpoint),
        );
        assert.ok(!userData.includes(".cluster-"), svc);
        assert.match(userData, /EnvironmentFile=-\/etc\/securecart\/env/);
      }
      for (const svc of NON_CLIENTS) {
        // The placeholder app's code names DB_PROXY_ENDPOINT (its /healthz/deep reads it if
        // set); what a non-client must not get is a value for it in its environment file.
        const env = envFileOf(userDataOf(run, svc));
        assert.deepEqual(
          Object.keys(env).filter((k) => k.startsWith("DB_")),
          [],
          svc,
        );
      }
      assert.equal(run.outputs.dbProxyEndpoint, proxy);
      assert.equal(run.outputs.dbProxyReadEndpoint, ro);
    });

    it("lets each client role connect through this proxy as one database user only", () => {
      const proxyArn = byName(run, T.proxy, "db-proxy").state.arn;
      assert.match(
        proxyArn,
        new RegExp(`^arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db-proxy:prx-[0-9a-f]{17}$`),
      );
      const user = "securecart_app";
      const policies = ofType(run, T.rolePolicy).filter((r) =>
        r.name.startsWith("db-proxy-connect-"),
      );
      assert.deepEqual(
        policies.map((p) => p.name).sort(),
        CLIENTS.map((c) => `db-proxy-connect-${c}`),
      );
      for (const svc of CLIENTS) {
        const p = byName(run, T.rolePolicy, `db-proxy-connect-${svc}`);
        assert.equal(p.inputs.role, byName(run, T.role, `web-${svc}-role`).state.name);
        const doc = JSON.parse(p.inputs.policy);
        assert.deepEqual(
          doc,
          dbConnectPolicy(region, MOCK_ACCOUNT_ID, proxyResourceId(proxyArn), user),
        );
        assert.equal(
          doc.Statement[0].Resource,
          `arn:aws:rds-db:${region}:${MOCK_ACCOUNT_ID}:dbuser:${proxyArn.split(":").pop()}/${user}`,
        );
      }
    });

    it("logs the proxy in with end-to-end IAM auth as the app user, on this cluster only", () => {
      const p = byName(run, T.proxy, "db-proxy").inputs;
      assert.equal(p.defaultAuthScheme, "IAM_AUTH");
      assert.equal(p.auths, undefined);
      const cluster = byName(run, T.cluster, "db-cluster").state;
      assert.match(cluster.clusterResourceId, /^cluster-[A-Z0-9]{26}$/);
      const doc = JSON.parse(byName(run, T.rolePolicy, "db-proxy-policy").inputs.policy);
      assert.deepEqual(doc, {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ConnectWithIamAuth",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: `arn:aws:rds-db:${region}:${MOCK_ACCOUNT_ID}:dbuser:${cluster.clusterResourceId}/securecart_app`,
          },
        ],
      });
    });

    it("lets nothing connect as the master user, and gives the proxy no secret to read", () => {
      const docs = ofType(run, T.rolePolicy).map((p) => String(p.inputs.policy));
      for (const doc of docs) {
        assert.ok(!doc.includes("securecart_admin"), doc);
        assert.ok(!doc.includes("secretsmanager:GetSecretValue"), doc);
      }
      const p = byName(run, T.proxy, "db-proxy").inputs;
      assert.equal(p.auths, undefined);
    });

    if (primary) {
      it("creates the global cluster, encrypted and protected, only here", () => {
        const globals = ofType(run, T.global);
        assert.equal(globals.length, 1);
        const g = globals[0];
        assert.deepEqual(
          [
            g.inputs.globalClusterIdentifier,
            g.inputs.engine,
            g.inputs.engineVersion,
            g.inputs.storageEncrypted,
            g.inputs.deletionProtection,
            g.options.protect,
          ],
          ["securecart-orders", "aurora-postgresql", "16.4", true, true, true],
        );
        assert.equal(
          g.state.arn,
          `arn:aws:rds::${MOCK_ACCOUNT_ID}:global-cluster:securecart-orders`,
        );
        const c = byName(run, T.cluster, "db-cluster");
        assert.ok(c.propertyDependencies.globalClusterIdentifier.includes(g.urn));
      });

      it("generates the master password into write-only, secret fields and a KMS-encrypted secret", () => {
        const c = byName(run, T.cluster, "db-cluster");
        assert.equal(c.inputs.masterUsername, "securecart_admin");
        assert.equal(c.inputs.masterPassword, undefined);
        // AWS doesn't support RDS-managed master passwords in a global database.
        assert.equal(c.inputs.manageMasterUserPassword, undefined);
        assert.equal(c.inputs.masterPasswordWoVersion, 1);
        const password = secretValue(c.inputs.masterPasswordWo);
        assert.match(String(password), /^[A-Za-z0-9]{40}$/);
        assert.equal(c.state.masterPasswordWo, undefined);
        assert.ok(
          run.invokes.some(
            (i) => i.token === "aws:secretsmanager/getRandomPassword:getRandomPassword",
          ),
        );

        const secrets = ofType(run, T.secret);
        assert.equal(secrets.length, 1);
        assert.equal(secrets[0].inputs.kmsKeyId, byName(run, T.key, "db-key").state.arn);
        const version = byName(run, T.secretVersion, "db-master-value");
        assert.equal(version.inputs.secretString, undefined);
        assert.deepEqual(version.options.ignoreChanges, ["versionStages"]);
        // Raised only together (docs/runbooks/role-flip.md, first deploy stopped halfway): one
        // alone would send a newly generated password to one side only.
        assert.equal(version.inputs.secretStringWoVersion, c.inputs.masterPasswordWoVersion);
        // The global writer endpoint: Aurora moves it to the new writer after a switchover or
        // failover, so rotation follows the writer instead of this region's cluster endpoint.
        const global = byName(run, T.global, "db-global");
        assert.match(
          global.state.endpoint,
          /^securecart-orders\.global-[0-9a-z]+\.global\.rds\.amazonaws\.com$/,
        );
        assert.notEqual(global.state.endpoint, c.state.endpoint);
        assert.deepEqual(JSON.parse(String(secretValue(version.inputs.secretStringWo))), {
          engine: "postgres",
          host: global.state.endpoint,
          port: 5432,
          username: "securecart_admin",
          password,
          dbname: "securecart",
          dbClusterIdentifier: clusterId,
        });
        assert.equal(run.outputs.dbMasterSecretArn, secrets[0].state.arn);
      });

      it("rotates the secret every 30 days with AWS's rotation function inside the VPC", () => {
        const secretArn = byName(run, T.secret, "db-master-secret").state.arn;
        const sar = byName(run, T.sar, "db-master-rotator");
        const endpoint = byName(run, T.vpce, "db-master-endpoint");
        assert.equal(sar.inputs.applicationId, POSTGRES_ROTATION_APP);
        // Private DNS is off (it would capture every Secrets Manager call in the VPC), so the
        // function is handed the endpoint's own Regional DNS name (the mock lists the zonal
        // names first, as AWS may).
        const regionalName = endpoint.state.dnsEntries
          .map((e: { dnsName: string }) => e.dnsName)
          .filter((n: string) =>
            new RegExp(
              `^vpce-[0-9a-f]+-[0-9a-f]+\\.secretsmanager\\.${region}\\.vpce\\.amazonaws\\.com$`,
            ).test(n),
          );
        assert.equal(regionalName.length, 1);
        assert.deepEqual(sar.inputs.parameters, {
          endpoint: `https://${regionalName[0]}`,
          functionName: `${clusterId}-rotator`,
          vpcSubnetIds: isolated().join(","),
          vpcSecurityGroupIds: sgId("db-master-rotator-sg"),
          kmsKeyArn: byName(run, T.key, "db-key").state.arn,
        });
        const rotation = byName(run, T.rotation, "db-master-rotation");
        assert.deepEqual(rotation.inputs.rotationRules, { automaticallyAfterDays: 30 });
        assert.equal(rotation.inputs.secretId, secretArn);
        assert.equal(rotation.inputs.rotationLambdaArn, sar.state.outputs.RotationLambdaARN);
        for (const i of ofType(run, T.instance)) assert.ok(rotation.dependencies.includes(i.urn));
        const vpce = byName(run, T.vpce, "db-master-endpoint").inputs;
        assert.deepEqual(
          [vpce.serviceName, vpce.vpcEndpointType, vpce.privateDnsEnabled, vpce.subnetIds],
          [`com.amazonaws.${region}.secretsmanager`, "Interface", false, isolated()],
        );
        const rotator = sgId("db-master-rotator-sg");
        const endpointSg = sgId("db-master-endpoint-sg");
        assert.deepEqual(
          egressOf(rotator).map(rule).sort(),
          [
            [endpointSg, "tcp", 443, 443],
            [sgId("db-sg"), "tcp", 5432, 5432],
          ].sort(),
        );
        assert.deepEqual(ingressOf(endpointSg).map(rule), [[rotator, "tcp", 443, 443]]);
      });

      it("creates the sessions table with a PITR replica in us-west-2, after write auto scaling", () => {
        const tables = ofType(run, T.table);
        assert.equal(tables.length, 1);
        const t = tables[0];
        assert.deepEqual(
          [
            t.inputs.name,
            t.inputs.billingMode,
            t.inputs.readCapacity,
            t.inputs.writeCapacity,
            t.inputs.streamEnabled,
            t.inputs.streamViewType,
            t.inputs.pointInTimeRecovery,
            t.inputs.deletionProtectionEnabled,
            t.inputs.serverSideEncryption,
            t.inputs.hashKey,
            t.inputs.rangeKey,
          ],
          [
            "securecart-sessions",
            "PROVISIONED",
            50,
            25,
            true,
            "NEW_AND_OLD_IMAGES",
            { enabled: true },
            true,
            { enabled: true },
            "pk",
            "sk",
          ],
        );
        assert.deepEqual(t.options.ignoreChanges, ["readCapacity", "writeCapacity", "replicas"]);
        assert.equal(
          t.state.arn,
          `arn:aws:dynamodb:us-east-1:${MOCK_ACCOUNT_ID}:table/securecart-sessions`,
        );
        assert.match(
          t.state.streamArn,
          /^arn:aws:dynamodb:us-east-1:123456789012:table\/securecart-sessions\/stream\/\d{4}-\d\d-\d\dT[\d:.]+$/,
        );

        const scaling = sessionScaling(run);
        assert.deepEqual(scaling, EXPECTED_SESSION_SCALING);
        const policy = byName(run, "securecart:components:ScalingPolicy", "sessions-scaling");

        const replicas = ofType(run, T.replica);
        assert.equal(replicas.length, 1);
        const r = replicas[0];
        assert.deepEqual(
          [
            r.inputs.globalTableArn,
            r.inputs.region,
            r.inputs.pointInTimeRecovery,
            r.inputs.deletionProtectionEnabled,
          ],
          [t.state.arn, "us-west-2", true, true],
        );
        assert.equal(
          r.state.arn,
          `arn:aws:dynamodb:us-west-2:${MOCK_ACCOUNT_ID}:table/securecart-sessions`,
        );
        // DynamoDB refuses a replica of a provisioned table whose writes aren't auto scaled:
        // depending on the ScalingPolicy component waits for every target and policy in it.
        const scalingChildren = run.resources.filter((x) => x.parent === policy.urn);
        assert.equal(scalingChildren.length, 4);
        for (const c of scalingChildren) assert.ok(r.dependencies.includes(c.urn), c.name);
        assert.deepEqual(
          [run.outputs.sessionsTableName, run.outputs.sessionsTableArn],
          ["securecart-sessions", t.state.arn],
        );
      });
    } else {
      it("joins the global cluster by name and holds no credentials", () => {
        assert.deepEqual(ofType(run, T.global), []);
        for (const type of [T.secret, T.secretVersion, T.rotation, T.sar]) {
          assert.deepEqual(ofType(run, type), [], type);
        }
        // No Secrets Manager endpoint either (the GWLB endpoints of inspection and the S3 and
        // DynamoDB gateway endpoints are not for it).
        assert.deepEqual(
          ofType(run, T.vpce).filter((e) => e.inputs.vpcEndpointType === "Interface"),
          [],
        );
        const c = byName(run, T.cluster, "db-cluster");
        for (const field of [
          "masterUsername",
          "masterPassword",
          "masterPasswordWo",
          "manageMasterUserPassword",
          "databaseName",
          "snapshotIdentifier",
        ]) {
          assert.equal(c.inputs[field], undefined, field);
        }
        assert.equal(c.inputs.globalClusterIdentifier, "securecart-orders");
        assert.ok(!run.invokes.some((i) => i.token.includes("getRandomPassword")));
        assert.equal(run.outputs.dbMasterSecretArn, undefined);
      });

      it("creates no sessions table: the primary's replica lives here", () => {
        for (const type of [T.table, T.replica]) {
          assert.deepEqual(ofType(run, type), [], type);
        }
      });

      it("declares no auto scaling for its replica: DynamoDB applies the global table's", () => {
        // Provisioned global tables: auto scaling is set on the global table and passed to every
        // replica; a second target-tracking policy on the replica is refused (#41179).
        for (const type of [T.scalingTarget, T.scalingPolicy]) {
          assert.deepEqual(
            ofType(run, type).filter((t) => t.inputs.serviceNamespace === "dynamodb"),
            [],
            type,
          );
        }
        assert.deepEqual(
          [run.outputs.sessionsTableName, run.outputs.sessionsTableArn],
          ["securecart-sessions", undefined],
        );
      });
    }
  });
}
