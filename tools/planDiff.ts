/**
 * Compares two offline plans (`out/<stack>.plan.json`) resource by resource, the way a reviewer
 * reads `pulumi preview --diff`: `+` created, `-` deleted, `~` updated with the inputs that
 * changed, `+-` replaced when a changed input cannot be updated in place. Pure;
 * `npm start -- --diff` uses it.
 */

/** One resource of a plan file, as `planOf` in tools/preview.ts writes it. */
export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

/** A plan file's content, as far as the diff needs it. */
export interface Plan {
  readonly resources: readonly PlanResource[];
}

/** One line of the diff. */
export interface ResourceChange {
  readonly op: "+" | "~" | "+-" | "-";
  readonly type: string;
  readonly name: string;
  /** For `~`/`+-`: each changed input (or option, as `options.<name>`), old and new values. */
  readonly changes: readonly { path: string; before: unknown; after: unknown }[];
  /** For `+-`: the changed inputs that force the replacement. */
  readonly replacedBy?: readonly string[];
}

/**
 * Inputs that the provider cannot change in place, per resource type we create: changing one
 * makes Pulumi delete and recreate the resource (`+-`; the provider marks them ForceNew). Checked
 * against the provider schemas (hashicorp/terraform-provider-aws, which @pulumi/aws bridges):
 * internal/service/ec2/vpc_.go, vpc_subnet.go, elbv2/target_group.go, elbv2/load_balancer.go,
 * dynamodb/table.go, route53/record.go, rds/cluster.go; the security group's from its TSDoc in
 * node_modules/@pulumi/aws/ec2/securityGroup.d.ts. A Route 53 record's `type` and
 * `setIdentifier` are updated in place (UPSERT) by that provider, so they are not listed.
 * Types not listed here are shown as `~` even when a change would replace them.
 */
export const REPLACE_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "aws:ec2/vpc:Vpc": ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
  "aws:ec2/subnet:Subnet": ["availabilityZone", "availabilityZoneId", "cidrBlock", "vpcId"],
  "aws:ec2/securityGroup:SecurityGroup": ["description", "name", "namePrefix", "vpcId"],
  "aws:lb/targetGroup:TargetGroup": [
    "ipAddressType",
    "name",
    "namePrefix",
    "port",
    "protocol",
    "protocolVersion",
    "targetType",
    "vpcId",
  ],
  "aws:lb/loadBalancer:LoadBalancer": [
    "customerOwnedIpv4Pool",
    "internal",
    "loadBalancerType",
    "name",
    "namePrefix",
  ],
  "aws:dynamodb/table:Table": ["hashKey", "localSecondaryIndexes", "name", "rangeKey"],
  "aws:route53/record:Record": ["name", "zoneId"],
  // rds/cluster.go: `globalClusterIdentifier` is updated in place (join/leave), not listed.
  "aws:rds/cluster:Cluster": [
    "availabilityZones",
    "clusterIdentifier",
    "clusterIdentifierPrefix",
    "databaseName",
    "dbSubnetGroupName",
    "engine",
    "engineMode",
    "kmsKeyId",
    "masterUsername",
  ],
};

/** The changed paths that force `type` to be replaced (a path `a.b` counts for input `a`). */
export function replacingInputs(type: string, paths: readonly string[]): string[] {
  const forcing = REPLACE_INPUTS[type] ?? [];
  return paths.filter((p) => forcing.includes(p.split(/[.[]/)[0]));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Leaf paths whose values differ between `a` and `b`, e.g. `healthCheck.path`, `tags.Name`. */
export function changedPaths(
  a: unknown,
  b: unknown,
  prefix = "",
): { path: string; before: unknown; after: unknown }[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((v, i) => changedPaths(v, b[i], `${prefix}[${i}]`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path: prefix, before: a, after: b }];
}

/** The changes from `before` to `after`, keyed by URN; unchanged resources are left out. */
export function diffPlans(before: Plan, after: Plan): ResourceChange[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  for (const r of after.resources) {
    const prev = old.get(r.urn);
    if (!prev) {
      changes.push({ op: "+", type: r.type, name: r.name, changes: [] });
      continue;
    }
    const diff = [
      ...changedPaths(prev.inputs, r.inputs),
      ...changedPaths(prev.options ?? {}, r.options ?? {}, "options"),
    ];
    if (diff.length === 0) continue;
    const replacedBy = replacingInputs(
      r.type,
      diff.map((d) => d.path),
    );
    if (replacedBy.length > 0)
      changes.push({ op: "+-", type: r.type, name: r.name, changes: diff, replacedBy });
    else changes.push({ op: "~", type: r.type, name: r.name, changes: diff });
  }
  for (const r of before.resources) {
    if (!now.has(r.urn)) changes.push({ op: "-", type: r.type, name: r.name, changes: [] });
  }
  return changes;
}

function show(v: unknown): string {
  const text = v === undefined ? "(unset)" : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The diff as text: one line per resource, then one indented line per changed input; an input
 * that forces a replacement is marked. The plans hold only what the program declared, so a
 * resource that depends on a replaced one (it takes its new ID) is not shown: the header says so.
 */
export function renderDiff(changes: readonly ResourceChange[]): string {
  if (changes.length === 0) return "    no changes since the previous plan";
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`  ${c.op} ${c.type} ${c.name}`);
    for (const ch of c.changes) {
      const forces = c.replacedBy?.includes(ch.path) ? " (forces replacement)" : "";
      lines.push(`      ${ch.path}: ${show(ch.before)} => ${show(ch.after)}${forces}`);
    }
  }
  const count = (op: string) => changes.filter((c) => c.op === op).length;
  lines.push(
    `    ${count("+")} to create, ${count("~")} to update, ${count("+-")} to replace, ` +
      `${count("-")} to delete`,
  );
  if (count("+-") > 0)
    lines.push(
      "    +- replaces: resources that take a replaced resource's ID or ARN change too " +
        "(pulumi preview shows them; this offline diff does not)",
    );
  return lines.join("\n");
}
