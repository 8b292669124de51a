/**
 * What RDS refuses when a proxy target is registered (RegisterDBProxyTargets), and what it then
 * does by itself, for the mocks. Pure.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RegisterDBProxyTargets.html
 */
import type { PriorResource } from "./awsBehaviour";

const T = {
  proxy: "aws:rds/proxy:Proxy",
  cluster: "aws:rds/cluster:Cluster",
  instance: "aws:rds/clusterInstance:ClusterInstance",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  subnet: "aws:ec2/subnet:Subnet",
};

/** Engines each proxy engine family can front (RDS Proxy `EngineFamily`). */
export const PROXY_ENGINE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  POSTGRESQL: ["aurora-postgresql", "postgres"],
  MYSQL: ["aurora-mysql", "mysql", "mariadb"],
  SQLSERVER: ["sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web"],
};

/** The VPC of the subnets with these IDs, among those created so far; undefined if unknown. */
function vpcOfSubnets(ids: readonly unknown[], prior: readonly PriorResource[]): string[] {
  const vpcs = ids
    .map((id) => prior.find((r) => r.type === T.subnet && r.id === id)?.state.vpcId)
    .filter((v): v is string => typeof v === "string");
  return [...new Set(vpcs)];
}

/**
 * Why RDS would refuse registering this `aws.rds.ProxyTarget`, given what this run created in
 * the region so far; empty when it would accept it:
 * - exactly one of a cluster or an instance;
 * - the proxy exists in this region (`DBProxyNotFoundFault`) and the target group is its only
 *   one, `default` (`DBProxyTargetGroupNotFoundFault`);
 * - the cluster exists in this region (`DBClusterNotFoundFault`): a proxy can only front a
 *   database in its own region, so a target wired from another region's stack fails here;
 * - the cluster's engine belongs to the proxy's engine family;
 * - proxy and database share a VPC ("Using RDS Proxy requires you to have a common virtual private
 *   cloud (VPC) between your Aurora DB cluster and RDS Proxy": Setting up network prerequisites
 *   for RDS Proxy).
 */
export function proxyTargetErrors(
  state: Readonly<Record<string, any>>,
  region: string,
  prior: readonly PriorResource[],
): string[] {
  const errors: string[] = [];
  const here = prior.filter((r) => r.region === region);
  const clusterId = state.dbClusterIdentifier;
  const instanceId = state.dbInstanceIdentifier;
  if ((clusterId ? 1 : 0) + (instanceId ? 1 : 0) !== 1) {
    errors.push(
      "InvalidParameterCombination: register exactly one of dbClusterIdentifier or dbInstanceIdentifier per target",
    );
  }
  const proxy = here.find((r) => r.type === T.proxy && r.state.name === state.dbProxyName);
  if (!proxy) {
    errors.push(`DBProxyNotFoundFault: DBProxy ${state.dbProxyName} not found in ${region}`);
  }
  if (state.targetGroupName !== "default") {
    errors.push(
      `DBProxyTargetGroupNotFoundFault: target group ${state.targetGroupName} not found; a proxy has exactly one target group, "default"`,
    );
  }
  if (!clusterId) return errors;
  const cluster = here.find((r) => r.type === T.cluster && r.state.clusterIdentifier === clusterId);
  if (!cluster) {
    errors.push(`DBClusterNotFoundFault: DBCluster ${clusterId} not found in ${region}`);
    return errors;
  }
  if (proxy) {
    const family = String(proxy.state.engineFamily);
    const engines = PROXY_ENGINE_FAMILIES[family] ?? [];
    if (!engines.includes(String(cluster.state.engine))) {
      errors.push(
        `InvalidDBClusterStateFault: engine ${cluster.state.engine} of ${clusterId} is not in the proxy's engine family ${family}`,
      );
    }
    const proxyVpcs = vpcOfSubnets(proxy.state.vpcSubnetIds ?? [], prior);
    const group = here.find(
      (r) => r.type === T.subnetGroup && r.state.name === cluster.state.dbSubnetGroupName,
    );
    const dbVpcs = vpcOfSubnets(group?.state.subnetIds ?? [], prior);
    if (proxyVpcs.length > 0 && dbVpcs.length > 0 && proxyVpcs.join() !== dbVpcs.join()) {
      errors.push(
        `InvalidParameterValue: proxy ${state.dbProxyName} is in VPC ${proxyVpcs.join(",")} and ${clusterId} in ${dbVpcs.join(",")}; RDS Proxy needs a VPC in common with the database`,
      );
    }
  }
  return errors;
}

/**
 * Why RDS would refuse this `aws.rds.ProxyDefaultTargetGroup` (ModifyDBProxyTargetGroup on the
 * proxy's `default` group): the proxy is not in this region (`DBProxyNotFoundFault`), or the pool
 * settings break ConnectionPoolConfiguration's constraints: ConnectionBorrowTimeout "Must be
 * between 0 and 300" (the current RDS API model, e.g. the SDK for Kotlin's
 * ConnectionPoolConfiguration.connectionBorrowTimeout page; older SDKs and the CloudFormation
 * page still say 0-3600, so the mock enforces the stricter, newer bound, as
 * `securecart:database.pool.connectionBorrowTimeoutSeconds` already does), MaxConnectionsPercent
 * 1-100 and MaxIdleConnectionsPercent at most MaxConnectionsPercent.
 */
export function proxyDefaultTargetGroupErrors(
  state: Readonly<Record<string, any>>,
  region: string,
  prior: readonly PriorResource[],
): string[] {
  const errors: string[] = [];
  const proxy = prior.find(
    (r) => r.region === region && r.type === T.proxy && r.state.name === state.dbProxyName,
  );
  if (!proxy) {
    errors.push(`DBProxyNotFoundFault: DBProxy ${state.dbProxyName} not found in ${region}`);
  }
  const pool = state.connectionPoolConfig ?? {};
  const borrow = pool.connectionBorrowTimeout;
  if (borrow !== undefined && !(Number.isInteger(borrow) && borrow >= 0 && borrow <= 300)) {
    errors.push(
      `InvalidParameterValue: ConnectionBorrowTimeout must be between 0 and 300; got ${borrow}`,
    );
  }
  const max = pool.maxConnectionsPercent;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= 100)) {
    errors.push(
      `InvalidParameterValue: MaxConnectionsPercent must be between 1 and 100; got ${max}`,
    );
  }
  const idle = pool.maxIdleConnectionsPercent;
  if (idle !== undefined && max !== undefined && idle > max) {
    errors.push(
      `InvalidParameterValue: MaxIdleConnectionsPercent (${idle}) must not exceed MaxConnectionsPercent (${max})`,
    );
  }
  return errors;
}

/** One target RDS Proxy registers by itself for a tracked cluster. */
export interface RegisteredTarget {
  readonly rdsResourceId: string;
  readonly type: "RDS_INSTANCE";
  /** READ_WRITE for the cluster's writer, READ_ONLY for a reader; no writer on a secondary. */
  readonly role: "READ_WRITE" | "READ_ONLY";
}

/**
 * The instance targets RDS Proxy registers on its own after a cluster is registered: "the proxy's
 * read/write endpoint sends all requests to the cluster's writer instance … For proxies that have
 * a secondary cluster as a registered target … because the cluster doesn't have a writer
 * instance, requests sent to the read/write endpoint fail with the error 'The target group
 * doesn't have any associated read/write instances'" (Using RDS Proxy with Aurora global
 * databases). `writerInstance` is the instance Aurora made the writer, or undefined while the
 * cluster is a global secondary.
 */
export function trackedClusterTargets(
  instanceIds: readonly string[],
  writerInstance: string | undefined,
): RegisteredTarget[] {
  return [...instanceIds].sort().map((id) => ({
    rdsResourceId: id,
    type: "RDS_INSTANCE",
    role: id === writerInstance ? "READ_WRITE" : "READ_ONLY",
  }));
}

/** Whether a proxy endpoint of `targetRole` has a target to send connections to. */
export function endpointHasTarget(
  targets: readonly RegisteredTarget[],
  targetRole: "READ_WRITE" | "READ_ONLY",
): boolean {
  return targets.some((t) => t.role === targetRole);
}
