import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** AWS's limit on X-Ray sampling rule and group names. */
export const XRAY_NAME_MAX_LENGTH = 32;

/** Arguments of {@link Tracing}. */
export interface TracingArgs {
  /** Instance roles allowed to send traces (through the X-Ray daemon or agent), keyed by service. */
  readonly roleNames: Readonly<Record<string, pulumi.Input<string>>>;
  /** Prefix of the sampling rule's and group's names (X-Ray names allow 32 characters). */
  readonly namePrefix: string;
  /**
   * URL path the checkout sampling rule matches (X-Ray wildcards `*` and `?`).
   * @default "/checkout*"
   */
  readonly checkoutPath?: string;
  /**
   * Share of checkout requests traced beyond the reservoir (0–1). The default rule traces 5 %.
   * @default 0.5
   */
  readonly checkoutSampleRate?: number;
  /**
   * Checkout requests traced each second before the rate applies.
   * @default 5
   */
  readonly checkoutReservoirPerSecond?: number;
  /**
   * Response time in seconds from which a checkout trace counts as slow.
   * @default 2
   */
  readonly slowCheckoutSeconds?: number;
  /** Tags added to every taggable resource. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * AWS X-Ray for the region: a sampling rule that traces checkout far more often than the default
 * rule, a group of slow checkout traces (whose ApproximateTraceCount metric an alarm can watch),
 * and AWSXRayDaemonWriteAccess on every instance role so instances may send traces.
 */
export class Tracing extends pulumi.ComponentResource {
  /** The sampling rule's name. */
  public readonly samplingRuleName: pulumi.Output<string>;
  /** The slow checkout group's name (CloudWatch's `GroupName` dimension). */
  public readonly slowCheckoutGroupName: pulumi.Output<string>;
  /** The slow checkout group's filter expression. */
  public readonly slowCheckoutFilter: string;

  constructor(name: string, args: TracingArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:Tracing", name, {}, opts);
    const checkoutPath = args.checkoutPath ?? "/checkout*";
    const checkoutSampleRate = args.checkoutSampleRate ?? 0.5;
    const reservoir = args.checkoutReservoirPerSecond ?? 5;
    const slowSeconds = args.slowCheckoutSeconds ?? 2;
    const tags = args.tags ?? {};
    const ruleName = `${args.namePrefix}-checkout`;
    const groupName = `${args.namePrefix}-slow-checkout`;

    const problems: string[] = [];
    for (const [field, value] of [
      ["namePrefix (as the sampling rule name)", ruleName],
      ["namePrefix (as the group name)", groupName],
    ]) {
      if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length > XRAY_NAME_MAX_LENGTH) {
        problems.push(
          `${field} gives "${value}" (${value.length} characters); X-Ray allows ${XRAY_NAME_MAX_LENGTH} letters, digits, "-" and "_". Shorten namePrefix`,
        );
      }
    }
    if (!(checkoutSampleRate >= 0 && checkoutSampleRate <= 1)) {
      problems.push(`checkoutSampleRate must be from 0 to 1; got ${checkoutSampleRate}`);
    }
    if (!Number.isInteger(reservoir) || reservoir < 0) {
      problems.push(`checkoutReservoirPerSecond must be a whole number >= 0; got ${reservoir}`);
    }
    if (!(slowSeconds > 0)) {
      problems.push(`slowCheckoutSeconds must be > 0; got ${slowSeconds}`);
    }
    if (!/^\/[^\s"]*$/.test(checkoutPath)) {
      problems.push(
        `checkoutPath must start with "/" and have no spaces or quotes; got "${checkoutPath}"`,
      );
    }
    if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

    const child = { parent: this };
    const rule = new aws.xray.SamplingRule(
      `${name}-checkout`,
      {
        ruleName,
        // Lower numbers win; the default rule is evaluated last.
        priority: 100,
        version: 1,
        fixedRate: checkoutSampleRate,
        reservoirSize: reservoir,
        urlPath: checkoutPath,
        host: "*",
        httpMethod: "*",
        serviceName: "*",
        serviceType: "*",
        resourceArn: "*",
        tags,
      },
      child,
    );

    const pathPrefix = checkoutPath.replace(/[*?].*$/, "");
    this.slowCheckoutFilter = `http.url CONTAINS "${pathPrefix}" AND responsetime > ${slowSeconds}`;
    const group = new aws.xray.Group(
      `${name}-slow-checkout`,
      { groupName, filterExpression: this.slowCheckoutFilter, tags },
      child,
    );

    for (const [key, roleName] of Object.entries(args.roleNames)) {
      new aws.iam.RolePolicyAttachment(
        `${name}-${key}-write`,
        { role: roleName, policyArn: aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess },
        child,
      );
    }

    this.samplingRuleName = rule.ruleName.apply((n) => n ?? ruleName);
    this.slowCheckoutGroupName = group.groupName;
    this.registerOutputs({
      samplingRuleName: this.samplingRuleName,
      slowCheckoutGroupName: this.slowCheckoutGroupName,
      slowCheckoutFilter: this.slowCheckoutFilter,
    });
  }
}
