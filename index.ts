import { loadStackConfig } from "./stacks/config";
import { createRegionStack } from "./stacks/region";

const stack = createRegionStack(loadStackConfig());

export const region = stack.region;
export const role = stack.role;
export const vpcId = stack.vpcId;
export const albDnsName = stack.albDnsName;
export const albZoneId = stack.albZoneId;
export const albArnSuffix = stack.albArnSuffix;
export const nlbDnsName = stack.nlbDnsName;
export const nlbZoneId = stack.nlbZoneId;
export const certificateArn = stack.certificateArn;
export const accessLogBucket = stack.accessLogBucket;
export const listenerRules = stack.listenerRules;
export const failoverBudgetSeconds = stack.failoverBudgetSeconds;
export const healthCheckIds = stack.healthCheckIds;
export const dnsAlarmTopicArn = stack.dnsAlarmTopicArn;
export const scalingPolicyArns = stack.scalingPolicyArns;
export const dbProxyEndpoint = stack.dbProxyEndpoint;
export const dbProxyReadEndpoint = stack.dbProxyReadEndpoint;
export const dbClusterIdentifier = stack.dbClusterIdentifier;
export const dbMasterSecretArn = stack.dbMasterSecretArn;
export const sessionsTableName = stack.sessionsTableName;
export const sessionsTableArn = stack.sessionsTableArn;
