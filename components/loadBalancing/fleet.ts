import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  DEFAULT_ROLLOUT,
  RolloutPreferences,
  rolloutProblem,
  effectiveMaxHealthyPercentage,
} from "./rollout";

/** A port the instances accept traffic on (ingress) or send to (egress). */
export interface FleetPortRule {
  /** Stable key; the rule resource is named `<fleet>-<key>`. */
  readonly key: string;
  /** IP protocol. */
  readonly protocol: "tcp" | "udp";
  /** Port (a single port, not a range). */
  readonly port: number;
  /** The other side: a security group or an IPv4 range. */
  readonly peer:
    | { readonly securityGroupId: pulumi.Input<string> }
    | { readonly cidrIpv4: pulumi.Input<string> };
  /** Why the rule exists; shown in the console. */
  readonly description: string;
}

/** The root volume of a fleet's instances. */
export interface RootVolumeArgs {
  /** The image's root device name, e.g. `/dev/xvda` or `/dev/sda1`. */
  readonly deviceName: pulumi.Input<string>;
  /**
   * Size in GiB, at least the image's root snapshot.
   * @default - the size of the image's root snapshot
   */
  readonly sizeGiB?: number;
}

/** Arguments of {@link Fleet}. */
export interface FleetArgs {
  /** VPC of the instances. */
  readonly vpcId: pulumi.Input<string>;
  /** Subnets to launch into, one per AZ (the private tier). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** AMI ID, e.g. resolved from an SSM public parameter. */
  readonly imageId: pulumi.Input<string>;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Smallest group size; at least 1. */
  readonly minSize: number;
  /** Largest group size. */
  readonly maxSize: number;
  /** Port the application listens on (and the placeholder bootstrap serves). */
  readonly port: number;
  /** Target group the instances register into. */
  readonly targetGroupArn: pulumi.Input<string>;
  /** The only traffic the instances admit, e.g. the app port from the load balancer's group. */
  readonly ingress: readonly FleetPortRule[];
  /** Traffic the instances may send besides HTTPS to anywhere. @default - none */
  readonly egress?: readonly FleetPortRule[];
  /**
   * `placeholder`: user data that answers every request on `port` with 200 until the real app
   *   ships, so ELB and Route 53 health checks pass on a first deploy.
   * `none`: no user data, for images that configure themselves (such as vendor appliances).
   * @default "placeholder"
   */
  readonly bootstrap?: "placeholder" | "none";
  /**
   * The placeholder serves HTTPS with a self-signed certificate made at first boot, for a TLS
   * target group (NLB does not validate target certificates; docs/security.md).
   * @default false
   */
  readonly tls?: boolean;
  /**
   * Seconds after launch before a new instance counts in the group's metrics (default instance
   * warm-up) and in an instance refresh.
   * @default 120
   */
  readonly warmupSeconds?: number;
  /**
   * Seconds after launch before Auto Scaling acts on a failed ELB health check.
   * @default - warmupSeconds
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /**
   * The root volume (gp3, encrypted). `deviceName` must be the image's root device name, or EC2
   * attaches a second, empty volume and the root keeps the image's defaults.
   * @default - `/dev/xvda`, 20 GiB (the app images)
   */
  readonly rootVolume?: RootVolumeArgs;
  /**
   * Variables written to `/etc/securecart/env` by user data (systemd `EnvironmentFile` format),
   * e.g. the database proxy endpoint. Names are upper-case shell names; values are one line.
   * @default - no environment file
   */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * How a new launch template version rolls out: an instance refresh with a minimum healthy
   * percentage and checkpoints (components/loadBalancing/rollout.ts).
   * @default DEFAULT_ROLLOUT (100-150 % healthy, pauses at 20 % and 50 % for 600 s)
   */
  readonly rollout?: RolloutPreferences;
  /**
   * Names of CloudWatch alarms that fail (stop) an instance refresh when they go into ALARM. The
   * refresh is never rolled back automatically (see the instanceRefresh comment below); the
   * operator reverts `securecart:amis` and rolls forward. At most 10.
   * @default - no alarms: a refresh fails only on health checks
   */
  readonly rollbackAlarmNames?: readonly pulumi.Input<string>[];
  /**
   * Resources the Auto Scaling group waits for, so no instance boots before its subnets' routes
   * exist (Network `privateEgress`: default routes, NAT gateways, gateway endpoints). The boot
   * script installs openssl with dnf when `tls` is set, which fails without them.
   * @default - none
   */
  readonly groupDependsOn?: readonly pulumi.Resource[];
  /** Tags added to every resource and propagated to instances. @default - no extra tags */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Alarms an instance refresh can watch (Auto Scaling API reference, AlarmSpecification). */
const MAX_REFRESH_ALARMS = 10;

/** The largest gp3 volume, in GiB (EBS volume types: 1 GiB to 16 TiB). */
export const GP3_MAX_GIB = 16384;

/** Where user data writes {@link FleetArgs.environment}. */
export const ENVIRONMENT_FILE = "/etc/securecart/env";

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Shell lines that write `env` to {@link ENVIRONMENT_FILE}, sorted by name so the user data (and
 * so the launch template) only changes when a value does. The heredoc is quoted: the shell
 * expands nothing in the values.
 */
export function environmentFileScript(env: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(env).sort();
  if (names.length === 0) return [];
  for (const name of names) {
    if (!ENV_NAME.test(name)) {
      throw new Error(`environment variable names must match ${ENV_NAME}; got "${name}"`);
    }
    if (/[\r\n]/.test(env[name])) {
      throw new Error(
        `environment.${name} must be a single line; got ${JSON.stringify(env[name])}`,
      );
    }
  }
  return [
    `install -d -m 0755 ${ENVIRONMENT_FILE.replace(/\/[^/]+$/, "")}`,
    `cat > ${ENVIRONMENT_FILE} <<'ENV'`,
    ...names.map((n) => `${n}=${env[n]}`),
    "ENV",
    `chmod 0644 ${ENVIRONMENT_FILE}`,
  ];
}

/** Where a TLS placeholder keeps its boot-time key and certificate (root only). */
export const PLACEHOLDER_TLS_DIR = "/etc/securecart/tls";

/**
 * Shell lines that make a self-signed certificate once, at first boot. The key never leaves the
 * instance and is readable by root only; systemd hands it to the service (`LoadCredential`).
 * The script runs under `set -e`, and nothing we could cite guarantees the `openssl` command on
 * every AL2023 image (AL2023 ships OpenSSL 3 and trims package dependencies; the library alone
 * doesn't bring the command), so it is installed from the AL2023 repositories when missing. Those
 * are reachable through the S3 gateway endpoint (components/network/endpointPolicies.ts) or NAT.
 */
export function selfSignedCertificateScript(): string[] {
  return [
    "command -v openssl >/dev/null || dnf -y install openssl",
    `install -d -m 0700 ${PLACEHOLDER_TLS_DIR}`,
    `if [ ! -s ${PLACEHOLDER_TLS_DIR}/tls.key ]; then`,
    `  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$(hostname)" -keyout ${PLACEHOLDER_TLS_DIR}/tls.key -out ${PLACEHOLDER_TLS_DIR}/tls.crt)`,
    "fi",
  ];
}

/**
 * Placeholder instance bootstrap: a tiny HTTP server on `port` that implements the health-path
 * contract of components/recovery/healthSemantics.ts as far as a process without database
 * credentials can:
 * - `/healthz/ready` (browsing) and every other path: 200 while the process is up;
 * - `/healthz/deep` (checkout): 200 only if a TCP connection to the RDS Proxy read/write endpoint
 *   it was told about (`DB_PROXY_ENDPOINT`, `DB_PORT` in the environment file) opens within 2 s,
 *   503 otherwise. It cannot tell a writer from a secondary (that needs a query, so credentials),
 *   and a service given no database (the storefront) answers 200: the stub the real app replaces
 *   (docs/failover.md, "Health semantics").
 * With `tls` it serves HTTPS (TLS 1.2 and newer, as NLB HTTPS health checks need) with a
 * certificate made at boot. Replace it with the application's AMI or bootstrap before real
 * traffic arrives (README: Deploying).
 */
export function bootstrapScript(
  port: number,
  environment: Readonly<Record<string, string>> = {},
  tls = false,
): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    ...environmentFileScript(environment),
    ...(tls ? selfSignedCertificateScript() : []),
    "install -d -m 0755 /opt/placeholder",
    "cat > /opt/placeholder/app.py <<'PY'",
    "import os, socket, ssl, sys",
    "from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer",
    "def database_reachable():",
    '    host = os.environ.get("DB_PROXY_ENDPOINT")',
    "    if not host:",
    "        return True",
    "    try:",
    '        socket.create_connection((host, int(os.environ.get("DB_PORT", "5432"))), timeout=2).close()',
    "        return True",
    "    except OSError:",
    "        return False",
    "class Ok(BaseHTTPRequestHandler):",
    "    def do_GET(self):",
    '        deep = self.path.split("?")[0] == "/healthz/deep"',
    "        healthy = database_reachable() if deep else True",
    '        body = b"ok\\n" if healthy else b"database proxy unreachable\\n"',
    "        self.send_response(200 if healthy else 503)",
    '        self.send_header("Content-Type", "text/plain")',
    '        self.send_header("Content-Length", str(len(body)))',
    "        self.end_headers()",
    "        self.wfile.write(body)",
    "    def log_message(self, *args):",
    "        pass",
    'server = ThreadingHTTPServer(("", int(sys.argv[1])), Ok)',
    'if "--tls" in sys.argv:',
    '    creds = os.environ["CREDENTIALS_DIRECTORY"]',
    "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
    "    ctx.minimum_version = ssl.TLSVersion.TLSv1_2",
    '    ctx.load_cert_chain(os.path.join(creds, "tls.crt"), os.path.join(creds, "tls.key"))',
    "    # The handshake runs in the request's thread, so one slow client cannot stall accept().",
    "    server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)",
    "server.serve_forever()",
    "PY",
    "cat > /etc/systemd/system/placeholder-app.service <<'UNIT'",
    "[Unit]",
    "Description=SecureCart placeholder app (replace with the real service)",
    "[Service]",
    `EnvironmentFile=-${ENVIRONMENT_FILE}`,
    ...(tls
      ? [
          `LoadCredential=tls.crt:${PLACEHOLDER_TLS_DIR}/tls.crt`,
          `LoadCredential=tls.key:${PLACEHOLDER_TLS_DIR}/tls.key`,
        ]
      : []),
    `ExecStart=/usr/bin/python3 /opt/placeholder/app.py ${port}${tls ? " --tls" : ""}`,
    "Restart=always",
    "DynamicUser=yes",
    "[Install]",
    "WantedBy=multi-user.target",
    "UNIT",
    "systemctl daemon-reload",
    "systemctl enable --now placeholder-app.service",
    "",
  ].join("\n");
}

/** Seconds a new instance warms up (health-check grace and default instance warm-up). */
export const DEFAULT_WARMUP_SECONDS = 120;

/**
 * An EC2 Auto Scaling group behind one target group: launch template with IMDSv2 required and
 * encrypted EBS, an instance role with SSM access, and a security group that admits only the
 * load balancer.
 */
export class Fleet extends pulumi.ComponentResource {
  /** The Auto Scaling group's name. */
  public readonly autoScalingGroupName: pulumi.Output<string>;
  /** The Auto Scaling group's ARN. */
  public readonly autoScalingGroupArn: pulumi.Output<string>;
  /** The instances' security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The instance role's name, for attaching further permissions. */
  public readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: FleetArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("securecart:components:Fleet", name, {}, opts);
    const warmupSeconds = args.warmupSeconds ?? DEFAULT_WARMUP_SECONDS;
    const healthCheckGracePeriodSeconds = args.healthCheckGracePeriodSeconds ?? warmupSeconds;
    const rootVolume = args.rootVolume ?? { deviceName: "/dev/xvda", sizeGiB: 20 };
    const egress = args.egress ?? [];
    const bootstrap = args.bootstrap ?? "placeholder";
    const tls = args.tls ?? false;
    const rollout = args.rollout ?? DEFAULT_ROLLOUT;
    const rollbackAlarmNames = args.rollbackAlarmNames ?? [];
    const tags = args.tags ?? {};

    const rolloutIssue = rolloutProblem(rollout);
    if (rolloutIssue) throw new pulumi.ResourceError(`rollout.${rolloutIssue}`, this);
    if (rollbackAlarmNames.length > MAX_REFRESH_ALARMS) {
      throw new pulumi.ResourceError(
        `rollbackAlarmNames may name at most ${MAX_REFRESH_ALARMS} alarms (AlarmSpecification); got ${rollbackAlarmNames.length}`,
        this,
      );
    }
    if (!Number.isInteger(args.minSize) || args.minSize < 1 || args.minSize > args.maxSize) {
      throw new pulumi.ResourceError(
        `minSize must be an integer from 1 to maxSize (${args.maxSize}); got ${args.minSize}. An empty target group counts as unhealthy for Route 53`,
        this,
      );
    }
    if (!Number.isInteger(healthCheckGracePeriodSeconds) || healthCheckGracePeriodSeconds < 0) {
      throw new pulumi.ResourceError(
        `healthCheckGracePeriodSeconds must be a whole number of seconds >= 0; got ${healthCheckGracePeriodSeconds}`,
        this,
      );
    }
    const size = rootVolume.sizeGiB;
    if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > GP3_MAX_GIB)) {
      // EBS gp3 volumes are 1 GiB to 16 TiB.
      throw new pulumi.ResourceError(
        `rootVolume.sizeGiB must be an integer from 1 to ${GP3_MAX_GIB} (gp3); got ${size}`,
        this,
      );
    }
    if (args.ingress.length === 0) {
      throw new pulumi.ResourceError(
        "ingress must admit at least one port, or nothing can reach the fleet; got none",
        this,
      );
    }
    if (args.subnetIds.length < 2) {
      throw new pulumi.ResourceError(
        `subnetIds must span at least 2 AZs; got ${args.subnetIds.length}`,
        this,
      );
    }

    const child = { parent: this };
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: `Instances of ${name}; admits only its load balancer`,
        tags: { ...tags, Name: `${name}-sg` },
      },
      child,
    );
    const ruleArgs = (rule: FleetPortRule) => ({
      securityGroupId: sg.id,
      ...("securityGroupId" in rule.peer
        ? { referencedSecurityGroupId: rule.peer.securityGroupId }
        : { cidrIpv4: rule.peer.cidrIpv4 }),
      ipProtocol: rule.protocol,
      fromPort: rule.port,
      toPort: rule.port,
      description: rule.description,
    });
    for (const rule of args.ingress) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.key}`, ruleArgs(rule), child);
    }
    for (const rule of egress) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.key}`, ruleArgs(rule), child);
    }
    // HTTPS out (through the AZ's NAT gateway) reaches SSM and the OS package repositories.
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-https-out`,
      {
        securityGroupId: sg.id,
        cidrIpv4: "0.0.0.0/0",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to AWS APIs and package repositories",
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ec2.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm`,
      {
        role: role.name,
        policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore,
      },
      child,
    );
    const instanceProfile = new aws.iam.InstanceProfile(
      `${name}-profile`,
      { role: role.name, tags },
      child,
    );

    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        imageId: args.imageId,
        instanceType: args.instanceType,
        iamInstanceProfile: { arn: instanceProfile.arn },
        vpcSecurityGroupIds: [sg.id],
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        blockDeviceMappings: [
          {
            deviceName: rootVolume.deviceName,
            ebs: {
              encrypted: "true",
              volumeType: "gp3",
              volumeSize: rootVolume.sizeGiB,
              deleteOnTermination: "true",
            },
          },
        ],
        monitoring: { enabled: true },
        userData:
          bootstrap === "placeholder"
            ? pulumi
                .all(args.environment ?? {})
                .apply((env) =>
                  Buffer.from(bootstrapScript(args.port, env, tls)).toString("base64"),
                )
            : undefined,
        tagSpecifications: [
          { resourceType: "instance", tags: { ...tags, Name: name } },
          { resourceType: "volume", tags: { ...tags, Name: name } },
        ],
        updateDefaultVersion: true,
        tags,
      },
      child,
    );

    const group = new aws.autoscaling.Group(
      `${name}-asg`,
      {
        vpcZoneIdentifiers: [...args.subnetIds],
        minSize: args.minSize,
        maxSize: args.maxSize,
        launchTemplate: {
          id: launchTemplate.id,
          version: launchTemplate.latestVersion.apply(String),
        },
        targetGroupArns: [args.targetGroupArn],
        healthCheckType: "ELB",
        healthCheckGracePeriod: healthCheckGracePeriodSeconds,
        defaultInstanceWarmup: warmupSeconds,
        // A new launch template version (a bumped AMI) rolls out gradually with pauses, never
        // all at once; instances already on it are skipped when a refresh is restarted. When a
        // named alarm fires, Auto Scaling fails (stops) the refresh (RefreshPreferences
        // AlarmSpecification). No AutoRollback: the provider saves the new launch template
        // version on the group (UpdateAutoScalingGroup) before StartInstanceRefresh, and a
        // rollback restores "the configuration that you last saved on the Auto Scaling group
        // before starting the instance refresh", i.e. the new, bad version
        // (hashicorp/terraform-provider-aws#34189, open; the fix #39007 was closed unmerged).
        // Recovery is a roll forward: revert securecart:amis and `pulumi up` (docs/security.md).
        instanceRefresh: {
          strategy: "Rolling",
          preferences: {
            minHealthyPercentage: rollout.minHealthyPercentage,
            maxHealthyPercentage: effectiveMaxHealthyPercentage(rollout, args.minSize),
            checkpointPercentages: [...rollout.checkpointPercentages],
            checkpointDelay: String(rollout.checkpointDelaySeconds),
            instanceWarmup: String(warmupSeconds),
            skipMatching: true,
            ...(rollbackAlarmNames.length > 0
              ? { alarmSpecification: { alarms: [...rollbackAlarmNames] }, autoRollback: false }
              : {}),
          },
        },
        enabledMetrics: [
          "GroupMinSize",
          "GroupMaxSize",
          "GroupDesiredCapacity",
          "GroupInServiceInstances",
          "GroupTotalInstances",
        ],
        tags: Object.entries({ ...tags, Name: name }).map(([key, value]) => ({
          key,
          value,
          propagateAtLaunch: true,
        })),
      },
      { ...child, dependsOn: [...(args.groupDependsOn ?? [])] },
    );

    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.securityGroupId = sg.id;
    this.roleName = role.name;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      autoScalingGroupArn: this.autoScalingGroupArn,
      securityGroupId: this.securityGroupId,
      roleName: this.roleName,
    });
  }
}
