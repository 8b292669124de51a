import { strict as assert } from "assert";
import {
  adminNotPublic,
  launchTemplatePinnedAmi,
  tlsToPaymentsTargets,
  vpcFlowLogs,
} from "../policies/rules/security";
import { FakeResource, UNKNOWN, checkResource, checkStack } from "./policyHelpers";

const T = {
  vpc: "aws:ec2/vpc:Vpc",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  nlb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  tg: "aws:lb/targetGroup:TargetGroup",
  rule: "aws:lb/listenerRule:ListenerRule",
  albRule: "aws:alb/listenerRule:ListenerRule",
};

/**
 * Every fixture reads like a first-deploy preview: IDs and ARNs of resources not created yet are
 * UNKNOWN, and links come only from property dependencies.
 */
describe("security policies (first-deploy preview)", () => {
  describe("vpc-flow-logs", () => {
    const vpc: FakeResource = { type: T.vpc, name: "net-vpc", props: { id: UNKNOWN } };
    const group = (props: Record<string, unknown> = {}): FakeResource => ({
      type: T.logGroup,
      name: "flow-logs",
      props: { arn: UNKNOWN, kmsKeyId: UNKNOWN, retentionInDays: 365, ...props },
    });
    const flow = (props: Record<string, unknown> = {}, links = true): FakeResource => ({
      type: T.flowLog,
      name: "net-flow",
      props: {
        vpcId: UNKNOWN,
        trafficType: "REJECT",
        logDestinationType: "cloud-watch-logs",
        logDestination: UNKNOWN,
        ...props,
      },
      links: links ? { vpcId: ["net-vpc"], logDestination: ["flow-logs"] } : {},
    });

    it("passes a VPC with a REJECT flow log into an encrypted log group with retention", async () => {
      assert.deepEqual(await checkStack(vpcFlowLogs, [vpc, group(), flow()]), []);
      assert.deepEqual(
        await checkStack(vpcFlowLogs, [vpc, group(), flow({ trafficType: "ALL" })]),
        [],
      );
    });

    const failing: [string, FakeResource[], RegExp][] = [
      ["no flow log", [vpc, group()], /VPC "net-vpc" has no flow log/],
      ["a flow log of another VPC", [vpc, group(), flow({}, false)], /has no flow log/],
      [
        "ACCEPT only",
        [vpc, group(), flow({ trafficType: "ACCEPT" })],
        /records trafficType "ACCEPT", which misses rejected flows/,
      ],
      [
        "an unencrypted log group",
        [vpc, group({ kmsKeyId: undefined }), flow()],
        /log group "flow-logs" of flow log "net-flow" has no kmsKeyId/,
      ],
      [
        "a log group kept forever",
        [vpc, group({ retentionInDays: undefined }), flow()],
        /retentionInDays not set \(kept forever\)/,
      ],
      [
        "an S3 destination",
        [vpc, group(), { ...flow({ logDestinationType: "s3" }), links: { vpcId: ["net-vpc"] } }],
        /delivers to s3 but not to a log group of this stack/,
      ],
    ];
    for (const [label, resources, expected] of failing) {
      it(`reports ${label}`, async () => {
        const messages = await checkStack(vpcFlowLogs, resources);
        assert.equal(messages.length, 1, JSON.stringify(messages));
        assert.match(messages[0], expected);
      });
    }
  });

  describe("launch-template-pinned-ami", () => {
    it("passes a pinned AMI ID", async () => {
      assert.deepEqual(
        await checkResource(launchTemplatePinnedAmi, T.lt, { imageId: "ami-0123456789abcdef0" }),
        [],
      );
    });

    const failing: [string, unknown, RegExp][] = [
      [
        "the public latest parameter",
        "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
        /imageId "resolve:ssm:\/aws\/service\/.*" \(AWS's public latest-AMI parameter\), which EC2 resolves at every launch/,
      ],
      ["any SSM reference", "resolve:ssm:/securecart/ami", /which EC2 resolves at every launch/],
      [
        "an ID only known after deploy",
        UNKNOWN,
        /imageId unknown until deploy, not a pinned AMI ID/,
      ],
      ["no image", undefined, /imageId not set, not a pinned AMI ID/],
      [
        "a placeholder ID",
        "ami-0000000000000e001",
        /imageId "ami-0000000000000e001", which looks like a placeholder/,
      ],
    ];
    for (const [label, imageId, expected] of failing) {
      it(`reports ${label}`, async () => {
        const messages = await checkResource(launchTemplatePinnedAmi, T.lt, { imageId });
        assert.equal(messages.length, 1, JSON.stringify(messages));
        assert.match(messages[0], expected);
      });
    }
  });

  describe("tls-to-payments-targets", () => {
    const listener = (protocol: string, type = T.listener): FakeResource => ({
      type,
      name: "pay-tls",
      props: {
        protocol,
        loadBalancerArn: UNKNOWN,
        defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }],
      },
      links: { defaultActions: ["pay-tg"] },
    });
    const tg = (protocol: string): FakeResource => ({
      type: T.tg,
      name: "pay-tg",
      props: { protocol, arn: UNKNOWN },
    });

    it("passes a TLS listener forwarding to a TLS target group", async () => {
      assert.deepEqual(await checkStack(tlsToPaymentsTargets, [listener("TLS"), tg("TLS")]), []);
    });

    it("ignores an ALB's HTTPS listener in front of HTTP targets (the ALB terminates TLS)", async () => {
      assert.deepEqual(await checkStack(tlsToPaymentsTargets, [listener("HTTPS"), tg("HTTP")]), []);
    });

    // The cold review's case: the payments listener switched to TCP with a TCP target group
    // passed every mandatory policy.
    const nlb: FakeResource = {
      type: T.nlb,
      name: "pay-lb",
      props: { arn: UNKNOWN, loadBalancerType: "network" },
    };
    const onNlb = (r: FakeResource): FakeResource => ({
      ...r,
      links: { ...r.links, loadBalancerArn: ["pay-lb"] },
    });

    it("reports an NLB listener switched to TCP in front of a TCP target group", async () => {
      assert.deepEqual(
        await checkStack(tlsToPaymentsTargets, [nlb, onNlb(listener("TCP")), tg("TCP")]),
        [
          'Listener "pay-tls" of NLB "pay-lb" has protocol "TCP", not TLS, so it carries the clients\' traffic without terminating TLS under our certificate and policy (a TCP listener in front of a TCP target group passes plaintext straight through). Use a TLS listener forwarding to a TLS target group, or name the listener in passThroughListeners if the targets terminate TLS themselves.',
        ],
      );
    });

    it("reports a TCP NLB listener even in front of a TLS target group, unless allow-listed", async () => {
      const resources = [nlb, onNlb(listener("TCP")), tg("TLS")];
      assert.equal((await checkStack(tlsToPaymentsTargets, resources)).length, 1);
      assert.deepEqual(
        await checkStack(tlsToPaymentsTargets, resources, {
          "tls-to-payments-targets": { passThroughListeners: ["pay-tls"] },
        }),
        [],
      );
    });

    it("passes the NLB's TLS listener forwarding to a TLS target group", async () => {
      assert.deepEqual(
        await checkStack(tlsToPaymentsTargets, [nlb, onNlb(listener("TLS")), tg("TLS")]),
        [],
      );
    });

    for (const type of [T.listener, T.albListener]) {
      it(`reports a TLS listener (${type}) forwarding to a TCP target group`, async () => {
        assert.deepEqual(
          await checkStack(tlsToPaymentsTargets, [listener("TLS", type), tg("TCP")]),
          [
            'TLS listener "pay-tls" forwards to target group "pay-tg" with protocol "TCP", so the load balancer decrypts and sends plaintext on to the targets. Use protocol "TLS" on the target group and serve TLS on the instances.',
          ],
        );
      });
    }
  });

  describe("admin-not-public", () => {
    const rule = (
      conditions: Record<string, unknown>[],
      actions: Record<string, unknown>[] = [{ type: "forward", targetGroupArn: UNKNOWN }],
      type = T.rule,
    ): FakeResource => ({
      type,
      name: "web-admin-rule",
      props: { listenerArn: UNKNOWN, priority: 30000, conditions, actions },
    });
    const host = { hostHeader: { values: ["admin.securecart.com"] } };
    const closed = { sourceIp: { values: ["192.0.2.1/32"] } };
    const vpc: FakeResource = {
      type: T.vpc,
      name: "net-vpc",
      props: { id: UNKNOWN, cidrBlock: "10.10.0.0/16" },
    };
    const cognito = (
      onUnauthenticatedRequest?: string,
      order = [1, 2],
      sessionTimeout: number | null = 3600,
    ) =>
      rule(
        [host],
        [
          {
            type: "authenticate-cognito",
            order: order[0],
            authenticateCognito: {
              onUnauthenticatedRequest,
              ...(sessionTimeout === null ? {} : { sessionTimeout }),
            },
          },
          { type: "forward", order: order[1], targetGroupArn: UNKNOWN },
        ],
      );
    const adminTg: FakeResource = {
      type: T.tg,
      name: "web-admin-tg",
      props: { arn: UNKNOWN, protocol: "HTTP", tags: { Service: "admin" } },
    };
    const toAdmin = (r: FakeResource): FakeResource => ({
      ...r,
      links: { ...r.links, actions: ["web-admin-tg"] },
    });

    const passing: [string, FakeResource][] = [
      ["allow-listed networks", rule([host, { sourceIp: { values: ["198.51.100.0/24"] } }])],
      ["the closed default (an address no client has)", rule([host, closed])],
      [
        "Cognito sign-in first",
        rule(
          [host],
          [
            {
              type: "authenticate-cognito",
              order: 1,
              authenticateCognito: { sessionTimeout: 43200 },
            },
            { type: "forward", order: 2, targetGroupArn: UNKNOWN },
          ],
        ),
      ],
      ["Cognito that denies anonymous requests", cognito("deny")],
      ["a /16 allow-list", rule([host, { sourceIp: { values: ["198.51.0.0/16"] } }])],
      ["a /48 IPv6 allow-list", rule([host, { sourceIp: { values: ["2001:db8:1::/48"] } }])],
      ["another host", rule([{ hostHeader: { values: ["shop.securecart.com"] } }])],
      ["a path-only rule", rule([{ pathPattern: { values: ["/cart*"] } }])],
      ["the admin target group behind the closed rule", toAdmin(rule([host, closed]))],
    ];
    for (const [label, r] of passing) {
      it(`passes ${label}`, async () => {
        assert.deepEqual(await checkStack(adminNotPublic, [vpc, adminTg, r]), []);
      });
    }

    // The cold review's cases: each passed the policy before.
    const failing: [string, FakeResource[], RegExp][] = [
      [
        "a source-ip condition of the VPC's own range (the old closed mode)",
        [vpc, rule([host, { sourceIp: { values: ["10.10.0.0/16"] } }])],
        /its source-ip condition \["10.10.0.0\/16"\] lies in the VPC's own range, so any instance in the VPC reaches it/,
      ],
      [
        'Cognito with onUnauthenticatedRequest "allow"',
        [cognito("allow")],
        /no source-ip condition and its authenticate-cognito action has onUnauthenticatedRequest "allow", which forwards anonymous requests/,
      ],
      [
        "Cognito ordered after the forward",
        [cognito(undefined, [2, 1])],
        /forwards before its authenticate-cognito action runs/,
      ],
      [
        "Cognito without a session timeout (AWS's 7 days)",
        [cognito(undefined, [1, 2], null)],
        /its authenticate-cognito action leaves sessionTimeout unset, so a session lasts AWS's default of 604800 s \(7 days\); set at most 43200/,
      ],
      [
        "Cognito keeping sessions for a day",
        [cognito("authenticate", [1, 2], 86400)],
        /keeps a session for 86400 s, more than 43200/,
      ],
      [
        "an allow-list of a /8",
        [rule([host, { sourceIp: { values: ["17.0.0.0/8"] } }])],
        /its source-ip condition \["17.0.0.0\/8"\] is wider than \/16 \(IPv4\) or \/48 \(IPv6\)/,
      ],
      [
        "an IPv6 allow-list of a /32",
        [rule([host, { sourceIp: { values: ["2001:db8::/32"] } }])],
        /\["2001:db8::\/32"\] is wider than/,
      ],
      [
        "a wildcard host that matches the admin host",
        [rule([{ hostHeader: { values: ["*.securecart.com"] } }])],
        /serves \*.securecart.com to the internet: it has no source-ip condition/,
      ],
      [
        "a partial wildcard that matches the admin host",
        [rule([{ hostHeader: { values: ["adm*.securecart.com"] } }])],
        /serves adm\*.securecart.com to the internet/,
      ],
      [
        "a wildcard spanning labels, given the stack's domain by another rule",
        [
          rule([{ hostHeader: { values: ["*securecart.com"] } }]),
          { ...rule([host, closed]), name: "web-admin-closed" },
        ],
        /serves \*securecart.com to the internet/,
      ],
      [
        "a path-routed admin rule on any host",
        [rule([{ pathPattern: { values: ["/admin*"] } }])],
        /serves \/admin\* to the internet: it has no source-ip condition and no authenticate action/,
      ],
      [
        "a wildcard host forwarding to the admin target group",
        [adminTg, toAdmin(rule([{ hostHeader: { values: ["*.securecart.com"] } }]))],
        /serves \*.securecart.com, target group "web-admin-tg" to the internet/,
      ],
    ];
    for (const [label, resources, expected] of failing) {
      it(`reports ${label}`, async () => {
        const messages = await checkStack(adminNotPublic, resources);
        assert.equal(messages.length, 1, JSON.stringify(messages));
        assert.match(messages[0], expected);
      });
    }

    it("reports a listener whose default action forwards to the admin target group", async () => {
      const listener: FakeResource = {
        type: T.listener,
        name: "web-https",
        props: { arn: UNKNOWN, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] },
        links: { defaultActions: ["web-admin-tg"] },
      };
      assert.deepEqual(await checkStack(adminNotPublic, [adminTg, listener]), [
        'Listener "web-https" forwards every request to target group "web-admin-tg" (service "admin") in its default action, which can carry no source-ip condition or authentication. Reach it through a listener rule set by securecart:admin (docs/security.md).',
      ]);
    });

    it("reports an admin rule open to the internet, through aws.lb or aws.alb", async () => {
      for (const type of [T.rule, T.albRule]) {
        assert.deepEqual(await checkStack(adminNotPublic, [rule([host], undefined, type)]), [
          'Listener rule "web-admin-rule" serves admin.securecart.com to the internet: it has no source-ip condition and no authenticate action. Set securecart:admin to closed, source-ip (allow-listed networks) or cognito (docs/security.md).',
        ]);
      }
    });

    it("reports a source-ip condition that admits the whole internet", async () => {
      const messages = await checkStack(adminNotPublic, [
        rule([host, { sourceIp: { values: ["198.51.100.0/24", "0.0.0.0/0"] } }]),
      ]);
      assert.equal(messages.length, 1);
      assert.match(
        messages[0],
        /its source-ip condition admits \["198.51.100.0\/24","0.0.0.0\/0"\]/,
      );
    });

    describe("rules that share the admin rule's listener", () => {
      const https: FakeResource = {
        type: T.listener,
        name: "web-https",
        props: { arn: UNKNOWN, protocol: "HTTPS" },
      };
      const onHttps = (r: FakeResource): FakeResource => ({
        ...r,
        links: { listenerArn: ["web-https"] },
      });
      const admin = onHttps(rule([host, { sourceIp: { values: ["10.10.0.0/16"] } }]));
      const cart = (conditions: Record<string, unknown>[]): FakeResource =>
        onHttps({ ...rule(conditions), name: "web-cart-rule" });

      it("passes a path rule scoped to the shared hosts", async () => {
        const scoped = cart([
          { hostHeader: { values: ["securecart.com", "shop.securecart.com"] } },
          { pathPattern: { values: ["/cart*"] } },
        ]);
        assert.deepEqual(await checkStack(adminNotPublic, [https, admin, scoped]), []);
      });

      it("passes a host-less rule on a listener that serves no admin host", async () => {
        const other = { ...https, name: "api-https" };
        const alone = {
          ...rule([{ pathPattern: { values: ["/cart*"] } }]),
          name: "api-cart-rule",
          links: { listenerArn: ["api-https"] },
        };
        assert.deepEqual(await checkStack(adminNotPublic, [https, admin, other, alone]), []);
      });

      it("reports a path rule that answers on every host, the admin host included", async () => {
        const open = cart([{ pathPattern: { values: ["/cart*"] } }]);
        assert.deepEqual(await checkStack(adminNotPublic, [https, admin, open]), [
          'Listener rule "web-cart-rule" has no host-header condition, so it answers on every host of listener "web-https", the admin host included, past the admin rule\'s access control. Give it a host-header condition naming the public hosts (components/loadBalancing/routing.ts, shared hosts).',
        ]);
      });
    });

    it("protects the host labels its config names", async () => {
      const ops = rule([{ hostHeader: { values: ["ops.securecart.com"] } }]);
      assert.deepEqual(await checkStack(adminNotPublic, [ops]), []);
      const messages = await checkStack(adminNotPublic, [ops], {
        "admin-not-public": { restrictedHostLabels: ["ops"] },
      });
      assert.equal(messages.length, 1);
      assert.match(messages[0], /serves ops.securecart.com to the internet/);
    });
  });
});
