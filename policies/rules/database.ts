/**
 * Aurora and RDS Proxy rules: the order database must survive an AZ loss and a bad `pulumi up`,
 * and be reachable only over TLS with managed credentials.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isSet, propsOf, referencedBy, show } from "./common";

/** Config of {@link auroraBackupRetention}. */
export interface BackupRetentionConfig {
  readonly minimumDays?: number;
}

/** Config of {@link auroraMultiAzInstances}. */
export interface MultiAzInstancesConfig {
  readonly minimumInstances?: number;
}

export const rdsProxyRequireTls: ResourceValidationPolicy = {
  name: "rds-proxy-require-tls",
  description:
    "Without requireTls an RDS Proxy accepts plaintext client connections, exposing order and customer data and the credentials inside the VPC.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.rds.Proxy, (proxy, args, report) => {
    if (proxy.requireTls !== true) {
      report(
        `RDS Proxy "${args.name}" has requireTls ${show(proxy.requireTls)} (AWS default: false). Set requireTls: true.`,
      );
    }
  }),
};

export const rdsProxyAuthentication: ResourceValidationPolicy = {
  name: "rds-proxy-authentication",
  description:
    "An RDS Proxy must authenticate to the database with a Secrets Manager secret or end-to-end IAM, so no password lives in code, config or plain state.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.rds.Proxy, (proxy, args, report) => {
    if (proxy.defaultAuthScheme === "IAM_AUTH") return;
    const auths = proxy.auths ?? [];
    if (auths.length === 0) {
      report(
        `RDS Proxy "${args.name}" has no auths and defaultAuthScheme ${show(proxy.defaultAuthScheme)}. Add auths: [{ authScheme: "SECRETS", secretArn: <secret>.arn, iamAuth: "REQUIRED" }] or set defaultAuthScheme: "IAM_AUTH".`,
      );
      return;
    }
    auths.forEach((auth, i) => {
      const secret = auth.authScheme === "SECRETS" && isSet(auth, "secretArn");
      if (!secret && auth.iamAuth !== "REQUIRED") {
        report(
          `RDS Proxy "${args.name}" auths[${i}] has authScheme ${show(auth.authScheme)}, secretArn ${isSet(auth, "secretArn") ? "set" : "not set"} and iamAuth ${show(auth.iamAuth)}. Give it authScheme "SECRETS" with a Secrets Manager secretArn, or iamAuth "REQUIRED".`,
        );
      }
    });
  }),
};

export const auroraStorageEncrypted: ResourceValidationPolicy = {
  name: "aurora-storage-encrypted",
  description:
    "Aurora storage, snapshots and replicas must be encrypted at rest; encryption can only be chosen at creation, so a miss means a rebuild.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
    if (cluster.storageEncrypted !== true) {
      report(
        `DB cluster "${args.name}" has storageEncrypted ${show(cluster.storageEncrypted)}. Set storageEncrypted: true with kmsKeyId: <customer-managed key in this region>.`,
      );
    }
  }),
};

export const auroraDeletionProtection: ResourceValidationPolicy = {
  name: "aurora-deletion-protection",
  description:
    "Deletion protection stops a replacement or destroy from dropping the order database; AWS default: off.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
    if (cluster.deletionProtection !== true) {
      report(
        `DB cluster "${args.name}" has deletionProtection ${show(cluster.deletionProtection)} (AWS default: false). Set deletionProtection: true.`,
      );
    }
  }),
};

export const auroraBackupRetention: ResourceValidationPolicy = {
  name: "aurora-backup-retention",
  description:
    "Point-in-time restore must reach back at least a week, long enough to notice bad writes over a weekend; AWS default is 1 day.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumDays: {
        type: "integer",
        minimum: 1,
        maximum: 35,
        default: 7,
        description: "Smallest allowed backupRetentionPeriod in days (AWS allows 1-35).",
      },
    },
  },
  validateResource: validateResourceOfType(aws.rds.Cluster, (cluster, args, report) => {
    const minimum = args.getConfig<BackupRetentionConfig>().minimumDays ?? 7;
    const days = cluster.backupRetentionPeriod;
    if (days === undefined || days < minimum) {
      const found = days === undefined ? "not set (AWS default: 1 day)" : `${days} days`;
      report(
        `DB cluster "${args.name}" has backupRetentionPeriod ${found}. Set backupRetentionPeriod to at least ${minimum}.`,
      );
    }
  }),
};

export const auroraNoPublicInstances: ResourceValidationPolicy = {
  name: "aurora-no-public-instances",
  description:
    "A publicly accessible DB instance gets a public DNS address; the database must be reachable only from inside the VPC through RDS Proxy.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.rds.ClusterInstance, (instance, args, report) => {
    if (instance.publiclyAccessible === true) {
      report(
        `DB instance "${args.name}" has publiclyAccessible true. Set publiclyAccessible: false and reach it through RDS Proxy.`,
      );
    }
  }),
};

export const auroraMultiAzInstances: StackValidationPolicy = {
  name: "aurora-multi-az-instances",
  description:
    "An Aurora cluster needs a writer and at least one reader in different AZs to fail over in under a minute when an AZ or the writer fails; otherwise recovery means a new instance from scratch.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumInstances: {
        type: "integer",
        minimum: 2,
        default: 2,
        description: "Smallest number of instances per cluster; they must span at least 2 AZs.",
      },
    },
  },
  validateStack: (args, report) => {
    const minimum = args.getConfig<MultiAzInstancesConfig>().minimumInstances ?? 2;
    const clusters = args.resources.filter((r) => r.isType(aws.rds.Cluster));
    const instances = args.resources.filter((r) => r.isType(aws.rds.ClusterInstance));
    const byCluster = new Map<PolicyResource, PolicyResource[]>(clusters.map((c) => [c, []]));
    for (const instance of instances) {
      for (const cluster of referencedBy(
        instance,
        "clusterIdentifier",
        clusters,
        "clusterIdentifier",
      )) {
        byCluster.get(cluster)?.push(instance);
      }
    }
    for (const [cluster, members] of byCluster) {
      // Read directly: an AZ that AWS has not picked yet is unknown during preview, and the
      // analyzer then reports "can't run during preview" instead of a false violation.
      const azs = members.map((m) => {
        const az = propsOf(m).availabilityZone;
        return typeof az === "string" ? az : "unknown";
      });
      const distinct = new Set(azs.filter((az) => az !== "unknown"));
      if (members.length < minimum || distinct.size < 2) {
        const found = members.map((m, i) => `${m.name} (${azs[i]})`).join(", ") || "none";
        report(
          `DB cluster "${cluster.name}" has ${members.length} instance(s) in ${distinct.size} distinct AZ(s): ${found}. Give it at least ${minimum} aws.rds.ClusterInstance resources with availabilityZone set to different AZs.`,
          cluster.urn,
        );
      }
    }
  },
};

/** Aurora and RDS Proxy rules. */
export const databasePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  rdsProxyRequireTls,
  rdsProxyAuthentication,
  auroraStorageEncrypted,
  auroraDeletionProtection,
  auroraBackupRetention,
  auroraNoPublicInstances,
  auroraMultiAzInstances,
];
