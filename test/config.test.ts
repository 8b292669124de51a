import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_KEYS, ConfigError, parseStackConfig } from "../stacks/config";
import { PROJECT_ROOT, readStackConfig } from "../testing/harness";
import { problemsOf } from "./support";

const east = parse(
  fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod-east.yaml"), "utf8"),
).config;
const services = east["securecart:services"];
const withService = (name: string, patch: Record<string, unknown>) => ({
  "securecart:services": { ...services, [name]: { ...services[name], ...patch } },
});

describe("stack config", () => {
  it("parses both production stacks", () => {
    const e = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const w = parseStackConfig("prod-west", readStackConfig("prod-west"));
    assert.deepEqual([e.region, e.role, e.peerRegions], ["us-east-1", "primary", ["us-west-2"]]);
    assert.deepEqual([w.region, w.role, w.peerRegions], ["us-west-2", "secondary", ["us-east-1"]]);
    // Every service of the stack file, whatever they are.
    assert.deepEqual(Object.keys(e.services).sort(), Object.keys(services).sort());
    assert.equal(e.routing, "failover");
    assert.equal(e.deletionProtection, true);
    assert.equal(e.tlsPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
    // Per-service defaults fill in what the stack file leaves out: web target groups check at
    // ELB's fastest (5 s, 2 failures) so a lost AZ's targets leave rotation in 10 s; payments
    // (NLB) keeps 10 s.
    assert.deepEqual(e.services.cart.healthCheck, {
      path: "/healthz",
      matcher: "200",
      intervalSeconds: 5,
      timeoutSeconds: 4,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    });
    assert.deepEqual(
      [e.payments.healthCheck.intervalSeconds, e.payments.healthCheck.timeoutSeconds],
      [10, 5],
    );
    assert.equal(e.services.cart.port, 8080);
    assert.deepEqual(e.services.checkout.stickiness, { durationSeconds: 3600 });
    assert.equal(e.services.cart.stickiness, undefined);
  });

  it("declares every key it reads in Pulumi.yaml, and reads every key declared there", () => {
    const declared = Object.keys(
      parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")).config,
    );
    // aws:region belongs to the AWS provider, which Pulumi does not let a project declare.
    assert.deepEqual([...declared].sort(), CONFIG_KEYS.filter((k) => k !== "aws:region").sort());
  });

  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      "prod-east",
      "unknown region",
      { "aws:region": "us-east-9" },
      '`aws:region` must be an AWS region of the commercial partition, such as us-east-1; got "us-east-9"',
    ],
    [
      "prod-east",
      "GovCloud secondary",
      {
        "securecart:deployment": {
          name: "prod",
          primary: "us-east-1",
          secondaries: ["us-gov-west-1"],
        },
      },
      "`securecart:deployment.secondaries[0]` must be an AWS region of the commercial partition",
    ],
    [
      "prod-east",
      "a region twice",
      {
        "securecart:deployment": { name: "prod", primary: "us-east-1", secondaries: ["us-east-1"] },
      },
      "`securecart:deployment` secondaries lists us-east-1 twice or together with the primary",
    ],
    [
      "prod-west",
      "a stack whose region the deployment does not list",
      {
        "securecart:deployment": { name: "prod", primary: "us-east-1", secondaries: ["eu-west-1"] },
      },
      "`securecart:deployment` does not list this stack's region us-west-2 (aws:region)",
    ],
    [
      "prod-east",
      "failover routing over three regions",
      {
        "securecart:deployment": {
          name: "prod",
          primary: "us-east-1",
          secondaries: ["us-west-2", "eu-west-1"],
        },
      },
      "`securecart:deployment` has 3 region(s), and failover routing needs exactly 2",
    ],
    [
      "prod-east",
      "more secondaries than an Aurora global database allows",
      {
        "securecart:routing": "latency",
        "securecart:deployment": {
          name: "prod",
          primary: "us-east-1",
          secondaries: [
            "us-west-2",
            "us-west-1",
            "us-east-2",
            "ca-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-central-1",
            "ap-south-1",
            "ap-northeast-1",
            "ap-southeast-2",
            "sa-east-1",
          ],
        },
      },
      "`securecart:deployment` secondaries has 11 regions; an Aurora global database allows at most 10",
    ],
    [
      "prod-east",
      "a global database with no secondary",
      {
        "securecart:routing": "latency",
        "securecart:deployment": { name: "prod", primary: "us-east-1", secondaries: [] },
      },
      "`securecart:deployment` secondaries is empty, and an Aurora global database needs at least one secondary region",
    ],
    [
      "prod-east",
      "secondaries with a regional database",
      { "securecart:database": { ...east["securecart:database"], global: false } },
      "`securecart:deployment` secondaries lists us-west-2, but securecart:database.global is false",
    ],
    [
      "prod-east",
      "more primary readers than 15 minus the secondaries",
      { "securecart:database": { ...east["securecart:database"], readers: 15 } },
      "`securecart:database.readers` must be at most 14 in the primary region",
    ],
    [
      "prod-east",
      "a small instance class in a global database",
      { "securecart:database": { ...east["securecart:database"], instanceClass: "db.t4g.medium" } },
      "`securecart:database.instanceClass` must be a memory-optimised class db.r5 or newer",
    ],
    [
      "prod-east",
      "a deployment name with capitals",
      {
        "securecart:deployment": { name: "Prod", primary: "us-east-1", secondaries: ["us-west-2"] },
      },
      "`securecart:deployment.name` must be a short kebab-case name",
    ],
    [
      "prod-east",
      "bad routing",
      { "securecart:routing": "weighted" },
      '`securecart:routing` must be failover or latency; got "weighted"',
    ],
    [
      "prod-east",
      "domain with trailing dot",
      { "securecart:domain": "securecart.com." },
      "`securecart:domain` must be a lower-case DNS name",
    ],
    [
      "prod-east",
      "AZ of another region",
      { "securecart:availabilityZones": ["us-east-1a", "us-west-2b"] },
      '`securecart:availabilityZones[1]` must be an AZ of us-east-1 such as us-east-1a; got "us-west-2b"',
    ],
    [
      "prod-east",
      "one AZ",
      { "securecart:availabilityZones": ["us-east-1a"] },
      "`securecart:availabilityZones` must list at least 2 AZs",
    ],
    [
      "prod-east",
      "duplicate AZ",
      { "securecart:availabilityZones": ["us-east-1a", "us-east-1a"] },
      "`securecart:availabilityZones` lists an AZ twice",
    ],
    [
      "prod-east",
      "VPC CIDR too large",
      { "securecart:vpcCidr": "10.0.0.0/8" },
      "`securecart:vpcCidr` must have a prefix from /16 to /22",
    ],
    [
      "prod-east",
      "VPC CIDR host bits",
      { "securecart:vpcCidr": "10.10.1.0/16" },
      "`securecart:vpcCidr` has host bits set; the network address is 10.10.0.0/16",
    ],
    [
      "prod-east",
      "VPC CIDR not a CIDR",
      { "securecart:vpcCidr": "10.10.0.0" },
      "`securecart:vpcCidr` must be an IPv4 CIDR",
    ],
    [
      "prod-east",
      "TLS 1.2 policy",
      { "securecart:tlsPolicy": "ELBSecurityPolicy-2016-08" },
      "`securecart:tlsPolicy` must be a TLS 1.3 policy with TLS 1.2 or newer as its minimum",
    ],
    [
      "prod-east",
      "TLS 1.3 policy that still accepts TLS 1.0",
      { "securecart:tlsPolicy": "ELBSecurityPolicy-TLS13-1-0-2021-06" },
      "`securecart:tlsPolicy` must be a TLS 1.3 policy with TLS 1.2 or newer as its minimum",
    ],
    [
      "prod-east",
      "retention out of range",
      { "securecart:accessLogRetentionDays": 0 },
      "`securecart:accessLogRetentionDays` must be an integer from 1 to 3650; got 0",
    ],
    [
      "prod-east",
      "deletion protection not boolean",
      { "securecart:deletionProtection": "yes" },
      '`securecart:deletionProtection` must be true or false; got "yes"',
    ],
    [
      "prod-east",
      "missing services",
      { "securecart:services": undefined },
      "`securecart:services`",
    ],
    [
      "prod-east",
      "unknown top-level key",
      { "securecart:servces": {} },
      "`securecart:servces` is not a known setting",
    ],
    [
      "prod-east",
      "min above max",
      withService("checkout", { minSize: 5, maxSize: 2 }),
      "`securecart:services.checkout.minSize` must be <= maxSize. Lower minSize or raise maxSize; got 5",
    ],
    [
      "prod-east",
      "min of zero",
      withService("cart", { minSize: 0 }),
      "`securecart:services.cart.minSize` must be an integer from 1 to 1000; got 0",
    ],
    [
      "prod-east",
      "fractional size",
      withService("cart", { maxSize: 2.5 }),
      "`securecart:services.cart.maxSize` must be an integer from 1 to 1000; got 2.5",
    ],
    [
      "prod-east",
      "typo in a service field",
      withService("cart", { minsize: 2 }),
      "`securecart:services.cart.minsize` is not a known setting",
    ],
    [
      "prod-east",
      "bad instance type",
      withService("cart", { instanceType: "large" }),
      '`securecart:services.cart.instanceType` must be an EC2 instance type such as m7i.large; got "large"',
    ],
    [
      "prod-east",
      "health check timeout >= interval",
      withService("cart", { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } }),
      "`securecart:services.cart.healthCheck.timeoutSeconds` timeoutSeconds must be less than intervalSeconds",
    ],
    [
      "prod-east",
      "health check interval out of range",
      withService("cart", { healthCheck: { intervalSeconds: 301 } }),
      "`securecart:services.cart.healthCheck.intervalSeconds` must be an integer from 5 to 300; got 301",
    ],
    [
      "prod-east",
      "health check matcher 5xx",
      withService("cart", { healthCheck: { matcher: "200-599" } }),
      "`securecart:services.cart.healthCheck.matcher` must be HTTP codes 200-499",
    ],
    [
      "prod-east",
      "stickiness too long",
      withService("checkout", { stickiness: { durationSeconds: 604801 } }),
      "`securecart:services.checkout.stickiness.durationSeconds` must be an integer from 1 to 604800; got 604801",
    ],
    [
      "prod-east",
      "deregistration delay too long",
      withService("cart", { deregistrationDelaySeconds: 3601 }),
      "`securecart:services.cart.deregistrationDelaySeconds` must be an integer from 0 to 3600; got 3601",
    ],
    [
      "prod-east",
      "host claimed twice",
      withService("admin", { hosts: ["shop"] }),
      '`securecart:services.admin.hosts[0]` "shop" is already routed to service "storefront"',
    ],
    [
      "prod-east",
      "path claimed twice",
      withService("orders", { paths: ["/cart*"] }),
      '`securecart:services.orders.paths[0]` "/cart*" is already routed to service "cart"',
    ],
    [
      "prod-east",
      "host with a dot",
      withService("admin", { hosts: ["admin.securecart.com"] }),
      '`securecart:services.admin.hosts[0]` must be a bare lower-case subdomain label such as "shop"; got "admin.securecart.com"',
    ],
    [
      "prod-east",
      "path without slash",
      withService("cart", { paths: ["cart*"] }),
      '`securecart:services.cart.paths[0]` must start with "/"',
    ],
    [
      "prod-east",
      "path too long",
      withService("cart", { paths: [`/${"a".repeat(128)}`] }),
      "`securecart:services.cart.paths[0]` is 129 characters; ALB path patterns allow 128",
    ],
    [
      "prod-east",
      "four paths in one condition",
      withService("cart", { paths: ["/a", "/b", "/c", "/d"] }),
      "`securecart:services.cart.paths` has 4 values; an ALB condition allows at most 3",
    ],
    [
      "prod-east",
      "six values in one rule",
      withService("cart", { hosts: ["x", "y", "z"], paths: ["/a", "/b", "/c"] }),
      "`securecart:services.cart` has 6 hosts and paths; an ALB rule allows 5 match evaluations",
    ],
    [
      "prod-east",
      "six wildcards",
      withService("cart", { paths: ["/a**", "/b**", "/c**"] }),
      "`securecart:services.cart.paths` use 6 wildcards; an ALB rule allows 5",
    ],
    [
      "prod-east",
      "no routing",
      withService("cart", { paths: [] }),
      "`securecart:services.cart` needs `hosts` or `paths` (or both); got neither",
    ],
    [
      "prod-east",
      "priority out of range",
      withService("cart", { priority: 50001 }),
      "`securecart:services.cart.priority` must be an integer from 1 to 50000; got 50001",
    ],
    [
      "prod-east",
      "duplicate priority",
      {
        "securecart:services": {
          ...services,
          cart: { ...services.cart, priority: 7 },
          orders: { ...services.orders, priority: 7 },
        },
      },
      "7 is also the priority of service",
    ],
    [
      "prod-east",
      "overlapping paths need priorities",
      withService("orders", { paths: ["/cart/saved*"] }),
      "could match the same request, so their order matters; set `priority` on both (lower wins)",
    ],
    [
      "prod-east",
      "rule quota",
      { "securecart:albRuleQuota": Object.keys(services).length - 1 },
      `\`securecart:services\` need ${Object.keys(services).length} listener rules; the ALB quota allows ${Object.keys(services).length - 1}`,
    ],
    [
      "prod-east",
      "service name too long",
      { "securecart:services": { ...services, "recommendations-xyz": services.cart } },
      "`securecart:services.recommendations-xyz` must be lower-case letters, digits and hyphens",
    ],
    [
      "prod-east",
      "host used by payments",
      withService("admin", { hosts: ["pay"] }),
      '`securecart:services.admin.hosts[0]` is "pay", which securecart:payments.host uses for the NLB',
    ],
    [
      "prod-east",
      "payments min above max",
      { "securecart:payments": { host: "pay", minSize: 4, maxSize: 3, instanceType: "c7i.large" } },
      "`securecart:payments.minSize` must be <= maxSize",
    ],
    [
      "prod-east",
      "payments host with dot",
      {
        "securecart:payments": {
          host: "pay.securecart.com",
          minSize: 1,
          maxSize: 3,
          instanceType: "c7i.large",
        },
      },
      '`securecart:payments.host` must be a bare subdomain label such as "pay"',
    ],
    [
      "prod-east",
      "integer key given text",
      { "securecart:albRuleQuota": "lots" },
      '`securecart:albRuleQuota` must be an integer from 1 to 1000; got "lots"',
    ],
  ];

  for (const [stack, label, overrides, expected] of cases) {
    it(`rejects ${label}`, () => {
      const problems = problemsOf(stack, overrides);
      assert.ok(
        problems.some((p) => p.includes(expected)),
        `expected a problem containing:\n  ${expected}\ngot:\n  ${problems.join("\n  ")}`,
      );
    });
  }

  it("reports every problem at once, naming the stack file, with no stack trace needed", () => {
    let error: unknown;
    try {
      parseStackConfig(
        "prod-west",
        readStackConfig("prod-west", {
          "securecart:routing": "weighted",
          "securecart:albRuleQuota": 0,
        }),
      );
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(error.problems.length, 2);
    assert.match(error.message, /^Invalid configuration for stack prod-west:\n {2}- /);
    assert.match(error.message, /Fix them in Pulumi\.prod-west\.yaml/);
    // pulumi.RunError is how a Pulumi program exits cleanly, without printing a stack trace.
    assert.equal((error as { __pulumiRunError?: boolean }).__pulumiRunError, true);
  });
});
