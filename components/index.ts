// ComponentResources only; pure helpers are imported from their own modules.
export * from "./loadBalancing/accessLogBucket";
export * from "./data/databaseProxy";
export * from "./edge/ddosProtection";
export * from "./dns/failoverDns";
export * from "./loadBalancing/fleet";
export * from "./network/inspectionGateway";
export * from "./loadBalancing/loadBalancedService";
export * from "./observability/monitoring";
export * from "./network/network";
export * from "./data/proxiedDatabase";
export * from "./edge/regionalWebAcl";
export * from "./data/rotatedSecret";
export * from "./scaling/scalingPolicy";
export * from "./data/sessionTable";
export * from "./observability/tracing";
export * from "./dns/validatedCertificate";
