/**
 * SecureCart's guardrails as plain policy objects. This module never constructs the PolicyPack:
 * constructing one starts the policy server, so tests and the offline preview import the
 * definitions from here and `policies/index.ts` alone builds the pack.
 */
import { EnforcementLevel, Policies } from "@pulumi/policy";
import { autoScalingPolicies } from "./autoscaling";
import { databasePolicies } from "./database";
import { dnsPolicies } from "./dns";
import { edgePolicies } from "./edge";
import { listenerRulePolicies } from "./listenerRules";
import { loadBalancerPolicies } from "./loadBalancers";
import { networkPolicies } from "./network";
import { securityPolicies } from "./security";
import { wafPolicies } from "./waf";

/** The policy pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "securecart-guardrails";

/** Level for a policy that names none; every policy here names its own. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

/** Every policy of the pack, in report order. */
export const policies: Policies = [
  ...loadBalancerPolicies,
  ...listenerRulePolicies,
  ...edgePolicies,
  ...wafPolicies,
  ...dnsPolicies,
  ...databasePolicies,
  ...autoScalingPolicies,
  ...networkPolicies,
  ...securityPolicies,
];

export { DEFAULT_TLS_POLICIES, API_DEFAULT_TLS_POLICY } from "./loadBalancers";
export { DEFAULT_REQUIRED_RULE_GROUPS } from "./waf";
