/**
 * Config of the account-global stack (project securecart-global, global/Pulumi.yaml): which
 * regional stacks it reads and how the Region switch plan runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PLAN_NAME } from "../components/recovery/regionSwitchRules";
import { docLinkFor } from "./config";
import { CONFIG_DOC, foreignKeyProblems, issueMessage, zodProblems } from "./configMessages";

/**
 * The regional stacks' project (`name:` of the root Pulumi.yaml): the middle part of every
 * stack reference. A test checks it against Pulumi.yaml.
 */
export const REGIONAL_PROJECT = "securecart";

/**
 * A fully qualified stack name `<org>/<project>/<stack>`, as StackReference takes it. The org
 * is the Pulumi Cloud organization the regional stacks live in; on a DIY backend (`s3://`,
 * `file://`) it is literally `organization`. Names: letters, digits, `-`, `_`, `.`.
 */
const STACK_REFERENCE = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

const minutes = z.number().int({ error: "must be a whole number of minutes" }).min(1);

const regionSwitchSchema = z.strictObject({
  planName: z.string().regex(PLAN_NAME, {
    error: "must be 1 to 32 letters, digits or inner hyphens (the Region switch API's limit)",
  }),
  recoveryTimeObjectiveMinutes: minutes,
  automaticFailover: z.boolean({ error: "must be true or false" }).default(false),
  approvalTimeoutMinutes: minutes.default(15),
  auroraTimeoutMinutes: minutes.default(15),
  scalingTargetPercent: z.number().int().min(1).max(200).default(100),
  scalingTimeoutMinutes: minutes.default(20),
  trafficTimeoutMinutes: minutes.default(5),
});

const stackReference = z
  .string()
  .regex(STACK_REFERENCE, {
    error:
      "must be a fully qualified stack name <org>/<project>/<stack>, e.g. " +
      `organization/${REGIONAL_PROJECT}/prod-east on a DIY backend (s3://: the org is literally ` +
      `\`organization\`) or <your Pulumi Cloud org>/${REGIONAL_PROJECT}/prod-east`,
  })
  // A malformed name gets the format message only.
  .refine((ref) => !STACK_REFERENCE.test(ref) || ref.split("/")[1] === REGIONAL_PROJECT, {
    error: `must name a stack of project ${REGIONAL_PROJECT} (the regional stacks' Pulumi.yaml) in its middle part`,
  });

const schema = z.strictObject({
  "aws:region": z.string(),
  "securecart-global:regionalStacks": z
    .array(stackReference)
    // Which stacks, and how many, follows from the deployment config: stacks/agreement.ts
    // (globalStackProblems) checks the list against it before any preview.
    .min(1, { error: "must name the regional stacks of the deployment the plan switches" })
    .refine(
      (refs) =>
        new Set(refs.filter((r) => STACK_REFERENCE.test(r)).map((r) => r.split("/")[0])).size <= 1,
      {
        error:
          "must name stacks of one org: the regional stacks and this one share a backend " +
          "(on a DIY backend every org part is `organization`)",
      },
    ),
  "securecart-global:regionSwitch": regionSwitchSchema,
});

/** The global stack's config schema, for docs/configuration.md (tools/generateDocs.ts). */
export const GLOBAL_CONFIG_SCHEMA = schema;

/** Every key the global stack reads. */
export const GLOBAL_CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

/** Where the global stack's settings are explained: its section of docs/configuration.md. */
export const GLOBAL_CONFIG_DOC = `${CONFIG_DOC}#global-stack-securecart-global`;

/**
 * Where a global-stack problem is explained: the section of its key in docs/configuration.md,
 * the global stack's section for a `securecart:` key, or the unknown-keys rules for anything else
 * (an `aws:` key the provider lacks, a misspelt namespace).
 */
export function globalDocLink(problem: string): string {
  const key = /`([^`]+)`/.exec(problem)?.[1] ?? "";
  if (key.startsWith("securecart:")) return GLOBAL_CONFIG_DOC;
  return docLinkFor(problem, GLOBAL_CONFIG_KEYS);
}

/** The validated global config. */
export interface GlobalConfig {
  readonly stack: string;
  readonly region: string;
  readonly regionalStacks: readonly string[];
  readonly regionSwitch: z.infer<typeof regionSwitchSchema>;
}

/**
 * Parses the global stack's config (strings as the CLI passes them); throws a `RunError` (no
 * stack trace) listing every problem in our words, each pointing to its doc section.
 */
export function parseGlobalConfig(
  stack: string,
  raw: Readonly<Record<string, string>>,
): GlobalConfig {
  const values: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    if (key === "aws:region") values[key] = text;
    else if (key.startsWith("securecart-global:")) {
      try {
        values[key] = JSON.parse(text);
      } catch {
        values[key] = text;
      }
    }
  }
  const problems = foreignKeyProblems(Object.keys(raw), "securecart-global", GLOBAL_CONFIG_KEYS);
  for (const key of Object.keys(raw).filter((k) => k.startsWith("securecart:"))) {
    problems.push(
      `\`${key}\` is a setting of the regional stacks, which the global project (securecart-global) never reads; securecart: keys belong in the regional stack files (Pulumi.<stack>.yaml at the repository root)`,
    );
  }
  const result = schema.safeParse(values, { reportInput: true, error: issueMessage });
  if (!result.success) {
    problems.push(
      ...zodProblems(
        schema,
        result.error.issues,
        values,
        GLOBAL_CONFIG_KEYS.filter((k) => k.startsWith("securecart-global:")),
      ),
    );
  }
  if (problems.length > 0 || !result.success) {
    const lines = problems.map((p) => `  - ${p} (${globalDocLink(p)})`);
    throw new pulumi.RunError(
      `Invalid configuration for stack ${stack}:\n${lines.join("\n")}\n` +
        `Fix ${problems.length === 1 ? "it" : "them"} in global/Pulumi.${stack}.yaml (${GLOBAL_CONFIG_DOC}).`,
    );
  }
  const c = result.data;
  return {
    stack,
    region: c["aws:region"],
    regionalStacks: c["securecart-global:regionalStacks"],
    regionSwitch: c["securecart-global:regionSwitch"],
  };
}

/** Reads the running global stack's config. */
export function loadGlobalConfig(): GlobalConfig {
  return parseGlobalConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
