/**
 * Config schemas of the security posture (docs/security.md): admin access, flow logs and the
 * pinned AMIs. Kept apart from stacks/config.ts, which composes them into the stack schema.
 */
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../components/edge/regionalWebAcl";
import { ALB_LIMITS } from "../components/loadBalancing/routing";
import { parseCidr } from "../components/network/subnets";

/** The host label whose service `securecart:admin` protects (docs/security.md). */
export const ADMIN_HOST = "admin";

/** The service `securecart:admin` protects, whatever its hosts and paths. */
export const ADMIN_SERVICE = "admin";

/** Paths under which a service counts as admin, on any host. */
export const ADMIN_PATH_PREFIX = "/admin";

/** Whether `securecart:admin` restricts service `name`: by its name, its hosts or its paths. */
export function isAdminService(
  name: string,
  routing: { readonly hosts: readonly string[]; readonly paths: readonly string[] },
): boolean {
  return (
    name === ADMIN_SERVICE ||
    routing.hosts.includes(ADMIN_HOST) ||
    routing.paths.some((p) => p.toLowerCase().startsWith(ADMIN_PATH_PREFIX))
  );
}

/**
 * The only source the `closed` admin rule admits: an address of TEST-NET-1 (RFC 5737,
 * documentation only, never routed), so no client can ever open a TCP connection from it. The
 * VPC's own range, used before, admitted every instance in the VPC: an internet-facing ALB has
 * private addresses in its subnets too, and a client there connects with its private IP.
 */
export const CLOSED_ADMIN_SOURCE = "192.0.2.1/32";

/** An AMI ID as EC2 prints it: `ami-` and 8 or 17 hex digits. */
export const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * A made-up AMI ID: six or more of the same hex digit in a row (`ami-0000000000000e001`,
 * `ami-0aaaaaaaaaaaaaaaa`). EC2 draws the 17 digits at random, so a real ID has such a run with
 * a chance of about 1 in 100,000; a placeholder almost always has one. EC2 only rejects an
 * unknown image when the Auto Scaling group launches, after the VPC, load balancers and Aurora
 * exist, so config refuses it before any resource is planned.
 */
export const PLACEHOLDER_AMI_ID = /^ami-[0-9a-f]*([0-9a-f])\1{5}/;

/** Why `ami` can't be deployed, or undefined. */
export function amiIdProblem(ami: string): string | undefined {
  if (!AMI_ID.test(ami)) return "must be an AMI ID such as ami-0123456789abcdef0";
  if (PLACEHOLDER_AMI_ID.test(ami)) {
    return "looks like a placeholder (a run of six equal digits), not an image EC2 has; pin the ID that `npm run ami:check` prints (docs/security.md, Pinned AMIs)";
  }
  return undefined;
}

/** An AMI ID that names a real image, as far as config can tell. */
export const amiIdSchema = z.string().superRefine((ami, ctx) => {
  const problem = amiIdProblem(ami);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: ami });
});

/** Whether two IPv4 CIDRs share an address; false if either doesn't parse. */
export function cidrsOverlap(a: string, b: string): boolean {
  const range = (cidr: string) => {
    const p = parseCidr(cidr);
    if (!p) return undefined;
    const size = 2 ** (32 - p.prefix);
    const first = p.address - (p.address % size);
    return [first, first + size - 1] as const;
  };
  const [x, y] = [range(a), range(b)];
  return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
}

/**
 * Admin services routed on a host other than `admin`, or on none. The admin host is the one the
 * shared hosts leave out (stacks/config.ts sharedWebHosts), so any other host of an
 * access-controlled service would also be a shared host that path-only services answer on, and
 * a path-only admin service would answer on every shared host; the component refuses both at
 * preview. Config refuses them first, naming the key.
 */
export function adminHostProblems(
  services: Readonly<
    Record<string, { readonly hosts: readonly string[]; readonly paths: readonly string[] }>
  >,
): string[] {
  const problems: string[] = [];
  for (const [name, routing] of Object.entries(services)) {
    if (!isAdminService(name, routing)) continue;
    if (routing.hosts.length === 0) {
      problems.push(
        `\`securecart:services.${name}.hosts\` must be [${ADMIN_HOST}]: admin services are access-controlled and need the admin host of their own, or they would answer on every shared host; got none`,
      );
    }
    routing.hosts.forEach((host, i) => {
      if (host !== ADMIN_HOST) {
        problems.push(
          `\`securecart:services.${name}.hosts[${i}]\` must be "${ADMIN_HOST}": admin services are access-controlled, and any other host is shared with the path-only services. Use hosts: [${ADMIN_HOST}]; got "${host}"`,
        );
      }
    });
  }
  return problems;
}

/**
 * Source-ip values the admin rule carries in each mode: the closed address, the allow-list, or
 * none (Cognito). They count toward the rule's 5 match evaluations with its hosts and paths.
 */
export function adminSourceIpValues(admin: AdminAccessConfig): number {
  return admin.mode === "closed" ? 1 : admin.mode === "source-ip" ? admin.allowedCidrs.length : 0;
}

/**
 * Admin services whose rule would exceed an ALB rule's 5 match evaluations once the admin
 * source-ip values are added to their hosts and paths. `hostAndPathValues` is what each service
 * spends on hosts and paths (components/loadBalancing/routing.ts ruleValueCount); a service already over 5
 * without them is reported by the routing check.
 */
export function adminRuleValueProblems(
  admin: AdminAccessConfig,
  services: Readonly<
    Record<string, { readonly hosts: readonly string[]; readonly paths: readonly string[] }>
  >,
  hostAndPathValues: (service: string) => number,
): string[] {
  const sourceIps = adminSourceIpValues(admin);
  const problems: string[] = [];
  for (const [name, routing] of Object.entries(services)) {
    if (!isAdminService(name, routing)) continue;
    const used = hostAndPathValues(name);
    if (used > ALB_LIMITS.valuesPerRule || used + sourceIps <= ALB_LIMITS.valuesPerRule) continue;
    problems.push(
      admin.mode === "source-ip"
        ? `\`securecart:admin.allowedCidrs\` lists ${sourceIps} networks, but admin service "${name}" already spends ${used} of an ALB rule's ${ALB_LIMITS.valuesPerRule} match evaluations on hosts and paths (securecart:services.${name}), and source-ip values count too. List at most ${ALB_LIMITS.valuesPerRule - used} networks or route ${name} on fewer hosts and paths; got ${JSON.stringify(admin.allowedCidrs)}`
        : `\`securecart:services.${name}\` spends ${used} match evaluations on hosts and paths; with the closed admin rule's source-ip value that is ${used + sourceIps}, above an ALB rule's ${ALB_LIMITS.valuesPerRule}. Route ${name} on fewer hosts and paths`,
    );
  }
  return problems;
}

/**
 * What is wrong with admin access given the VPC's range (messages name the key). A source-ip
 * range inside the VPC admits its instances, which reach an internet-facing ALB on its private
 * addresses; a VPC that holds the closed address would let one of them match the closed rule.
 */
export function adminNetworkProblems(admin: AdminAccessConfig, vpcCidr: string): string[] {
  if (admin.mode === "closed") {
    return cidrsOverlap(CLOSED_ADMIN_SOURCE, vpcCidr)
      ? [
          `\`securecart:vpcCidr\` must not contain ${CLOSED_ADMIN_SOURCE}, the address the closed admin rule admits (no client can connect from it unless the VPC holds it); got "${vpcCidr}"`,
        ]
      : [];
  }
  if (admin.mode !== "source-ip") return [];
  return admin.allowedCidrs.flatMap((cidr, i) =>
    cidrsOverlap(cidr, vpcCidr)
      ? [
          `\`securecart:admin.allowedCidrs[${i}]\` must not overlap securecart:vpcCidr (${vpcCidr}): every instance in the VPC could then reach admin on the ALB's private addresses. List the operators' networks; got "${cidr}"`,
        ]
      : [],
  );
}

/**
 * Shortest prefix `securecart:admin.allowedCidrs` accepts: a /16 (65,536 addresses). An office
 * or VPN egress is a few addresses to a few hundred; a range wider than a /16 is a block of a
 * cloud region or an ISP, which admits every other customer there. The `admin-not-public` policy
 * applies the same minimum (its `minIpv4PrefixLength`).
 */
export const ADMIN_MIN_IPV4_PREFIX_LENGTH = 16;

/** `a.b.c.d/n` with every octet 0-255 and n 16-32 (ADMIN_MIN_IPV4_PREFIX_LENGTH). */
export function ipv4CidrProblem(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return "must be an IPv4 CIDR such as 203.0.113.0/24";
  if (m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
    return "must be an IPv4 CIDR with octets 0-255 and a prefix of 0-32";
  }
  if (Number(m[5]) === 0) return "must not be a /0: that admits the whole internet";
  if (Number(m[5]) < ADMIN_MIN_IPV4_PREFIX_LENGTH) {
    return `must be a /${ADMIN_MIN_IPV4_PREFIX_LENGTH} or narrower: a wider range is a cloud region's or an ISP's, shared with strangers, not an office or VPN egress`;
  }
  return undefined;
}

const cidrSchema = z.string().superRefine((cidr, ctx) => {
  const problem = ipv4CidrProblem(cidr);
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: cidr });
});

/**
 * Bounds of `securecart:admin.sessionTimeoutSeconds` (cognito mode): how long an ALB sign-in
 * session lasts before the operator signs in again. AWS's default when unset is 7 days
 * (AuthenticateCognitoActionConfig SessionTimeout), far too long for a payments back office.
 * Default one hour; at most 12 hours (one working shift, so nobody is asked to sign in twice a
 * day and nobody keeps a session overnight); at least 15 minutes, below which the redirect to
 * Cognito interrupts work for no gain (the ALB session is absolute, not idle-based). The
 * `admin-not-public` policy refuses a longer or unset timeout (its `maxSessionTimeoutSeconds`
 * defaults to the same maximum; test/security.test.ts checks they agree).
 */
export const ADMIN_SESSION_TIMEOUT_SECONDS = { default: 3600, min: 900, max: 43200 } as const;

/**
 * How `admin.<domain>` is reached (docs/security.md, Admin access). Every mode keeps the admin
 * target group behind a listener rule, so ELB health checks and alarms work as for any service.
 * - `closed` (default): the rule admits only CLOSED_ADMIN_SOURCE (192.0.2.1/32, a documentation
 *   address that no client has, inside the VPC or out); operators use SSM port forwarding to an
 *   admin instance.
 * - `source-ip`: the rule admits only the listed networks (an ALB source-ip condition; at most 3
 *   values per condition, and the host condition uses one of the rule's 5).
 * - `cognito`: the rule authenticates through an Amazon Cognito user pool before forwarding, with
 *   a session of `sessionTimeoutSeconds`.
 */
export const adminAccessSchema = z
  .discriminatedUnion(
    "mode",
    [
      z.strictObject({ mode: z.literal("closed") }),
      z.strictObject({
        mode: z.literal("source-ip"),
        allowedCidrs: z
          .array(cidrSchema)
          .min(1, { error: "must list at least one network" })
          .max(ALB_LIMITS.valuesPerCondition, {
            error: `must list at most ${ALB_LIMITS.valuesPerCondition} networks (ALB values per condition)`,
          }),
      }),
      z.strictObject({
        mode: z.literal("cognito"),
        userPoolArn: z
          .string()
          .regex(/^arn:aws:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[\w-]+_[0-9a-zA-Z]+$/, {
            error: "must be a Cognito user pool ARN",
          }),
        userPoolClientId: z.string().regex(/^[\w+]{1,128}$/, {
          error: "must be a Cognito app client ID",
        }),
        userPoolDomain: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
          error: "must be the user pool's domain prefix (not the full URL)",
        }),
        sessionTimeoutSeconds: z
          .number()
          .int()
          .min(ADMIN_SESSION_TIMEOUT_SECONDS.min, {
            error: `must be at least ${ADMIN_SESSION_TIMEOUT_SECONDS.min} seconds`,
          })
          .max(ADMIN_SESSION_TIMEOUT_SECONDS.max, {
            error: `must be at most ${ADMIN_SESSION_TIMEOUT_SECONDS.max} seconds (12 hours); AWS's 7-day default is too long for admin`,
          })
          .default(ADMIN_SESSION_TIMEOUT_SECONDS.default),
      }),
    ],
    { error: "must be closed, source-ip or cognito" },
  )
  .default({ mode: "closed" });

/** Admin access, validated. */
export type AdminAccessConfig = z.infer<typeof adminAccessSchema>;

const retention = z.number().refine((n) => LOG_RETENTION_DAYS.includes(n), {
  error: `must be one of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(", ")}`,
});

/** VPC flow logs (docs/security.md, Flow logs). */
export const flowLogsSchema = z
  .strictObject({
    trafficType: z.enum(["REJECT", "ALL"], { error: "must be REJECT or ALL" }).default("REJECT"),
    // PCI DSS keeps audit trails a year; flow logs follow the same rule.
    retentionDays: retention.default(365),
  })
  .default({ trafficType: "REJECT", retentionDays: 365 });

/** VPC flow logs, validated. */
export type FlowLogsConfig = z.infer<typeof flowLogsSchema>;

/** The pinned AMI per region (`npm run ami:check` shows the diff to AWS's current one). */
export const amisSchema = z.record(z.string(), amiIdSchema);
