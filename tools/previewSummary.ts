/**
 * The per-stack result record of the offline preview and how it is shown: one progress line per
 * stack, and a summary table whose last line says why the exit code is what it is. Pure, so the
 * preview's additions (cost, cross-stack checks, first-deploy runs) slot in as fields or notes.
 */

/** How one stack's preview ended. */
export type StackStatus = "ok" | "blocked" | "failed";

/** Everything the summary shows about one stack. */
export interface StackResult {
  readonly stack: string;
  /** `failed`: the program threw; `blocked`: a mandatory policy violation; `ok` otherwise. */
  readonly status: StackStatus;
  /** Resources the program registered (providers left out, as `pulumi preview` counts). */
  readonly resources: number;
  readonly mandatory: number;
  readonly advisory: number;
  /** Plan file relative to the working directory; undefined when the stack failed. */
  readonly planFile?: string;
  /** The first line of the error when the program failed. */
  readonly error?: string;
  /** Estimated monthly cost in USD, when an estimate is available. */
  readonly monthlyCostUsd?: number;
}

/** ANSI colours, or none. */
export interface Palette {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly bold: (s: string) => string;
}

const plain = (s: string): string => s;

/** Colours only on a terminal, and never when `NO_COLOR` is set to anything (no-color.org). */
export function paletteFor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): Palette {
  const on = isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
  if (!on) return { red: plain, yellow: plain, green: plain, bold: plain };
  const wrap = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
  return { red: wrap(31), yellow: wrap(33), green: wrap(32), bold: wrap(1) };
}

/** Status of a stack from its program outcome and policy counts. */
export function statusOf(failed: boolean, mandatory: number): StackStatus {
  return failed ? "failed" : mandatory > 0 ? "blocked" : "ok";
}

function statusText(r: StackResult, c: Palette): string {
  if (r.status === "failed") return c.red("failed");
  if (r.status === "blocked") return c.red("blocked");
  return r.advisory > 0 ? c.yellow("ok") : c.green("ok");
}

/** The one line printed as each stack finishes. */
export function progressLine(r: StackResult, c: Palette): string {
  const mark = r.status === "ok" ? c.green("✔") : c.red("✘");
  if (r.status === "failed") return `${mark} ${r.stack}: failed: ${r.error ?? "program error"}`;
  return (
    `${mark} ${r.stack}: ${r.resources} resources, ${r.mandatory} mandatory and ` +
    `${r.advisory} advisory policy findings, plan ${r.planFile ?? "not written"}`
  );
}

/** Why the exit code is non-zero, or that it is zero; the summary's last line. */
export function exitLine(results: readonly StackResult[], notes: readonly string[] = []): string {
  const reasons: string[] = [];
  for (const r of results) {
    if (r.status === "failed") reasons.push(`${r.stack} failed (${r.error ?? "program error"})`);
    if (r.status === "blocked") {
      reasons.push(`${r.stack} has ${r.mandatory} mandatory policy violation(s)`);
    }
  }
  reasons.push(...notes);
  if (reasons.length === 0) {
    return `Exit 0: ${results.length} stack(s) previewed, no program error, no mandatory policy violation.`;
  }
  return `Exit 1: ${reasons.join("; ")}.`;
}

function money(usd: number | undefined): string {
  return usd === undefined ? "-" : `$${Math.round(usd).toLocaleString("en-US")}`;
}

/**
 * The summary table, one row per stack, and the exit line. `notes` are extra reasons for a
 * non-zero exit that belong to no single stack (for example a cross-stack check).
 */
export function renderSummary(
  results: readonly StackResult[],
  c: Palette,
  notes: readonly string[] = [],
): string {
  const withCost = results.some((r) => r.monthlyCostUsd !== undefined);
  const header = ["Stack", "Resources", "Mandatory", "Advisory", "Status", "Plan"];
  if (withCost) header.push("Cost/month");
  const rows = results.map((r) => {
    const row = [
      r.stack,
      r.status === "failed" ? "-" : String(r.resources),
      r.status === "failed" ? "-" : String(r.mandatory),
      r.status === "failed" ? "-" : String(r.advisory),
      r.status,
      r.planFile ?? "(removed)",
    ];
    if (withCost) row.push(money(r.monthlyCostUsd));
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const numeric = new Set([1, 2, 3, 6]);
  const line = (cells: string[], colour?: (i: number, s: string) => string) =>
    cells
      .map((cell, i) => {
        const padded = numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
        return colour ? colour(i, padded) : padded;
      })
      .join("  ")
      .trimEnd();
  const out = ["Summary:", `  ${c.bold(line(header))}`];
  results.forEach((r, k) => {
    out.push(`  ${line(rows[k], (i, s) => (i === 4 ? s.replace(r.status, statusText(r, c)) : s))}`);
  });
  const exit = exitLine(results, notes);
  out.push("", exit.startsWith("Exit 0") ? c.green(exit) : c.red(exit));
  return out.join("\n");
}
