import { strict as assert } from "assert";
import {
  BudgetInput,
  RecordPlanInput,
  budgetProblems,
  checkerRegionProblems,
  failoverBudgetSeconds,
  planRecords,
  recordPlanProblems,
} from "../components/dns/failoverPlan";

describe("failover budget", () => {
  const cases: [BudgetInput, number][] = [
    // ELB alias: interval × threshold + 60 s.
    [{ requestIntervalSeconds: 10, failureThreshold: 3 }, 90],
    [{ requestIntervalSeconds: 10, failureThreshold: 1 }, 70],
    [{ requestIntervalSeconds: 30, failureThreshold: 3 }, 150],
    [{ requestIntervalSeconds: 30, failureThreshold: 10 }, 360],
    // Short-TTL CNAME: its own TTL replaces the 60 s.
    [{ requestIntervalSeconds: 10, failureThreshold: 3, ttlSeconds: 15 }, 45],
    [{ requestIntervalSeconds: 10, failureThreshold: 2, ttlSeconds: 0 }, 20],
  ];
  for (const [input, expected] of cases) {
    it(`${input.requestIntervalSeconds} s × ${input.failureThreshold} + ${input.ttlSeconds ?? "alias"} TTL = ${expected} s`, () => {
      assert.equal(failoverBudgetSeconds(input), expected);
    });
  }

  const errors: [string, BudgetInput, string][] = [
    [
      "interval 20",
      { requestIntervalSeconds: 20, failureThreshold: 3 },
      "requestIntervalSeconds must be 10 or 30 (Route 53 offers no other interval); got 20",
    ],
    [
      "threshold 0",
      { requestIntervalSeconds: 10, failureThreshold: 0 },
      "failureThreshold must be an integer from 1 to 10; got 0",
    ],
    [
      "threshold 11",
      { requestIntervalSeconds: 10, failureThreshold: 11 },
      "failureThreshold must be an integer from 1 to 10; got 11",
    ],
    [
      "fractional threshold",
      { requestIntervalSeconds: 10, failureThreshold: 2.5 },
      "failureThreshold must be an integer from 1 to 10; got 2.5",
    ],
    [
      "negative TTL",
      { requestIntervalSeconds: 10, failureThreshold: 3, ttlSeconds: -1 },
      "ttlSeconds must be a whole number of seconds, 0 or more; got -1",
    ],
  ];
  for (const [title, input, message] of errors) {
    it(`rejects ${title}`, () => {
      assert.deepEqual(budgetProblems(input), [message]);
      assert.throws(() => failoverBudgetSeconds(input), {
        message: `Invalid failover budget: ${message}`,
      });
    });
  }

  it("reports every problem at once", () => {
    assert.equal(budgetProblems({ requestIntervalSeconds: 5, failureThreshold: 20 }).length, 2);
  });
});

describe("health checker regions", () => {
  it("accepts three of Route 53's checker regions", () => {
    assert.deepEqual(checkerRegionProblems(["us-east-1", "us-west-2", "eu-west-1"]), []);
  });
  const cases: [string, string[], string[]][] = [
    [
      "a region without checkers",
      ["us-east-1", "us-west-2", "eu-central-1"],
      [
        'regions has "eu-central-1", where Route 53 runs no health checkers; use some of us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1',
      ],
    ],
    [
      "only two regions",
      ["us-east-1", "us-west-2"],
      ["regions must name at least 3 distinct checker regions; got 2"],
    ],
    [
      "a duplicate that leaves two distinct regions",
      ["us-east-1", "us-west-2", "us-west-2"],
      [
        "regions lists a region twice; got us-east-1, us-west-2, us-west-2",
        "regions must name at least 3 distinct checker regions; got 2",
      ],
    ],
  ];
  for (const [title, regions, problems] of cases) {
    it(`rejects ${title}`, () => assert.deepEqual(checkerRegionProblems(regions), problems));
  }
});

describe("record plan", () => {
  const base: RecordPlanInput = {
    domain: "securecart.com",
    region: "us-east-1",
    routing: "failover",
    role: "primary",
    hostsByEndpoint: { web: ["@", "shop", "admin"], pay: ["pay"] },
    cnameTtlSeconds: {},
    requestIntervalSeconds: 10,
    failureThreshold: 3,
  };

  it("plans PRIMARY alias records for the primary, one per name, set identifier = region", () => {
    assert.deepEqual(planRecords(base), [
      {
        key: "admin",
        label: "admin",
        fqdn: "admin.securecart.com",
        endpoint: "web",
        type: "A",
        ttlSeconds: undefined,
        setIdentifier: "us-east-1",
        failover: "PRIMARY",
        budgetSeconds: 90,
      },
      {
        key: "pay",
        label: "pay",
        fqdn: "pay.securecart.com",
        endpoint: "pay",
        type: "A",
        ttlSeconds: undefined,
        setIdentifier: "us-east-1",
        failover: "PRIMARY",
        budgetSeconds: 90,
      },
      {
        key: "apex",
        label: "@",
        fqdn: "securecart.com",
        endpoint: "web",
        type: "A",
        ttlSeconds: undefined,
        setIdentifier: "us-east-1",
        failover: "PRIMARY",
        budgetSeconds: 90,
      },
      {
        key: "shop",
        label: "shop",
        fqdn: "shop.securecart.com",
        endpoint: "web",
        type: "A",
        ttlSeconds: undefined,
        setIdentifier: "us-east-1",
        failover: "PRIMARY",
        budgetSeconds: 90,
      },
    ]);
  });

  it("plans SECONDARY for the secondary and latency records in latency mode", () => {
    const west = { ...base, region: "us-west-2", role: "secondary" as const };
    assert.deepEqual(
      planRecords(west).map((r) => [r.fqdn, r.setIdentifier, r.failover, r.latencyRegion]),
      [
        ["admin.securecart.com", "us-west-2", "SECONDARY", undefined],
        ["pay.securecart.com", "us-west-2", "SECONDARY", undefined],
        ["securecart.com", "us-west-2", "SECONDARY", undefined],
        ["shop.securecart.com", "us-west-2", "SECONDARY", undefined],
      ],
    );
    assert.deepEqual(
      planRecords({ ...west, routing: "latency" }).map((r) => [
        r.fqdn,
        r.failover,
        r.latencyRegion,
      ]),
      [
        ["admin.securecart.com", undefined, "us-west-2"],
        ["pay.securecart.com", undefined, "us-west-2"],
        ["securecart.com", undefined, "us-west-2"],
        ["shop.securecart.com", undefined, "us-west-2"],
      ],
    );
  });

  it("answers a configured label with a CNAME and budgets its TTL instead of 60 s", () => {
    const shop = planRecords({ ...base, cnameTtlSeconds: { shop: 15 } }).find(
      (r) => r.key === "shop",
    );
    assert.equal(shop?.type, "CNAME");
    assert.equal(shop?.ttlSeconds, 15);
    assert.equal(shop?.budgetSeconds, 45);
  });

  const errors: [string, Partial<RecordPlanInput>, string][] = [
    [
      "a CNAME at the apex",
      { cnameTtlSeconds: { "@": 10 } },
      'cnameTtlSeconds cannot include the apex ("@"): DNS allows no CNAME at a zone apex, so it must stay an alias',
    ],
    [
      "a CNAME for a name nobody serves",
      { cnameTtlSeconds: { www: 10 } },
      'cnameTtlSeconds names "www", which no endpoint serves; use one of @, shop, admin, pay',
    ],
    [
      "a CNAME TTL of 60 s",
      { cnameTtlSeconds: { shop: 60 } },
      "cnameTtlSeconds.shop must be an integer from 1 to 59 (an alias already gives 60 s); got 60",
    ],
    [
      "a CNAME TTL of 0 s",
      { cnameTtlSeconds: { shop: 0 } },
      "cnameTtlSeconds.shop must be an integer from 1 to 59 (an alias already gives 60 s); got 0",
    ],
    [
      "a label that is not a DNS label",
      { hostsByEndpoint: { web: ["Shop"] } },
      'host "Shop" of endpoint web must be a lower-case DNS label such as "shop", or "@" for the apex',
    ],
    [
      "a name served by two load balancers",
      { hostsByEndpoint: { web: ["shop"], pay: ["shop"] } },
      'host "shop" is served by both web and pay; a name can point at one load balancer',
    ],
    [
      "a 30 s interval with threshold 0",
      { requestIntervalSeconds: 30, failureThreshold: 0 },
      "failureThreshold must be an integer from 1 to 10; got 0",
    ],
  ];
  for (const [title, patch, message] of errors) {
    it(`rejects ${title}`, () => {
      const input = { ...base, ...patch };
      assert.deepEqual(recordPlanProblems(input), [message]);
      assert.throws(() => planRecords(input), { message: `Invalid DNS record plan: ${message}` });
    });
  }
});
