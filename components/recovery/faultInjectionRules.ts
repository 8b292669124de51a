/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
 * experimentProblems checks request payloads of any shape, as the FIS API receives them (the mocks
 * call it on the engine's resolved inputs), so it reads them untyped on purpose. */
/**
 * Pure rules for AWS FIS experiment templates: the actions the game days use, their target keys,
 * resource types and parameters (FIS user guide, "Actions reference" and "Targets"), and the
 * experiment role's policy per action.
 */

/** What an action takes: its one target key, that target's resource type, its parameters. */
export interface FisActionSpec {
  readonly targetKey: string;
  readonly resourceType: string;
  /** Allowed parameters; `duration` is ISO 8601 from PT1M to PT12H where given. */
  readonly parameters: Readonly<Record<string, (v: string) => boolean>>;
}

const isoDuration = (v: string) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(v);
  if (!m || v === "PT") return false;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return seconds >= 60 && seconds <= 12 * 3600;
};

/** The FIS actions the templates use. */
export const FIS_ACTIONS: Readonly<Record<string, FisActionSpec>> = {
  "aws:network:disrupt-connectivity": {
    targetKey: "Subnets",
    resourceType: "aws:ec2:subnet",
    parameters: {
      duration: isoDuration,
      scope: (v) => ["all", "availability-zone", "dynamodb", "prefix-list", "s3"].includes(v),
    },
  },
  "aws:rds:failover-db-cluster": {
    targetKey: "Clusters",
    resourceType: "aws:rds:cluster",
    parameters: {},
  },
  "aws:ec2:terminate-instances": {
    targetKey: "Instances",
    resourceType: "aws:ec2:instance",
    parameters: {},
  },
};

/** `selectionMode`: ALL, COUNT(n) or PERCENT(n). */
export const SELECTION_MODE = /^(ALL|COUNT\(\d+\)|PERCENT\((\d+)\))$/;

/** Problems the FIS API would reject an experiment template for. */
export function experimentProblems(t: Record<string, any>): string[] {
  const problems: string[] = [];
  const description = String(t.description ?? "");
  if (description.length < 1 || description.length > 512) {
    problems.push(`description must have 1 to 512 characters; got ${description.length}`);
  }
  const targets = new Map<string, any>((t.targets ?? []).map((x: any) => [x.name, x]));
  for (const target of targets.values()) {
    const mode = SELECTION_MODE.exec(String(target.selectionMode));
    if (!mode || (mode[2] !== undefined && (Number(mode[2]) < 1 || Number(mode[2]) > 100))) {
      problems.push(
        `target ${target.name}: selectionMode must be ALL, COUNT(n) or PERCENT(1-100); got ${target.selectionMode}`,
      );
    }
    const byArn = (target.resourceArns ?? []).length > 0;
    const byTag = (target.resourceTags ?? []).length > 0;
    if (byArn === byTag) {
      problems.push(`target ${target.name}: set exactly one of resourceArns or resourceTags`);
    }
  }
  const actions: any[] = t.actions ?? [];
  if (actions.length === 0) problems.push("actions: at least one is required");
  for (const a of actions) {
    const spec = FIS_ACTIONS[a.actionId];
    if (!spec) {
      problems.push(
        `action ${a.name}: ${a.actionId} is not one of ${Object.keys(FIS_ACTIONS).join(", ")}`,
      );
      continue;
    }
    if (a.target?.key !== spec.targetKey) {
      problems.push(
        `action ${a.name}: ${a.actionId} takes target key ${spec.targetKey}; got ${a.target?.key}`,
      );
    }
    const target = targets.get(a.target?.value);
    if (!target) problems.push(`action ${a.name}: target ${a.target?.value} is not defined`);
    else if (target.resourceType !== spec.resourceType) {
      problems.push(
        `action ${a.name}: ${a.actionId} needs a ${spec.resourceType} target; ${target.name} is ${target.resourceType}`,
      );
    }
    for (const p of a.parameters ?? []) {
      const check = spec.parameters[p.key];
      if (!check) problems.push(`action ${a.name}: ${a.actionId} has no parameter ${p.key}`);
      else if (!check(String(p.value)))
        problems.push(`action ${a.name}: ${p.key} ${p.value} is not allowed`);
    }
    if (spec.parameters.duration && !(a.parameters ?? []).some((p: any) => p.key === "duration")) {
      problems.push(`action ${a.name}: ${a.actionId} needs a duration`);
    }
  }
  const stops: any[] = t.stopConditions ?? [];
  if (stops.length === 0) problems.push("stopConditions: at least one is required");
  for (const s of stops) {
    if (s.source === "none") {
      if (s.value !== undefined) problems.push("stopConditions: source none takes no value");
    } else if (s.source === "aws:cloudwatch:alarm") {
      if (!/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/.test(String(s.value))) {
        problems.push(`stopConditions: ${s.value} is not a CloudWatch alarm ARN`);
      }
    } else {
      problems.push(`stopConditions: source must be none or aws:cloudwatch:alarm; got ${s.source}`);
    }
  }
  return problems;
}

/** What the experiment role may act on. */
export interface FisRoleScope {
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly clusterArn: string;
  /** Instances the terminate experiment may pick: tagged with this Stack value. */
  readonly stackTag: string;
}

/**
 * The experiment role's policy: per action, the permissions the FIS actions reference lists,
 * scoped to this stack. The network statements follow AWS's AWSFaultInjectionSimulatorNetworkAccess
 * (FIS tags the network ACLs it creates `managedByFIS=true` and may only touch those), with
 * association changes limited to this VPC's subnets.
 */
export function fisRolePolicy(s: FisRoleScope): object {
  const acl = `arn:aws:ec2:${s.region}:${s.accountId}:network-acl/*`;
  const vpc = `arn:aws:ec2:${s.region}:${s.accountId}:vpc/${s.vpcId}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "NetworkDescribe",
        Effect: "Allow",
        Action: [
          "ec2:DescribeNetworkAcls",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "ec2:DescribeManagedPrefixLists",
          "ec2:GetManagedPrefixListEntries",
        ],
        Resource: "*",
      },
      {
        Sid: "CreateFisNetworkAcl",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkAcl"],
        Resource: [acl],
        Condition: { StringEquals: { "aws:RequestTag/managedByFIS": "true" } },
      },
      {
        Sid: "CreateFisNetworkAclInThisVpc",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkAcl"],
        Resource: [vpc],
      },
      {
        Sid: "TagFisNetworkAcl",
        Effect: "Allow",
        Action: ["ec2:CreateTags"],
        Resource: [acl],
        Condition: {
          StringEquals: {
            "ec2:CreateAction": "CreateNetworkAcl",
            "aws:RequestTag/managedByFIS": "true",
          },
        },
      },
      {
        Sid: "EditAndDeleteFisNetworkAcl",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
        Resource: [acl, vpc],
        Condition: { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } },
      },
      {
        Sid: "SwapAclOfThisVpcsSubnets",
        Effect: "Allow",
        Action: ["ec2:ReplaceNetworkAclAssociation"],
        Resource: [`arn:aws:ec2:${s.region}:${s.accountId}:subnet/*`, acl],
        Condition: { StringEquals: { "ec2:Vpc": vpc } },
      },
      {
        Sid: "AuroraFailover",
        Effect: "Allow",
        Action: ["rds:FailoverDBCluster"],
        Resource: [s.clusterArn],
      },
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: ["rds:DescribeDBClusters", "ec2:DescribeInstances", "tag:GetResources"],
        Resource: "*",
      },
      {
        Sid: "TerminateThisStacksInstances",
        Effect: "Allow",
        Action: ["ec2:TerminateInstances"],
        Resource: [`arn:aws:ec2:${s.region}:${s.accountId}:instance/*`],
        Condition: { StringEquals: { "aws:ResourceTag/Stack": s.stackTag } },
      },
    ],
  };
}
