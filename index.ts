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
export const webAclArn = stack.webAclArn;
export const webAclName = stack.webAclName;
export const wafLogGroup = stack.wafLogGroup;
export const shieldProtectionGroupArn = stack.shieldProtectionGroupArn;
export const alarmTopicArn = stack.alarmTopicArn;
export const dashboardName = stack.dashboardName;
export const slowCheckoutTraceGroup = stack.slowCheckoutTraceGroup;
