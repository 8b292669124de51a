/**
 * vCPUs of EC2 instance types and RDS DB instance classes, from their size, to compare the
 * capacity of fleets and databases across stacks (stacks/agreement.ts) and to price RDS Proxy
 * (tools/cost.ts). A documented size table rather than AWS's API, which the offline preview
 * can't call.
 *
 * The rule: in current fixed-performance families (m, c, r, x and their suffixes, e.g. m7i,
 * c7i, r7g, c6in) `medium` has 1 vCPU, `large` 2, `xlarge` 4 and `Nxlarge` 4 x N. Burstable
 * t3, t3a and t4g have 2 vCPUs from `nano` to `large`, then follow the rule. A DB instance
 * class is its EC2 type behind `db.` (db.r7g.large: 2 vCPUs). Checked for the types this
 * repository uses (m7i.large 2, c7i.large 2, c6in.xlarge 4, t3.small 2, t3.medium 2,
 * db.r7g.large 2, db.t4g.medium 2) against the per-type vCPU columns quoted in several
 * independent copies of AWS's instance type tables found with the search tool; AWS's own
 * "Amazon EC2 instance type specifications" page was not in the searchable corpus. `metal`
 * sizes and older burstable families (t2) have no rule and are unknown.
 */

/** Burstable families whose small sizes all have 2 vCPUs. */
const BURSTABLE_TWO_VCPU_FAMILIES = new Set(["t3", "t3a", "t4g"]);
const BURSTABLE_SMALL_SIZES = new Set(["nano", "micro", "small", "medium", "large"]);

/** Fixed-performance families the size rule covers: m, c, r or x, a generation, suffixes. */
const SIZE_RULE_FAMILY = /^[mcrx][0-9][a-z-]*$/;

/** vCPUs of an EC2 instance type (`m7i.large`) or DB class (`db.r7g.large`); undefined if unknown. */
export function vcpusOf(instanceType: string): number | undefined {
  const m = /^(?:db\.)?([a-z0-9-]+)\.([a-z0-9]+)$/.exec(instanceType);
  if (!m) return undefined;
  const [family, size] = [m[1], m[2]];
  if (BURSTABLE_TWO_VCPU_FAMILIES.has(family)) {
    if (BURSTABLE_SMALL_SIZES.has(size)) return 2;
  } else if (!SIZE_RULE_FAMILY.test(family)) {
    return undefined;
  } else if (size === "medium") {
    return 1;
  } else if (size === "large") {
    return 2;
  }
  if (size === "xlarge") return 4;
  const n = /^([1-9][0-9]*)xlarge$/.exec(size);
  return n ? 4 * Number(n[1]) : undefined;
}

/**
 * Whether `instanceType` (or DB class) is burstable: the T families. "To burst above the
 * baseline, the instance spends credits that it has accrued in its CPU credit balance", and once
 * they run low "CPU utilization is gradually lowered to the baseline level" (EC2 user guide,
 * "Standard mode for burstable performance instances"), so its vCPUs are not capacity that a
 * fixed-performance instance's vCPUs can be compared with, nor another size's (the baseline
 * differs per size); stacks/agreement.ts compares a burstable type only with itself.
 */
export function isBurstable(instanceType: string): boolean {
  return /^(?:db\.)?t[0-9][a-z]*\./.test(instanceType);
}
