import { strict as assert } from "assert";
import { architectureDot, publicRecordsOf } from "../tools/diagram";
import { ProgramRun, listStacks, ofType, runStack } from "../testing/harness";

describe("architecture picture", () => {
  let runs: ProgramRun[];
  let dot: string;
  before(async () => {
    runs = [];
    for (const stack of listStacks()) runs.push(await runStack(stack));
    dot = architectureDot(runs);
  });

  it("draws each stack's region with its AZs", () => {
    for (const run of runs) {
      assert.match(
        dot,
        new RegExp(
          `subgraph "cluster_${run.stack}" \\{\\n\\s+label="${run.stack} · ${run.config["aws:region"]} · (primary|secondary)"`,
        ),
      );
      const azs = new Set(
        ofType(run, "aws:ec2/subnet:Subnet").map((s) => String(s.inputs.availabilityZone)),
      );
      for (const az of azs) assert.ok(dot.includes(`subgraph "cluster_${run.stack}_${az}"`), az);
    }
  });

  it("draws every load balancer and a target group per service behind it", () => {
    for (const run of runs) {
      for (const lb of ofType(run, "aws:lb/loadBalancer:LoadBalancer")) {
        const kind = { application: "ALB", network: "NLB", gateway: "GWLB" }[
          String(lb.inputs.loadBalancerType)
        ];
        assert.ok(dot.includes(`"${run.stack}/${lb.name}" [label="${lb.name}\\n${kind}`), lb.name);
      }
      for (const tg of ofType(run, "aws:lb/targetGroup:TargetGroup")) {
        assert.match(
          dot,
          new RegExp(`"${run.stack}/[a-z-]+" -> "${run.stack}/${tg.name}";`),
          tg.name,
        );
      }
      const services = Object.keys(JSON.parse(run.config["securecart:services"]) as object);
      for (const s of services) assert.ok(dot.includes(`[label="${s}\\ntarget group`), s);
    }
  });

  it("draws the database behind its proxy, the global cluster and the sessions replicas", () => {
    for (const run of runs) {
      for (const proxy of ofType(run, "aws:rds/proxy:Proxy")) {
        assert.match(dot, new RegExp(`"${run.stack}/${proxy.name}" -> "${run.stack}/db-cluster";`));
      }
      for (const rep of ofType(run, "aws:dynamodb/tableReplica:TableReplica")) {
        assert.match(
          dot,
          new RegExp(`-> "[a-z-]+/replica-${String(rep.inputs.region)}" \\[.*label="replication"`),
        );
      }
    }
    assert.match(dot, /"global\/[a-z-]+" -> "[a-z-]+\/db-cluster" \[.*storage replication/);
  });

  it("links each DNS name to each region's load balancer with its routing relation", () => {
    for (const run of runs) {
      // Written by the stack (latency) or left to prod-global (failover): drawn either way.
      const records = publicRecordsOf(run);
      assert.ok(records.length > 0);
      for (const r of records) {
        const relation = r.failover ? `failover ${r.failover}` : `latency ${r.setIdentifier}`;
        assert.match(
          dot,
          new RegExp(
            `"dns/${r.name.replace(/\./g, "\\.")}" -> "${run.stack}/[a-z-]+" \\[label="${relation}"`,
          ),
        );
      }
    }
  });
});
