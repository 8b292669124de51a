/**
 * `npm run drill`: runs the failover model (components/recovery/failoverModel.ts) on the stacks'
 * real settings, prints a row per scenario with its RTOs, RPO, capacity shortfall and invariants,
 * says which of issue 13's targets are missed and why, and writes an SVG timeline to out/.
 *
 * Exits 1 when an invariant breaks (shoppers stranded without a writer outside a plan run,
 * flapping, DNS moving before the writer); a missed target is reported, not fatal.
 */
import * as fs from "fs";
import * as path from "path";
import { GLOBAL_ROOT, PROJECT_ROOT, listGlobalStacks, readStackConfig } from "../testing/harness";
import { StackConfig, parseStackConfig } from "../stacks/config";
import { parseGlobalConfig } from "../stacks/globalConfig";
import {
  FailoverSettings,
  ScenarioResult,
  simulate,
  targetMisses,
} from "../components/recovery/failoverModel";
import { failoverSettings } from "../components/recovery/failoverSettings";

/** The settings of the committed stacks: the regional pair the global stack references. */
export function committedSettings(): FailoverSettings {
  const globalStack = listGlobalStacks()[0];
  const global = parseGlobalConfig(globalStack, readStackConfig(globalStack, {}, GLOBAL_ROOT));
  const regional: StackConfig[] = global.regionalStacks.map((name) => {
    const stack = name.split("/").pop() as string;
    return parseStackConfig(stack, readStackConfig(stack));
  });
  const primary = regional.find((c) => c.role === "primary");
  const secondary = regional.find((c) => c.role === "secondary");
  if (!primary || !secondary)
    throw new Error("the global stack must reference a primary and a secondary");
  return failoverSettings(primary, secondary, global);
}

/** Seconds as the table shows them. */
export function seconds(s: number): string {
  if (!Number.isFinite(s)) return "never";
  return s >= 120
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`
    : `${Math.round(s)}s`;
}

/** Problems with the invariants of one result (empty when all hold). */
export function invariantProblems(r: ScenarioResult): string[] {
  const problems: string[] = [];
  if (r.strandedOutsidePlanSeconds > 0) {
    problems.push(
      `shoppers on a region without a writer for ${seconds(r.strandedOutsidePlanSeconds)} before any plan runs`,
    );
  }
  if (r.planRunSeconds > 0 && r.noWriterSeconds > r.planRunSeconds) {
    problems.push(
      `shoppers on a region without a writer for up to ${seconds(r.noWriterSeconds)}, longer than the plan runs (${seconds(r.planRunSeconds)})`,
    );
  }
  for (const t of r.timeoutsExceeded) problems.push(`plan step times out: ${t}`);
  if (r.flaps) problems.push("DNS can move back to a region whose database is a secondary");
  if (!r.dnsAfterWriter) problems.push("DNS moves before the writer");
  return problems;
}

/** A range as the table shows it: one figure when both bounds agree. */
export function range(low: number, high: number): string {
  return low === high ? seconds(high) : `${seconds(low)}-${seconds(high)}`;
}

/** The drill table. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const header = [
    "Scenario",
    "Browsing RTO",
    "Checkout RTO",
    "RPO",
    "Capacity shortfall",
    "Human steps",
    "Invariants",
  ];
  const rows = results.map((r) => [
    r.title,
    range(r.lowerBound.browsingRtoSeconds, r.browsingRtoSeconds),
    range(r.lowerBound.checkoutRtoSeconds, r.checkoutRtoSeconds),
    seconds(r.rpoSeconds),
    r.capacityShortfall.share > 0
      ? `${Math.round(r.capacityShortfall.share * 100)}% for ${seconds(r.capacityShortfall.seconds)}`
      : "none",
    r.humanSteps.length > 0 ? r.humanSteps.join("; ") : "none",
    invariantProblems(r).length === 0 ? "hold" : `BROKEN: ${invariantProblems(r).join("; ")}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

const LANE_COLOURS = { browsing: "#d9534f", checkout: "#f0ad4e", capacity: "#5bc0de" } as const;

/** An SVG timeline: one block per scenario, a bar per impaired lane, ticks at each event. */
export function renderSvg(results: readonly ScenarioResult[]): string {
  const horizon = 600;
  const left = 230;
  const width = 1100;
  const scale = (t: number) =>
    left + (Math.min(Math.max(t, 0), horizon) / horizon) * (width - left - 20);
  const laneHeight = 14;
  const blockHeight = laneHeight * 3 + 26;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts: string[] = [];
  results.forEach((r, i) => {
    const top = 40 + i * blockHeight;
    parts.push(`<text x="8" y="${top + 12}" font-weight="bold">${esc(r.title)}</text>`);
    (["browsing", "checkout", "capacity"] as const).forEach((lane, j) => {
      const y = top + 18 + j * laneHeight;
      parts.push(`<text x="24" y="${y + 10}" font-size="11">${lane}</text>`);
      for (const imp of r.impairments.filter(
        (x) => x.lane === lane && x.toSeconds > x.fromSeconds,
      )) {
        const x1 = scale(imp.fromSeconds);
        const x2 = scale(imp.toSeconds);
        parts.push(
          `<rect x="${x1.toFixed(1)}" y="${y}" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${laneHeight - 3}" fill="${LANE_COLOURS[lane]}" fill-opacity="${(0.3 + 0.7 * imp.share).toFixed(2)}"><title>${lane}: ${seconds(imp.fromSeconds)} to ${seconds(imp.toSeconds)}, ${Math.round(imp.share * 100)}%</title></rect>`,
        );
      }
    });
    for (const e of r.events.filter((x) => Number.isFinite(x.atSeconds))) {
      const x = scale(e.atSeconds);
      parts.push(
        `<line x1="${x.toFixed(1)}" y1="${top + 16}" x2="${x.toFixed(1)}" y2="${top + 18 + 3 * laneHeight}" stroke="#333" stroke-width="1"><title>${seconds(e.atSeconds)}: ${esc(e.what)}</title></line>`,
      );
    }
  });
  const axisY = 40 + results.length * blockHeight;
  for (let t = 0; t <= horizon; t += 60) {
    parts.push(`<line x1="${scale(t)}" y1="30" x2="${scale(t)}" y2="${axisY}" stroke="#ddd"/>`);
    parts.push(`<text x="${scale(t) - 8}" y="${axisY + 14}" font-size="11">${t / 60}m</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${axisY + 30}" font-family="sans-serif" font-size="12">`,
    `<text x="8" y="20" font-size="14">SecureCart failover drill: impaired spans per scenario (first ${horizon / 60} minutes; hover for times)</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}

/** Per planned move, when each name answers from the new region, in the plan's step order. */
export function renderNameMoves(results: readonly ScenarioResult[]): string {
  return results
    .filter((r) => r.nameMoves.length > 0)
    .map(
      (r) =>
        `${r.title} (plan done after ${seconds(r.planRunSeconds)}):\n${r.nameMoves
          .map(
            (m, i) =>
              `  ${i + 1}. ${m.fqdn} (${m.audience}): ${range(m.lowSeconds, m.highSeconds)}`,
          )
          .join("\n")}`,
    )
    .join("\n");
}

/** The assumptions behind the figures (no AWS figure exists for them). */
export function renderAssumptions(s: FailoverSettings): string {
  return [
    "Assumed (no AWS figure; replace with game-day measurements):",
    `  - on-call starts the plan ${seconds(s.human.startSeconds)} after the page; approval takes ${seconds(s.human.approveSeconds)}`,
    `  - an instance boots to InService in ${seconds(s.fleet.bootSeconds)}`,
    `  - a Route 53 traffic step runs ${seconds(s.trafficStep.runSeconds)}; the records' gate sees the plan's check flip within 0-${seconds(s.trafficStep.flipDetectionHighSeconds)}`,
    `  - Aurora switchover ${seconds(s.aurora.switchoverSeconds)}, global failover ${seconds(s.aurora.globalFailoverSeconds)} (AWS: "a short time", "minutes")`,
    `Ranges: low = ${s.route53.failureThreshold} Route 53 checks x ${s.route53.intervalSeconds} s; high adds up to ${s.route53.checkTimeoutSeconds} s per failed check when the endpoint does not answer, and the flip detection above.`,
    `Health paths: us-east-1 web ${s.health.paths.primary}, us-west-2 web ${s.health.paths.secondary}, payments ${s.health.paths.payments} (both regions).`,
  ].join("\n");
}

function main(): number {
  const settings = committedSettings();
  const results = simulate(settings);
  console.log(renderTable(results));
  console.log(`\n${renderNameMoves(results)}`);
  console.log(`\n${renderAssumptions(settings)}`);
  const misses = targetMisses(settings, results);
  console.log(
    misses.length === 0
      ? "\nEvery target of issue 13 is met."
      : `\nTargets missed:\n${misses.map((m) => `  - ${m}`).join("\n")}`,
  );
  const out = path.join(PROJECT_ROOT, "out");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "drill.svg"), renderSvg(results));
  fs.writeFileSync(path.join(out, "drill.json"), JSON.stringify({ settings, results }, null, 2));
  console.log(`\nTimeline written to ${path.relative(process.cwd(), path.join(out, "drill.svg"))}`);
  const broken = results.filter((r) => invariantProblems(r).length > 0);
  return broken.length > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main());
