import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseStackConfig } from "../stacks/config";
import { PROJECT_ROOT, readStackConfig } from "../testing/harness";
import { problemsOf } from "./support";

const fileConfig = (stack: string) =>
  parse(fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8")).config;
const east = fileConfig("prod-east");
const database = (patch: Record<string, unknown>) => ({
  "securecart:database": { ...east["securecart:database"], ...patch },
});
const pool = (patch: Record<string, unknown>) =>
  database({ pool: { ...east["securecart:database"].pool, ...patch } });
const sessions = (patch: Record<string, unknown>) => ({
  "securecart:sessions": { ...east["securecart:sessions"], ...patch },
});

describe("database and sessions config", () => {
  it("parses both stacks with the same global cluster and table names", () => {
    const e = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const w = parseStackConfig("prod-west", readStackConfig("prod-west"));
    assert.deepEqual(e.database, {
      global: true,
      engine: "aurora-postgresql",
      globalClusterIdentifier: "securecart-orders",
      engineVersion: "16.4",
      instanceClass: "db.r7g.large",
      readers: 2,
      backupRetentionDays: 14,
      pool: {
        maxConnectionsPercent: 90,
        maxIdleConnectionsPercent: 50,
        connectionBorrowTimeoutSeconds: 120,
      },
      idleClientTimeoutSeconds: 1800,
      rotationDays: 30,
      finalSnapshot: true,
      clients: ["cart", "orders", "checkout"],
      // Used only with latency routing (components/data/writeForwarding.ts).
      writeForwarding: {
        maxForwardingConnectionsPercent: 25,
        connectTimeoutSeconds: 10,
        consistencyMode: "session",
      },
    });
    // The naming convention the secondary depends on: both files must agree.
    assert.deepEqual(w.database, e.database);
    assert.deepEqual(w.sessions, e.sessions);
    assert.deepEqual(e.sessions, {
      tableName: "securecart-sessions",
      readCapacity: 50,
      writeCapacity: 25,
      maxWriteCapacity: 500,
      // Not set in the stack files: the default clients that the stack has.
      clients: ["storefront", "cart", "checkout", "orders"],
    });
  });

  it("fills the defaults of what a stack file leaves out", () => {
    const c = parseStackConfig(
      "prod-east",
      readStackConfig("prod-east", {
        "securecart:database": {
          globalClusterIdentifier: "orders",
          engineVersion: "16.4",
          instanceClass: "db.r6g.large",
        },
        "securecart:sessions": { readCapacity: 5, writeCapacity: 5 },
      }),
    );
    assert.deepEqual(
      [
        c.database.readers,
        c.database.backupRetentionDays,
        c.database.pool,
        c.database.idleClientTimeoutSeconds,
        c.database.rotationDays,
        c.database.clients,
      ],
      [
        1,
        14,
        {
          maxConnectionsPercent: 90,
          maxIdleConnectionsPercent: 50,
          connectionBorrowTimeoutSeconds: 120,
        },
        1800,
        30,
        ["cart", "orders", "checkout"],
      ],
    );
    assert.equal(c.sessions.tableName, "securecart-sessions");
    assert.equal(c.sessions.maxWriteCapacity, undefined);
  });

  const cases: [string, Record<string, unknown>, string][] = [
    [
      "a reader count below 1",
      database({ readers: 0 }),
      "`securecart:database.readers` must be an integer from 1 to 15; got 0",
    ],
    [
      "16 readers",
      database({ readers: 16 }),
      "`securecart:database.readers` must be an integer from 1 to 15; got 16",
    ],
    [
      "a non-Aurora engine",
      database({ engine: "mysql" }),
      '`securecart:database.engine` must be "aurora-postgresql": RDS Proxy\'s POSTGRESQL family over an Aurora global database is the only design built; got "mysql"',
    ],
    [
      "Aurora MySQL",
      database({ engine: "aurora-mysql" }),
      '`securecart:database.engine` must be "aurora-postgresql"',
    ],
    [
      "a bare major version",
      database({ engineVersion: "16" }),
      '`securecart:database.engineVersion` must be an Aurora PostgreSQL major.minor version such as "16.4"; got "16"',
    ],
    [
      "a burstable class",
      database({ instanceClass: "db.t4g.medium" }),
      '`securecart:database.instanceClass` must be a memory-optimised class db.r5 or newer (e.g. db.r7g.large), as Aurora global databases need; got "db.t4g.medium"',
    ],
    [
      "6 days of backups",
      database({ backupRetentionDays: 6 }),
      "`securecart:database.backupRetentionDays` must be an integer from 7 to 35; got 6",
    ],
    [
      "a bad global identifier",
      database({ globalClusterIdentifier: "Orders--1" }),
      '`securecart:database.globalClusterIdentifier` must start with a letter and hold only lower-case letters, digits and single hyphens, not ending in a hyphen; got "Orders--1"',
    ],
    [
      "a global identifier too long for the region suffix",
      database({ globalClusterIdentifier: "o".repeat(55) }),
      `\`securecart:database.globalClusterIdentifier\` is too long: the regional cluster "${"o".repeat(55)}-us-east-1" has 65 characters and RDS allows 63. Shorten it`,
    ],
    [
      "0 % max connections",
      pool({ maxConnectionsPercent: 0, maxIdleConnectionsPercent: 0 }),
      "`securecart:database.pool.maxConnectionsPercent` must be an integer from 1 to 100; got 0",
    ],
    [
      "idle above max connections",
      pool({ maxConnectionsPercent: 40, maxIdleConnectionsPercent: 50 }),
      "`securecart:database.pool.maxIdleConnectionsPercent` must be <= maxConnectionsPercent. Lower it or raise maxConnectionsPercent; got 50",
    ],
    [
      "a 301 s borrow timeout",
      pool({ connectionBorrowTimeoutSeconds: 301 }),
      "`securecart:database.pool.connectionBorrowTimeoutSeconds` must be an integer from 0 to 300; got 301",
    ],
    [
      "an idle client timeout above 8 h",
      database({ idleClientTimeoutSeconds: 28801 }),
      "`securecart:database.idleClientTimeoutSeconds` must be an integer from 1 to 28800; got 28801",
    ],
    [
      "rotation off",
      database({ rotationDays: 0 }),
      "`securecart:database.rotationDays` must be an integer from 1 to 365; got 0",
    ],
    [
      "a client that isn't a service",
      database({ clients: ["checkout", "billing"] }),
      `\`securecart:database.clients[1]\` must name a service of securecart:services (${Object.keys(east["securecart:services"]).sort().join(", ")}); got "billing"`,
    ],
    [
      "a client listed twice",
      database({ clients: ["checkout", "checkout"] }),
      '`securecart:database.clients[1]` lists "checkout" twice',
    ],
    [
      "a proxy pool that, with write forwarding, promises the writer more than its connections",
      { ...pool({ maxConnectionsPercent: 90 }), "securecart:routing": "latency" },
      "`securecart:database.pool.maxConnectionsPercent` must be at most 75 with global write forwarding: forwarded sessions take up to securecart:database.writeForwarding.maxForwardingConnectionsPercent (25) % of the writer's max_connections from the same pool, and AWS asks to \"reduce your proxy's MaxConnectionsPercent value by the quota that's allotted for write forwarding\" (docs/topology.md). Lower it, or unset it to get 75; got 90",
    ],
    [
      "a defaulted pool below the idle share once forwarding takes its quota",
      {
        ...database({
          pool: { maxIdleConnectionsPercent: 50 },
          writeForwarding: { maxForwardingConnectionsPercent: 60 },
        }),
        "securecart:routing": "latency",
      },
      "`securecart:database.pool.maxIdleConnectionsPercent` must be <= maxConnectionsPercent (40, its default here). Lower it or raise maxConnectionsPercent; got 50",
    ],
    [
      "a forwarding consistency mode that turns forwarding off",
      database({ writeForwarding: { consistencyMode: "off" } }),
      '`securecart:database.writeForwarding.consistencyMode` must be "session", "eventual" or "global" ("off" turns forwarding off)',
    ],
    [
      "no client",
      database({ clients: [] }),
      "`securecart:database.clients` must name at least one service; got []",
    ],
    [
      "latency routing on an engine that can't forward writes from secondaries",
      { ...database({ engineVersion: "15.3" }), "securecart:routing": "latency" },
      "`securecart:database.engineVersion` must support Aurora global write forwarding (14.9+, 15.4+, or 16 and later) with securecart:routing latency",
    ],
    [
      "skipping the final snapshot of a global database",
      database({ finalSnapshot: false }),
      "`securecart:database.finalSnapshot` must stay true for a global database",
    ],
    [
      "a misspelt database key",
      database({ reader: 2 }),
      "`securecart:database.reader` is not a known setting",
    ],
    ["no database config", { "securecart:database": undefined }, "`securecart:database`"],
    [
      "no write capacity",
      sessions({ writeCapacity: 0 }),
      "`securecart:sessions.writeCapacity` must be an integer from 1 to 40000; got 0",
    ],
    [
      "a write ceiling below the floor",
      sessions({ maxWriteCapacity: 10 }),
      "`securecart:sessions.maxWriteCapacity` must be >= writeCapacity. Raise maxWriteCapacity or lower writeCapacity; got 10",
    ],
    [
      "a bad table name",
      sessions({ tableName: "my table" }),
      "`securecart:sessions.tableName` must be 3-255 letters, digits, '_', '-' or '.' (DynamoDB's table name rule); got \"my table\"",
    ],
    [
      "a sessions client that isn't a service",
      sessions({ clients: ["cart", "billing"] }),
      `\`securecart:sessions.clients[1]\` must name a service of securecart:services (${Object.keys(east["securecart:services"]).sort().join(", ")}); got "billing"`,
    ],
    [
      "a sessions client listed twice",
      sessions({ clients: ["cart", "cart"] }),
      '`securecart:sessions.clients[1]` lists "cart" twice',
    ],
  ];
  it("defaults the proxy pool to what write forwarding leaves of the writer's connections, and to 90 without it", () => {
    const latency = parseStackConfig(
      "prod-east",
      readStackConfig("prod-east", { "securecart:routing": "latency" }),
    );
    const wf = latency.database.writeForwarding;
    assert.equal(
      latency.database.pool.maxConnectionsPercent,
      100 - wf.maxForwardingConnectionsPercent,
    );
    const failover = parseStackConfig("prod-east", readStackConfig("prod-east"));
    assert.equal(failover.database.pool.maxConnectionsPercent, 90);
  });
  it("accepts the same engine with failover routing, where only the writer's region takes checkout", () => {
    assert.deepEqual(problemsOf("prod-east", database({ engineVersion: "15.3" })), []);
  });
  for (const [label, overrides, message] of cases) {
    it(`rejects ${label}`, () => {
      const problems = problemsOf("prod-east", overrides);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0].startsWith(message), `${problems[0]}\n  should start with\n${message}`);
    });
  }
});
