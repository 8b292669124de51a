/**
 * Conformance check for testing/policyRunner.ts: starts the real `@pulumi/policy` analyzer server
 * (policies/index.ts, as `pulumi preview --policy-pack policies` would), feeds it the same
 * recorded stack over gRPC (Analyze per resource with its inputs, AnalyzeStack with outputs and
 * dependency URNs), and compares its diagnostics with the engine-free runner's violations.
 *
 *   npx ts-node --transpile-only testing/policyConformance.ts [stack...]
 *
 * Exits non-zero when the two disagree. Slow (it starts a second Node process), so it is a tool,
 * not part of the unit tests.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PolicyPackConfig } from "@pulumi/policy";
import { PROJECT_ROOT, listStacks, runStack } from "./harness";
import { RecordedResource } from "./mocks";
import { PolicyInput, outputsOf, policyConfig, runPolicies } from "./policyRunner";
import { zooRun } from "./policyZoo";

const LEVEL_NAMES: Record<number, string> = {
  [analyzer.EnforcementLevel.ADVISORY]: "advisory",
  [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzer.EnforcementLevel.DISABLED]: "disabled",
  [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};

/** JSON-clean copy (drops undefined), as the engine's property maps carry no undefined. */
function struct(value: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

function options(r: RecordedResource): analyzer.AnalyzerResourceOptions {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList([...r.options.ignoreChanges]);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  o.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) o.setParent(r.parent);
  return o;
}

function call<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    fn(req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const dir = path.join(PROJECT_ROOT, "policies");
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (d: Buffer) => resolve(parseInt(d.toString().trim(), 10)));
    child.once("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
  });
  return { child, port };
}

/** One diagnostic or violation, as a comparable line. */
function line(policy: string, level: string, urn: string, message: string): string {
  return `${policy} [${level}] ${urn}\n    ${message}`;
}

/** Diagnostics of the real analyzer for `run`, as comparable lines. */
async function serverLines(client: AnalyzerClient, run: PolicyInput): Promise<string[]> {
  const out: string[] = [];
  const collect = (res: analyzer.AnalyzeResponse) => {
    for (const d of res.getDiagnosticsList()) {
      // The server prefixes the message with the policy description and a newline.
      // ("can't run during preview" diagnostics carry the bare message.)
      const prefix = `${d.getDescription()}\n`;
      const raw = d.getMessage();
      const message = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
      out.push(line(d.getPolicyname(), LEVEL_NAMES[d.getEnforcementlevel()], d.getUrn(), message));
    }
  };
  for (const r of run.resources) {
    const req = new analyzer.AnalyzeRequest();
    req.setType(r.type);
    req.setProperties(struct(r.inputs));
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setOptions(options(r));
    const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
      client.analyze.bind(client),
      req,
    );
    // Resource diagnostics carry no URN; the engine attaches the resource's.
    const before = out.length;
    collect(res);
    for (let i = before; i < out.length; i++) out[i] = out[i].replace("] \n", `] ${r.urn}\n`);
  }
  const stackReq = new analyzer.AnalyzeStackRequest();
  stackReq.setResourcesList(
    run.resources.map((r) => {
      const a = new analyzer.AnalyzerResource();
      a.setType(r.type);
      a.setProperties(struct(outputsOf(r)));
      a.setUrn(r.urn);
      a.setName(r.name);
      a.setOptions(options(r));
      if (r.parent) a.setParent(r.parent);
      a.setDependenciesList([...r.dependencies]);
      const deps = a.getPropertydependenciesMap();
      for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
        const d = new analyzer.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        deps.set(prop, d);
      }
      return a;
    }),
  );
  collect(
    await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      client.analyzeStack.bind(client),
      stackReq,
    ),
  );
  return out;
}

/** Sends what the CLI sends: every policy's level and its config with schema defaults filled. */
async function configure(client: AnalyzerClient, config: PolicyPackConfig): Promise<void> {
  const { policies } = await import("../policies/rules");
  const { effectiveLevel } = await import("./policyRunner");
  const req = new analyzer.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const p of policies) {
    const c = new analyzer.PolicyConfig();
    const level = effectiveLevel(p, config, "advisory");
    c.setEnforcementlevel(Number(Object.entries(LEVEL_NAMES).find(([, n]) => n === level)![0]));
    c.setProperties(struct(policyConfig(p, config)));
    map.set(p.name, c);
  }
  await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), req);
}

async function main(): Promise<number> {
  const stacks = process.argv.slice(2).length > 0 ? process.argv.slice(2) : listStacks();
  const { policies } = await import("../policies/rules");
  const { child, port } = await startServer();
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  let failures = 0;
  try {
    const info = await call<Empty, analyzer.AnalyzerInfo>(
      client.getAnalyzerInfo.bind(client),
      new Empty(),
    );
    const served = info.getPoliciesList().map((p) => p.getName());
    const ours = policies.map((p) => p.name);
    if (JSON.stringify(served) !== JSON.stringify(ours)) {
      console.log(
        `policy lists differ:\n  server: ${served.join(", ")}\n  ours:   ${ours.join(", ")}`,
      );
      failures++;
    }
    await configure(client, {});
    for (const stack of [...stacks, "zoo"]) {
      const run = stack === "zoo" ? zooRun() : await runStack(stack);
      const theirs = (await serverLines(client, run)).sort();
      const mine = (await runPolicies(run, policies))
        .map((v) => line(v.policyName, v.enforcementLevel, v.urn, v.message))
        .sort();
      const same = JSON.stringify(theirs) === JSON.stringify(mine);
      console.log(
        `${stack}: analyzer ${theirs.length} diagnostic(s), runner ${mine.length} violation(s): ${same ? "identical" : "DIFFERENT"}`,
      );
      if (!same) {
        failures++;
        console.log("analyzer only:\n" + theirs.filter((l) => !mine.includes(l)).join("\n"));
        console.log("runner only:\n" + mine.filter((l) => !theirs.includes(l)).join("\n"));
      }
    }
  } finally {
    client.close();
    child.kill();
  }
  return failures > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
