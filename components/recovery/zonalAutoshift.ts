import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { practiceRunProblems } from "./zonalShiftRules";

/** One load balancer that ARC may shift away from an impaired Availability Zone. */
export interface AutoshiftResourceArgs {
  /** The load balancer's ARN; it must have `enableZonalShift: true`. */
  readonly arn: pulumi.Input<string>;
  /**
   * Alarms that end a practice run when they go to ALARM: the customer-visible outcome (error
   * rates, resets), 1 to 10 of them.
   */
  readonly outcomeAlarmArns: readonly pulumi.Input<string>[];
  /** Alarms that keep a practice run from starting while in ALARM. @default - none */
  readonly blockingAlarmArns?: readonly pulumi.Input<string>[];
}

/** Arguments of {@link ZonalAutoshift}. */
export interface ZonalAutoshiftArgs {
  /** Load balancers keyed by a stable name (`web`, `pay`). */
  readonly resources: Readonly<Record<string, AutoshiftResourceArgs>>;
  /**
   * Whether ARC may start autoshifts. The practice run configuration is kept either way, so
   * turning it off does not lose the alarms.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * UTC windows (`Day:HH:MM-Day:HH:MM`, within one day) in which weekly practice runs may start.
   * @default - no restriction
   */
  readonly allowedWindows?: readonly string[];
  /** Dates (`YYYY-MM-DD`) without practice runs, such as a sale. @default - none */
  readonly blockedDates?: readonly string[];
}

/**
 * Zonal autoshift for each load balancer: when AWS detects an AZ impairment it shifts the load
 * balancer's traffic out of that AZ without an operator, and it rehearses that weekly in a
 * practice run that the outcome alarms can stop.
 */
export class ZonalAutoshift extends pulumi.ComponentResource {
  /** The autoshift configurations' IDs (the resource ARNs), keyed like `resources`. */
  public readonly configurationIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: ZonalAutoshiftArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:ZonalAutoshift", name, {}, opts);
    const enabled = args.enabled ?? true;
    const allowedWindows = args.allowedWindows ?? [];
    const blockedDates = args.blockedDates ?? [];

    for (const [key, r] of Object.entries(args.resources)) {
      const known = (list: readonly pulumi.Input<string>[] | undefined) =>
        (list ?? []).map((a) => (typeof a === "string" ? a : undefined));
      const problems = practiceRunProblems({
        outcomeAlarmArns: known(r.outcomeAlarmArns) as string[],
        blockingAlarmArns: known(r.blockingAlarmArns) as string[],
        allowedWindows,
        blockedDates,
      });
      if (problems.length > 0) {
        throw new pulumi.ResourceError(`zonal autoshift for ${key}: ${problems.join("; ")}`, this);
      }
    }

    const alarms = (arns: readonly pulumi.Input<string>[] | undefined) =>
      (arns ?? []).map((alarmIdentifier) => ({ alarmIdentifier, type: "CLOUDWATCH" }));
    this.configurationIds = {};
    for (const [key, r] of Object.entries(args.resources)) {
      const config = new aws.arczonalshift.ZonalAutoshiftConfiguration(
        `${name}-${key}`,
        {
          resourceArn: r.arn,
          zonalAutoshiftStatus: enabled ? "ENABLED" : "DISABLED",
          outcomeAlarms: alarms(r.outcomeAlarmArns),
          blockingAlarms: r.blockingAlarmArns ? alarms(r.blockingAlarmArns) : undefined,
          allowedWindows: allowedWindows.length > 0 ? [...allowedWindows] : undefined,
          blockedDates: blockedDates.length > 0 ? [...blockedDates] : undefined,
        },
        { parent: this },
      );
      this.configurationIds[key] = config.id;
    }
    this.registerOutputs({ configurationIds: this.configurationIds });
  }
}
