/**
 * What the engine knows of a resource during a first-deploy `pulumi preview`: the planned outputs
 * of a resource that does not exist yet. A bridged provider plans every computed property the
 * program did not set as unknown (AWS fills it in at create time, such as an ARN, or a security
 * group's inline `ingress`, which reports the rules of separate rule resources too), and leaves
 * an optional, non-computed property the program did not set absent.
 *
 * Which output properties are computed is read from @pulumi/aws's own declarations: the code
 * generator declares a computed or required output `pulumi.Output<T>` and an optional one
 * `pulumi.Output<T | undefined>` (e.g. `aws/lb/listener.d.ts`: `protocol: pulumi.Output<string>`,
 * `port: pulumi.Output<number | undefined>`).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The wire value of an unknown during preview, as the policy analyzer receives it and as
 * `@pulumi/policy`'s unknown-checking proxy recognises it (`unknownStringValue`, the same string
 * as the engine's `UnknownStringValue`).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Output properties of one resource class: name to "optional" (absent when not set). */
type OutputDeclarations = ReadonlyMap<string, boolean>;

const declarationCache = new Map<string, OutputDeclarations | undefined>();

const AWS_ROOT = path.dirname(require.resolve("@pulumi/aws/package.json"));

/** `aws:ec2/securityGroup:SecurityGroup` → @pulumi/aws/ec2/securityGroup.d.ts, class SecurityGroup. */
function declarationFile(type: string): { file: string; className: string } | undefined {
  const m = /^aws:([^/:]+)\/([^:]+):(\w+)$/.exec(type);
  if (!m) return undefined;
  const [, module, file, className] = m;
  const dir = module === "index" ? AWS_ROOT : path.join(AWS_ROOT, module);
  return { file: path.join(dir, `${file}.d.ts`), className };
}

/** The output properties @pulumi/aws declares for a type token, or undefined when unknown. */
export function outputDeclarations(type: string): OutputDeclarations | undefined {
  if (declarationCache.has(type)) return declarationCache.get(type);
  let result: Map<string, boolean> | undefined;
  const where = declarationFile(type);
  if (where && fs.existsSync(where.file)) {
    const text = fs.readFileSync(where.file, "utf8");
    const start = text.indexOf(`export declare class ${where.className} extends`);
    const end = start < 0 ? -1 : text.indexOf("\n}", start);
    if (start >= 0 && end > start) {
      result = new Map();
      const lines = text.slice(start, end).split("\n");
      for (let i = 0; i < lines.length; i++) {
        const m = /^ {4}readonly (\w+): pulumi\.Output<(.*)$/.exec(lines[i]);
        if (!m) continue;
        // A multi-line type (an object literal) ends on the line that closes the Output.
        let declared = m[2];
        while (!/>;$/.test(declared) && i + 1 < lines.length) declared += lines[++i].trim();
        result.set(m[1], /\| undefined>;$/.test(declared));
      }
    }
  }
  declarationCache.set(type, result);
  return result;
}

/**
 * Replaces the SDK's in-program unknown (`pulumi.unknown`, what a preview-mode program sees for a
 * value not known yet) with the wire sentinel the analyzer passes to policies.
 */
export function withWireUnknowns(value: unknown): any {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(withWireUnknowns);
  if (value !== null && typeof value === "object" && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withWireUnknowns(v)]));
  }
  return value;
}

/**
 * The planned outputs of a custom resource being created: its inputs (with unknowns where they
 * came from resources not created yet), plus every computed output the program did not set as
 * unknown, the physical ID included.
 */
export function plannedOutputs(type: string, inputs: Record<string, unknown>): Record<string, any> {
  const state: Record<string, any> = { ...inputs };
  for (const [name, optional] of outputDeclarations(type) ?? []) {
    if (!optional && state[name] === undefined) state[name] = UNKNOWN;
  }
  state.id = UNKNOWN;
  return state;
}
