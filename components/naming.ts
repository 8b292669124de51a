/**
 * Pure helpers for AWS physical names under Pulumi autonaming.
 *
 * Pulumi appends "-" and 7 hex characters to a logical name when it autonames a resource, and
 * Elastic Load Balancing allows at most 32 characters (alphanumerics and hyphens, no leading or
 * trailing hyphen) in load balancer and target group names. Keeping the logical name within 24
 * characters therefore keeps the whole random suffix, so two deployments never collide.
 */

/** Characters Pulumi's autonaming appends: "-" plus 7 hex digits. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** AWS limit on load balancer and target group names. */
export const ELB_NAME_MAX_LENGTH = 32;

/** Longest logical name whose autonamed form still fits an ELB name. */
export const ELB_LOGICAL_NAME_MAX_LENGTH = ELB_NAME_MAX_LENGTH - AUTONAME_SUFFIX_LENGTH;

/**
 * Explains why `logicalName` cannot autoname an ELB load balancer or target group, or returns
 * `undefined` when it can.
 */
export function elbLogicalNameProblem(logicalName: string): string | undefined {
  if (logicalName.length > ELB_LOGICAL_NAME_MAX_LENGTH) {
    return (
      `logical name "${logicalName}" is ${logicalName.length} characters; ELB names allow ` +
      `${ELB_NAME_MAX_LENGTH} and Pulumi adds ${AUTONAME_SUFFIX_LENGTH}, so use at most ` +
      `${ELB_LOGICAL_NAME_MAX_LENGTH}`
    );
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(logicalName)) {
    return `logical name "${logicalName}" must be alphanumerics and hyphens, not starting or ending with a hyphen`;
  }
  if (logicalName.startsWith("internal-")) {
    return `logical name "${logicalName}" must not start with "internal-", which AWS reserves`;
  }
  return undefined;
}
