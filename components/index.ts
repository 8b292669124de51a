export * from "./accessLogBucket";
export * from "./fleet";
export * from "./loadBalancedService";
export * from "./network";
export * from "./scalingPolicy";
export * from "./validatedCertificate";
