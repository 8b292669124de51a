import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import {
  AURORA_GLOBAL_MAX_SECONDARIES,
  Deployment,
  deploymentRegions,
  peersOf,
  roleOf,
  topologyProblems,
} from "../components/topology";
import { COMMERCIAL_REGIONS } from "../stacks/config";
import { ELB_HOSTED_ZONE_IDS } from "../testing/elbHostedZones";
import { resolveUnderMocks } from "../testing/harness";

const three: Deployment = {
  name: "prod",
  primary: "us-east-1",
  secondaries: ["us-west-2", "eu-west-1"],
};

describe("topology helpers", () => {
  it("derives each region's role and peers from the deployment", () => {
    assert.deepEqual(deploymentRegions(three), ["us-east-1", "us-west-2", "eu-west-1"]);
    assert.equal(roleOf(three, "us-east-1"), "primary");
    assert.equal(roleOf(three, "eu-west-1"), "secondary");
    assert.deepEqual(peersOf(three, "eu-west-1"), ["us-east-1", "us-west-2"]);
    assert.deepEqual(peersOf(three, "us-east-1"), ["us-west-2", "eu-west-1"]);
    assert.throws(() => roleOf(three, "ap-south-1"), /not part of deployment prod/);
  });

  it("takes any number of regions with latency routing and exactly two with failover", () => {
    const base = { deployment: three, region: "eu-west-1", globalDatabase: true };
    assert.deepEqual(topologyProblems({ ...base, routing: "latency" }), []);
    assert.deepEqual(topologyProblems({ ...base, routing: "failover" }), [
      "has 3 region(s), and failover routing needs exactly 2 (one PRIMARY and one SECONDARY record per name); use routing: latency, which takes any number",
    ]);
    const pair = { ...three, secondaries: ["us-west-2"] };
    assert.deepEqual(
      topologyProblems({ ...base, deployment: pair, region: "us-west-2", routing: "failover" }),
      [],
    );
  });

  it("stops at AWS's limit of secondary regions for a global database", () => {
    const regions = COMMERCIAL_REGIONS.filter((r) => r !== "us-east-1");
    const at = (n: number) =>
      topologyProblems({
        deployment: { name: "big", primary: "us-east-1", secondaries: regions.slice(0, n) },
        region: "us-east-1",
        routing: "latency",
        globalDatabase: true,
      });
    assert.deepEqual(at(AURORA_GLOBAL_MAX_SECONDARIES), []);
    assert.deepEqual(at(AURORA_GLOBAL_MAX_SECONDARIES + 1), [
      `secondaries has ${AURORA_GLOBAL_MAX_SECONDARIES + 1} regions; an Aurora global database allows at most ${AURORA_GLOBAL_MAX_SECONDARIES} secondary regions`,
    ]);
  });

  it("runs a single region only with a regional database", () => {
    const single: Deployment = { name: "staging", primary: "us-east-2", secondaries: [] };
    const input = { deployment: single, region: "us-east-2", routing: "latency" as const };
    assert.deepEqual(topologyProblems({ ...input, globalDatabase: false }), []);
    assert.match(topologyProblems({ ...input, globalDatabase: true })[0], /^secondaries is empty/);
  });
});

describe("ELB hosted zones in the mocks", () => {
  it("knows both zone IDs for every commercial region", () => {
    const missing = COMMERCIAL_REGIONS.filter((r) => !ELB_HOSTED_ZONE_IDS[r]);
    assert.deepEqual(missing, []);
    for (const [region, zones] of Object.entries(ELB_HOSTED_ZONE_IDS)) {
      // Route 53 hosted zone IDs are "Z" and upper-case letters and digits.
      assert.match(zones.application, /^Z[A-Z0-9]{8,31}$/, region);
      assert.match(zones.network, /^Z[A-Z0-9]{8,31}$/, region);
      assert.notEqual(zones.application, zones.network, region);
    }
  });

  it("reports a mock's error as the run's error instead of waiting on what depends on it", async () => {
    const saved = ELB_HOSTED_ZONE_IDS["eu-west-1"];
    const table = ELB_HOSTED_ZONE_IDS as Record<string, unknown>;
    delete table["eu-west-1"];
    try {
      // valueOf alone would wait forever on the failed load balancer's DNS name.
      await assert.rejects(
        resolveUnderMocks(
          () =>
            new aws.lb.LoadBalancer("web", {
              loadBalancerType: "application",
              subnets: ["subnet-1", "subnet-2"],
            }).dnsName,
          "eu-west-1",
        ),
        /^Error: mocks: no ELB hosted zone ID known for region eu-west-1 \(load balancer web\); AWS publishes one per region/,
      );
    } finally {
      table["eu-west-1"] = saved;
    }
  });
});
