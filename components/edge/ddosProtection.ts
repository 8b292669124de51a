import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** How Shield Advanced combines the traffic of a protection group's members for detection. */
export type ShieldAggregation = "SUM" | "MEAN" | "MAX";

/** Arguments of {@link DdosProtection}. */
export interface DdosProtectionArgs {
  /**
   * ARNs of the resources to protect, keyed by a stable name (e.g. `web-alb`, `pay-eip-a`,
   * `zone`). Shield Advanced accepts ALBs, Elastic IPs (`eip-allocation/…`, which is how an NLB is
   * protected), Route 53 hosted zones, CloudFront distributions and Global Accelerator
   * accelerators.
   */
  readonly resourceArns: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * ID of the protection group holding every protected resource; unique in the account (Shield is
   * global), 1–36 letters, digits and hyphens.
   */
  readonly protectionGroupId: string;
  /**
   * How the group's traffic is combined. MAX suits members that do not share one traffic stream
   * (an ALB, the payments EIPs and a hosted zone).
   * @default "MAX"
   */
  readonly aggregation?: ShieldAggregation;
  /** Tags added to every resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Shield Advanced protections for a set of resources plus one protection group (pattern
 * ARBITRARY) over all of them, so Shield detects and mitigates for them together.
 *
 * The Shield Advanced subscription itself is not created here: it is per account (one fee per
 * consolidated-billing family), has a one-year commitment and renews automatically, so it is a
 * deliberate, manual purchase. Protections fail to create until it exists.
 */
export class DdosProtection extends pulumi.ComponentResource {
  /** Protection IDs keyed like `resourceArns`. */
  public readonly protectionIds: Record<string, pulumi.Output<string>>;
  /** The protection group's ARN. */
  public readonly protectionGroupArn: pulumi.Output<string>;

  constructor(name: string, args: DdosProtectionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:DdosProtection", name, {}, opts);
    const aggregation = args.aggregation ?? "MAX";
    const tags = args.tags ?? {};

    const keys = Object.keys(args.resourceArns);
    if (keys.length === 0) {
      throw new pulumi.ResourceError(
        "resourceArns must name at least one resource to protect; got none. Turn Shield off instead",
        this,
      );
    }
    if (!/^[A-Za-z0-9-]{1,36}$/.test(args.protectionGroupId)) {
      throw new pulumi.ResourceError(
        `protectionGroupId must be 1–36 letters, digits and hyphens (Shield's format); got "${args.protectionGroupId}"`,
        this,
      );
    }
    if (!["SUM", "MEAN", "MAX"].includes(aggregation)) {
      throw new pulumi.ResourceError(
        `aggregation must be SUM, MEAN or MAX; got "${String(aggregation)}"`,
        this,
      );
    }

    const protections: aws.shield.Protection[] = [];
    this.protectionIds = {};
    for (const key of keys) {
      const protection = new aws.shield.Protection(
        `${name}-${key}`,
        { resourceArn: args.resourceArns[key], tags },
        { parent: this },
      );
      protections.push(protection);
      this.protectionIds[key] = protection.id;
    }
    // Shield accepts only protected resources as members, so the group waits for the protections.
    const group = new aws.shield.ProtectionGroup(
      `${name}-group`,
      {
        protectionGroupId: args.protectionGroupId,
        aggregation,
        pattern: "ARBITRARY",
        members: protections.map((p) => p.resourceArn),
        tags,
      },
      { parent: this, dependsOn: protections },
    );

    this.protectionGroupArn = group.protectionGroupArn;
    this.registerOutputs({
      protectionIds: this.protectionIds,
      protectionGroupArn: this.protectionGroupArn,
    });
  }
}
