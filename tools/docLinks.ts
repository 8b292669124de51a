/**
 * Pure helpers that keep the Markdown documentation honest: GitHub's heading anchors, the links
 * of a document, and which relative links point nowhere. `test/docs.test.ts` runs them over
 * README.md and docs/.
 */
import * as fs from "fs";
import * as path from "path";

/** Lines of `markdown` outside fenced code blocks, with their 1-based line numbers. */
export function proseLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return;
    }
    if (!fenced) out.push({ line: i + 1, text });
  });
  return out;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor of a document, with GitHub's `-1`, `-2` suffixes for repeated headings. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const m = /^#{1,6}\s+(.*)$/.exec(text);
    if (!m) continue;
    const slug = headingSlug(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Inline links `[text](target)` outside code blocks and code spans. */
export function linksOf(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const withoutCode = text.replace(/`[^`]*`/g, "``");
    for (const m of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) links.push({ line, target: m[1] });
  }
  return links;
}

/**
 * Relative links of `file` (absolute path) whose file or anchor does not exist, as
 * `file:line: target (why)`. External links (with a scheme) are not checked: no network here.
 */
export function brokenLinks(file: string): string[] {
  const markdown = fs.readFileSync(file, "utf8");
  const problems: string[] = [];
  for (const { line, target } of linksOf(markdown)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [rel, anchor] = target.split("#", 2);
    const resolved = rel === "" ? file : path.resolve(path.dirname(file), rel);
    const where = `${file}:${line}: ${target}`;
    if (!fs.existsSync(resolved)) {
      problems.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith(".md")) continue;
    if (!anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)) {
      problems.push(`${where} (no heading with that anchor)`);
    }
  }
  return problems;
}

/** README.md and every Markdown file under docs/, as absolute paths. */
export function documentationFiles(root: string): string[] {
  const files = [path.join(root, "README.md")];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".md")) files.push(full);
    }
  };
  walk(path.join(root, "docs"));
  return files.sort();
}

/**
 * `pulumi preview` / `pulumi up` commands that don't pass `--policy-pack policies`: every command
 * in a code block, and every code span with arguments (a bare `pulumi up` in prose names the
 * command, it doesn't tell anyone to run it). Every change an operator makes runs the pack. A
 * command on a global stack (`-s <stack>` with a `global/Pulumi.<stack>.yaml`) runs from `global/`,
 * so there the pack is `--policy-pack ../policies`, and only there.
 */
export function commandsWithoutPolicyPack(
  markdown: string,
  isGlobalStack: (stack: string) => boolean = (stack) =>
    fs.existsSync(path.join(__dirname, "..", "global", `Pulumi.${stack}.yaml`)),
): string[] {
  const found: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const commands = fenced
      ? [line.replace(/#.*$/, "").trim()]
      : [...line.matchAll(/`([^`]*)`/g)].map((m) => m[1].trim());
    for (const command of commands) {
      const pattern = fenced ? /^pulumi (preview|up)\b/ : /^pulumi (preview|up)\s+\S/;
      if (!pattern.test(command)) continue;
      // `-s prod-global` or org-qualified `-s <org>/prod-global`, `<org>/<project>/prod-global`.
      const stack = /(?:^|\s)(?:-s|--stack)[ =](\S+)/.exec(command)?.[1]?.split("/").pop();
      const pack = stack !== undefined && isGlobalStack(stack) ? "../policies" : "policies";
      const flag = new RegExp(`--policy-pack ${pack.replace(/\./g, "\\.")}(\\s|$)`);
      if (!flag.test(command)) found.push(command);
    }
  }
  return found;
}

/**
 * Documents of `files` (absolute paths) that no chain of relative links starting at `start`
 * reaches. A doc counts as linked when the README or any doc the README reaches links it, so a
 * runbook can hang off the failover doc instead of crowding the front door.
 */
export function unreachableDocs(start: string, files: readonly string[]): string[] {
  const reached = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (!fs.existsSync(file) || !file.endsWith(".md")) continue;
    for (const { target } of linksOf(fs.readFileSync(file, "utf8"))) {
      if (/^[a-z]+:/i.test(target)) continue;
      const rel = target.split("#")[0];
      if (rel === "") continue;
      const resolved = path.resolve(path.dirname(file), rel);
      if (!reached.has(resolved)) {
        reached.add(resolved);
        queue.push(resolved);
      }
    }
  }
  return files.filter((f) => !reached.has(f));
}
