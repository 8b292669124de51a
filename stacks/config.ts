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
import {
  PRACTICE_RUN_DATE,
  PRACTICE_RUN_MAX_WINDOWS,
  windowProblem,
} from "../components/recovery/zonalShiftRules";
import {
  ALB_LIMITS,
  routingProblems,
  ruleValueCount,
  sharedHostLabels,
} from "../components/loadBalancing/routing";
import { azSlot, vpcCidrProblem } from "../components/network/subnets";
import { ELB_LOGICAL_NAME_MAX_LENGTH } from "../components/naming";
import {
  APPROVED_TLS_POLICY,
  APPROVED_TLS_POLICY_TEXT,
} from "../components/loadBalancing/loadBalancedService";
import {
  APEX,
  CNAME_TTL_LIMITS,
  HEALTH_CHECK_RULE_PRIORITY,
  ROUTE53_HEALTH_CHECK_LIMITS as R53,
  checkerRegionProblems,
} from "../components/dns/failoverPlan";
import { ec2CronProblem, timeZoneProblem } from "../components/scaling/scheduleRules";
import {
  AURORA_ENGINE,
  DATABASE_LIMITS,
  GLOBAL_INSTANCE_CLASS,
  RDS_IDENTIFIER,
  regionalClusterIdentifier,
} from "../components/data/databasePolicies";
import {
  AURORA_MAX_REPLICAS,
  Deployment,
  RegionRole,
  peersOf,
  roleOf,
  topologyProblems,
} from "../components/topology";
import { ROTATION_DAYS } from "../components/data/rotatedSecret";
import {
  WRITE_FORWARDING_DEFAULTS,
  forwardsWrites,
  maxProxyPoolPercent,
  supportsGlobalWriteForwarding,
} from "../components/data/writeForwarding";
import { requiresWriter } from "../components/recovery/healthSemantics";
import { GP3_MAX_GIB } from "../components/loadBalancing/fleet";
import { APPLIANCE_GRACE_PERIOD_SECONDS } from "../components/network/inspectionGateway";
import {
  DATABASE_THRESHOLD_LIMITS as DB_ALARM_MAX,
  DEFAULT_DATABASE_ALARM_THRESHOLDS as DB_ALARM_DEFAULT,
} from "../components/observability/databaseAlarms";
import { LOG_RETENTION_DAYS } from "../components/edge/regionalWebAcl";
import {
  RATE_LIMIT_MAX,
  RATE_LIMIT_MIN,
  RATE_WINDOWS_SECONDS,
  healthCheckRequestsPerWindow,
} from "../components/edge/wafRules";
import {
  AdminAccessConfig,
  FlowLogsConfig,
  ADMIN_HOST,
  adminAccessSchema,
  adminHostProblems,
  adminNetworkProblems,
  adminRuleValueProblems,
  amiIdSchema,
  amisSchema,
  flowLogsSchema,
} from "./securityConfig";
import {
  CONFIG_DOC,
  UNKNOWN_KEYS_ANCHOR,
  configAnchor,
  foreignKeyProblems,
  issueMessage,
  keyOf,
  show,
  zodProblems,
} from "./configMessages";

/** Regions of the commercial `aws` partition, from the AWS provider's own region list. */
export const COMMERCIAL_REGIONS: readonly string[] = Object.values(aws.Region).filter(
  (r) => !/^(cn-|us-gov-|us-iso|eu-isoe-|eusc-)/.test(r),
);

/**
 * Service names end up in logical names such as `web-<service>-tg`, which must stay within
 * ELB's name limit after autonaming (see components/naming.ts).
 */
export const SERVICE_NAME_MAX_LENGTH = ELB_LOGICAL_NAME_MAX_LENGTH - "web--tg".length;

const between = (lo: number, hi: number) => {
  const error = `must be an integer from ${lo} to ${hi}`;
  return z.number({ error }).int({ error }).min(lo, { error }).max(hi, { error });
};

/**
 * A target group's health check. `intervalSeconds`/`timeoutSeconds` defaults differ per kind of
 * fleet: see {@link WEB_HEALTH_CHECK_TIMING}.
 */
const healthCheckSchemaWith = (timing: { intervalSeconds: number; timeoutSeconds: number }) =>
  z
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
      intervalSeconds: between(5, 300).default(timing.intervalSeconds),
      timeoutSeconds: between(2, 120).default(timing.timeoutSeconds),
      healthyThreshold: between(2, 10).default(3),
      unhealthyThreshold: between(2, 10).default(2),
    })
    .refine((h) => h.timeoutSeconds < h.intervalSeconds, {
      error: "timeoutSeconds must be less than intervalSeconds",
      path: ["timeoutSeconds"],
    });

/**
 * Web (ALB) target groups check every 5 s with 2 failures to mark a target unhealthy: ELB's
 * minimums (interval 5-300 s, unhealthy threshold 2-10; ELB guide, "Health checks for Application
 * Load Balancer target groups"). After an AZ is lost, the ALB keeps sending new requests to that
 * AZ's targets until they fail these checks, so 5 s x 2 = 10 s is the shortest window AWS allows
 * (docs/failover.md, "Losing an Availability Zone"). The timeout must stay below the interval.
 */
export const WEB_HEALTH_CHECK_TIMING = { intervalSeconds: 5, timeoutSeconds: 4 } as const;

const healthCheckSchema = healthCheckSchemaWith({ intervalSeconds: 10, timeoutSeconds: 5 });
const webHealthCheckSchema = healthCheckSchemaWith(WEB_HEALTH_CHECK_TIMING);

/** A plain-string check from a pure helper, as a zod refinement with the helper's explanation. */
const checkedBy = (problemOf: (v: string) => string | undefined, what: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem)
      ctx.addIssue({ code: "custom", message: `must be ${what} (${problem})`, input: value });
  });

const timeZoneSchema = checkedBy(timeZoneProblem, "a canonical IANA time zone name");

const scheduleSchema = z.strictObject({
  recurrence: checkedBy(ec2CronProblem, "a 5-field EC2 Auto Scaling cron expression"),
  // At least one instance, for the same reason as the fleet's minSize below.
  minSize: between(1, 1000),
  maxSize: between(1, 1000).optional(),
  desiredCapacity: between(1, 1000).optional(),
  timeZone: timeZoneSchema.optional(),
});

const scheduleNameSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
  error: "must be kebab-case (a-z, 0-9, -), at most 32 characters",
});

const targetPercent = z
  .number({ error: "must be a number from 1 to 100" })
  .min(1, { error: "must be a number from 1 to 100" })
  .max(100, { error: "must be a number from 1 to 100" });

const scalingFields = {
  cpuTargetPercent: targetPercent.default(60),
  predictiveScaling: z
    .enum(["off", "ForecastOnly", "ForecastAndScale"], {
      error: "must be off, ForecastOnly or ForecastAndScale",
    })
    .default("off"),
  schedules: z.record(scheduleNameSchema, scheduleSchema).default({}),
};

const webScalingSchema = z.strictObject({
  ...scalingFields,
  requestsPerTarget: z
    .number({ error: "must be a number of requests per target per minute > 0" })
    .positive({ error: "must be a number of requests per target per minute > 0" })
    .default(1000),
});

// Payments sits behind the NLB, which has no request count: CPU tracking only.
const paymentsScalingSchema = z.strictObject(scalingFields);

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
    healthCheck: webHealthCheckSchema.default(webHealthCheckSchema.parse({})),
    hosts: z.array(z.string()).default([]),
    paths: z.array(z.string()).default([]),
    stickiness: z.strictObject({ durationSeconds: between(1, 604800) }).optional(),
    priority: between(ALB_LIMITS.priorityMin, ALB_LIMITS.priorityMax).optional(),
    scaling: webScalingSchema.default(webScalingSchema.parse({})),
  })
  .refine(minNotAboveMax, minAboveMaxIssue);

const paymentsSchema = z
  .strictObject({
    ...fleetFields,
    host: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be a bare subdomain label such as "pay"',
    }),
    scaling: paymentsScalingSchema.default(paymentsScalingSchema.parse({})),
  })
  .refine(minNotAboveMax, minAboveMaxIssue);

const inspectionSchema = z
  .strictObject({
    enabled: z.boolean({ error: "must be true or false" }),
    ami: amiIdSchema.optional(),
    amiParameter: z
      .string()
      .regex(/^\/[A-Za-z0-9_.\-/]+$/, { error: "must be an SSM parameter path starting with /" })
      .optional(),
    instanceType: fleetFields.instanceType.default("c6in.large"),
    minSize: between(1, 100).default(2),
    maxSize: between(1, 100).default(4),
    cpuTargetPercent: between(1, 100).default(60),
    healthPort: between(1, 65535)
      .refine((p) => p !== 6081, { error: "must not be 6081, which carries GENEVE traffic" })
      .default(80),
    healthPath: z
      .string()
      .regex(/^\/\S{0,1023}$/, { error: 'must start with "/" and have no spaces' })
      .optional(),
    // Unset: the image's own root device name and snapshot size (docs/data-tier-fixes.md).
    rootDeviceName: z
      .string()
      .regex(/^\/dev\/(sd[a-z][0-9]{0,2}|xvd[a-z]{1,2}[0-9]{0,2})$/, {
        error: "must be a Linux block device name such as /dev/sda1 or /dev/xvda",
      })
      .optional(),
    rootVolumeGiB: between(1, GP3_MAX_GIB).optional(),
    // Capped at 2 h by choice, not by AWS: a longer grace hides a dead appliance for that long.
    healthCheckGracePeriodSeconds: between(0, 7200).default(APPLIANCE_GRACE_PERIOD_SECONDS),
  })
  .refine(minNotAboveMax, minAboveMaxIssue)
  .superRefine((i, ctx) => {
    if (!i.enabled) return;
    if ((i.ami === undefined) === (i.amiParameter === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["ami"],
        message:
          "with enabled: true, set exactly one of `ami` or `amiParameter` to the vendor appliance image (docs/inspection.md)",
      });
    }
  });
// Literal (no wildcards) because it is also an ALB path condition, at most 128 characters.
const healthPathSchema = z.string().regex(/^\/[A-Za-z0-9_\-.$/~"'@:+&]{0,127}$/, {
  error: 'must be a literal path starting with "/", at most 128 characters, no wildcards',
});
const dnsHealthCheckSchema = z.strictObject({
  // The primary's records: passes only where the Aurora writer is (docs/failover.md).
  path: healthPathSchema.default("/healthz/deep"),
  // The secondary's records: passes where browsing works, writer or not.
  readPath: healthPathSchema.default("/healthz/ready"),
  // Must be a database client where `path` needs the writer (checkout is one by default).
  service: z.string().default("checkout"),
  // Which web services' target groups can fail the region over through evaluate-target-health;
  // the others get a DNS failover threshold of off (docs/data-tier-fixes.md, item 5).
  regionHealthServices: z
    .array(z.string())
    .min(1, { error: "must name at least one service" })
    .optional(),
  failureThreshold: between(R53.failureThresholdMin, R53.failureThresholdMax).default(3),
  requestIntervalSeconds: z
    .union(
      R53.requestIntervalsSeconds.map((s) => z.literal(s)),
      { error: `must be ${R53.requestIntervalsSeconds.join(" or ")}` },
    )
    .default(10),
  regions: z
    .array(z.string())
    .superRefine((regions, ctx) => {
      for (const p of checkerRegionProblems(regions)) {
        // The list itself is appended as "got …", like every other config error.
        const message = p.replace(/^regions /, "").replace(/; got [^;]*$/, "");
        ctx.addIssue({ code: "custom", message, input: regions });
      }
    })
    .default(["eu-west-1", "us-east-1", "us-west-1", "us-west-2"]),
  measureLatency: z.boolean({ error: "must be true or false" }).default(false),
});

const dnsSchema = z.strictObject({
  apex: z.boolean({ error: "must be true or false" }).default(true),
  cnameTtlSeconds: z
    .record(z.string(), between(CNAME_TTL_LIMITS.min, CNAME_TTL_LIMITS.max))
    .default({}),
  healthCheck: dnsHealthCheckSchema.default(dnsHealthCheckSchema.parse({})),
  alarmEmail: z.email({ error: "must be an email address" }).optional(),
});

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
    dbCpuPercent: positive(DB_ALARM_MAX.dbCpuPercent).default(DB_ALARM_DEFAULT.dbCpuPercent),
    dbConnections: between(1, DB_ALARM_MAX.dbConnections).default(DB_ALARM_DEFAULT.dbConnections),
    dbReplicationLagMilliseconds: positive(DB_ALARM_MAX.dbReplicationLagMilliseconds).default(
      DB_ALARM_DEFAULT.dbReplicationLagMilliseconds,
    ),
    proxyClientConnections: between(1, DB_ALARM_MAX.proxyClientConnections).default(
      DB_ALARM_DEFAULT.proxyClientConnections,
    ),
    proxyBorrowLatencyMicroseconds: positive(DB_ALARM_MAX.proxyBorrowLatencyMicroseconds).default(
      DB_ALARM_DEFAULT.proxyBorrowLatencyMicroseconds,
    ),
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

const deploymentSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
    error: "must be a short kebab-case name such as prod or staging",
  }),
  primary: regionSchema,
  secondaries: z.array(regionSchema).default([]),
});

const serviceNameSchema = z
  .string()
  .regex(new RegExp(`^[a-z][a-z0-9-]{0,${SERVICE_NAME_MAX_LENGTH - 1}}$`), {
    error: `must be lower-case letters, digits and hyphens, starting with a letter, at most ${SERVICE_NAME_MAX_LENGTH} characters (it becomes part of ELB names)`,
  });

const poolSchema = z
  .strictObject({
    // Unset: DEFAULT_POOL_PERCENT, or less with write forwarding (resolvePoolPercent).
    maxConnectionsPercent: between(
      DATABASE_LIMITS.maxConnectionsPercentMin,
      DATABASE_LIMITS.maxConnectionsPercentMax,
    ).optional(),
    maxIdleConnectionsPercent: between(0, DATABASE_LIMITS.maxConnectionsPercentMax).default(50),
    connectionBorrowTimeoutSeconds: between(0, DATABASE_LIMITS.borrowTimeoutMaxSeconds).default(
      120,
    ),
  })
  .refine((p) => p.maxIdleConnectionsPercent <= (p.maxConnectionsPercent ?? 100), {
    error: "must be <= maxConnectionsPercent. Lower it or raise maxConnectionsPercent",
    path: ["maxIdleConnectionsPercent"],
  });

// Global write forwarding's cluster parameters (components/data/writeForwarding.ts), used only where
// it is on (latency routing over a global database).
const writeForwardingSchema = z.strictObject({
  // AWS allows 1-100; 100 would leave the proxy no connection at all.
  maxForwardingConnectionsPercent: between(1, 99).default(
    WRITE_FORWARDING_DEFAULTS.maxForwardingConnectionsPercent,
  ),
  // AWS allows 0 (wait forever) to 2147483647; capped at 5 min by choice.
  connectTimeoutSeconds: between(1, 300).default(WRITE_FORWARDING_DEFAULTS.connectTimeoutSeconds),
  consistencyMode: z
    .enum(["session", "eventual", "global"], {
      error: 'must be "session", "eventual" or "global" ("off" turns forwarding off)',
    })
    .default(WRITE_FORWARDING_DEFAULTS.consistencyMode),
});

const databaseSchema = z.strictObject({
  global: z.boolean({ error: "must be true or false" }).default(true),
  engine: z
    .literal(AURORA_ENGINE, {
      error: `must be "${AURORA_ENGINE}": RDS Proxy's POSTGRESQL family over an Aurora global database is the only design built`,
    })
    .default(AURORA_ENGINE),
  globalClusterIdentifier: z.string().regex(RDS_IDENTIFIER, {
    error:
      "must start with a letter and hold only lower-case letters, digits and single hyphens, not ending in a hyphen",
  }),
  engineVersion: z.string().regex(/^\d{2}\.\d{1,2}$/, {
    error: 'must be an Aurora PostgreSQL major.minor version such as "16.4"',
  }),
  // A regional cluster (global: false, e.g. staging) may use any class; a global one is checked
  // against GLOBAL_INSTANCE_CLASS below.
  instanceClass: z.string().regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, {
    error: "must be an RDS instance class such as db.r7g.large",
  }),
  readers: between(DATABASE_LIMITS.readersMin, DATABASE_LIMITS.readersMax).default(1),
  backupRetentionDays: between(
    DATABASE_LIMITS.backupRetentionMinDays,
    DATABASE_LIMITS.backupRetentionMaxDays,
  ).default(14),
  pool: poolSchema.default(poolSchema.parse({})),
  writeForwarding: writeForwardingSchema.default(writeForwardingSchema.parse({})),
  idleClientTimeoutSeconds: between(
    DATABASE_LIMITS.idleClientTimeoutMinSeconds,
    DATABASE_LIMITS.idleClientTimeoutMaxSeconds,
  ).default(1800),
  rotationDays: between(ROTATION_DAYS.min, ROTATION_DAYS.max).default(30),
  // Off only for a regional cluster that is torn down and rebuilt (staging): RDS refuses a
  // final snapshot whose identifier already exists, so a fixed name fails the second teardown.
  finalSnapshot: z.boolean({ error: "must be true or false" }).default(true),
  clients: z
    .array(z.string())
    .min(1, { error: "must name at least one service" })
    .default(["cart", "orders", "checkout"]),
});

/** Services that keep sessions or carts, when `securecart:sessions.clients` is not set. */
export const DEFAULT_SESSION_CLIENTS: readonly string[] = [
  "storefront",
  "cart",
  "checkout",
  "orders",
];

const sessionsSchema = z
  .strictObject({
    tableName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
        error: "must be 3-255 letters, digits, '_', '-' or '.' (DynamoDB's table name rule)",
      })
      .default("securecart-sessions"),
    readCapacity: between(1, 40000),
    writeCapacity: between(1, 40000),
    maxWriteCapacity: between(1, 40000).optional(),
    maxReadCapacity: between(1, 40000).optional(),
    /** Services whose instance roles may read and write the table; unset: every one of
     * {@link DEFAULT_SESSION_CLIENTS} that this stack has. */
    clients: z.array(z.string()).min(1, { error: "must name at least one service" }).optional(),
  })
  .refine((s) => s.maxWriteCapacity === undefined || s.maxWriteCapacity >= s.writeCapacity, {
    error: "must be >= writeCapacity. Raise maxWriteCapacity or lower writeCapacity",
    path: ["maxWriteCapacity"],
  })
  .refine((s) => s.maxReadCapacity === undefined || s.maxReadCapacity >= s.readCapacity, {
    error: "must be >= readCapacity. Raise maxReadCapacity or lower readCapacity",
    path: ["maxReadCapacity"],
  });

const zonalAutoshiftSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).default(true),
  allowedWindows: z
    .array(checkedBy(windowProblem, "a UTC window Day:HH:MM-Day:HH:MM within one day"))
    .max(PRACTICE_RUN_MAX_WINDOWS, { error: `takes at most ${PRACTICE_RUN_MAX_WINDOWS} windows` })
    .default([]),
  blockedDates: z
    .array(z.string().regex(PRACTICE_RUN_DATE, { error: "must be a YYYY-MM-DD date" }))
    .max(PRACTICE_RUN_MAX_WINDOWS, { error: `takes at most ${PRACTICE_RUN_MAX_WINDOWS} dates` })
    .default([]),
});

/** Every key a stack file may hold, as zod validates it; `npm run docs` documents it. */
export const CONFIG_SCHEMA = z.strictObject({
  "aws:region": regionSchema,
  "securecart:deployment": deploymentSchema,
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
  "securecart:tlsPolicy": z.string().regex(APPROVED_TLS_POLICY, {
    error: `must be ${APPROVED_TLS_POLICY_TEXT}, e.g. ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`,
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
  "securecart:inspection": inspectionSchema,
  "securecart:dns": dnsSchema.default(dnsSchema.parse({})),
  "securecart:scalingTimeZone": timeZoneSchema,
  "securecart:database": databaseSchema,
  "securecart:sessions": sessionsSchema,
  "securecart:waf": wafSchema.default(wafSchema.parse({})),
  "securecart:shieldAdvanced": z.boolean({ error: "must be true or false" }),
  "securecart:alarms": alarmsSchema,
  "securecart:tracing": tracingSchema.default(tracingSchema.parse({})),
  "securecart:zonalAutoshift": zonalAutoshiftSchema.default(zonalAutoshiftSchema.parse({})),
  "securecart:amis": amisSchema,
  "securecart:admin": adminAccessSchema,
  "securecart:flowLogs": flowLogsSchema,
});

const schema = CONFIG_SCHEMA;

type RawConfig = z.infer<typeof schema>;

/** Health check settings of one target group. */
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;
/** One web service behind the ALB. */
export type ServiceConfig = RawConfig["securecart:services"][string];
/** The payments service behind the NLB. */
export type PaymentsConfig = RawConfig["securecart:payments"];
/** Inbound inspection through a Gateway Load Balancer. */
export type InspectionConfig = RawConfig["securecart:inspection"];
/** Route 53 health checks, records and alarms. */
export type DnsConfig = RawConfig["securecart:dns"];
/** One scheduled change of an Auto Scaling group's size. */
export type ScheduleConfig = z.infer<typeof scheduleSchema>;

/** The Aurora global database and its proxy. */
type RawDatabase = RawConfig["securecart:database"];
/** The database, with the proxy pool's share resolved (resolvePoolPercent). */
export type DatabaseConfig = Omit<RawDatabase, "pool"> & {
  readonly pool: RawDatabase["pool"] & { readonly maxConnectionsPercent: number };
};

/** The proxy pool's share of the writer's connections when config sets none. */
export const DEFAULT_POOL_PERCENT = 90;

/**
 * The pool's `MaxConnectionsPercent`: the configured one, else DEFAULT_POOL_PERCENT capped at
 * what write forwarding leaves (forwarded sessions take their quota of the writer's
 * `max_connections`; components/data/writeForwarding.ts), and that cap.
 */
export function resolvePoolPercent(
  db: Pick<RawDatabase, "pool" | "writeForwarding">,
  forwarding: boolean,
): { readonly percent: number; readonly ceiling: number } {
  const ceiling = forwarding
    ? maxProxyPoolPercent(db.writeForwarding.maxForwardingConnectionsPercent)
    : DATABASE_LIMITS.maxConnectionsPercentMax;
  return {
    percent: db.pool.maxConnectionsPercent ?? Math.min(DEFAULT_POOL_PERCENT, ceiling),
    ceiling,
  };
}
/** The sessions and carts global table; `clients` resolved against the stack's services. */
export type SessionsConfig = Omit<RawConfig["securecart:sessions"], "clients"> & {
  readonly clients: readonly string[];
};

/** The regional web ACL's tunables. */
export type WafConfig = RawConfig["securecart:waf"];

/** Alarm email and thresholds. */
export type AlarmsConfig = RawConfig["securecart:alarms"];
/** X-Ray sampling and the slow-checkout threshold. */
export type TracingConfig = RawConfig["securecart:tracing"];
/** ARC zonal autoshift of the load balancers and its weekly practice runs. */
export type ZonalAutoshiftConfig = RawConfig["securecart:zonalAutoshift"];

/** Everything the stack composition needs, validated. */
export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  /** The deployment this stack is one region of (`securecart:deployment`). */
  readonly deployment: Deployment;
  /** This region's role, derived from the deployment. */
  readonly role: RegionRole;
  /** The deployment's other regions, primary first. */
  readonly peerRegions: readonly string[];
  readonly routing: "failover" | "latency";
  readonly domain: string;
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  readonly deletionProtection: boolean;
  readonly tlsPolicy: string;
  /** Public SSM parameter that `npm run ami:check` compares the pinned AMIs with. */
  readonly amiParameter: string;
  /** The pinned AMI of this region's fleets (from `securecart:amis`). */
  readonly ami: string;
  readonly accessLogRetentionDays: number;
  readonly albRuleQuota: number;
  readonly services: Readonly<Record<string, ServiceConfig>>;
  readonly payments: PaymentsConfig;
  readonly inspection: InspectionConfig;
  readonly dns: DnsConfig;
  /** IANA time zone the scaling schedules are read in unless a schedule names its own. */
  readonly scalingTimeZone: string;
  readonly database: DatabaseConfig;
  readonly sessions: SessionsConfig;
  readonly waf: WafConfig;
  readonly shieldAdvanced: boolean;
  readonly alarms: AlarmsConfig;
  readonly tracing: TracingConfig;
  readonly zonalAutoshift: ZonalAutoshiftConfig;
  readonly admin: AdminAccessConfig;
  readonly flowLogs: FlowLogsConfig;
}

/** Keys whose values are plain strings; every other key holds JSON (numbers, lists, objects). */
const STRING_KEYS = new Set([
  "aws:region",
  "securecart:routing",
  "securecart:domain",
  "securecart:vpcCidr",
  "securecart:tlsPolicy",
  "securecart:amiParameter",
  "securecart:scalingTimeZone",
]);

/** Every key this program reads. */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

/**
 * Where a problem is explained: the section of docs/configuration.md of the top-level key it
 * names first in backticks, or the section on unknown keys.
 */
export function docLinkFor(problem: string, knownKeys: readonly string[] = CONFIG_KEYS): string {
  const key = /`([^`]+)`/.exec(problem)?.[1] ?? "";
  const top = key.split(/[.[]/)[0];
  const anchor = knownKeys.includes(top) ? configAnchor(top) : UNKNOWN_KEYS_ANCHOR;
  return `${CONFIG_DOC}#${anchor}`;
}

/**
 * A config mistake. It extends `pulumi.RunError`, which Pulumi prints without a stack trace:
 * the message says everything needed to fix the stack file.
 */
export class ConfigError extends pulumi.RunError {
  /** The message's lines: each problem with its section of docs/configuration.md. */
  readonly lines: readonly string[];

  constructor(
    readonly stack: string,
    /** One sentence per problem, naming the key, the value and what is allowed. */
    readonly problems: readonly string[],
  ) {
    const lines = problems.map((p) => `${p} (${docLinkFor(p)})`);
    super(
      `Invalid configuration for stack ${stack}:\n` +
        lines.map((p) => `  - ${p}`).join("\n") +
        `\nFix ${problems.length === 1 ? "it" : "them"} in Pulumi.${stack}.yaml (${CONFIG_DOC}).`,
    );
    this.lines = lines;
    this.name = "ConfigError";
  }
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
      // Not JSON: keep the text, and the schema reports the type it expected.
      values[key] = text;
    }
  }

  problems.push(...foreignKeyProblems(Object.keys(raw), "securecart", CONFIG_KEYS));

  const result = schema.safeParse(values, { reportInput: true, error: issueMessage });
  if (!result.success) {
    problems.push(
      ...zodProblems(
        schema,
        result.error.issues,
        values,
        CONFIG_KEYS.filter((k) => k.startsWith("securecart:")),
      ),
    );
    throw new ConfigError(stack, problems);
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  const c = result.data;
  const region = c["aws:region"];
  const deployment = c["securecart:deployment"];
  const db = c["securecart:database"];
  for (const p of topologyProblems({
    deployment,
    region,
    routing: c["securecart:routing"],
    globalDatabase: db.global,
  })) {
    problems.push(`\`securecart:deployment\` ${p}; got ${show(deployment)}`);
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
  const shared = sharedWebHosts({ services, dns: c["securecart:dns"] });
  for (const p of routingProblems(
    c["securecart:domain"],
    services,
    shared,
    c["securecart:albRuleQuota"],
  )) {
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
  problems.push(
    ...dnsProblems(
      c["securecart:dns"],
      services,
      payHost,
      c["securecart:albRuleQuota"],
      c["securecart:database"].clients,
    ),
  );
  const waf = c["securecart:waf"];
  // The rate limit runs before the rule that lets Route 53's health checks through, so it must
  // never shed them (components/edge/wafRules.ts). One web health check probes the ALB.
  const checkerRequests = healthCheckRequestsPerWindow(
    waf.rateWindowSeconds,
    c["securecart:dns"].healthCheck.requestIntervalSeconds,
    1,
  );
  if (waf.rateLimit < checkerRequests) {
    problems.push(
      `\`securecart:waf.rateLimit\` must be at least ${checkerRequests} per ${waf.rateWindowSeconds} s, or the per-IP rate limit could block a Route 53 health checker (one request every ${c["securecart:dns"].healthCheck.requestIntervalSeconds} s, with a 2x margin) and fail the region over. Raise it or shorten rateWindowSeconds; got ${waf.rateLimit}`,
    );
  }
  const fleets: [string, ServiceConfig | PaymentsConfig][] = [
    ...Object.entries(services).map(([n, svc]): [string, ServiceConfig] => [`services.${n}`, svc]),
    ["payments", c["securecart:payments"]],
  ];
  for (const [path, fleet] of fleets) {
    for (const [name, s] of Object.entries(fleet.scaling.schedules)) {
      const key = `securecart:${path}.scaling.schedules.${name}`;
      const max = s.maxSize ?? fleet.maxSize;
      const maxSource =
        s.maxSize === undefined ? `the service's maxSize (${max})` : `maxSize (${max})`;
      if (s.minSize > max) {
        problems.push(
          `\`${key}.minSize\` must be <= ${maxSource}. Lower it or raise the max; got ${s.minSize}`,
        );
      }
      // A schedule may raise capacity, never cut below what this stack promises: the fleet's
      // minSize is the warm capacity the region keeps, and a Region switch raises the desired
      // capacity of the region it activates, which a schedule's lower maxSize or its own
      // desiredCapacity would undo at the next run (docs/scaling.md, "Schedules and a Region
      // switch").
      if (s.minSize < fleet.minSize) {
        problems.push(
          `\`${key}.minSize\` must be >= the service's minSize (${fleet.minSize}): a schedule must not lower the capacity this region keeps. Raise it, or lower the service's minSize; got ${s.minSize}`,
        );
      }
      if (s.maxSize !== undefined && s.maxSize < fleet.maxSize) {
        problems.push(
          `\`${key}.maxSize\` must be >= the service's maxSize (${fleet.maxSize}): a lower maximum would cut the capacity a Region switch raised. Leave it out or raise it; got ${s.maxSize}`,
        );
      }
      if (s.desiredCapacity !== undefined) {
        problems.push(
          `\`${key}.desiredCapacity\` must not be set: at each run it would reset the group's desired capacity, undoing a Region switch's scale-up. Set minSize instead; got ${s.desiredCapacity}`,
        );
      }
    }
  }
  const clusterId = regionalClusterIdentifier(db.globalClusterIdentifier, region);
  if (clusterId.length > DATABASE_LIMITS.identifierMaxLength) {
    problems.push(
      `\`securecart:database.globalClusterIdentifier\` is too long: the regional cluster "${clusterId}" has ${clusterId.length} characters and RDS allows ${DATABASE_LIMITS.identifierMaxLength}. Shorten it; got ${show(db.globalClusterIdentifier)}`,
    );
  }
  if (db.global && !GLOBAL_INSTANCE_CLASS.test(db.instanceClass)) {
    problems.push(
      `\`securecart:database.instanceClass\` must be a memory-optimised class db.r5 or newer (e.g. db.r7g.large), as Aurora global databases need; got ${show(db.instanceClass)}`,
    );
  }
  if (db.global && !db.finalSnapshot) {
    problems.push(
      "`securecart:database.finalSnapshot` must stay true for a global database: its regions are production, and the final snapshot is the last copy of the data when a cluster is deleted. Only a regional cluster (global: false) may skip it; got false",
    );
  }
  if (
    forwardsWrites(c["securecart:routing"], db.global) &&
    !supportsGlobalWriteForwarding(db.engineVersion)
  ) {
    problems.push(
      `\`securecart:database.engineVersion\` must support Aurora global write forwarding (14.9+, 15.4+, or 16 and later) with securecart:routing latency: every region takes checkout, and a secondary region's cluster can only write by forwarding to the writer (docs/topology.md). Upgrade the engine or use failover routing; got ${show(db.engineVersion)}`,
    );
  }
  const forwarding = forwardsWrites(c["securecart:routing"], db.global);
  const pool = resolvePoolPercent(db, forwarding);
  if (pool.percent > pool.ceiling) {
    problems.push(
      `\`securecart:database.pool.maxConnectionsPercent\` must be at most ${pool.ceiling} with global write forwarding: forwarded sessions take up to securecart:database.writeForwarding.maxForwardingConnectionsPercent (${db.writeForwarding.maxForwardingConnectionsPercent}) % of the writer's max_connections from the same pool, and AWS asks to "reduce your proxy's MaxConnectionsPercent value by the quota that's allotted for write forwarding" (docs/topology.md). Lower it, or unset it to get ${pool.ceiling}; got ${db.pool.maxConnectionsPercent}`,
    );
  } else if (db.pool.maxIdleConnectionsPercent > pool.percent) {
    problems.push(
      `\`securecart:database.pool.maxIdleConnectionsPercent\` must be <= maxConnectionsPercent (${pool.percent}${db.pool.maxConnectionsPercent === undefined ? ", its default here" : ""}). Lower it or raise maxConnectionsPercent; got ${db.pool.maxIdleConnectionsPercent}`,
    );
  }
  const maxReaders = AURORA_MAX_REPLICAS - deployment.secondaries.length;
  if (db.global && region === deployment.primary && db.readers > maxReaders) {
    problems.push(
      `\`securecart:database.readers\` must be at most ${maxReaders} in the primary region: Aurora allows 15 replicas minus one per secondary region (${deployment.secondaries.length}); got ${db.readers}`,
    );
  }
  const seenClients = new Set<string>();
  db.clients.forEach((client, i) => {
    if (!(client in services)) {
      problems.push(
        `\`securecart:database.clients[${i}]\` must name a service of securecart:services (${Object.keys(services).sort().join(", ")}); got ${show(client)}`,
      );
    }
    if (seenClients.has(client)) {
      problems.push(`\`securecart:database.clients[${i}]\` lists ${show(client)} twice`);
    }
    seenClients.add(client);
  });
  const seenSessionClients = new Set<string>();
  (c["securecart:sessions"].clients ?? []).forEach((client, i) => {
    if (!(client in services)) {
      problems.push(
        `\`securecart:sessions.clients[${i}]\` must name a service of securecart:services (${Object.keys(services).sort().join(", ")}); got ${show(client)}`,
      );
    }
    if (seenSessionClients.has(client)) {
      problems.push(`\`securecart:sessions.clients[${i}]\` lists ${show(client)} twice`);
    }
    seenSessionClients.add(client);
  });
  // A borrow gives up after the pool's borrow timeout, so an average wait at or above it can
  // never be measured (a timeout of 0 means no limit).
  const alarms = c["securecart:alarms"];
  const borrowMaxMicroseconds = db.pool.connectionBorrowTimeoutSeconds * 1_000_000;
  if (borrowMaxMicroseconds > 0 && alarms.proxyBorrowLatencyMicroseconds >= borrowMaxMicroseconds) {
    problems.push(
      `\`securecart:alarms.proxyBorrowLatencyMicroseconds\` must be below securecart:database.pool.connectionBorrowTimeoutSeconds (${db.pool.connectionBorrowTimeoutSeconds} s = ${borrowMaxMicroseconds} µs), after which a borrow fails instead of waiting, or the alarm can never fire. Lower it; got ${alarms.proxyBorrowLatencyMicroseconds}`,
    );
  }
  problems.push(...adminNetworkProblems(c["securecart:admin"], c["securecart:vpcCidr"]));
  problems.push(...adminHostProblems(services));
  problems.push(
    ...adminRuleValueProblems(c["securecart:admin"], services, (name) =>
      ruleValueCount(services[name], shared),
    ),
  );
  const ami = c["securecart:amis"][region];
  if (ami === undefined) {
    problems.push(
      `\`securecart:amis\` has no AMI for ${region}; add \`${region}: ami-…\` (npm run ami:check prints the current one); got ${show(Object.keys(c["securecart:amis"]))}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);

  return {
    stack,
    region,
    deployment,
    role: roleOf(deployment, region),
    peerRegions: peersOf(deployment, region),
    routing: c["securecart:routing"],
    domain: c["securecart:domain"],
    availabilityZones: azs,
    vpcCidr: c["securecart:vpcCidr"],
    deletionProtection: c["securecart:deletionProtection"],
    tlsPolicy: c["securecart:tlsPolicy"],
    amiParameter: c["securecart:amiParameter"],
    ami,
    accessLogRetentionDays: c["securecart:accessLogRetentionDays"],
    albRuleQuota: c["securecart:albRuleQuota"],
    services,
    payments: c["securecart:payments"],
    inspection: c["securecart:inspection"],
    dns: c["securecart:dns"],
    scalingTimeZone: c["securecart:scalingTimeZone"],
    // Pulumi.yaml defaults the key to {} (the CLI requires a default or a value): that is "not set".
    database: {
      ...db,
      pool: {
        ...db.pool,
        maxConnectionsPercent: resolvePoolPercent(
          db,
          forwardsWrites(c["securecart:routing"], db.global),
        ).percent,
      },
    },
    sessions: {
      ...c["securecart:sessions"],
      clients:
        c["securecart:sessions"].clients ??
        DEFAULT_SESSION_CLIENTS.filter((name) => name in services),
    },
    waf: c["securecart:waf"],
    shieldAdvanced: c["securecart:shieldAdvanced"],
    alarms,
    tracing: c["securecart:tracing"],
    zonalAutoshift: c["securecart:zonalAutoshift"],
    admin: c["securecart:admin"],
    flowLogs: c["securecart:flowLogs"],
  };
}

/** Cross-key checks of `securecart:dns` against the services it points at. */
function dnsProblems(
  dns: DnsConfig,
  services: Readonly<Record<string, ServiceConfig>>,
  payHost: string,
  albRuleQuota: number,
  databaseClients: readonly string[],
): string[] {
  const problems: string[] = [];
  const rules = Object.keys(services).length;
  // One rule per service plus the health-check rule; more services than the quota is reported
  // with the services already.
  if (rules === albRuleQuota) {
    problems.push(
      `\`securecart:services\` need ${rules} listener rules plus 1 for Route 53 health checks; the ALB quota allows ${albRuleQuota}. Merge services or raise the quota with AWS and then securecart:albRuleQuota`,
    );
  }
  const seen = new Set<string>();
  (dns.healthCheck.regionHealthServices ?? []).forEach((name, i) => {
    const key = `\`securecart:dns.healthCheck.regionHealthServices[${i}]\``;
    if (!(name in services)) {
      problems.push(
        `${key} must name a service of securecart:services (${Object.keys(services).sort().join(", ")}); got ${show(name)}`,
      );
    } else if (seen.has(name)) {
      problems.push(`${key} lists ${show(name)} twice`);
    }
    seen.add(name);
  });
  const svc = dns.healthCheck.service;
  if (!(svc in services)) {
    problems.push(
      `\`securecart:dns.healthCheck.service\` must name a service of securecart:services, whose app answers the deep health path; got ${show(svc)}`,
    );
  } else if (requiresWriter(dns.healthCheck.path) && !databaseClients.includes(svc)) {
    problems.push(
      `\`securecart:dns.healthCheck.service\` must be one of \`securecart:database.clients\` (${databaseClients.join(", ")}): Route 53 checks ${dns.healthCheck.path} on it, which passes only when a checkout write commits, and only a database client's role and security groups reach RDS Proxy (docs/failover.md, "Health semantics"). Use checkout, or add ${svc} to the clients; got ${show(svc)}`,
    );
  }
  const served = [...Object.values(services).flatMap((s) => s.hosts), payHost];
  for (const [label, ttl] of Object.entries(dns.cnameTtlSeconds)) {
    if (label === APEX) {
      problems.push(
        `\`securecart:dns.cnameTtlSeconds.${label}\` is the apex, where DNS allows no CNAME; remove it (the apex stays an alias, ${ttl} s asked)`,
      );
    } else if (!served.includes(label)) {
      problems.push(
        `\`securecart:dns.cnameTtlSeconds.${label}\` names no host of securecart:services or securecart:payments; use one of ${served.join(", ")}`,
      );
    }
  }
  for (const [name, s] of Object.entries(services)) {
    if (s.priority === HEALTH_CHECK_RULE_PRIORITY) {
      problems.push(
        `\`securecart:services.${name}.priority\` is ${HEALTH_CHECK_RULE_PRIORITY}, which the ALB rule for Route 53 health checks uses; pick another priority`,
      );
    }
  }
  return problems;
}

/**
 * Services whose target groups decide, through Route 53's evaluate-target-health, whether the
 * region is healthy: the shopping and checkout path, unless config lists them.
 */
export const DEFAULT_REGION_HEALTH_SERVICES: readonly string[] = ["storefront", "cart", "checkout"];

/**
 * The services that define "region healthy": `securecart:dns.healthCheck.regionHealthServices`,
 * or else the deep health check's service plus those of {@link DEFAULT_REGION_HEALTH_SERVICES}
 * the stack has.
 */
export function regionHealthServices(cfg: Pick<StackConfig, "dns" | "services">): string[] {
  const hc = cfg.dns.healthCheck;
  return (
    hc.regionHealthServices ?? [
      ...new Set([hc.service, ...DEFAULT_REGION_HEALTH_SERVICES].filter((s) => s in cfg.services)),
    ]
  );
}

/** Host labels the web ALB's DNS records name: every service host, and `@` for the apex. */
export function webHostLabels(cfg: Pick<StackConfig, "services" | "dns">): string[] {
  const hosts = Object.values(cfg.services).flatMap((s) => s.hosts);
  return cfg.dns.apex ? [APEX, ...hosts] : hosts;
}

/**
 * Host labels path-only services (cart, checkout, …) answer on: the web hosts except the admin
 * host, which serves only the access-controlled admin service (docs/security.md, Admin access).
 */
export function sharedWebHosts(cfg: Pick<StackConfig, "services" | "dns">): string[] {
  return sharedHostLabels(webHostLabels(cfg), [ADMIN_HOST]);
}

/** Reads and validates the current stack's config from the Pulumi runtime. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
