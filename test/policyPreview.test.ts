import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { route53RoutingHealthCheck } from "../policies/rules/dns";
import { lbAccessLogs } from "../policies/rules/loadBalancers";
import { auroraMultiAzInstances, rdsProxyAuthentication } from "../policies/rules/database";
import { albWafAssociation, lbAlarms } from "../policies/rules/edge";
import { runPolicies } from "../testing/policyRunner";
import { T, UNKNOWN, check, checkResource, checkStack, fakeRun } from "./policyHelpers";

/**
 * During `pulumi preview` the IDs and ARNs of resources not created yet are unknown, and the
 * analyzer's proxy throws when a policy reads one. A rule that only needs to know a value will
 * be set must not read it, or it silently degrades to an advisory "can't run".
 */
describe("policies during preview (unknown values)", () => {
  it("uses the real sentinel for an unknown string", () => {
    assert.match(UNKNOWN, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("reports a policy that reads an unknown value as an advisory can't-run, as the analyzer does", async () => {
    const reads: ResourceValidationPolicy = {
      name: "reads-arn",
      description: "test",
      enforcementLevel: "mandatory",
      validateResource: validateResourceOfType(aws.lb.Listener, (l, _args, report) => {
        if (l.loadBalancerArn.startsWith("arn:")) report("never");
      }),
    };
    const violations = await runPolicies(
      fakeRun([{ type: T.listener, name: "l", props: { loadBalancerArn: UNKNOWN } }]),
      [reads],
    );
    assert.deepEqual(
      violations.map((v) => [v.enforcementLevel, v.resourceName, v.message]),
      [
        [
          "advisory",
          "l",
          "can't run policy 'reads-arn' from policy pack 'securecart-guardrails@v0.1.0' during preview: string value at .loadBalancerArn can't be known during preview",
        ],
      ],
    );
  });

  const cases: [string, () => Promise<string[]>][] = [
    [
      "a PRIMARY record whose health check is being created",
      () =>
        checkResource(route53RoutingHealthCheck, T.record, {
          zoneId: "Z1",
          name: "shop.securecart.com",
          type: "A",
          setIdentifier: "east",
          failoverRoutingPolicies: [{ type: "PRIMARY" }],
          healthCheckId: UNKNOWN,
        }),
    ],
    [
      "access logs into a bucket being created",
      () =>
        checkResource(lbAccessLogs, T.lb, {
          loadBalancerType: "application",
          accessLogs: { bucket: UNKNOWN, prefix: "elb/web", enabled: true },
        }),
    ],
    [
      "a proxy authenticating with a secret being created",
      () =>
        checkResource(rdsProxyAuthentication, T.proxy, {
          auths: [{ authScheme: "SECRETS", secretArn: UNKNOWN, iamAuth: "REQUIRED" }],
        }),
    ],
    [
      "a WAF association whose ALB ARN is unknown but linked",
      () =>
        checkStack(albWafAssociation, [
          { type: T.lb, name: "web-alb", props: { loadBalancerType: "application", arn: UNKNOWN } },
          {
            type: T.wafAssoc,
            name: "assoc",
            props: { resourceArn: UNKNOWN },
            links: { resourceArn: ["web-alb"] },
          },
        ]),
    ],
    [
      "an alarm that depends on a load balancer whose arnSuffix is unknown",
      () =>
        checkStack(lbAlarms, [
          { type: T.lb, name: "web-alb", props: { arnSuffix: UNKNOWN } },
          {
            type: T.alarm,
            name: "web-5xx",
            props: { namespace: "AWS/ApplicationELB", dimensions: { LoadBalancer: UNKNOWN } },
            links: { dimensions: ["web-alb"] },
          },
        ]),
    ],
  ];
  for (const [title, run] of cases) {
    it(`passes ${title}, without a can't-run`, async () => {
      assert.deepEqual(await run(), []);
    });
  }

  it("does not count a linked alarm that watches no load balancer metric", async () => {
    const violations = await check(lbAlarms, [
      { type: T.lb, name: "web-alb", props: { arnSuffix: UNKNOWN } },
      {
        type: T.alarm,
        name: "dns-web-hc-alarm",
        props: { namespace: "AWS/Route53", dimensions: { HealthCheckId: UNKNOWN } },
        links: { alarmDescription: ["web-alb"] },
      },
    ]);
    assert.deepEqual(
      violations.map((v) => [v.enforcementLevel, v.resourceName]),
      [["advisory", "web-alb"]],
    );
  });

  it("does not match two unknown ARNs with each other when nothing links them", async () => {
    const violations = await check(albWafAssociation, [
      { type: T.lb, name: "web-alb", props: { loadBalancerType: "application", arn: UNKNOWN } },
      { type: T.wafAssoc, name: "assoc", props: { resourceArn: UNKNOWN } },
    ]);
    assert.deepEqual(
      violations.map((v) => [v.enforcementLevel, v.resourceName]),
      [["mandatory", "web-alb"]],
    );
  });

  it("leaves AZs that AWS has not picked yet to the post-update check (advisory can't-run)", async () => {
    const violations = await check(auroraMultiAzInstances, [
      { type: T.cluster, name: "orders", props: { clusterIdentifier: "orders" } },
      {
        type: T.instance,
        name: "orders-1",
        props: { clusterIdentifier: "orders", availabilityZone: UNKNOWN },
        links: { clusterIdentifier: ["orders"] },
      },
    ]);
    assert.deepEqual(
      violations.map((v) => [v.enforcementLevel, v.message]),
      [
        [
          "advisory",
          "can't run policy 'aurora-multi-az-instances' from policy pack 'securecart-guardrails@v0.1.0' during preview: string value at .availabilityZone can't be known during preview",
        ],
      ],
    );
  });
});
