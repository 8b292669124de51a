export * from "./accessLogBucket";
export * from "./failoverDns";
export * from "./fleet";
export * from "./loadBalancedService";
export * from "./network";
export * from "./scalingPolicy";
export * from "./validatedCertificate";
