/**
 * Config of the account-global stack (project securecart-global, global/Pulumi.yaml): which
 * regional stacks it reads and how the Region switch plan runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PLAN_NAME } from "../components/recovery/regionSwitchRules";
import { foreignKeyProblems, issueMessage, zodProblems } from "./configMessages";

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

const schema = z.strictObject({
  "aws:region": z.string(),
  "securecart-global:regionalStacks": z
    .array(
      z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, {
        error: "must be a fully qualified stack name org/project/stack",
      }),
    )
    // Which stacks, and how many, follows from the deployment config: stacks/agreement.ts
    // (globalStackProblems) checks the list against it before any preview.
    .min(1, { error: "must name the regional stacks of the deployment the plan switches" }),
  "securecart-global:regionSwitch": regionSwitchSchema,
});

/** Every key the global stack reads. */
export const GLOBAL_CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

/** Where the global stack's settings are explained. */
export const GLOBAL_CONFIG_DOC = "docs/failover.md#the-region-switch-plan";

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
    throw new pulumi.RunError(
      `Invalid configuration for stack ${stack}:\n${problems.map((p) => `  - ${p} (${GLOBAL_CONFIG_DOC})`).join("\n")}\nFix it in global/Pulumi.${stack}.yaml.`,
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
