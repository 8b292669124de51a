/**
 * Prints the speed figures the project is held to (median of several runs): each stack's cold
 * offline preview, `npm start -- --stack <name>` in a fresh process (target < 6 s), `npm start`
 * for every stack (< 15 s) and `npm test` (< 60 s). Timing lives here, never inside tests, where
 * it would flake.
 *
 *   npm run bench [-- --runs 3]
 */
import { spawnSync } from "child_process";
import * as os from "os";
import { PROJECT_ROOT, listStacks } from "../testing/harness";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeCommand(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync("npm", args, { cwd: PROJECT_ROOT, stdio: "ignore", env: process.env });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function medianOf(runs: number, args: string[]): number {
  return median(Array.from({ length: runs }, () => timeCommand(args)));
}

function main(): void {
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 3;
  const rows: [string, number, number][] = [];

  for (const stack of listStacks()) {
    rows.push([
      `npm start -- --stack ${stack} (cold)`,
      medianOf(runs, ["start", "--", "--stack", stack]),
      6,
    ]);
  }
  rows.push(["npm start (every stack)", medianOf(runs, ["start"]), 15]);
  rows.push(["npm test", medianOf(runs, ["test"]), 60]);

  console.log(`median of ${runs} runs on ${os.cpus().length} cores`);
  for (const [label, seconds, target] of rows) {
    const verdict = seconds < target ? "ok" : "OVER TARGET";
    console.log(
      `${label.padEnd(44)} ${seconds.toFixed(2).padStart(6)} s   target < ${target} s   ${verdict}`,
    );
  }
}

main();
