/**
 * Compares two offline plans (`out/<stack>.plan.json`) resource by resource, the way a reviewer
 * reads `pulumi preview --diff`: `+` created, `-` deleted, `~` updated with the inputs that
 * changed. Pure; `npm start -- --diff` uses it.
 */

/** One resource of a plan file, as `planOf` in tools/preview.ts writes it. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** A plan file's content, as far as the diff needs it. */
export interface Plan {
  readonly resources: readonly PlanResource[];
}

/** One line of the diff. */
export interface ResourceChange {
  readonly op: "+" | "~" | "-";
  readonly type: string;
  readonly name: string;
  /** For `~`: each changed input (or option, as `options.<name>`), with old and new values. */
  readonly changes: readonly { path: string; before: unknown; after: unknown }[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Leaf paths whose values differ between `a` and `b`, e.g. `healthCheck.path`, `tags.Name`. */
export function changedPaths(
  a: unknown,
  b: unknown,
  prefix = "",
): { path: string; before: unknown; after: unknown }[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => changedPaths(v, b[i], `${prefix}[${i}]`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, before: a, after: b }];
}

/** The changes from `before` to `after`, keyed by URN; unchanged resources are left out. */
export function diffPlans(before: Plan, after: Plan): ResourceChange[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  for (const r of after.resources) {
    const prev = old.get(r.urn);
    if (!prev) {
      changes.push({ op: "+", type: r.type, name: r.name, changes: [] });
      continue;
    }
    const diff = [
      ...changedPaths(prev.inputs, r.inputs),
      ...changedPaths(prev.options ?? {}, r.options ?? {}, "options"),
    ];
    if (diff.length > 0) changes.push({ op: "~", type: r.type, name: r.name, changes: diff });
  }
  for (const r of before.resources) {
    if (!now.has(r.urn)) changes.push({ op: "-", type: r.type, name: r.name, changes: [] });
  }
  return changes;
}

function show(v: unknown): string {
  const text = v === undefined ? "(unset)" : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The diff as text: one line per resource, then one indented line per changed input. */
export function renderDiff(changes: readonly ResourceChange[]): string {
  if (changes.length === 0) return "    no changes since the previous plan";
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`  ${c.op} ${c.type} ${c.name}`);
    for (const ch of c.changes)
      lines.push(`      ${ch.path}: ${show(ch.before)} => ${show(ch.after)}`);
  }
  const count = (op: string) => changes.filter((c) => c.op === op).length;
  lines.push(`    ${count("+")} to create, ${count("~")} to update, ${count("-")} to delete`);
  return lines.join("\n");
}
