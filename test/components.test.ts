import { strict as assert } from "assert";
import { LoadBalancedService, LoadBalancedServiceArgs, Network } from "../components";
import { byName, ofType, runComponents } from "../testing/harness";
import { albArgs, backend, errorOf } from "./support";

describe("LoadBalancedService (mocks)", () => {
  it("builds an ALB with one rule, target group and fleet per backend", async () => {
    const run = await runComponents(
      () =>
        new LoadBalancedService(
          "edge",
          albArgs({
            backends: {
              api: { ...backend, routing: { hosts: [], paths: ["/api*"] } },
              www: {
                ...backend,
                routing: { hosts: ["www"], paths: [] },
                stickiness: { durationSeconds: 60 },
              },
            },
          }),
        ),
    );
    assert.equal(ofType(run, "aws:lb/loadBalancer:LoadBalancer").length, 1);
    assert.equal(ofType(run, "aws:lb/targetGroup:TargetGroup").length, 2);
    assert.equal(ofType(run, "aws:lb/listenerRule:ListenerRule").length, 2);
    assert.equal(ofType(run, "aws:autoscaling/group:Group").length, 2);
    assert.equal(ofType(run, "securecart:components:Fleet").length, 2);
    assert.deepEqual(
      byName(run, "aws:lb/targetGroup:TargetGroup", "edge-www-tg").inputs.stickiness,
      {
        type: "lb_cookie",
        enabled: true,
        cookieDuration: 60,
      },
    );
    assert.deepEqual(
      byName(run, "aws:lb/listenerRule:ListenerRule", "edge-www-rule").inputs.conditions,
      [{ hostHeader: { values: ["www.example.com"] } }],
    );
    // A path-only backend answers on the shared hosts only, never on every host.
    assert.deepEqual(
      byName(run, "aws:lb/listenerRule:ListenerRule", "edge-api-rule").inputs.conditions,
      [
        { hostHeader: { values: ["example.com", "www.example.com"] } },
        { pathPattern: { values: ["/api*"] } },
      ],
    );
    // Deletion protection is on unless a caller opts out.
    assert.equal(
      byName(run, "aws:lb/loadBalancer:LoadBalancer", "edge-alb").inputs.enableDeletionProtection,
      true,
    );
    const lb = byName(run, "aws:lb/loadBalancer:LoadBalancer", "edge-alb");
    assert.equal(
      lb.parent,
      run.resources.find((r) => r.type === "securecart:components:LoadBalancedService")?.urn,
    );
  });

  it("gives an NLB one Elastic IP per AZ, keyed by AZ letter", async () => {
    const run = await runComponents(
      () =>
        new LoadBalancedService(
          "pay",
          albArgs({ type: "network", backends: { payments: backend } }),
        ),
    );
    assert.deepEqual(
      ofType(run, "aws:ec2/eip:Eip").map((e) => e.name),
      ["pay-eip-a", "pay-eip-b"],
    );
    const nlb = byName(run, "aws:lb/loadBalancer:LoadBalancer", "pay-nlb");
    assert.equal(nlb.inputs.enableCrossZoneLoadBalancing, true);
    assert.equal(nlb.inputs.subnets, undefined);
    assert.deepEqual(
      nlb.inputs.subnetMappings.map((m: { subnetId: string }) => m.subnetId),
      ["subnet-a", "subnet-b"],
    );
  });

  const ops = { kind: "source-ip" as const, cidrs: ["10.0.0.0/16"] };
  const invalid: [string, Partial<LoadBalancedServiceArgs>, RegExp][] = [
    ["no backends", { backends: {} }, /backends must name at least one backend; got none/],
    [
      "a path-only backend without shared hosts",
      { sharedHosts: [] },
      /backends\.api\.routing\.hosts is empty and the load balancer has no shared host/,
    ],
    [
      "an access-controlled backend without its own host",
      { backends: { api: { ...backend, routing: { hosts: [], paths: ["/ops*"] }, access: ops } } },
      /backends\.api\.routing\.hosts must name the backend's own host/,
    ],
    [
      "shared hosts that include an access-controlled backend's host",
      {
        sharedHosts: ["@", "ops"],
        backends: { ops: { ...backend, routing: { hosts: ["ops"], paths: [] }, access: ops } },
      },
      /sharedHosts must not include ops, the host of access-controlled backend ops/,
    ],
    [
      "an NLB with two backends",
      { type: "network", backends: { a: backend, b: backend } },
      /an NLB forwards its TLS listener to one backend; got 2 \(a, b\)/,
    ],
    [
      "a TLS 1.2 policy",
      { tlsPolicy: "ELBSecurityPolicy-2016-08" },
      /tlsPolicy must be a TLS 1.3 policy with TLS 1.2 or newer as its minimum .*; got "ELBSecurityPolicy-2016-08"/,
    ],
    ["one AZ", { publicSubnetIds: { a: "subnet-a" } }, /must span at least 2 AZs; got 1 and 2/],
    [
      "a name too long for ELB",
      {
        backends: {
          "very-long-backend-name": { ...backend, routing: { hosts: [], paths: ["/x"] } },
        },
      },
      /logical name "edge-very-long-backend-name-tg" is 30 characters; ELB names allow 32 and Pulumi adds 8/,
    ],
    [
      "an ALB backend without routing",
      { backends: { api: backend } },
      /backends\.api\.routing is required on an ALB; got nothing/,
    ],
    [
      "NLB stickiness",
      { type: "network", backends: { p: { ...backend, stickiness: { durationSeconds: 5 } } } },
      /backends\.p\.stickiness is ALB-only/,
    ],
    [
      "stickiness too long",
      {
        backends: {
          api: {
            ...backend,
            routing: { hosts: [], paths: ["/a"] },
            stickiness: { durationSeconds: 604801 },
          },
        },
      },
      /stickiness\.durationSeconds must be 1–604800; got 604801/,
    ],
    [
      "deregistration delay",
      {
        backends: {
          api: {
            ...backend,
            routing: { hosts: [], paths: ["/a"] },
            deregistrationDelaySeconds: -1,
          },
        },
      },
      /deregistrationDelaySeconds must be 0–3600; got -1/,
    ],
    [
      "an ALB routing limit",
      {
        backends: { api: { ...backend, routing: { hosts: [], paths: ["/a", "/b", "/c", "/d"] } } },
      },
      /backends\.api\.routing\.paths has 4 values; an ALB condition allows at most 3/,
    ],
    ["the rule quota", { rulesQuota: 0 }, /backends need 1 listener rules; the ALB quota allows 0/],
    [
      "an empty fleet",
      { backends: { api: { ...backend, minSize: 0, routing: { hosts: [], paths: ["/a"] } } } },
      /minSize must be an integer from 1 to maxSize \(2\); got 0/,
    ],
  ];
  for (const [label, overrides, expected] of invalid) {
    it(`rejects ${label}`, async () => {
      assert.match(
        await errorOf(() => new LoadBalancedService("edge", albArgs(overrides))),
        expected,
      );
    });
  }
});

/** What every Network needs besides its address plan. */
const NETWORK_BASE = {
  region: "us-east-1",
  flowLogs: { logGroupName: "/test/flow", trafficType: "REJECT" as const, retentionDays: 365 },
};

describe("Network (mocks)", () => {
  it("creates three tiers and a NAT gateway per AZ", async () => {
    const run = await runComponents(
      () =>
        new Network("n", {
          ...NETWORK_BASE,
          cidrBlock: "10.1.0.0/16",
          availabilityZones: ["us-east-1b", "us-east-1d"],
        }),
    );
    assert.deepEqual(
      ofType(run, "aws:ec2/subnet:Subnet").map((s) => [
        s.name,
        s.inputs.cidrBlock,
        s.inputs.availabilityZone,
      ]),
      [
        ["n-public-b", "10.1.8.0/21", "us-east-1b"],
        ["n-private-b", "10.1.72.0/21", "us-east-1b"],
        ["n-isolated-b", "10.1.136.0/21", "us-east-1b"],
        ["n-public-d", "10.1.24.0/21", "us-east-1d"],
        ["n-private-d", "10.1.88.0/21", "us-east-1d"],
        ["n-isolated-d", "10.1.152.0/21", "us-east-1d"],
      ],
    );
    assert.equal(ofType(run, "aws:ec2/natGateway:NatGateway").length, 2);
    assert.ok(
      ofType(run, "aws:ec2/subnet:Subnet").every((s) => s.inputs.mapPublicIpOnLaunch === false),
    );
  });

  const invalid: [string, string, string[], RegExp][] = [
    [
      "a /8",
      "10.0.0.0/8",
      ["us-east-1a", "us-east-1b"],
      /cidrBlock must have a prefix from \/16 to \/22 .*; got 10\.0\.0\.0\/8/,
    ],
    ["one AZ", "10.0.0.0/16", ["us-east-1a"], /at least 2 distinct AZs; got us-east-1a/],
    [
      "a local zone",
      "10.0.0.0/16",
      ["us-east-1a", "us-east-1-bos-1"],
      /must end in a letter a-h; got us-east-1-bos-1/,
    ],
  ];
  for (const [label, cidr, azs, expected] of invalid) {
    it(`rejects ${label}`, async () => {
      assert.match(
        await errorOf(
          () => new Network("n", { ...NETWORK_BASE, cidrBlock: cidr, availabilityZones: azs }),
        ),
        expected,
      );
    });
  }
});
