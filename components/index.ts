export * from "./accessLogBucket";
export * from "./fleet";
export * from "./loadBalancedService";
export * from "./network";
export * from "./validatedCertificate";
export * from "./regionalWebAcl";
export * from "./ddosProtection";
