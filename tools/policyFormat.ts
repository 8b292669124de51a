/** Prints policy violations the way `pulumi preview --policy-pack` lists them. */
import * as fs from "fs";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import type { Violation } from "../testing/policyRunner";

/** Number of mandatory violations; the offline preview exits non-zero when it is above 0. */
export function mandatoryCount(violations: readonly Violation[]): number {
  return violations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** The pack version from policies/package.json, as the analyzer reports it. */
export function packVersion(): string {
  try {
    const file = path.resolve(__dirname, "..", "policies", "package.json");
    return String(JSON.parse(fs.readFileSync(file, "utf8")).version);
  } catch {
    return "0.0.0";
  }
}

/**
 * Violations as `pulumi preview --policy-pack` lists them: one section per policy with its level
 * and description, then each resource and message, and a summary line.
 */
export function formatViolations(
  violations: readonly Violation[],
  policies: Policies = [],
  packName = "securecart-guardrails",
): string {
  const header = `${packName}@v${packVersion()}`;
  if (violations.length === 0) return `Policies:\n    ✅ ${header} (local: policies)\n`;
  const lines = ["Policies:", `    ❌ ${header} (local: policies)`];
  const order = [...new Set(violations.map((v) => v.policyName))];
  for (const name of order) {
    const ofPolicy = violations.filter((v) => v.policyName === name);
    const description = policies.find((p) => p.name === name)?.description;
    lines.push(`        - [${ofPolicy[0].enforcementLevel}]  ${name}`);
    if (description) lines.push(`          ${description}`);
    for (const v of ofPolicy) {
      const subject = v.urn ? `${v.type}: ${v.resourceName}` : "stack";
      lines.push(`          * (${subject})`, `            ${v.message}`);
    }
  }
  const mandatory = mandatoryCount(violations);
  lines.push(
    "",
    `    ${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s)`,
  );
  return lines.join("\n") + "\n";
}
