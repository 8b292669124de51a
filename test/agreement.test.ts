import { strict as assert } from "assert";
import { StackConfig, parseStackConfig } from "../stacks/config";
import {
  REGION_SWITCH_PLAN_REGIONS,
  agreementProblems,
  burstableMismatch,
  globalStackProblems,
} from "../stacks/agreement";
import { parseGlobalConfig } from "../stacks/globalConfig";
import { isBurstable, vcpusOf } from "../components/scaling/instanceSizes";
import * as path from "path";
import {
  GLOBAL_ROOT,
  PROJECT_ROOT,
  listGlobalStacks,
  listStacks,
  readStackConfig,
} from "../testing/harness";
import {
  deploymentProblemsFor,
  globalProblemsFor,
  regionalStackConfigs,
} from "../tools/deployments";

/** A stack's validated config with overrides (config only: no stack is evaluated). */
const config = (stack: string, overrides: Record<string, unknown> = {}): StackConfig =>
  parseStackConfig(stack, readStackConfig(stack, overrides));

/** A stack file's JSON value of `key`, to derive variants from. */
const valueOf = (stack: string, key: string) => JSON.parse(readStackConfig(stack)[key]);

const pair = (east: Record<string, unknown>, west: Record<string, unknown>) =>
  agreementProblems([config("prod-east", east), config("prod-west", west)]);

describe("stacks that agree", () => {
  it("finds the committed stacks of every deployment in agreement", () => {
    const configs = regionalStackConfigs();
    assert.ok(configs.length >= 2, "at least the two prod stacks are regional stacks");
    assert.deepEqual(
      deploymentProblemsFor(
        listStacks().filter((s) => configs.some((c) => c.stack === s)),
        configs,
      ),
      [],
    );
  });

  const dns = valueOf("prod-east", "securecart:dns");
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "routing mode",
      { "securecart:routing": "latency" },
      'stacks of deployment prod disagree on `securecart:routing`: prod-east has "failover", prod-west has "latency". Make them equal: Route 53 refuses a name whose records mix failover and latency routing',
    ],
    [
      "domain",
      { "securecart:domain": "securecart.net" },
      'stacks of deployment prod disagree on `securecart:domain`: prod-east has "securecart.com", prod-west has "securecart.net".',
    ],
    [
      "health-check settings",
      { "securecart:dns": { ...dns, healthCheck: { ...dns.healthCheck, failureThreshold: 5 } } },
      "stacks of deployment prod disagree on `securecart:dns.healthCheck`: prod-east has {",
    ],
    [
      "the apex record",
      { "securecart:dns": { ...dns, apex: false } },
      "stacks of deployment prod disagree on `securecart:dns.apex`: prod-east has true, prod-west has false.",
    ],
    [
      "the sessions table",
      {
        "securecart:sessions": {
          ...valueOf("prod-west", "securecart:sessions"),
          writeCapacity: 30,
        },
      },
      "stacks of deployment prod disagree on `securecart:sessions`: prod-east has {",
    ],
    [
      "the global cluster's name",
      {
        "securecart:database": {
          ...valueOf("prod-west", "securecart:database"),
          globalClusterIdentifier: "securecart-orders2",
        },
      },
      'stacks of deployment prod disagree on `securecart:database.globalClusterIdentifier`: prod-east has "securecart-orders", prod-west has "securecart-orders2".',
    ],
  ];
  for (const [what, westOverrides, message] of cases) {
    it(`fails on a difference in ${what}, naming the key and both stacks`, () => {
      const problems = pair({}, westOverrides);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.ok(problems[0].startsWith(message), problems[0]);
    });
  }

  it("fails when the set of services differs", () => {
    const services = valueOf("prod-west", "securecart:services");
    const extra = { paths: ["/only-west*"], minSize: 2, maxSize: 6, instanceType: "m7i.large" };
    assert.ok(!("only-west" in services));
    const problems = pair({}, { "securecart:services": { ...services, "only-west": extra } });
    const names = Object.keys(services).sort();
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:services\`: prod-east has ${JSON.stringify(names)}, prod-west has ${JSON.stringify([...names, "only-west"].sort())}. Make them equal: a service missing in one region has no routes and no capacity there when traffic moves to it`,
    ]);
  });

  it("fails when a shared service is reached by other paths", () => {
    const services = valueOf("prod-west", "securecart:services");
    const [name, first] = Object.entries<{ paths?: string[] }>(services).find(
      ([, s]) => (s.paths ?? []).length > 0,
    )!;
    const problems = pair(
      {},
      {
        "securecart:services": { ...services, [name]: { ...first, paths: ["/elsewhere*"] } },
      },
    );
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:services.${name}.paths\`: prod-east has ${JSON.stringify(first.paths)}, prod-west has ["/elsewhere*"]. Make them equal: the stacks write records and rules for the same names`,
    ]);
  });

  it("fails when a standby can't grow to the primary's maxSize, web service or payments", () => {
    const services = valueOf("prod-west", "securecart:services");
    const east = config("prod-east");
    const [name, peak] = Object.entries(east.services)[0];
    const payments = valueOf("prod-west", "securecart:payments");
    const problems = pair(
      {},
      {
        "securecart:services": {
          ...services,
          [name]: { ...services[name], minSize: 1, maxSize: peak.maxSize - 1 },
        },
        "securecart:payments": { ...payments, minSize: 1, maxSize: 1 },
      },
    );
    const cpu = vcpusOf(peak.instanceType)!;
    const payCpu = vcpusOf(east.payments.instanceType)!;
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:services.${name}\` capacity (maxSize x vCPUs of instanceType): prod-west can grow to ${peak.maxSize - 1} x ${peak.instanceType} = ${(peak.maxSize - 1) * cpu} vCPUs but prod-east (the primary) runs up to ${peak.maxSize} x ${peak.instanceType} = ${peak.maxSize * cpu}. If us-east-1 fails at peak, us-west-2 cannot absorb its load: raise \`securecart:services.${name}.maxSize\` to at least ${peak.maxSize} (or use a larger instanceType) in Pulumi.prod-west.yaml`,
      `stacks of deployment prod disagree on \`securecart:payments\` capacity (maxSize x vCPUs of instanceType): prod-west can grow to 1 x ${east.payments.instanceType} = ${payCpu} vCPUs but prod-east (the primary) runs up to ${east.payments.maxSize} x ${east.payments.instanceType} = ${east.payments.maxSize * payCpu}. If us-east-1 fails at peak, us-west-2 cannot absorb its load: raise \`securecart:payments.maxSize\` to at least ${east.payments.maxSize} (or use a larger instanceType) in Pulumi.prod-west.yaml`,
    ]);
  });

  describe("compares fleet capacity in vCPUs, not only maxSize", () => {
    const eastServices = valueOf("prod-east", "securecart:services");
    const westServices = valueOf("prod-west", "securecart:services");
    const name = "cart";
    const peak = eastServices[name];
    const withType = (services: Record<string, unknown>, patch: Record<string, unknown>) => ({
      "securecart:services": { ...services, [name]: { ...(services[name] as object), ...patch } },
    });

    it("fails a standby with the same maxSize on a smaller instance type", () => {
      // The primary moves to twice the vCPUs per instance; the standby keeps its type.
      const problems = pair(withType(eastServices, { instanceType: "m7i.xlarge" }), {});
      const cpu = vcpusOf(westServices[name].instanceType)!;
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(
        problems[0],
        new RegExp(
          `^stacks of deployment prod disagree on \`securecart:services\\.${name}\` capacity .*: prod-west can grow to ${westServices[name].maxSize} x ${westServices[name].instanceType} = ${westServices[name].maxSize * cpu} vCPUs but prod-east \\(the primary\\) runs up to ${peak.maxSize} x m7i\\.xlarge = ${peak.maxSize * 4}\\. .*at least ${Math.ceil((peak.maxSize * 4) / cpu)} `,
        ),
      );
    });

    it("accepts a standby with fewer, larger instances of at least the same vCPUs", () => {
      const fewer = Math.ceil((peak.maxSize * vcpusOf(peak.instanceType)!) / 8);
      assert.ok(fewer < peak.maxSize);
      const problems = pair(
        {},
        withType(westServices, { instanceType: "m7i.2xlarge", minSize: 1, maxSize: fewer }),
      );
      assert.deepEqual(problems, []);
    });

    it("names an instance type the size table doesn't know", () => {
      const problems = pair({}, withType(westServices, { instanceType: "a1.large" }));
      assert.deepEqual(problems, [
        `stacks of deployment prod disagree on \`securecart:services.${name}\` capacity (maxSize x vCPUs of instanceType): the vCPUs of a1.large are not in the size table, so prod-west's capacity can't be compared with prod-east's (the primary). Use a type the table covers or add it to components/scaling/instanceSizes.ts`,
      ]);
    });
  });

  it("fails a standby database with a smaller instance class or fewer readers", () => {
    const db = valueOf("prod-west", "securecart:database");
    const east = config("prod-east").database;
    const problems = pair(
      {},
      {
        "securecart:database": { ...db, instanceClass: "db.r7g.medium", readers: east.readers - 1 },
      },
    );
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:database.instanceClass\`: prod-west has "db.r7g.medium" (1 vCPUs) but prod-east (the primary) has "${east.instanceClass}" (${vcpusOf(east.instanceClass)}). If us-east-1 fails, us-west-2's cluster becomes the writer for the whole load: use a class at least as large in Pulumi.prod-west.yaml`,
      `stacks of deployment prod disagree on \`securecart:database.readers\`: prod-west has ${east.readers - 1} but prod-east (the primary) has ${east.readers}. If us-east-1 fails, us-west-2's cluster becomes the writer for the whole load: raise it to at least ${east.readers} in Pulumi.prod-west.yaml`,
    ]);
  });

  it("fails when a standby leaves a database client out (it would have no DB access after failover)", () => {
    const db = valueOf("prod-west", "securecart:database");
    const east = config("prod-east").database.clients;
    // Keep the health-check service (checkout) a client, so the config itself still validates.
    const fewer = east.filter((c) => c !== "orders");
    const problems = pair({}, { "securecart:database": { ...db, clients: fewer } });
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:database.clients\`: prod-east has ${JSON.stringify([...east].sort())}, prod-west has ${JSON.stringify([...fewer].sort())}. Make them equal: a region whose config leaves a service out gives it no proxy access, no rds-db:connect and no DB_* variables: after failover (or with latency routing, at once) that service can't reach the database there`,
    ]);
  });

  it("refuses to compare a burstable fleet or database class with any other type", () => {
    const services = valueOf("prod-west", "securecart:services");
    const burstable = Object.entries(config("prod-east").services).find(([, s]) =>
      isBurstable(s.instanceType),
    );
    assert.ok(burstable, "prod-east has a burstable fleet to derive the case from");
    const [name, svc] = burstable;
    // Same vCPU count (2), so the old vCPU rule passed it.
    const problems = pair(
      {},
      {
        "securecart:services": {
          ...services,
          [name]: { ...services[name], instanceType: "m7i.large" },
        },
      },
    );
    assert.deepEqual(problems, [
      `stacks of deployment prod disagree on \`securecart:services.${name}\` capacity (maxSize x vCPUs of instanceType): prod-east (the primary) runs ${svc.instanceType}, prod-west m7i.large; ${svc.instanceType} is burstable (CPU above a per-size baseline only while CPU credits last), so ${svc.instanceType} and m7i.large can't be compared in vCPUs. Use the primary's instanceType in Pulumi.prod-west.yaml (or fixed-performance types in both)`,
    ]);
    assert.equal(burstableMismatch("t3.medium", "t3.medium"), undefined);
    assert.equal(burstableMismatch("m7i.large", "c7i.large"), undefined);
    assert.match(
      String(burstableMismatch("db.t4g.medium", "db.r7g.large")),
      /db\.t4g\.medium is burstable/,
    );
  });

  describe("latency routing: the other regions together cover the primary (N-1)", () => {
    const latency = { "securecart:routing": "latency" };
    const services = valueOf("prod-west", "securecart:services");
    const east = config("prod-east");
    const [name, peak] = Object.entries(east.services).find(
      ([, s]) => !isBurstable(s.instanceType) && s.maxSize > 2,
    )!;
    const cpu = vcpusOf(peak.instanceType)!;

    it("with two regions, each must cover the primary on its own", () => {
      const problems = pair(latency, {
        ...latency,
        "securecart:services": {
          ...services,
          [name]: { ...services[name], minSize: 1, maxSize: peak.maxSize - 1 },
        },
      });
      assert.deepEqual(problems, [
        `stacks of deployment prod disagree on \`securecart:services.${name}\` capacity (maxSize x vCPUs of instanceType, latency routing: N-1): if us-east-1 (prod-east) fails, prod-west ${peak.maxSize - 1} x ${peak.instanceType} = ${(peak.maxSize - 1) * cpu} vCPUs must absorb a load up to prod-east's (the primary) ${peak.maxSize} x ${peak.instanceType} = ${peak.maxSize * cpu}. Raise \`securecart:services.${name}.maxSize\` in the other regions' stack files until they cover ${peak.maxSize * cpu} vCPUs together`,
      ]);
    });

    it("with three regions, two smaller ones together may cover the primary, which per-standby rules would refuse", () => {
      const eu = {
        ...latency,
        "securecart:deployment": {
          name: "prod",
          primary: "us-east-1",
          secondaries: ["us-west-2", "eu-west-1"],
        },
      };
      const half = Math.ceil(peak.maxSize / 2);
      const smaller = {
        ...eu,
        "securecart:services": {
          ...services,
          [name]: { ...services[name], minSize: 1, maxSize: half },
        },
      };
      const third = parseStackConfig(
        "prod-eu",
        readStackConfig(
          "prod-eu",
          {
            ...smaller,
            "securecart:services": smaller["securecart:services"],
            "securecart:payments": valueOf("prod-west", "securecart:payments"),
          },
          PROJECT_ROOT,
          path.join(PROJECT_ROOT, "test", "fixtures"),
        ),
      );
      const members = [config("prod-east", eu), config("prod-west", smaller), third];
      assert.deepEqual(agreementProblems(members), []);
      // Shrink the third region too far: losing the primary leaves the other two under its peak.
      const tooSmall = members.map((m) =>
        m.stack === "prod-eu"
          ? { ...m, services: { ...m.services, [name]: { ...m.services[name], maxSize: 1 } } }
          : m,
      );
      const problems = agreementProblems(tooSmall);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(
        problems[0],
        new RegExp(
          `if us-east-1 \\(prod-east\\) fails, prod-eu 1 x ${peak.instanceType} \\+ prod-west ${half} x ${peak.instanceType} = ${(1 + half) * cpu} vCPUs must absorb a load up to prod-east's \\(the primary\\) ${peak.maxSize} x`,
        ),
      );
    });
  });

  it("reads vCPUs from the documented size table", () => {
    const table: [string, number | undefined][] = [
      ["m7i.large", 2],
      ["c7i.large", 2],
      ["c6in.xlarge", 4],
      ["m7i.2xlarge", 8],
      ["r7g.16xlarge", 64],
      ["m6g.medium", 1],
      ["t3.small", 2],
      ["t3.medium", 2],
      ["t3.xlarge", 4],
      ["db.r7g.large", 2],
      ["db.t4g.medium", 2],
      ["m7i.metal-24xl", undefined],
      ["t2.micro", undefined],
      ["nonsense", undefined],
    ];
    for (const [type, want] of table) assert.equal(vcpusOf(type), want, type);
  });

  it("fails when a listed region has no stack, or a region has two", () => {
    const three = {
      "securecart:routing": "latency",
      "securecart:deployment": {
        name: "prod",
        primary: "us-east-1",
        secondaries: ["us-west-2", "eu-west-1"],
      },
    };
    assert.deepEqual(pair(three, three), [
      "deployment prod lists region eu-west-1 in `securecart:deployment` (prod-east), but no stack of it has aws:region eu-west-1. Add its stack file, or remove the region from the list",
    ]);
    const twin = { ...config("prod-west"), stack: "prod-west-2" };
    assert.deepEqual(agreementProblems([config("prod-east"), config("prod-west"), twin]), [
      "stacks prod-west and prod-west-2 of deployment prod both have aws:region us-west-2; a deployment has one stack per region",
    ]);
  });

  it("fails when the stacks list different regions for one deployment", () => {
    const other = { name: "prod", primary: "us-west-2", secondaries: ["us-east-1"] };
    const problems = pair({}, { "securecart:deployment": other });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.ok(
      problems[0].startsWith(
        'stacks of deployment prod disagree on `securecart:deployment`: prod-east has {"name":"prod","primary":"us-east-1","secondaries":["us-west-2"]}, prod-west has {"name":"prod","primary":"us-west-2","secondaries":["us-east-1"]}.',
      ),
      problems.join("\n"),
    );
  });

  it("compares only stacks of the same deployment", () => {
    const lone = {
      "securecart:routing": "latency",
      "securecart:domain": "staging.securecart.com",
      "securecart:deployment": { name: "sandbox", primary: "us-west-2", secondaries: [] },
      "securecart:database": { ...valueOf("prod-west", "securecart:database"), global: false },
    };
    const problems = agreementProblems([
      config("prod-east", {
        "securecart:deployment": { ...valueOf("prod-east", "securecart:deployment") },
      }),
      config("prod-west", lone),
    ]);
    // prod-east alone misses its us-west-2 stack; the sandbox stack is compared with nobody.
    assert.deepEqual(problems, [
      "deployment prod lists region us-west-2 in `securecart:deployment` (prod-east), but no stack of it has aws:region us-west-2. Add its stack file, or remove the region from the list",
    ]);
  });
});

describe("the global stack against the deployment config", () => {
  const globalStack = listGlobalStacks()[0];
  const global = parseGlobalConfig(globalStack, readStackConfig(globalStack, {}, GLOBAL_ROOT));
  const prefix = global.regionalStacks[0].split("/").slice(0, 2).join("/");

  it("finds the committed global stack naming its deployment's primary and first secondary", () => {
    assert.deepEqual(globalProblemsFor([...listStacks(), ...listGlobalStacks()]), []);
    assert.equal(global.regionalStacks.length, REGION_SWITCH_PLAN_REGIONS);
  });

  it("keeps switching the primary and its first secondary when a third region joins", () => {
    const fixture = path.join(__dirname, "fixtures");
    const eu = parseStackConfig("prod-eu", readStackConfig("prod-eu", {}, PROJECT_ROOT, fixture));
    const three = { "securecart:deployment": eu.deployment, "securecart:routing": "latency" };
    const configs = [config("prod-east", three), config("prod-west", three), eu];
    assert.deepEqual(globalStackProblems(global, configs), []);
    // With eu-west-1 listed first, the pair the plan must switch is us-east-1 and eu-west-1.
    const euFirst = {
      "securecart:deployment": { ...eu.deployment, secondaries: ["eu-west-1", "us-west-2"] },
      "securecart:routing": "latency",
    };
    const reordered = [
      config("prod-east", euFirst),
      config("prod-west", euFirst),
      parseStackConfig("prod-eu", readStackConfig("prod-eu", euFirst, PROJECT_ROOT, fixture)),
    ];
    assert.deepEqual(globalStackProblems(global, reordered), [
      `\`securecart-global:regionalStacks\` of ${globalStack} (global/Pulumi.${globalStack}.yaml) names prod-east, prod-west, but the plan switches deployment prod between its primary us-east-1 (prod-east) and its first secondary eu-west-1 (prod-eu), as securecart:deployment lists them. Name exactly prod-east and prod-eu`,
    ]);
  });

  it("fails on a stack of another deployment, and on a name that is no regional stack", () => {
    const configs = regionalStackConfigs();
    const mixed = { ...global, regionalStacks: [`${prefix}/prod-east`, `${prefix}/staging`] };
    assert.deepEqual(globalStackProblems(mixed, configs), [
      `\`securecart-global:regionalStacks\` of ${globalStack} (global/Pulumi.${globalStack}.yaml) names stacks of deployments prod and staging; a Region switch plan moves one deployment between its regions. Name the stacks of one deployment`,
    ]);
    const typo = { ...global, regionalStacks: [`${prefix}/prod-east`, `${prefix}/prod-wets`] };
    assert.match(
      globalStackProblems(typo, configs)[0],
      /names securecart\/securecart\/prod-wets, but prod-wets is no regional stack of this project/,
    );
  });
});
