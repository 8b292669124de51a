/**
 * Typed, validated stack configuration. This is the only module that reads `pulumi.Config`.
 *
 * Every value is checked before any resource is declared. A mistake stops the program with a
 * message that names the full key (`securecart:services.checkout.minSize`), the value found and
 * what is allowed, and without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { z } from "zod";
import { ALB_LIMITS, routingProblems } from "../components/routing";
import { azSlot, vpcCidrProblem } from "../components/subnets";
import { ELB_LOGICAL_NAME_MAX_LENGTH } from "../components/naming";
import { LOG_RETENTION_DAYS } from "../components/regionalWebAcl";
import { RATE_LIMIT_MAX, RATE_LIMIT_MIN, RATE_WINDOWS_SECONDS } from "../components/wafRules";

/** Regions of the commercial `aws` partition, from the AWS provider's own region list. */
export const COMMERCIAL_REGIONS: readonly string[] = Object.values(aws.Region).filter(
  (r) => !/^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/.test(r),
);

/** TLS 1.3 listener policies are named this way; anything else allows older protocols. */
const TLS13_POLICY = /^ELBSecurityPolicy-TLS13-/;

/**
 * Service names end up in logical names such as `web-<service>-tg`, which must stay within
 * ELB's name limit after autonaming (see components/naming.ts).
 */
export const SERVICE_NAME_MAX_LENGTH = ELB_LOGICAL_NAME_MAX_LENGTH - "web--tg".length;

const between = (lo: number, hi: number) => {
  const error = `must be an integer from ${lo} to ${hi}`;
  return z.number({ error }).int({ error }).min(lo, { error }).max(hi, { error });
};

const healthCheckSchema = z
  .strictObject({
    path: z
      .string()
      .regex(/^\/\S{0,1023}$/, { error: 'must start with "/" and have no spaces' })
      .default("/healthz"),
    matcher: z
      .string()
      .regex(/^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/, {
        error: 'must be HTTP codes 200-499 such as "200" or "200-299"',
      })
      .default("200"),
    intervalSeconds: between(5, 300).default(10),
    timeoutSeconds: between(2, 120).default(5),
    healthyThreshold: between(2, 10).default(3),
    unhealthyThreshold: between(2, 10).default(2),
  })
  .refine((h) => h.timeoutSeconds < h.intervalSeconds, {
    error: "timeoutSeconds must be less than intervalSeconds",
    path: ["timeoutSeconds"],
  });

const fleetFields = {
  // At least one instance: a target group with no registered targets counts as unhealthy for
  // Route 53's evaluate-target-health, which would fail the whole region over.
  minSize: between(1, 1000),
  maxSize: between(1, 1000),
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    error: "must be an EC2 instance type such as m7i.large",
  }),
  port: between(1024, 65535).default(8080),
  healthCheck: healthCheckSchema.default(healthCheckSchema.parse({})),
  deregistrationDelaySeconds: between(0, 3600).default(30),
};

const minNotAboveMax = (f: { minSize: number; maxSize: number }) => f.minSize <= f.maxSize;
const minAboveMaxIssue = {
  error: "must be <= maxSize. Lower minSize or raise maxSize",
  path: ["minSize"],
};

const serviceSchema = z
  .strictObject({
    ...fleetFields,
    hosts: z.array(z.string()).default([]),
    paths: z.array(z.string()).default([]),
    stickiness: z.strictObject({ durationSeconds: between(1, 604800) }).optional(),
    priority: between(ALB_LIMITS.priorityMin, ALB_LIMITS.priorityMax).optional(),
  })
  .refine(minNotAboveMax, minAboveMaxIssue);

const paymentsSchema = z
  .strictObject({
    ...fleetFields,
    host: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be a bare subdomain label such as "pay"',
    }),
  })
  .refine(minNotAboveMax, minAboveMaxIssue);

const oneOf = (allowed: readonly number[]) =>
  z.number().refine((n) => allowed.includes(n), {
    error: `must be one of ${allowed.join(", ")}`,
  });

const wafSchema = z.strictObject({
  rateLimit: between(RATE_LIMIT_MIN, RATE_LIMIT_MAX).default(2000),
  rateWindowSeconds: oneOf(RATE_WINDOWS_SECONDS).default(300),
  logRetentionDays: oneOf(LOG_RETENTION_DAYS).default(90),
});

const positive = (max: number) => {
  const error = `must be a number > 0 and <= ${max}`;
  return z.number({ error }).gt(0, { error }).max(max, { error });
};

const alarmsSchema = z
  .strictObject({
    email: z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, {
      error: "must be an email address such as oncall@securecart.com",
    }),
    targetResponseTimeP99Seconds: positive(3600).default(1.5),
    elb5xxRatePercent: positive(100).default(1),
    target5xxRatePercent: positive(100).default(2),
    nlbTcpResetsPerMinute: positive(1e9).default(100),
    slowCheckoutTracesPer5Minutes: positive(1e9).default(10),
    evaluationPeriods: between(1, 60).default(5),
    datapointsToAlarm: between(1, 60).default(3),
  })
  .superRefine((a, ctx) => {
    if (a.datapointsToAlarm > a.evaluationPeriods) {
      ctx.addIssue({
        code: "custom",
        message: `must be <= evaluationPeriods (${a.evaluationPeriods}; M of N). Lower datapointsToAlarm or raise evaluationPeriods`,
        path: ["datapointsToAlarm"],
        input: a.datapointsToAlarm,
      });
    }
  });

const tracingSchema = z.strictObject({
  checkoutSampleRate: z
    .number({ error: "must be a number from 0 to 1" })
    .min(0, { error: "must be a number from 0 to 1" })
    .max(1, { error: "must be a number from 0 to 1" })
    .default(0.5),
  checkoutReservoirPerSecond: between(0, 1000).default(5),
  slowCheckoutSeconds: positive(60).default(2),
});

const regionSchema = z.string().refine((r) => COMMERCIAL_REGIONS.includes(r), {
  error: "must be an AWS region of the commercial partition, such as us-east-1",
});

const serviceNameSchema = z
  .string()
  .regex(new RegExp(`^[a-z][a-z0-9-]{0,${SERVICE_NAME_MAX_LENGTH - 1}}$`), {
    error: `must be lower-case letters, digits and hyphens, starting with a letter, at most ${SERVICE_NAME_MAX_LENGTH} characters (it becomes part of ELB names)`,
  });

const schema = z.strictObject({
  "aws:region": regionSchema,
  "securecart:role": z.enum(["primary", "secondary"], { error: "must be primary or secondary" }),
  "securecart:peerRegion": regionSchema,
  "securecart:routing": z.enum(["failover", "latency"], { error: "must be failover or latency" }),
  "securecart:domain": z
    .string()
    .regex(/^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: "must be a lower-case DNS name with no trailing dot, such as securecart.com",
    }),
  "securecart:availabilityZones": z
    .array(z.string())
    .min(2, { error: "must list at least 2 AZs" })
    .max(6, { error: "must list at most 6 AZs" }),
  "securecart:vpcCidr": z.string().superRefine((cidr, ctx) => {
    const problem = vpcCidrProblem(cidr);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: cidr });
  }),
  "securecart:deletionProtection": z.boolean({ error: "must be true or false" }),
  "securecart:tlsPolicy": z.string().regex(TLS13_POLICY, {
    error:
      "must be a TLS 1.3 policy (ELBSecurityPolicy-TLS13-*), e.g. ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  }),
  "securecart:amiParameter": z
    .string()
    .regex(/^\/[A-Za-z0-9_.\-/]+$/, { error: "must be an SSM parameter path starting with /" }),
  "securecart:accessLogRetentionDays": between(1, 3650),
  "securecart:albRuleQuota": between(1, 1000),
  "securecart:services": z
    .record(serviceNameSchema, serviceSchema)
    .refine((s) => Object.keys(s).length > 0, { error: "must define at least one service" }),
  "securecart:payments": paymentsSchema,
  "securecart:waf": wafSchema.default(wafSchema.parse({})),
  "securecart:shieldAdvanced": z.boolean({ error: "must be true or false" }),
  "securecart:alarms": alarmsSchema,
  "securecart:tracing": tracingSchema.default(tracingSchema.parse({})),
});

type RawConfig = z.infer<typeof schema>;

/** Health check settings of one target group. */
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;
/** One web service behind the ALB. */
export type ServiceConfig = RawConfig["securecart:services"][string];
/** The payments service behind the NLB. */
export type PaymentsConfig = RawConfig["securecart:payments"];

/** The regional web ACL's tunables. */
export type WafConfig = RawConfig["securecart:waf"];

/** Alarm email and thresholds. */
export type AlarmsConfig = RawConfig["securecart:alarms"];
/** X-Ray sampling and the slow-checkout threshold. */
export type TracingConfig = RawConfig["securecart:tracing"];

/** Everything the stack composition needs, validated. */
export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  readonly role: "primary" | "secondary";
  readonly peerRegion: string;
  readonly routing: "failover" | "latency";
  readonly domain: string;
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly deletionProtection: boolean;
  readonly tlsPolicy: string;
  readonly amiParameter: string;
  readonly accessLogRetentionDays: number;
  readonly albRuleQuota: number;
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly payments: PaymentsConfig;
  readonly waf: WafConfig;
  readonly shieldAdvanced: boolean;
  readonly alarms: AlarmsConfig;
  readonly tracing: TracingConfig;
}

/** Keys whose values are plain strings; every other key holds JSON (numbers, lists, objects). */
const STRING_KEYS = new Set([
  "aws:region",
  "securecart:role",
  "securecart:peerRegion",
  "securecart:routing",
  "securecart:domain",
  "securecart:vpcCidr",
  "securecart:tlsPolicy",
  "securecart:amiParameter",
]);

/** Every key this program reads. */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

/**
 * A config mistake. It extends `pulumi.RunError`, which Pulumi prints without a stack trace:
 * the message says everything needed to fix the stack file.
 */
export class ConfigError extends pulumi.RunError {
  constructor(
    readonly stack: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration for stack ${stack}:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix ${problems.length === 1 ? "it" : "them"} in Pulumi.${stack}.yaml (README: Config reference).`,
    );
    this.name = "ConfigError";
  }
}

function keyOf(path: readonly PropertyKey[]): string {
  const [top, ...rest] = path.map(String);
  return [top, ...rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))]
    .join("")
    .replace(/\.\[/g, "[");
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

function valueAt(raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined,
    raw,
  );
}

/**
 * Validates raw stack config: a map from full key (`securecart:services`) to the string Pulumi
 * stores. Returns typed config or throws a {@link ConfigError} listing every problem.
 */
export function parseStackConfig(
  stack: string,
  raw: Readonly<Record<string, string>>,
): StackConfig {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    if (!key.startsWith("securecart:") && key !== "aws:region") continue;
    if (STRING_KEYS.has(key)) {
      values[key] = text;
      continue;
    }
    try {
      values[key] = JSON.parse(text);
    } catch {
      problems.push(`\`${key}\` is not valid YAML/JSON for its type; got ${show(text)}`);
    }
  }

  const result = schema.safeParse(values, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const k of issue.keys) {
          const key = keyOf([...issue.path, k]);
          problems.push(
            `\`${key}\` is not a known setting; check its spelling against the README's Config reference`,
          );
        }
        continue;
      }
      const key = keyOf(issue.path);
      const got = "input" in issue ? issue.input : valueAt(values, issue.path);
      problems.push(`\`${key}\` ${issue.message}; got ${show(got)}`);
    }
    throw new ConfigError(stack, problems);
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  const c = result.data;
  const region = c["aws:region"];
  if (c["securecart:peerRegion"] === region) {
    problems.push(
      `\`securecart:peerRegion\` must differ from aws:region; got ${show(region)} for both`,
    );
  }
  const azs = c["securecart:availabilityZones"];
  azs.forEach((az, i) => {
    if (!new RegExp(`^${region}[a-h]$`).test(az) || azSlot(az) === undefined) {
      problems.push(
        `\`securecart:availabilityZones[${i}]\` must be an AZ of ${region} such as ${region}a; got ${show(az)}`,
      );
    }
  });
  if (new Set(azs).size !== azs.length) {
    problems.push(`\`securecart:availabilityZones\` lists an AZ twice; got ${show(azs)}`);
  }
  const services = c["securecart:services"];
  const payHost = c["securecart:payments"].host;
  for (const p of routingProblems(c["securecart:domain"], services, c["securecart:albRuleQuota"])) {
    problems.push(`\`${keyOf(["securecart:services", ...p.path])}\` ${p.message}`);
  }
  for (const [name, svc] of Object.entries(services)) {
    const i = svc.hosts.indexOf(payHost);
    if (i >= 0) {
      problems.push(
        `\`securecart:services.${name}.hosts[${i}]\` is "${payHost}", which securecart:payments.host uses for the NLB; pick another host`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  return {
    stack,
    region,
    role: c["securecart:role"],
    peerRegion: c["securecart:peerRegion"],
    routing: c["securecart:routing"],
    domain: c["securecart:domain"],
    availabilityZones: azs,
    vpcCidr: c["securecart:vpcCidr"],
    deletionProtection: c["securecart:deletionProtection"],
    tlsPolicy: c["securecart:tlsPolicy"],
    amiParameter: c["securecart:amiParameter"],
    accessLogRetentionDays: c["securecart:accessLogRetentionDays"],
    albRuleQuota: c["securecart:albRuleQuota"],
    services,
    payments: c["securecart:payments"],
    waf: c["securecart:waf"],
    shieldAdvanced: c["securecart:shieldAdvanced"],
    alarms: c["securecart:alarms"],
    tracing: c["securecart:tracing"],
  };
}

/** Reads and validates the current stack's config from the Pulumi runtime. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
