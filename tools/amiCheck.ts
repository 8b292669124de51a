/**
 * `npm run ami:check [-- <file>]`: compares the AMIs pinned in `securecart:amis` with the
 * current AMI of AWS's public parameter (`securecart:amiParameter`), region by region, so that a
 * new Amazon Linux release becomes a reviewed config change (docs/security.md, Pinned AMIs).
 *
 * This repository cannot reach AWS. On an operator's machine with the AWS CLI the tool asks SSM
 * itself; otherwise it prints the commands, and reads their saved output from `<file>`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import { listStacks, readStackConfig } from "../testing/harness";

/** One region's pinned and current AMI. */
export interface AmiComparison {
  readonly region: string;
  readonly pinned: string | undefined;
  readonly current: string | undefined;
}

/** The AWS CLI command that prints a region's current AMI as `get-parameter` JSON. */
export function amiCommand(parameter: string, region: string): string {
  return `aws ssm get-parameter --region ${region} --name ${parameter} --output json`;
}

/**
 * Region → AMI from saved `aws ssm get-parameter --output json` results, one or more documents
 * back to back. The region comes from each parameter's ARN (`arn:aws:ssm:<region>::parameter/…`),
 * so the order and the file layout do not matter. Throws on anything else.
 */
export function parseParameterOutputs(text: string, parameter: string): Record<string, string> {
  const out: Record<string, string> = {};
  // Documents are objects at the top level: split where one closing brace meets the next opening.
  const docs = text
    .trim()
    .split(/\}\s*\{/)
    .map((d, i, all) => (i > 0 ? "{" : "") + d + (i < all.length - 1 ? "}" : ""))
    .filter((d) => d.trim() !== "");
  for (const doc of docs) {
    const p = (JSON.parse(doc) as { Parameter?: { Name?: string; Value?: string; ARN?: string } })
      .Parameter;
    const region = /^arn:aws:ssm:([a-z0-9-]+):/.exec(p?.ARN ?? "")?.[1];
    if (!p || p.Name !== parameter || !region || !/^ami-[0-9a-f]+$/.test(p.Value ?? "")) {
      throw new Error(
        `expected \`${amiCommand(parameter, "<region>")}\` output for ${parameter}; got ${doc.slice(0, 200)}`,
      );
    }
    out[region] = p.Value as string;
  }
  return out;
}

/** Every region of `pinned` and `current`, sorted, side by side. */
export function compareAmis(
  pinned: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): AmiComparison[] {
  return [...new Set([...Object.keys(pinned), ...Object.keys(current)])]
    .sort()
    .map((region) => ({ region, pinned: pinned[region], current: current[region] }));
}

/** The report: one line per region, then the `securecart:amis` block to paste when it changed. */
export function formatReport(parameter: string, rows: readonly AmiComparison[]): string {
  const lines = [`Pinned securecart:amis against ${parameter}:`];
  for (const r of rows) {
    const state =
      r.current === undefined
        ? "no current value read"
        : r.pinned === r.current
          ? "up to date"
          : `BUMP ${r.pinned ?? "(none)"} -> ${r.current}`;
    lines.push(`  ${r.region}: ${state}`);
  }
  if (rows.some((r) => r.current !== undefined && r.current !== r.pinned)) {
    lines.push(
      "",
      "To roll the fleets onto it, change Pulumi.yaml in a reviewed commit:",
      "  securecart:amis:",
      "    default:",
      ...rows.map((r) => `      ${r.region}: ${r.current ?? r.pinned}`),
      "then `pulumi preview`: every launch template changes, and each fleet's instance refresh",
      "replaces its instances with pauses at its checkpoints (docs/security.md).",
    );
  }
  return lines.join("\n");
}

function main(): void {
  const stacks = listStacks();
  const configs = stacks.map((s) => readStackConfig(s));
  const parameter = configs[0]["securecart:amiParameter"];
  const pinned: Record<string, string> = {};
  for (const c of configs) {
    const region = c["aws:region"];
    const ami = (JSON.parse(c["securecart:amis"] ?? "{}") as Record<string, string>)[region];
    if (ami) pinned[region] = ami;
  }
  const regions = Object.keys(pinned).sort();
  const file = process.argv[2];
  const howTo = [
    "On a machine with the AWS CLI and read access to SSM, run:",
    `  (${regions.map((r) => amiCommand(parameter, r)).join("; ")}) > amis.json`,
    "then: npm run ami:check -- amis.json",
  ].join("\n");
  let text = "";
  if (file) {
    text = fs.readFileSync(file, "utf8");
  } else if (spawnSync("aws", ["--version"]).status === 0) {
    for (const region of regions) {
      const r = spawnSync("sh", ["-c", amiCommand(parameter, region)], { encoding: "utf8" });
      if (r.status !== 0) {
        console.error(`${amiCommand(parameter, region)} failed: ${r.stderr.trim()}\n${howTo}`);
        process.exitCode = 1;
        return;
      }
      text += r.stdout;
    }
  } else {
    console.log(`No AWS CLI here. ${howTo}`);
    return;
  }
  console.log(formatReport(parameter, compareAmis(pinned, parseParameterOutputs(text, parameter))));
}

if (require.main === module) main();
