import { strict as assert } from "assert";
import {
  DatabaseSettings,
  RDS_IDENTIFIER,
  databaseProblems,
  dbUserArn,
  instanceIdentifier,
  instancePlacement,
  proxyResourceId,
  proxySecretPolicy,
  regionalClusterIdentifier,
  serviceTrustPolicy,
} from "../components/data/databasePolicies";
import { bootstrapScript, environmentFileScript } from "../components/loadBalancing/fleet";
import { regionalEndpointDnsName } from "../components/data/rotatedSecret";
import * as aws from "@pulumi/aws";
import {
  DatabaseProxy,
  ProxiedDatabase,
  ProxiedDatabaseArgs,
  SessionTable,
  SessionTableArgs,
} from "../components";
import { byName, runComponents } from "../testing/harness";
import { errorOf } from "./support";

const settings: DatabaseSettings = {
  engine: "aurora-postgresql",
  globalClusterIdentifier: "securecart-orders",
  region: "us-east-1",
  instanceClass: "db.r7g.large",
  readers: 1,
  backupRetentionDays: 7,
  availabilityZones: ["us-east-1a", "us-east-1b"],
  pool: {
    maxConnectionsPercent: 90,
    maxIdleConnectionsPercent: 50,
    connectionBorrowTimeoutSeconds: 120,
  },
  idleClientTimeoutSeconds: 1800,
};

describe("database helpers", () => {
  it("places instances round-robin by AZ letter, so the first two never share an AZ", () => {
    assert.deepEqual(instancePlacement(["us-east-1a", "us-east-1b", "us-east-1c"], 2), [
      { key: "a", availabilityZone: "us-east-1a", promotionTier: 0 },
      { key: "b", availabilityZone: "us-east-1b", promotionTier: 1 },
      { key: "c", availabilityZone: "us-east-1c", promotionTier: 2 },
    ]);
    assert.deepEqual(
      instancePlacement(["us-east-1a", "us-east-1b"], 3).map((p) => [p.key, p.availabilityZone]),
      [
        ["a", "us-east-1a"],
        ["b", "us-east-1b"],
        ["a2", "us-east-1a"],
        ["b2", "us-east-1b"],
      ],
    );
  });

  it("keeps every instance's key and AZ when the AZ list is reordered (no replacement)", () => {
    const listed = ["us-east-1a", "us-east-1b", "us-east-1c"];
    for (const readers of [1, 2, 4]) {
      const expected = instancePlacement(listed, readers);
      for (const order of [
        ["us-east-1c", "us-east-1b", "us-east-1a"],
        ["us-east-1b", "us-east-1c", "us-east-1a"],
      ]) {
        assert.deepEqual(
          instancePlacement(order, readers),
          expected,
          `${order.join(",")} / ${readers}`,
        );
      }
    }
  });

  it("names each instance after the cluster and its key, and reports one RDS would refuse", () => {
    assert.equal(instanceIdentifier("orders-us-east-1", "b2"), "orders-us-east-1-b2");
    // 46 + "-us-east-1" = 56 characters for the cluster; "-a2" makes an instance 59: fine.
    const id = "o".repeat(46);
    assert.deepEqual(
      databaseProblems({ ...settings, globalClusterIdentifier: id, readers: 2 }),
      [],
    );
    // 50 + 10 = 60 for the cluster (fine), 62 for "-a" but 63 + … for a second round.
    const long = "o".repeat(51);
    assert.deepEqual(databaseProblems({ ...settings, globalClusterIdentifier: long, readers: 2 }), [
      `globalClusterIdentifier is too long: DB instance "${long}-us-east-1-a2" has 64 characters, RDS allows 63. Shorten it`,
    ]);
  });

  it("stops promotion tiers at Aurora's 15", () => {
    assert.equal(instancePlacement(["us-east-1a", "us-east-1b"], 15)[15].promotionTier, 15);
  });

  it("names the regional cluster after the global one and the region", () => {
    assert.equal(
      regionalClusterIdentifier("securecart-orders", "us-west-2"),
      "securecart-orders-us-west-2",
    );
  });

  for (const [id, ok] of [
    ["securecart-orders", true],
    ["a", true],
    ["a1-b2", true],
    ["1orders", false],
    ["orders-", false],
    ["orders--db", false],
    ["Orders", false],
    ["orders_db", false],
  ] as const) {
    it(`${ok ? "accepts" : "rejects"} the RDS identifier "${id}"`, () => {
      assert.equal(RDS_IDENTIFIER.test(id), ok);
    });
  }

  it("finds no problem in valid settings", () => {
    assert.deepEqual(databaseProblems(settings), []);
  });

  const problemCases: [string, Partial<DatabaseSettings>, string][] = [
    [
      "a non-Aurora engine",
      { engine: "aurora-mysql" },
      'engine must be "aurora-postgresql" (the only engine the proxy and the global database are built for); got "aurora-mysql"',
    ],
    ["plain PostgreSQL", { engine: "postgres" }, 'got "postgres"'],
    [
      "no reader",
      { readers: 0 },
      "readers must be an integer from 1 to 15: the writer needs a reader in another AZ to fail over to; got 0",
    ],
    ["16 readers", { readers: 16 }, "readers must be an integer from 1 to 15"],
    [
      "6 days of backups",
      { backupRetentionDays: 6 },
      "backupRetentionDays must be an integer from 7 to 35; got 6",
    ],
    [
      "36 days of backups",
      { backupRetentionDays: 36 },
      "backupRetentionDays must be an integer from 7 to 35; got 36",
    ],
    [
      "a burstable class",
      { instanceClass: "db.t4g.medium" },
      'instanceClass must be a memory-optimised class db.r5 or newer (e.g. db.r7g.large), as Aurora global databases need; got "db.t4g.medium"',
    ],
    ["an old r4 class", { instanceClass: "db.r4.large" }, 'got "db.r4.large"'],
    [
      "one AZ",
      { availabilityZones: ["us-east-1a", "us-east-1a"] },
      "availabilityZones must name at least 2 distinct AZs",
    ],
    [
      "a bad identifier",
      { globalClusterIdentifier: "Orders_DB" },
      'globalClusterIdentifier must start with a letter and hold only lower-case letters, digits and single hyphens, not ending in a hyphen; got "Orders_DB"',
    ],
    [
      "a long identifier",
      { globalClusterIdentifier: "a".repeat(60) },
      `globalClusterIdentifier is too long: the regional cluster "${"a".repeat(60)}-us-east-1" has 70 characters, RDS allows 63. Shorten it`,
    ],
    [
      "0 % max connections",
      { pool: { ...settings.pool, maxConnectionsPercent: 0 } },
      "pool.maxConnectionsPercent must be an integer from 1 to 100; got 0",
    ],
    [
      "101 % max connections",
      { pool: { ...settings.pool, maxConnectionsPercent: 101 } },
      "pool.maxConnectionsPercent must be an integer from 1 to 100; got 101",
    ],
    [
      "idle above max",
      { pool: { ...settings.pool, maxIdleConnectionsPercent: 95 } },
      "pool.maxIdleConnectionsPercent must be an integer from 0 to maxConnectionsPercent (90); got 95",
    ],
    ["negative idle", { pool: { ...settings.pool, maxIdleConnectionsPercent: -1 } }, "got -1"],
    [
      "a 301 s borrow timeout",
      { pool: { ...settings.pool, connectionBorrowTimeoutSeconds: 301 } },
      "pool.connectionBorrowTimeoutSeconds must be an integer from 0 to 300; got 301",
    ],
    [
      "a 0 s idle client timeout",
      { idleClientTimeoutSeconds: 0 },
      "idleClientTimeoutSeconds must be an integer from 1 to 28800; got 0",
    ],
    ["an 8 h 1 s idle client timeout", { idleClientTimeoutSeconds: 28801 }, "got 28801"],
  ];
  for (const [label, patch, message] of problemCases) {
    it(`reports ${label}`, () => {
      const problems = databaseProblems({ ...settings, ...patch });
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0].includes(message), problems[0]);
    });
  }

  it("scopes the proxy's secret policy to one secret and one key, through Secrets Manager only", () => {
    const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-master-AbC123";
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const doc = proxySecretPolicy(secret, key, "us-east-1");
    assert.deepEqual(
      doc.Statement.map((s) => [s.Action, s.Resource, s.Condition]),
      [
        ["secretsmanager:GetSecretValue", secret, undefined],
        [
          "kms:Decrypt",
          key,
          { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
        ],
      ],
    );
    assert.ok(!JSON.stringify(doc).includes("*"));
  });

  it("builds rds-db:connect ARNs from a proxy's or cluster's resource ID", () => {
    const proxyArn = "arn:aws:rds:us-west-2:123456789012:db-proxy:prx-0123456789abcdef0";
    assert.equal(proxyResourceId(proxyArn), "prx-0123456789abcdef0");
    assert.equal(
      dbUserArn("us-west-2", "123456789012", proxyResourceId(proxyArn), "securecart_app"),
      "arn:aws:rds-db:us-west-2:123456789012:dbuser:prx-0123456789abcdef0/securecart_app",
    );
    assert.deepEqual(serviceTrustPolicy("rds.amazonaws.com").Statement, [
      { Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });
});

describe("fleet environment file", () => {
  it("writes sorted variables through a quoted heredoc the shell doesn't expand", () => {
    assert.deepEqual(environmentFileScript({ B: "$HOME", A: "x.proxy-1.rds.amazonaws.com" }), [
      "install -d -m 0755 /etc/securecart",
      "cat > /etc/securecart/env <<'ENV'",
      "A=x.proxy-1.rds.amazonaws.com",
      "B=$HOME",
      "ENV",
      "chmod 0644 /etc/securecart/env",
    ]);
    assert.deepEqual(environmentFileScript({}), []);
  });

  it("rejects names that aren't shell variables and values with line breaks", () => {
    assert.throws(
      () => environmentFileScript({ "db-host": "x" }),
      /names must match .*; got "db-host"/,
    );
    assert.throws(
      () => environmentFileScript({ A: "x\nENV\nrm -rf /" }),
      /environment\.A must be a single line/,
    );
  });

  it("writes the file before the placeholder unit that reads it", () => {
    const script = bootstrapScript(8080, { DB_PORT: "5432" });
    assert.ok(
      script.indexOf("DB_PORT=5432") < script.indexOf("EnvironmentFile=-/etc/securecart/env"),
    );
    assert.ok(!bootstrapScript(8080).includes("<<'ENV'"));
  });
});

const dbArgs = (patch: Partial<ProxiedDatabaseArgs> = {}): ProxiedDatabaseArgs => ({
  role: "primary",
  region: "us-east-1",
  globalClusterIdentifier: "orders",
  engineVersion: "16.4",
  instanceClass: "db.r7g.large",
  readers: 1,
  backupRetentionDays: 7,
  vpcId: "vpc-0123456789abcdef0",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  isolatedSubnetIds: ["subnet-a", "subnet-b"],
  pool: {
    maxConnectionsPercent: 90,
    maxIdleConnectionsPercent: 50,
    connectionBorrowTimeoutSeconds: 120,
  },
  ...patch,
});

describe("ProxiedDatabase and SessionTable arguments (mocks)", () => {
  it("builds a minimal primary with one reader in the other AZ", async () => {
    const run = await runComponents(() => new ProxiedDatabase("db", dbArgs()));
    const instances = run.resources.filter(
      (r) => r.type === "aws:rds/clusterInstance:ClusterInstance",
    );
    assert.deepEqual(
      instances.map((i) => [i.name, i.inputs.availabilityZone]),
      [
        ["db-a", "us-east-1a"],
        ["db-b", "us-east-1b"],
      ],
    );
  });

  it("re-points rotation with the role: a primary in us-west-2 rotates there, via the global writer endpoint", async () => {
    // docs/data-tier-fixes.md, item 15: flipping securecart:role makes the other region own the
    // master secret and its rotation; the secret still names the global writer endpoint.
    const run = await runComponents(
      () =>
        new ProxiedDatabase(
          "db",
          dbArgs({
            region: "us-west-2",
            availabilityZones: ["us-west-2a", "us-west-2b"],
          }),
        ),
      "us-west-2",
    );
    const global = byName(run, "aws:rds/globalCluster:GlobalCluster", "db-global");
    const version = byName(
      run,
      "aws:secretsmanager/secretVersion:SecretVersion",
      "db-master-value",
    );
    const value = JSON.parse(String(version.inputs.secretStringWo.value));
    assert.equal(value.host, global.state.endpoint);
    assert.equal(value.dbClusterIdentifier, "orders-us-west-2");
    const sar = byName(
      run,
      "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
      "db-master-rotator",
    );
    assert.match(
      sar.inputs.parameters.endpoint,
      /^https:\/\/vpce-[0-9a-f-]+\.secretsmanager\.us-west-2\.vpce\.amazonaws\.com$/,
    );
    assert.match(
      byName(run, "aws:secretsmanager/secret:Secret", "db-master-secret").state.arn,
      /^arn:aws:secretsmanager:us-west-2:/,
    );
  });

  it("declares the same instances, in the same AZs, whatever the order of the AZ list", async () => {
    const instancesOf = async (availabilityZones: string[], isolatedSubnetIds: string[]) =>
      (
        await runComponents(
          () =>
            new ProxiedDatabase("db", dbArgs({ availabilityZones, isolatedSubnetIds, readers: 2 })),
        )
      ).resources
        .filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance")
        .map((i) => [
          i.name,
          i.inputs.identifier,
          i.inputs.availabilityZone,
          i.inputs.promotionTier,
        ]);
    const listed = await instancesOf(
      ["us-east-1a", "us-east-1b", "us-east-1c"],
      ["subnet-a", "subnet-b", "subnet-c"],
    );
    assert.deepEqual(listed, [
      ["db-a", "orders-us-east-1-a", "us-east-1a", 0],
      ["db-b", "orders-us-east-1-b", "us-east-1b", 1],
      ["db-c", "orders-us-east-1-c", "us-east-1c", 2],
    ]);
    const reordered = await instancesOf(
      ["us-east-1c", "us-east-1a", "us-east-1b"],
      ["subnet-c", "subnet-a", "subnet-b"],
    );
    assert.deepEqual(reordered, listed);
  });

  const cases: [string, Partial<ProxiedDatabaseArgs>, string][] = [
    ["no reader", { readers: 0 }, "readers must be an integer from 1 to 15"],
    ["a MySQL engine", { engine: "aurora-mysql" }, 'engine must be "aurora-postgresql"'],
    [
      "a subnet missing",
      { isolatedSubnetIds: ["subnet-a"] },
      "isolatedSubnetIds must have one subnet per AZ (2); got 1",
    ],
    [
      "a 0-day rotation",
      { rotationDays: 0 },
      "rotationDays must be an integer from 1 to 365; got 0",
    ],
  ];
  for (const [label, patch, message] of cases) {
    it(`rejects ${label}`, async () => {
      const msg = await errorOf(() => new ProxiedDatabase("db", dbArgs(patch)));
      assert.ok(msg.includes(message), msg);
    });
  }

  it("reports every problem at once", async () => {
    const msg = await errorOf(
      () => new ProxiedDatabase("db", dbArgs({ readers: 0, backupRetentionDays: 1 })),
    );
    assert.ok(msg.includes("readers must") && msg.includes("backupRetentionDays must"), msg);
  });

  const tableArgs: SessionTableArgs = {
    tableName: "sessions",
    replicaRegions: ["us-west-2"],
    readCapacity: 5,
    writeCapacity: 5,
  };
  const tableCases: [string, Partial<SessionTableArgs>, string][] = [
    ["no read capacity", { readCapacity: 0 }, "readCapacity must be a positive integer; got 0"],
    [
      "fractional write capacity",
      { writeCapacity: 2.5 },
      "writeCapacity must be a positive integer; got 2.5",
    ],
    [
      "a ceiling below the floor",
      { maxWriteCapacity: 4 },
      "maxWriteCapacity must be an integer >= writeCapacity (5); got 4",
    ],
    [
      "a read ceiling below the floor",
      { maxReadCapacity: 1 },
      "maxReadCapacity must be an integer >= readCapacity",
    ],
  ];
  for (const [label, patch, message] of tableCases) {
    it(`rejects a session table with ${label}`, async () => {
      const msg = await errorOf(() => new SessionTable("s", { ...tableArgs, ...patch }));
      assert.ok(msg.includes(message), msg);
    });
  }

  it("defaults the write ceiling to 10 × the floor", async () => {
    const run = await runComponents(() => new SessionTable("s", tableArgs), "us-east-1");
    const target = run.resources.find((r) => r.type === "aws:appautoscaling/target:Target");
    assert.deepEqual([target?.inputs.minCapacity, target?.inputs.maxCapacity], [5, 50]);
  });

  it("rejects a proxy in one subnet: RDS Proxy needs 2 AZs", async () => {
    const msg = await errorOf(
      () =>
        new DatabaseProxy("p", {
          proxyName: "p",
          readEndpointName: "p-ro",
          region: "us-east-1",
          accountId: "123456789012",
          vpcId: "vpc-1",
          subnetIds: ["subnet-a"],
          databaseSecurityGroupId: "sg-1",
          clusterIdentifier: "c",
          instances: [],
          login: { kind: "iam", clusterResourceId: "cluster-X", databaseUser: "app" },
          clientDatabaseUser: "app",
          pool: {
            maxConnectionsPercent: 90,
            maxIdleConnectionsPercent: 50,
            connectionBorrowTimeoutSeconds: 120,
          },
          idleClientTimeoutSeconds: 1800,
        }),
    );
    assert.ok(
      msg.includes("subnetIds must span at least 2 AZs (RDS Proxy requires it); got 1"),
      msg,
    );
  });
});

describe("RDS mocks", () => {
  it("return an RDS-managed master secret only when the cluster asks for one", async () => {
    const run = await runComponents(() => {
      new aws.rds.Cluster("managed", {
        clusterIdentifier: "managed",
        engine: "aurora-postgresql",
        masterUsername: "admin",
        manageMasterUserPassword: true,
        skipFinalSnapshot: true,
      });
      new aws.rds.Cluster("plain", {
        clusterIdentifier: "plain",
        engine: "aurora-postgresql",
        skipFinalSnapshot: true,
      });
    }, "us-west-2");
    const managed = byName(run, "aws:rds/cluster:Cluster", "managed");
    const plain = byName(run, "aws:rds/cluster:Cluster", "plain");
    assert.equal(managed.state.masterUserSecrets.length, 1);
    assert.match(
      managed.state.masterUserSecrets[0].secretArn,
      /^arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!cluster-[0-9a-f-]{36}-[A-Za-z0-9]{6}$/,
    );
    assert.deepEqual(plain.state.masterUserSecrets, []);
    assert.match(
      plain.state.endpoint,
      /^plain\.cluster-[0-9a-f]{12}\.us-west-2\.rds\.amazonaws\.com$/,
    );
    assert.match(
      plain.state.readerEndpoint,
      /^plain\.cluster-ro-[0-9a-f]{12}\.us-west-2\.rds\.amazonaws\.com$/,
    );
    assert.equal(plain.state.arn, "arn:aws:rds:us-west-2:123456789012:cluster:plain");
  });
});

describe("regionalEndpointDnsName", () => {
  const regional = "vpce-0a1b2c3d4e5f60718-9a8b7c6d.secretsmanager.us-east-1.vpce.amazonaws.com";
  const zonal = (az: string) =>
    `vpce-0a1b2c3d4e5f60718-9a8b7c6d-${az}.secretsmanager.us-east-1.vpce.amazonaws.com`;

  it("picks the Regional name wherever AWS lists it, never a zonal one", () => {
    for (const entries of [
      [{ dnsName: zonal("us-east-1a") }, { dnsName: zonal("us-east-1b") }, { dnsName: regional }],
      [{ dnsName: regional }, { dnsName: zonal("us-east-1c") }],
    ]) {
      assert.equal(regionalEndpointDnsName(entries, "us-east-1"), regional);
    }
  });

  it("fails when there is no single Regional name", () => {
    assert.throws(
      () => regionalEndpointDnsName([{ dnsName: zonal("us-east-1a") }], "us-east-1"),
      /expected exactly one Regional DNS name/,
    );
  });
});
