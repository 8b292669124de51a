import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Arguments of {@link ValidatedCertificate}. */
export interface ValidatedCertificateArgs {
  /** Apex domain, e.g. `securecart.com`. */
  readonly domain: string;
  /** Public hosted zone of `domain`, where the validation records go. */
  readonly zoneId: pulumi.Input<string>;
  /**
   * Extra names besides the apex.
   * @default - the wildcard `*.<domain>`, which covers every service host
   */
  readonly subjectAlternativeNames?: readonly string[];
  /** Tags added to the certificate. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Names whose validation records ACM asks for. `*.example.com` is validated by the same record as
 * `example.com`, so wildcards collapse onto their base name.
 */
export function validationNames(domain: string, sans: readonly string[]): string[] {
  return [...new Set([domain, ...sans].map((n) => n.replace(/^\*\./, "")))];
}

/**
 * An ACM certificate in the stack's region, validated by DNS in the hosted zone.
 *
 * ACM asks for the same validation record for the same name in every region of an account, so
 * both regional stacks write it: `allowOverwrite` lets the second stack adopt the record instead
 * of failing, and `retainOnDelete` keeps destroying one stack from deleting the record that the
 * other region's certificate still needs for renewal.
 */
export class ValidatedCertificate extends pulumi.ComponentResource {
  /** ARN of the certificate, available only once ACM has issued it. */
  public readonly certificateArn: pulumi.Output<string>;
  /** FQDNs of the validation records. */
  public readonly validationRecordFqdns: pulumi.Output<string>[];

  constructor(
    name: string,
    args: ValidatedCertificateArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("securecart:components:ValidatedCertificate", name, {}, opts);
    const sans = args.subjectAlternativeNames ?? [`*.${args.domain}`];
    const tags = args.tags ?? {};
    const outside = sans.filter((n) => n !== args.domain && !n.endsWith(`.${args.domain}`));
    if (outside.length > 0) {
      throw new pulumi.ResourceError(
        `subjectAlternativeNames must be inside ${args.domain}, whose zone validates them; got ${outside.join(", ")}`,
        this,
      );
    }

    const cert = new aws.acm.Certificate(
      `${name}-cert`,
      {
        domainName: args.domain,
        subjectAlternativeNames: [...sans],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags,
      },
      { parent: this },
    );

    const records = validationNames(args.domain, sans).map((base) => {
      const option = cert.domainValidationOptions.apply((opts) => {
        const found = opts.find((o) => o.domainName === base);
        if (!found) throw new Error(`ACM returned no validation option for ${base}`);
        return found;
      });
      const label = base === args.domain ? "apex" : base.slice(0, -args.domain.length - 1);
      return new aws.route53.Record(
        `${name}-validation-${label}`,
        {
          zoneId: args.zoneId,
          name: option.resourceRecordName,
          type: option.resourceRecordType,
          records: [option.resourceRecordValue],
          ttl: 300,
          allowOverwrite: true,
        },
        { parent: this, retainOnDelete: true },
      );
    });

    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      { certificateArn: cert.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
      { parent: this },
    );

    this.certificateArn = validation.certificateArn;
    this.validationRecordFqdns = records.map((r) => r.fqdn);
    this.registerOutputs({
      certificateArn: this.certificateArn,
      validationRecordFqdns: this.validationRecordFqdns,
    });
  }
}
