import { strict as assert } from "assert";
import {
  derivedPriority,
  fnv1a,
  planListenerRules,
  resolveRoute,
  routingProblems,
  wildcardMatch,
} from "../components/loadBalancing/routing";
import { subnetCidr, vpcCidrProblem } from "../components/network/subnets";
import { ELB_LOGICAL_NAME_MAX_LENGTH, elbLogicalNameProblem } from "../components/naming";
import { validationNames } from "../components/dns/validatedCertificate";
import { accessLogBucketPolicy } from "../components/loadBalancing/accessLogBucket";
import { parseStackConfig, sharedWebHosts } from "../stacks/config";
import { readStackConfig } from "../testing/harness";
import { validateListenerRule } from "../testing/listenerRuleValidation";

const prod = parseStackConfig("prod-east", readStackConfig("prod-east"));
const routes = Object.fromEntries(
  Object.entries(prod.services).map(([k, s]) => [
    k,
    { hosts: s.hosts, paths: s.paths, priority: s.priority },
  ]),
);
const shared = sharedWebHosts(prod);
const rules = planListenerRules(prod.domain, routes, shared);

describe("routing table (pure)", () => {
  const table: [string, string, string | undefined][] = [
    ["shop.securecart.com", "/", "storefront"],
    ["SHOP.SecureCart.com:443", "/index.html", "storefront"],
    ["admin.securecart.com", "/users", "admin"],
    ["shop.securecart.com", "/cart", "cart"],
    ["shop.securecart.com", "/cart/items?id=3", "cart"],
    ["securecart.com", "/orders/42", "orders"],
    ["shop.securecart.com", "/checkout", "checkout"],
    // The admin host serves admin only: path-only services answer on the shared hosts.
    ["admin.securecart.com", "/products/9", "admin"],
    ["admin.securecart.com", "/checkout", "admin"],
    ["ADMIN.securecart.com:443", "/cart", "admin"],
    ["securecart.com", "/checkout", "checkout"],
    // The load balancer's own DNS name is no host of ours.
    ["web-alb-1234567890.us-east-1.elb.amazonaws.com", "/cart", undefined],
    // Paths are case-sensitive on an ALB.
    ["shop.securecart.com", "/Cart", "storefront"],
    ["securecart.com", "/", undefined],
    ["evil.example.com", "/", undefined],
    ["api.securecart.com", "/payments", undefined],
  ];
  for (const [host, path, service] of table) {
    it(`routes ${host}${path} to ${service ?? "the default 404"}`, () => {
      assert.equal(resolveRoute(rules, host, path), service);
    });
  }

  it("orders path rules before host-only rules, whatever the names", () => {
    const byService = Object.fromEntries(rules.map((r) => [r.service, r.priority]));
    for (const pathService of ["cart", "orders", "checkout", "products"]) {
      for (const hostService of ["storefront", "admin"]) {
        assert.ok(
          byService[pathService] < byService[hostService],
          `${pathService} before ${hostService}`,
        );
      }
    }
    assert.ok(rules.every((r) => r.priority >= 1 && r.priority <= 50000));
    assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length);
  });

  it("keeps every priority when a service is added or removed", () => {
    const before = Object.fromEntries(rules.map((r) => [r.service, r.priority]));
    const { cart: _removed, ...withoutCart } = routes;
    const added = { ...withoutCart, search: { hosts: [], paths: ["/search*"] } };
    for (const r of planListenerRules(prod.domain, added, shared)) {
      if (r.service !== "search") assert.equal(r.priority, before[r.service], r.service);
    }
  });

  it("derives priorities from a stable hash within specificity bands", () => {
    assert.equal(fnv1a(""), 0x811c9dc5);
    assert.equal(fnv1a("a"), 0xe40c292c);
    assert.equal(
      derivedPriority("cart", { hosts: ["x"], paths: ["/c"] }),
      10000 + (fnv1a("cart") % 9000),
    );
    assert.equal(
      derivedPriority("cart", { hosts: [], paths: ["/c"] }),
      20000 + (fnv1a("cart") % 9000),
    );
    assert.equal(
      derivedPriority("cart", { hosts: ["x"], paths: [] }),
      30000 + (fnv1a("cart") % 9000),
    );
    assert.equal(
      derivedPriority("cart", { hosts: [], paths: ["/c"], priority: 5 }),
      20000 + (fnv1a("cart") % 9000),
    );
    assert.equal(
      planListenerRules("d.com", { cart: { hosts: [], paths: ["/c"], priority: 5 } }, ["@"])[0]
        .priority,
      5,
    );
  });

  it("finds no problems in the production routing", () => {
    assert.deepEqual(routingProblems(prod.domain, routes, shared), []);
  });

  it("scopes every rule to hosts, and keeps the admin host out of every rule but admin's", () => {
    assert.deepEqual(shared, ["@", "shop"]);
    for (const r of rules) {
      assert.ok(r.hostHeaders.length > 0, `${r.service} has a host-header condition`);
      const admin = r.hostHeaders.includes("admin.securecart.com");
      assert.equal(admin, r.service === "admin", r.service);
    }
    assert.deepEqual(rules.find((r) => r.service === "cart")?.hostHeaders, [
      "securecart.com",
      "shop.securecart.com",
    ]);
  });

  it("refuses path-only services when the shared hosts break an ALB limit or are missing", () => {
    const cart = { cart: { hosts: [], paths: ["/a", "/b", "/c"] } };
    assert.deepEqual(routingProblems("d.com", cart, []), [
      {
        path: ["cart", "hosts"],
        message:
          "is empty and the load balancer has no shared host for a path-only service to answer on; list the service's hosts",
      },
    ]);
    assert.deepEqual(
      routingProblems("d.com", cart, ["@", "shop", "www", "m"]).map((p) => p.message),
      [
        "is empty, so the service answers on every shared host (@, shop, www, m), 4 values where an ALB condition allows 3; list the service's hosts",
        "has 7 hosts and paths (counting the shared hosts a path-only service answers on); an ALB rule allows 5 match evaluations",
      ],
    );
    assert.deepEqual(routingProblems("d.com", cart, ["@", "shop"]), []);
  });

  it("matches ALB wildcards", () => {
    assert.ok(wildcardMatch("/cart*", "/cart", true));
    assert.ok(wildcardMatch("/a?c", "/abc", true));
    assert.ok(!wildcardMatch("/a?c", "/ac", true));
    assert.ok(!wildcardMatch("/cart*", "/CART", true));
    assert.ok(wildcardMatch("*.securecart.com", "SHOP.securecart.com", false));
    assert.ok(!wildcardMatch("*.securecart.com", "securecart.com", false));
    assert.ok(wildcardMatch("/a.b(c)", "/a.b(c)", true));
    assert.ok(!wildcardMatch("/a.b", "/axb", true));
  });
});

describe("subnet plan (pure)", () => {
  it("gives each tier 8 blocks and each AZ the block of its letter", () => {
    assert.equal(subnetCidr("10.10.0.0/16", "public", "us-east-1a"), "10.10.0.0/21");
    assert.equal(subnetCidr("10.10.0.0/16", "public", "us-east-1c"), "10.10.16.0/21");
    assert.equal(subnetCidr("10.10.0.0/16", "private", "us-east-1a"), "10.10.64.0/21");
    assert.equal(subnetCidr("10.10.0.0/16", "isolated", "us-east-1b"), "10.10.136.0/21");
    assert.equal(subnetCidr("10.10.0.0/16", "appliance", "us-east-1a"), "10.10.192.0/22");
    assert.equal(subnetCidr("10.10.0.0/16", "endpoint", "us-east-1a"), "10.10.196.0/22");
    assert.equal(subnetCidr("10.10.0.0/16", "appliance", "us-east-1h"), "10.10.248.0/22");
    assert.equal(subnetCidr("10.10.0.0/16", "endpoint", "us-east-1h"), "10.10.252.0/22");
    assert.equal(subnetCidr("10.20.0.0/22", "private", "us-west-2b"), "10.20.1.32/27");
    assert.equal(subnetCidr("10.20.0.0/22", "endpoint", "us-west-2b"), "10.20.3.48/28");
  });
  it("rejects ranges it cannot plan", () => {
    assert.equal(vpcCidrProblem("10.10.0.0/16"), undefined);
    assert.match(String(vpcCidrProblem("10.10.0.0/23")), /prefix from \/16 to \/22/);
    assert.match(String(vpcCidrProblem("300.1.0.0/16")), /IPv4 CIDR/);
    assert.throws(() => subnetCidr("10.10.0.0/16", "public", "us-east-1-bos-1"), /cannot plan/);
  });
});

describe("ELB names (pure)", () => {
  it("allows 24-character logical names and no more", () => {
    assert.equal(ELB_LOGICAL_NAME_MAX_LENGTH, 24);
    assert.equal(elbLogicalNameProblem("a".repeat(24)), undefined);
    assert.match(
      String(elbLogicalNameProblem("a".repeat(25))),
      /25 characters; ELB names allow 32 and Pulumi adds 8/,
    );
    assert.match(String(elbLogicalNameProblem("-web")), /hyphens/);
    assert.match(String(elbLogicalNameProblem("internal-web")), /reserves/);
  });
});

describe("certificate and log bucket helpers (pure)", () => {
  it("collapses a wildcard onto its base name's validation record", () => {
    assert.deepEqual(validationNames("securecart.com", ["*.securecart.com"]), ["securecart.com"]);
    assert.deepEqual(
      validationNames("securecart.com", ["*.securecart.com", "*.pay.securecart.com"]),
      ["securecart.com", "pay.securecart.com"],
    );
  });
  it("grants log delivery only under each load balancer's prefix and denies plain HTTP", () => {
    const doc = JSON.parse(
      accessLogBucketPolicy(
        "arn:aws:s3:::logs",
        ["elb/web", "elb/pay"],
        "111122223333",
        "us-east-1",
      ),
    );
    const sids = doc.Statement.map((s: { Sid: string }) => s.Sid);
    assert.deepEqual(sids, [
      "AlbLogDelivery",
      "AlbLogDeliveryLegacyRegion",
      "NlbLogDeliveryWrite",
      "NlbLogDeliveryAclCheck",
      "DenyInsecureTransport",
    ]);
    assert.equal(
      doc.Statement[0].Principal.Service,
      "logdelivery.elasticloadbalancing.amazonaws.com",
    );
    // ELB writes <prefix>/AWSLogs/<account>/…: one grant per load balancer's own prefix.
    const logs = [
      "arn:aws:s3:::logs/elb/web/AWSLogs/111122223333/*",
      "arn:aws:s3:::logs/elb/pay/AWSLogs/111122223333/*",
    ];
    assert.deepEqual(doc.Statement[0].Resource, logs);
    assert.deepEqual(doc.Statement[1].Resource, logs);
    assert.deepEqual(doc.Statement[1].Principal, { AWS: "arn:aws:iam::127311923021:root" });
    assert.deepEqual(doc.Statement[2].Resource, logs);
    assert.equal(
      doc.Statement[2].Condition.StringEquals["s3:x-amz-acl"],
      "bucket-owner-full-control",
    );
    assert.equal(doc.Statement[4].Effect, "Deny");
    assert.equal(doc.Statement[4].Condition.Bool["aws:SecureTransport"], "false");
  });
});

describe("listener rule mock validation (CreateRule)", () => {
  const host = (...values: string[]) => ({ hostHeader: { values } });
  const path = (...values: string[]) => ({ pathPattern: { values } });
  it("accepts every rule the production routing plans, with its source-ip condition", () => {
    for (const r of rules) {
      validateListenerRule({
        priority: r.priority,
        conditions: [
          host(...r.hostHeaders),
          ...(r.pathPatterns.length ? [path(...r.pathPatterns)] : []),
          { sourceIp: { values: ["10.0.0.0/16", "192.0.2.0/24"] } },
        ],
      });
    }
  });
  const rejected: [string, Record<string, unknown>, RegExp][] = [
    ["priority 0", { priority: 0, conditions: [host("a.b")] }, /priority must be an integer/],
    ["two host conditions", { conditions: [host("a.b"), host("c.d")] }, /at most one hostHeader/],
    ["four hosts", { conditions: [host("a.b", "c.d", "e.f", "g.h")] }, /at most 3 match/],
    [
      "six evaluations",
      { conditions: [host("a.b", "c.d", "e.f"), path("/a", "/b", "/c")] },
      /at most 5 match evaluations; got 6/,
    ],
    [
      "six wildcards",
      { conditions: [host("*.b", "*.d"), path("/a*?", "/b**")] },
      /at most 5 wildcards; got 6/,
    ],
    [
      "a Cognito session longer than 7 days",
      {
        conditions: [host("a.b")],
        actions: [
          { type: "authenticate-cognito", authenticateCognito: { sessionTimeout: 604801 } },
        ],
      },
      /sessionTimeout must be an integer from 1 to 604800 seconds; got 604801/,
    ],
  ];
  for (const [label, inputs, message] of rejected) {
    it(`rejects ${label}`, () => assert.throws(() => validateListenerRule(inputs), message));
  }
});
