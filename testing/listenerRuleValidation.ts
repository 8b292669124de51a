/**
 * What Elastic Load Balancing refuses in an ALB listener rule's conditions, for the mocks
 * (testing/mocks.ts), so a rule AWS would reject fails offline.
 *
 * Source: ALB guide, "Condition types for listener rules" (Condition basics): at most one each of
 * host-header, http-request-method, path-pattern and source-ip per rule (http-header and
 * query-string may repeat); up to three match evaluations per condition and five per rule; at
 * most five wildcards per rule. Priorities are 1-50000 (RulePriorityPair).
 */
import { ALB_LIMITS } from "../components/loadBalancing/routing";

/** Condition blocks of `aws.lb.ListenerRule` whose values are match evaluations. */
const VALUE_CONDITIONS = ["hostHeader", "httpRequestMethod", "pathPattern", "sourceIp"] as const;

function ruleError(message: string): Error {
  return new Error(`mocks: ValidationError: listener rule: ${message}`);
}

/** Throws what CreateRule would answer for these inputs; unknown values are skipped. */
export function validateListenerRule(inputs: Record<string, any>): void {
  const priority = inputs.priority;
  if (
    typeof priority === "number" &&
    (!Number.isInteger(priority) ||
      priority < ALB_LIMITS.priorityMin ||
      priority > ALB_LIMITS.priorityMax)
  ) {
    throw ruleError(
      `priority must be an integer from ${ALB_LIMITS.priorityMin} to ${ALB_LIMITS.priorityMax}; got ${priority}`,
    );
  }
  for (const action of (inputs.actions ?? []) as Record<string, any>[]) {
    const auth = action.authenticateCognito ?? action.authenticateOidc;
    const timeout = auth?.sessionTimeout;
    // AuthenticateCognitoActionConfig / AuthenticateOidcActionConfig: SessionTimeout is "the
    // maximum duration of the authentication session, in seconds", default 604800 (7 days); the
    // ALB guide gives 7 days as its maximum.
    if (
      typeof timeout === "number" &&
      (!Number.isInteger(timeout) || timeout < 1 || timeout > 604800)
    ) {
      throw ruleError(`sessionTimeout must be an integer from 1 to 604800 seconds; got ${timeout}`);
    }
  }
  const conditions = (inputs.conditions ?? []) as Record<string, any>[];
  let evaluations = 0;
  let wildcards = 0;
  for (const type of VALUE_CONDITIONS) {
    const blocks = conditions.filter((c) => c[type] !== undefined);
    if (blocks.length > 1) {
      throw ruleError(`a rule takes at most one ${type} condition; got ${blocks.length}`);
    }
  }
  for (const c of conditions) {
    const values: unknown[] = [
      ...VALUE_CONDITIONS.flatMap((t) => (c[t]?.values ?? []) as unknown[]),
      ...((c.httpHeader?.values ?? []) as unknown[]),
      ...((c.queryStrings ?? []) as unknown[]),
    ];
    if (values.length > ALB_LIMITS.valuesPerCondition) {
      throw ruleError(
        `a condition takes at most ${ALB_LIMITS.valuesPerCondition} match evaluations; got ${values.length} (${JSON.stringify(values)})`,
      );
    }
    evaluations += values.length;
    for (const v of values) {
      const text = typeof v === "string" ? v : JSON.stringify(v ?? "");
      if (c.sourceIp === undefined) wildcards += text.match(/[*?]/g)?.length ?? 0;
    }
  }
  if (evaluations > ALB_LIMITS.valuesPerRule) {
    throw ruleError(
      `a rule takes at most ${ALB_LIMITS.valuesPerRule} match evaluations; got ${evaluations}`,
    );
  }
  if (wildcards > ALB_LIMITS.wildcardsPerRule) {
    throw ruleError(
      `a rule takes at most ${ALB_LIMITS.wildcardsPerRule} wildcards; got ${wildcards}`,
    );
  }
}
