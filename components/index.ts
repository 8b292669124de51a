// ComponentResources only; pure helpers are imported from their own modules.
export * from "./accessLogBucket";
export * from "./databaseProxy";
export * from "./ddosProtection";
export * from "./failoverDns";
export * from "./fleet";
export * from "./inspectionGateway";
export * from "./loadBalancedService";
export * from "./monitoring";
export * from "./network";
export * from "./proxiedDatabase";
export * from "./regionalWebAcl";
export * from "./rotatedSecret";
export * from "./scalingPolicy";
export * from "./sessionTable";
export * from "./tracing";
export * from "./validatedCertificate";
