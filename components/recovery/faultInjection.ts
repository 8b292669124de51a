import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { fisRolePolicy } from "./faultInjectionRules";

/** Arguments of {@link FaultInjection}. */
export interface FaultInjectionArgs {
  /** This region, and the account, for the role's ARNs. */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The region's VPC: the AZ experiment cuts this VPC's subnets in one AZ. */
  readonly vpcId: pulumi.Input<string>;
  /** The AZ whose subnets lose connectivity, e.g. `us-east-1a`. */
  readonly availabilityZone: string;
  /** This region's Aurora cluster (the writer fails over inside the region). */
  readonly clusterArn: pulumi.Input<string>;
  /** Value of the `Stack` tag on this stack's subnets and instances. */
  readonly stackTag: string;
  /** Share of the stack's running instances the terminate experiment picks, 1 to 100. @default 25 */
  readonly terminatePercent?: number;
  /** How long the AZ loses connectivity (ISO 8601, PT1M to PT12H). @default "PT10M" */
  readonly azOutageDuration?: string;
  /** Alarms that stop every experiment when one goes to ALARM (1 to 5). */
  readonly stopAlarmArns: readonly pulumi.Input<string>[];
  /** Tags. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * AWS FIS experiment templates for game days in one region: one AZ losing connectivity, an Aurora
 * failover, and the termination of a share of the instances. Every template stops when a
 * shopper-facing alarm fires, and runs with a role that can act only on this stack's resources.
 */
export class FaultInjection extends pulumi.ComponentResource {
  /** Template IDs keyed by experiment (`az-outage`, `aurora-failover`, `terminate-share`). */
  public readonly templateIds: Record<string, pulumi.Output<string>>;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: FaultInjectionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:FaultInjection", name, {}, opts);
    const terminatePercent = args.terminatePercent ?? 25;
    const azOutageDuration = args.azOutageDuration ?? "PT10M";
    const tags = args.tags ?? {};
    if (!Number.isInteger(terminatePercent) || terminatePercent < 1 || terminatePercent > 100) {
      throw new pulumi.ResourceError(
        `terminatePercent must be a whole percentage from 1 to 100; got ${terminatePercent}`,
        this,
      );
    }
    if (args.stopAlarmArns.length < 1 || args.stopAlarmArns.length > 5) {
      throw new pulumi.ResourceError(
        `stopAlarmArns must name 1 to 5 alarms (FIS's stop conditions per template); got ${args.stopAlarmArns.length}`,
        this,
      );
    }

    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Runs the ${args.stackTag} game-day experiments`,
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "fis.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
        tags,
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy: pulumi
          .all([args.accountId, args.vpcId, args.clusterArn])
          .apply(([accountId, vpcId, clusterArn]) =>
            JSON.stringify(
              fisRolePolicy({
                region: args.region,
                accountId,
                vpcId,
                clusterArn,
                stackTag: args.stackTag,
              }),
            ),
          ),
      },
      child,
    );

    const stopConditions = args.stopAlarmArns.map((value) => ({
      source: "aws:cloudwatch:alarm",
      value,
    }));
    const stackTags = [{ key: "Stack", value: args.stackTag }];
    const template = (
      key: string,
      spec: Omit<aws.fis.ExperimentTemplateArgs, "roleArn" | "stopConditions">,
    ) =>
      new aws.fis.ExperimentTemplate(
        `${name}-${key}`,
        { ...spec, roleArn: role.arn, stopConditions, tags: { ...tags, Name: `${name}-${key}` } },
        { parent: this, dependsOn: [policy] },
      );

    const az = template("az-outage", {
      description: `${args.availabilityZone} loses network connectivity for ${azOutageDuration}: every subnet of the stack in that AZ`,
      targets: [
        {
          name: "az-subnets",
          resourceType: "aws:ec2:subnet",
          selectionMode: "ALL",
          resourceTags: stackTags,
          filters: [{ path: "AvailabilityZone", values: [args.availabilityZone] }],
        },
      ],
      actions: [
        {
          name: "disrupt-az",
          actionId: "aws:network:disrupt-connectivity",
          parameters: [
            { key: "duration", value: azOutageDuration },
            { key: "scope", value: "all" },
          ],
          target: { key: "Subnets", value: "az-subnets" },
        },
      ],
    });
    const aurora = template("aurora-failover", {
      description:
        "Fail the Aurora writer over to a reader in this region (run where the writer is)",
      targets: [
        {
          name: "cluster",
          resourceType: "aws:rds:cluster",
          selectionMode: "ALL",
          resourceArns: [args.clusterArn],
        },
      ],
      actions: [
        {
          name: "failover",
          actionId: "aws:rds:failover-db-cluster",
          target: { key: "Clusters", value: "cluster" },
        },
      ],
    });
    const terminate = template("terminate-share", {
      description: `Terminate ${terminatePercent} % of the stack's running instances; Auto Scaling replaces them`,
      targets: [
        {
          name: "instances",
          resourceType: "aws:ec2:instance",
          selectionMode: `PERCENT(${terminatePercent})`,
          resourceTags: stackTags,
          filters: [{ path: "State.Name", values: ["running"] }],
        },
      ],
      actions: [
        {
          name: "terminate",
          actionId: "aws:ec2:terminate-instances",
          target: { key: "Instances", value: "instances" },
        },
      ],
    });

    this.roleArn = role.arn;
    this.templateIds = {
      "az-outage": az.id,
      "aurora-failover": aurora.id,
      "terminate-share": terminate.id,
    };
    this.registerOutputs({ roleArn: this.roleArn, templateIds: this.templateIds });
  }
}
