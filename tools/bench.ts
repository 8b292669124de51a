/**
 * Prints the speed figures the project is held to (median of several runs):
 * one stack's program under mocks (target < 4 s), `npm start` for both stacks (< 15 s) and
 * `npm test` (< 60 s). Timing lives here, never inside tests, where it would flake.
 *
 *   npm run bench [-- --runs 3]
 */
import { spawnSync } from "child_process";
import * as os from "os";
import { PROJECT_ROOT, runStack } from "./harness";

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

async function main(): Promise<void> {
  const i = process.argv.indexOf("--runs");
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 3;
  const rows: [string, number, number][] = [];

  for (const stack of ["prod-east", "prod-west"]) {
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const start = process.hrtime.bigint();
      await runStack(stack, {}, { fresh: true });
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    rows.push([`evaluate ${stack} under mocks`, median(times), 4]);
  }
  rows.push([
    "npm start (both stacks)",
    median(Array.from({ length: runs }, () => timeCommand(["start"]))),
    15,
  ]);
  rows.push(["npm test", median(Array.from({ length: runs }, () => timeCommand(["test"]))), 60]);

  console.log(`median of ${runs} runs on ${os.cpus().length} cores`);
  for (const [label, seconds, target] of rows) {
    const verdict = seconds < target ? "ok" : "OVER TARGET";
    console.log(
      `${label.padEnd(34)} ${seconds.toFixed(2).padStart(6)} s   target < ${target} s   ${verdict}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
