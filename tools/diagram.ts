/**
 * A picture of what a plan deploys, drawn from the recorded resources (never from config, so it
 * shows what the program really declares): regions and their AZs, the ALB, NLB and GWLB with a
 * target group per service, the database with its proxy and the global cluster, the sessions
 * table with its replicas, and the DNS names with their failover or latency relation to each
 * region's load balancer. Graphviz (compiled to WebAssembly, `@hpcc-js/wasm-graphviz`, no
 * native binary and no download) lays it out as SVG.
 */
import type { ProgramRun } from "../testing/harness";
import type { RecordedResource } from "../testing/mocks";

const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  cluster: "aws:rds/cluster:Cluster",
  global: "aws:rds/globalCluster:GlobalCluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  proxy: "aws:rds/proxy:Proxy",
  table: "aws:dynamodb/table:Table",
  replica: "aws:dynamodb/tableReplica:TableReplica",
  record: "aws:route53/record:Record",
};

const COLOURS = {
  lb: "#dbeafe",
  tg: "#eff6ff",
  net: "#f1f5f9",
  db: "#fef3c7",
  sessions: "#dcfce7",
  dns: "#ede9fe",
};

function q(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

function node(id: string, label: string, fill: string, shape = "box"): string {
  return `${q(id)} [label=${q(label)}, fillcolor=${q(fill)}, shape=${shape}];`;
}

function edge(from: string, to: string, attrs = ""): string {
  return `${q(from)} -> ${q(to)}${attrs ? ` [${attrs}]` : ""};`;
}

function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

function regionOf(run: ProgramRun): string {
  return String(run.config["aws:region"] ?? "");
}

function roleOf(run: ProgramRun): string {
  const dep = run.config["securecart:deployment"];
  try {
    const d = JSON.parse(dep ?? "{}") as { primary?: string };
    if (d.primary) return d.primary === regionOf(run) ? "primary" : "secondary";
  } catch {
    // fall through to the explicit role
  }
  return String(run.config["securecart:role"] ?? "");
}

const LB_KIND: Record<string, string> = {
  application: "ALB (HTTPS)",
  network: "NLB (TLS)",
  gateway: "GWLB (inspection)",
};

/** One public record of a regional stack, as the picture draws it. */
export interface PublicRecord {
  readonly name: string;
  readonly setIdentifier: string;
  readonly failover?: string;
  readonly latency?: string;
  /** DNS names it points at: the alias target or the CNAME's value. */
  readonly targets: readonly string[];
}

/**
 * A regional stack's public records: those it writes itself (latency routing), or the failover
 * records it leaves to its global stack (exported as `failoverRecords`, docs/failover.md).
 */
export function publicRecordsOf(run: ProgramRun): PublicRecord[] {
  const written = ofType(run, T.record)
    .filter((r) => r.inputs.setIdentifier !== undefined)
    .map((r) => ({
      name: String(r.inputs.name),
      setIdentifier: String(r.inputs.setIdentifier),
      failover: (r.inputs.failoverRoutingPolicies as { type?: string }[] | undefined)?.[0]?.type,
      latency: (r.inputs.latencyRoutingPolicies as { region?: string }[] | undefined)?.[0]?.region,
      targets: [
        ...((r.inputs.aliases as { name?: string }[] | undefined) ?? []).map((a) => String(a.name)),
        ...((r.inputs.records as string[] | undefined) ?? []),
      ],
    }));
  const delegated = (
    (run.outputs.failoverRecords as
      | { fqdn: string; setIdentifier: string; failover: string; target: { dnsName: string } }[]
      | undefined) ?? []
  ).map((r) => ({
    name: r.fqdn,
    setIdentifier: r.setIdentifier,
    failover: r.failover,
    targets: [r.target.dnsName],
  }));
  return [...written, ...delegated];
}

/** Graphviz source for the deployment made of `runs` (one run per stack). */
export function architectureDot(runs: readonly ProgramRun[], title = "SecureCart"): string {
  const out: string[] = [
    "digraph securecart {",
    `  graph [label=${q(title)}, labelloc=t, fontsize=16, fontname="Helvetica", rankdir=LR, compound=true, nodesep=0.2, ranksep=0.6, newrank=true];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#475569"];',
  ];
  const id = (run: ProgramRun, r: RecordedResource) => `${run.stack}/${r.name}`;
  const lbByDns = new Map<string, string>();
  const clusterById = new Map<string, string>();
  const stackOfRegion = new Map(runs.map((run) => [regionOf(run), run.stack]));
  const lateNodes = new Map<string, string[]>(); // stack → nodes drawn inside its region
  const edges: string[] = [];

  for (const run of runs) {
    const region = regionOf(run);
    const subnetAz = new Map(
      ofType(run, T.subnet).map((s) => [String(s.id), String(s.inputs.availabilityZone)]),
    );
    out.push(
      `  subgraph ${q(`cluster_${run.stack}`)} {`,
      `    label=${q(`${run.stack} · ${region} · ${roleOf(run)}`)}; style="rounded"; color="#64748b"; fontsize=13;`,
    );
    // Load balancers and their target groups (one per service).
    for (const lb of ofType(run, T.lb)) {
      const kind = String(lb.inputs.loadBalancerType ?? "application");
      out.push(`    ${node(id(run, lb), `${lb.name}\n${LB_KIND[kind] ?? kind}`, COLOURS.lb)}`);
      if (lb.state.dnsName) lbByDns.set(String(lb.state.dnsName), id(run, lb));
      for (const tg of ofType(run, T.tg).filter((t) => t.parent === lb.parent)) {
        const service =
          kind === "gateway" ? "appliances" : tg.name.replace(/^[a-z]+-/, "").replace(/-tg$/, "");
        out.push(
          `    ${node(id(run, tg), `${service}\ntarget group :${String(tg.inputs.port)}`, COLOURS.tg)}`,
        );
        edges.push(edge(id(run, lb), id(run, tg)));
      }
    }
    // Per AZ: NAT gateways, inspection endpoints, database instances.
    const byAz = new Map<string, string[]>();
    const put = (az: string, line: string) => byAz.set(az, [...(byAz.get(az) ?? []), line]);
    for (const nat of ofType(run, T.nat)) {
      put(
        subnetAz.get(String(nat.inputs.subnetId)) ?? "?",
        node(id(run, nat), `${nat.name}\nNAT gateway`, COLOURS.net),
      );
    }
    for (const ep of ofType(run, T.endpoint).filter(
      (e) => e.inputs.vpcEndpointType === "GatewayLoadBalancer",
    )) {
      const az = subnetAz.get(String((ep.inputs.subnetIds as string[] | undefined)?.[0])) ?? "?";
      put(az, node(id(run, ep), `${ep.name}\nGWLB endpoint`, COLOURS.net));
      const gwlb = ofType(run, T.lb).find((l) => l.inputs.loadBalancerType === "gateway");
      if (gwlb) edges.push(edge(id(run, ep), id(run, gwlb), "style=dashed, arrowhead=none"));
    }
    for (const inst of ofType(run, T.instance)) {
      put(
        String(inst.inputs.availabilityZone ?? "?"),
        node(
          id(run, inst),
          `${inst.name}\n${String(inst.inputs.instanceClass ?? "")}`,
          COLOURS.db,
          "cylinder",
        ),
      );
    }
    for (const az of [...byAz.keys()].sort()) {
      out.push(
        `    subgraph ${q(`cluster_${run.stack}_${az}`)} {`,
        `      label=${q(az)}; style="dashed"; color="#94a3b8";`,
      );
      for (const line of byAz.get(az) ?? []) out.push(`      ${line}`);
      out.push("    }");
    }
    // Database: regional cluster, its proxy, its instances.
    for (const cluster of ofType(run, T.cluster)) {
      out.push(
        `    ${node(id(run, cluster), `${String(cluster.inputs.clusterIdentifier ?? cluster.name)}\nAurora cluster`, COLOURS.db, "cylinder")}`,
      );
      clusterById.set(String(cluster.inputs.clusterIdentifier ?? cluster.name), id(run, cluster));
      for (const inst of ofType(run, T.instance))
        edges.push(edge(id(run, cluster), id(run, inst), "arrowhead=none"));
      for (const proxy of ofType(run, T.proxy)) {
        out.push(
          `    ${node(id(run, proxy), `${String(proxy.inputs.name ?? proxy.name)}\nRDS Proxy`, COLOURS.db)}`,
        );
        edges.push(edge(id(run, proxy), id(run, cluster)));
      }
      const global = String(cluster.inputs.globalClusterIdentifier ?? "");
      if (global)
        edges.push(
          edge(
            `global/${global}`,
            id(run, cluster),
            'style=bold, color="#b45309", label="storage replication"',
          ),
        );
    }
    // Sessions: the table where it is created, each replica in its own region.
    for (const table of ofType(run, T.table)) {
      out.push(
        `    ${node(id(run, table), `${String(table.inputs.name ?? table.name)}\nDynamoDB global table`, COLOURS.sessions, "cylinder")}`,
      );
      for (const rep of ofType(run, T.replica)) {
        const home = stackOfRegion.get(String(rep.inputs.region)) ?? run.stack;
        const repId = `${home}/replica-${String(rep.inputs.region)}`;
        lateNodes.set(home, [
          ...(lateNodes.get(home) ?? []),
          node(
            repId,
            `replica in ${String(rep.inputs.region)}\n(declared by ${run.stack})`,
            COLOURS.sessions,
            "cylinder",
          ),
        ]);
        edges.push(edge(id(run, table), repId, 'style=bold, color="#15803d", label="replication"'));
      }
    }
    out.push(`  __LATE_${run.stack}__`, "  }");
  }
  // Global cluster(s), once per identifier.
  const globals = new Set(
    runs.flatMap((run) =>
      ofType(run, T.cluster)
        .map((c) => String(c.inputs.globalClusterIdentifier ?? ""))
        .filter((g) => g),
    ),
  );
  for (const g of [...globals].sort()) {
    const owner = runs.find((run) => ofType(run, T.global).length > 0);
    out.push(
      `  ${node(`global/${g}`, `${g}\nAurora global database${owner ? `\n(declared by ${owner.stack})` : ""}`, COLOURS.db, "cylinder")}`,
    );
  }
  // DNS: one node per name, an edge to each region's load balancer with its routing relation.
  const names = new Map<string, string[]>();
  for (const run of runs) {
    for (const rec of publicRecordsOf(run)) {
      const { name, failover, latency } = rec;
      const relation = failover
        ? `failover ${failover}`
        : latency
          ? `latency ${latency}`
          : rec.setIdentifier;
      const target = rec.targets.map((t) => lbByDns.get(t)).find((t) => t);
      names.set(name, [
        ...(names.get(name) ?? []),
        ...(target
          ? [
              edge(
                `dns/${name}`,
                target,
                `label=${q(relation)}, style=${failover === "SECONDARY" ? "dashed" : "solid"}`,
              ),
            ]
          : []),
      ]);
    }
  }
  if (names.size > 0) {
    out.push(
      '  subgraph "cluster_dns" {',
      '    label="Route 53 (health-checked records)"; style="rounded"; color="#7c3aed";',
    );
    for (const name of [...names.keys()].sort())
      out.push(`    ${node(`dns/${name}`, name, COLOURS.dns, "note")}`);
    out.push("  }");
  }
  for (const lines of names.values()) edges.push(...lines);
  out.push(...edges.map((e) => `  ${e}`), "}");
  return (
    out
      .map((line) => {
        const m = /^ {2}__LATE_(.+)__$/.exec(line);
        return m ? (lateNodes.get(m[1]) ?? []).map((n) => `    ${n}`).join("\n") : line;
      })
      .filter((line) => line !== "")
      .join("\n") + "\n"
  );
}

let graphviz: Promise<{ dot: (source: string) => string }> | undefined;

/** Lays out Graphviz source as SVG; the WebAssembly module is loaded once per process. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
  return (await graphviz).dot(dot);
}
