/**
 * Pure CIDR arithmetic for the network's subnet plan.
 *
 * The VPC range is cut into 32 equal blocks (prefix + 5). Each tier owns 8 consecutive blocks and
 * each AZ takes the block of its letter (a = 0 … h = 7), so adding, removing or reordering AZs
 * in config never moves an existing subnet. The fourth group of blocks is halved (prefix + 6):
 * the inspection appliances take the lower half and their Gateway Load Balancer endpoints the
 * upper half.
 */

/**
 * Where each tier lives: its group of 8 blocks and, for halved groups, which half. This is the
 * address plan: never change an existing entry.
 */
const TIER_LAYOUT = {
  public: { group: 0, half: undefined },
  private: { group: 1, half: undefined },
  isolated: { group: 2, half: undefined },
  appliance: { group: 3, half: 0 },
  endpoint: { group: 3, half: 1 },
} as const;

/** One subnet tier. */
export type SubnetTier = keyof typeof TIER_LAYOUT;

/** Every subnet tier. */
export const SUBNET_TIERS = Object.keys(TIER_LAYOUT) as SubnetTier[];

/** Blocks reserved per tier: one for each AZ letter a–h. */
export const AZ_SLOTS = 8;

/** Smallest and largest VPC prefix the plan supports (AWS allows /16 to /28 subnets; halves are prefix + 6). */
export const VPC_PREFIX_RANGE = { min: 16, max: 22 } as const;

/** Parses "a.b.c.d/n" into a 32-bit address and prefix, or returns undefined. */
export function parseCidr(cidr: string): { address: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}

/** Formats a 32-bit address and prefix as CIDR notation. */
export function formatCidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

/** Explains what is wrong with a VPC CIDR for this plan, or returns undefined. */
export function vpcCidrProblem(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed) return "must be an IPv4 CIDR such as 10.10.0.0/16";
  const { min, max } = VPC_PREFIX_RANGE;
  if (parsed.prefix < min || parsed.prefix > max) {
    return `must have a prefix from /${min} to /${max} (32 subnets of prefix + 5 are carved from it)`;
  }
  if (parsed.address % 2 ** (32 - parsed.prefix) !== 0) {
    return `has host bits set; the network address is ${formatCidr(
      parsed.address - (parsed.address % 2 ** (32 - parsed.prefix)),
      parsed.prefix,
    )}`;
  }
  return undefined;
}

/** Index of an AZ's letter (us-east-1a → 0), or undefined when the name has no letter a–h. */
export function azSlot(azName: string): number | undefined {
  const letter = /[a-h]$/.exec(azName)?.[0];
  return letter === undefined ? undefined : letter.charCodeAt(0) - "a".charCodeAt(0);
}

/** CIDR of the subnet for one tier in one AZ. Throws on input that vpcCidrProblem rejects. */
export function subnetCidr(vpcCidr: string, tier: SubnetTier, azName: string): string {
  const parsed = parseCidr(vpcCidr);
  const slot = azSlot(azName);
  if (!parsed || vpcCidrProblem(vpcCidr) || slot === undefined) {
    throw new Error(`cannot plan a subnet for ${tier} in ${azName} inside ${vpcCidr}`);
  }
  const blockPrefix = parsed.prefix + 5;
  const { group, half } = TIER_LAYOUT[tier];
  const blockStart = parsed.address + (group * AZ_SLOTS + slot) * 2 ** (32 - blockPrefix);
  if (half === undefined) return formatCidr(blockStart, blockPrefix);
  return formatCidr(blockStart + half * 2 ** (31 - blockPrefix), blockPrefix + 1);
}
