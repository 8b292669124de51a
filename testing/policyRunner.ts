/**
 * Runs the CrossGuard policy definitions against a program run recorded under mocks, the way the
 * policy analyzer (`@pulumi/policy` 1.21 `server.ts`) runs them during `pulumi preview
 * --policy-pack`, without the engine:
 * - resource policies see each resource's recorded inputs, once per validation function, and a
 *   function that calls `notApplicable` (as `validateResourceOfType` does for other types) is
 *   skipped, not failed;
 * - stack policies see every resource's outputs, with `parent`, `dependencies` and
 *   `propertyDependencies` rebuilt as object references from URNs;
 * - the effective enforcement level is config for the policy > config `all` > policy > pack >
 *   advisory; `disabled` skips the policy and `remediate` reports as mandatory;
 * - `getConfig()` returns the schema defaults (which the CLI fills in) merged with the config;
 * - props are wrapped in the analyzer's unknown-checking proxy, and a policy that reads a value
 *   unknown during preview is reported as an advisory "can't run", as the analyzer does.
 */
import {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { RecordedResource } from "./mocks";
import { effectiveLevel, policyConfig, validatePolicyConfig } from "../tools/policyConfig";
import { formatViolations, mandatoryCount, packVersion } from "../tools/policyFormat";

export {
  effectiveLevel,
  policyConfig,
  readPolicyPackConfig,
  validatePolicyConfig,
} from "../tools/policyConfig";
export { formatViolations, mandatoryCount } from "../tools/policyFormat";

/** One reported violation. */
export interface Violation {
  readonly policyName: string;
  /** The effective level: `remediate` is reported as mandatory, as the analyzer does. */
  readonly enforcementLevel: "mandatory" | "advisory";
  /** The resource the violation is about; empty for a stack-wide violation. */
  readonly urn: string;
  readonly resourceName: string;
  readonly type: string;
  readonly message: string;
}

/** A policy the analyzer reported as not applicable to a resource (or, urn "", to the stack). */
export interface NotApplicable {
  readonly policyName: string;
  readonly urn: string;
  readonly reason: string;
}

/** Everything one run of the pack reports. */
export interface PolicyOutcomes {
  readonly violations: Violation[];
  /**
   * Policies reported as not applicable, per resource. The CLI shows a policy as passed for a
   * resource only when it reported neither a violation nor "not applicable".
   */
  readonly notApplicable: NotApplicable[];
}

/** The part of a program run the policies look at (`ProgramRun` from testing/harness.ts fits). */
export interface PolicyInput {
  readonly resources: readonly RecordedResource[];
}

/** Options of {@link runPolicies}. */
export interface RunPoliciesOptions {
  /**
   * The pack's own enforcement level, used for policies that name none.
   * @default "advisory"
   */
  readonly packEnforcementLevel?: EnforcementLevel;
  /**
   * The pack's name, as messages name it.
   * @default "securecart-guardrails"
   */
  readonly packName?: string;
}

/** Thrown by `notApplicable`; the analyzer's own NotApplicableError is not exported. */
class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason);
};

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  return "validateResource" in p && (p as ResourceValidationPolicy).validateResource !== undefined;
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** `server.ts` `isTypeOf`: the class's Pulumi type token, else its `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as {
    __pulumiType?: unknown;
    isInstance?: (o: unknown) => boolean;
  };
  if (typeof cls.__pulumiType === "string") return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: RecordedResource): PolicyResourceOptions {
  return {
    protect: r.options.protect,
    ignoreChanges: [...r.options.ignoreChanges],
    deleteBeforeReplace: r.options.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
  };
}

function providerOf(r: RecordedResource, byUrn: Map<string, RecordedResource>) {
  const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
  const p = providerUrn ? byUrn.get(providerUrn) : undefined;
  return p
    ? { type: p.type, props: structuredClone(p.inputs), urn: p.urn, name: p.name }
    : undefined;
}

/** The outputs a stack policy sees. Bridged providers report the resource ID as an `id` output. */
export function outputsOf(r: RecordedResource): Record<string, unknown> {
  const state = structuredClone(r.state);
  if (r.custom && r.id !== undefined && state.id === undefined) state.id = r.id;
  return state;
}

/** The stack's resources as `validateStack` receives them, references rebuilt from URNs. */
export function stackResources(input: PolicyInput): PolicyResource[] {
  const byUrn = new Map(input.resources.map((r) => [r.urn, r]));
  const built = new Map<string, PolicyResource>();
  for (const r of input.resources) {
    const props = unknownCheckingProxy(outputsOf(r));
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: optionsOf(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: (cls) => (isTypeOf(r.type, cls) ? (props as never) : undefined),
    };
    const provider = providerOf(r, byUrn);
    if (provider) resource.provider = provider;
    built.set(r.urn, resource);
  }
  const lookup = (urns: readonly string[]) =>
    urns.map((u) => built.get(u)).filter((x): x is PolicyResource => x !== undefined);
  for (const r of input.resources) {
    const resource = built.get(r.urn)!;
    if (r.parent) resource.parent = built.get(r.parent);
    resource.dependencies = lookup(r.dependencies);
    for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
      resource.propertyDependencies[prop] = lookup(urns);
    }
  }
  return [...built.values()];
}

/**
 * Runs `policies` against a recorded program run and returns every violation, in policy order.
 * Throws when the config is invalid or a policy itself fails, as the analyzer would.
 */
export async function runPolicies(
  run: PolicyInput,
  policies: Policies,
  config: PolicyPackConfig = {},
  options: RunPoliciesOptions = {},
): Promise<Violation[]> {
  return (await runPolicyOutcomes(run, policies, config, options)).violations;
}

/** {@link runPolicies}, also returning which policies were not applicable to which resource. */
export async function runPolicyOutcomes(
  run: PolicyInput,
  policies: Policies,
  config: PolicyPackConfig = {},
  options: RunPoliciesOptions = {},
): Promise<PolicyOutcomes> {
  validatePolicyConfig(policies, config);
  const packName = options.packName ?? "securecart-guardrails";
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  const stackTags: ReadonlyMap<string, string> = new Map();

  for (const policy of policies) {
    const configured = effectiveLevel(policy, config, options.packEnforcementLevel);
    if (configured === "disabled") continue;
    const level = configured === "advisory" ? "advisory" : "mandatory";
    const getConfig = <T extends object>() => policyConfig(policy, config) as T;
    const reporter =
      (fallback: RecordedResource | undefined) => (message: string, urn?: string) => {
        const about = urn !== undefined ? byUrn.get(urn) : fallback;
        violations.push({
          policyName: policy.name,
          enforcementLevel: level,
          urn: urn ?? fallback?.urn ?? "",
          resourceName: about?.name ?? "",
          type: about?.type ?? "",
          message,
        });
      };
    // As the analyzer does: a policy that reads a value unknown during preview can't run, which
    // is reported as advisory whatever the policy's level.
    const cantRun = (e: unknown, about: RecordedResource | undefined) => {
      violations.push({
        policyName: policy.name,
        enforcementLevel: "advisory",
        urn: about?.urn ?? "",
        resourceName: about?.name ?? "",
        type: about?.type ?? "",
        message: `can't run policy '${policy.name}' from policy pack '${packName}@v${packVersion()}' during preview: ${(e as Error).message}`,
      });
    };
    const failed = (e: unknown): never => {
      throw new Error(
        `Error validating resource with policy '${policy.name}': ${e instanceof Error ? e.message : String(e)}`,
      );
    };

    if (isResourcePolicy(policy) && policy.validateResource !== undefined) {
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      // The analyzer's fast path: a single `*OfType` validation names its type token.
      const onlyType = Array.isArray(policy.validateResource)
        ? undefined
        : (policy.validateResource as { __pulumiType?: string }).__pulumiType;
      for (const r of run.resources) {
        if (onlyType !== undefined && onlyType !== r.type) {
          notApplicable.push({
            policyName: policy.name,
            urn: r.urn,
            reason: `Policy only applies to resources of type '${onlyType}'`,
          });
          continue;
        }
        for (const validate of validations) {
          const props = unknownCheckingProxy(structuredClone(r.inputs));
          const args: ResourceValidationArgs = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            stackTags,
            isType: (cls) => isTypeOf(r.type, cls),
            asType: (cls) => (isTypeOf(r.type, cls) ? (props as never) : undefined),
            getConfig,
            notApplicable: throwNotApplicable,
          };
          const provider = providerOf(r, byUrn);
          if (provider) args.provider = provider;
          try {
            await validate(args, reporter(r));
          } catch (e) {
            if (e instanceof UnknownValueError) cantRun(e, r);
            else if (e instanceof NotApplicableError) {
              notApplicable.push({ policyName: policy.name, urn: r.urn, reason: e.message });
            } else failed(e);
          }
        }
      }
    } else if (isStackPolicy(policy)) {
      const args: StackValidationArgs = {
        resources: stackResources(run),
        stackTags,
        getConfig,
        notApplicable: throwNotApplicable,
      };
      try {
        await policy.validateStack(args, reporter(undefined));
      } catch (e) {
        if (e instanceof UnknownValueError) cantRun(e, undefined);
        else if (e instanceof NotApplicableError) {
          notApplicable.push({ policyName: policy.name, urn: "", reason: e.message });
        } else failed(e);
      }
    }
  }
  return { violations, notApplicable };
}

/** What the offline preview prints and how it exits, for one stack's run. */
export interface PolicyReport {
  readonly violations: Violation[];
  /** `formatViolations` output. */
  readonly text: string;
  /** 1 when any violation is mandatory, as `pulumi preview --policy-pack` fails then. */
  readonly exitCode: 0 | 1;
}

/** Runs the securecart-guardrails pack on a run and formats the result for the offline preview. */
export async function policyReport(
  run: PolicyInput,
  config: PolicyPackConfig = {},
): Promise<PolicyReport> {
  const { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } = await import("../policies/rules");
  const violations = await runPolicies(run, policies, config, {
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
  });
  return {
    violations,
    text: formatViolations(violations, policies, PACK_NAME),
    exitCode: mandatoryCount(violations) > 0 ? 1 : 0,
  };
}
