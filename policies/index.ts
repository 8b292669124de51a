/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policies`. Constructing the pack
 * starts the policy server, so nothing else may import this file; the definitions live in
 * `./rules`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./rules";

new PolicyPack(PACK_NAME, {
  description:
    "SecureCart's availability and security guardrails for the two-region storefront on AWS.",
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies,
});
