import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  PROJECT_ROOT,
  ProgramRun,
  byName,
  ofType,
  readStackConfig,
  runStack,
} from "../testing/harness";
import { parseStackConfig, sharedWebHosts } from "../stacks/config";
import { hostName } from "../components/loadBalancing/routing";
import { CLOSED_ADMIN_SOURCE } from "../stacks/securityConfig";
import { RecordedResource } from "../testing/mocks";

const T = {
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  rule: "aws:lb/listenerRule:ListenerRule",
  asg: "aws:autoscaling/group:Group",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  route: "aws:ec2/route:Route",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  record: "aws:route53/record:Record",
};

/** Resources of the web ALB and payments NLB components (not the inspection appliances). */
const app = (rs: RecordedResource[]) => rs.filter((r) => /^(web|pay)-/.test(r.name));

for (const stack of ["prod-east", "prod-west"]) {
  describe(`stack ${stack} (mocks)`, () => {
    let run: ProgramRun;
    // Expectations come from the stack's own config, so adding a service changes nothing here.
    const cfg = parseStackConfig(stack, readStackConfig(stack));
    const services = Object.keys(cfg.services);
    /** Every fleet: the web services and payments. */
    const fleets = services.length + 1;
    const idOf = (r: RecordedResource) => r.id;
    const sgIdOf = (name: string) => byName(run, T.sg, name).id;

    before(async () => {
      run = await runStack(stack);
    });

    it("creates one ALB and one NLB, both internet-facing with deletion protection and access logs", () => {
      const lbs = app(ofType(run, T.lb));
      assert.deepEqual(lbs.map((l) => [l.name, l.inputs.loadBalancerType]).sort(), [
        ["pay-nlb", "network"],
        ["web-alb", "application"],
      ]);
      for (const lb of lbs) {
        assert.equal(lb.inputs.internal, false);
        assert.equal(lb.inputs.enableDeletionProtection, true);
        assert.equal(lb.inputs.accessLogs.enabled, true);
        assert.equal(
          lb.inputs.accessLogs.bucket,
          byName(run, "aws:s3/bucket:Bucket", "lb-logs").state.bucket,
        );
        // ELB tests write access when logging is switched on, so the policy must exist first.
        assert.ok(
          lb.dependencies.includes(
            byName(run, "aws:s3/bucketPolicy:BucketPolicy", "lb-logs-policy").urn,
          ),
        );
      }
      const alb = byName(run, T.lb, "web-alb");
      assert.equal(alb.inputs.dropInvalidHeaderFields, true);
      assert.equal(alb.inputs.subnets.length, 3);
      const nlb = byName(run, T.lb, "pay-nlb");
      assert.equal(nlb.inputs.enableCrossZoneLoadBalancing, true);
      assert.equal(nlb.inputs.subnetMappings.length, 3);
      assert.ok(
        nlb.inputs.subnetMappings.every((m: { allocationId: string }) =>
          m.allocationId.startsWith("eipalloc-"),
        ),
      );
    });

    it("serves HTTPS with the TLS 1.3 policy and only redirects HTTP", () => {
      const listeners = app(ofType(run, T.listener));
      assert.equal(listeners.length, 3);
      const http = byName(run, T.listener, "web-http");
      assert.equal(http.inputs.protocol, "HTTP");
      assert.deepEqual(http.inputs.defaultActions, [
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
      ]);
      const certArn = byName(
        run,
        "aws:acm/certificateValidation:CertificateValidation",
        "tls-validation",
      ).state.certificateArn;
      for (const [name, protocol] of [
        ["web-https", "HTTPS"],
        ["pay-tls", "TLS"],
      ]) {
        const l = byName(run, T.listener, name);
        assert.equal(l.inputs.protocol, protocol);
        assert.equal(l.inputs.port, 443);
        assert.equal(l.inputs.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
        assert.equal(l.inputs.certificateArn, certArn);
        assert.match(
          l.state.arn,
          /^arn:aws:elasticloadbalancing:us-(east-1|west-2):123456789012:listener\/(app|net)\//,
        );
      }
      assert.deepEqual(byName(run, T.listener, "web-https").inputs.defaultActions, [
        {
          type: "fixed-response",
          fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
        },
      ]);
      assert.equal(
        byName(run, T.listener, "pay-tls").inputs.defaultActions[0].targetGroupArn,
        byName(run, T.tg, "pay-payments-tg").state.arn,
      );
    });

    it("routes each host and path to its own target group", () => {
      const expected: Record<string, [string[], string[]]> = Object.fromEntries(
        Object.entries(cfg.services).map(([svc, c]) => [
          svc,
          [
            // A path-only service answers on the shared hosts, never on the admin host.
            (c.hosts.length > 0 ? c.hosts : sharedWebHosts(cfg)).map((h) =>
              hostName(h, cfg.domain),
            ),
            c.paths,
          ],
        ]),
      );
      // One rule per service, plus FailoverDns's health-check rule (test/failoverDns.test.ts).
      const rules = ofType(run, T.rule).filter((r) => !r.name.endsWith("-hc-rule"));
      assert.equal(rules.length, services.length);
      const httpsArn = byName(run, T.listener, "web-https").state.arn;
      for (const [svc, [hosts, paths]] of Object.entries(expected)) {
        const rule = byName(run, T.rule, `web-${svc}-rule`);
        assert.equal(rule.inputs.listenerArn, httpsArn);
        assert.deepEqual(rule.inputs.actions, [
          { type: "forward", targetGroupArn: byName(run, T.tg, `web-${svc}-tg`).state.arn },
        ]);
        const conditions = [
          ...(hosts.length ? [{ hostHeader: { values: hosts } }] : []),
          ...(paths.length ? [{ pathPattern: { values: paths } }] : []),
          // securecart:admin defaults to closed (test/security.test.ts).
          ...(svc === "admin" ? [{ sourceIp: { values: [CLOSED_ADMIN_SOURCE] } }] : []),
        ];
        assert.deepEqual(rule.inputs.conditions, conditions, svc);
      }
      assert.deepEqual(
        run.outputs.listenerRules,
        [...(run.outputs.listenerRules as { priority: number }[])].sort(
          (a, b) => a.priority - b.priority,
        ),
      );
    });

    it("makes only checkout sticky: lb_cookie for 3600 s", () => {
      for (const svc of services) {
        const s = byName(run, T.tg, `web-${svc}-tg`).inputs.stickiness;
        if (svc === "checkout")
          assert.deepEqual(s, { type: "lb_cookie", enabled: true, cookieDuration: 3600 });
        else assert.equal(s.enabled, false, svc);
      }
      // NLB: no sticky sessions with a TLS listener and TLS targets, so none is set at all.
      assert.equal(byName(run, T.tg, "pay-payments-tg").inputs.stickiness, undefined);
    });

    it("gives every target group an explicit health check, deregistration delay and cross-zone", () => {
      const tgs = app(ofType(run, T.tg));
      assert.equal(tgs.length, fleets);
      for (const tg of tgs) {
        const svc = tg.name.replace(/^(web|pay)-/, "").replace(/-tg$/, "");
        const hc = svc === "payments" ? cfg.payments.healthCheck : cfg.services[svc].healthCheck;
        assert.deepEqual(tg.inputs.healthCheck, {
          enabled: true,
          // The payments targets serve TLS, so they are checked over HTTPS.
          protocol: tg.name === "pay-payments-tg" ? "HTTPS" : "HTTP",
          port: "traffic-port",
          path: hc.path,
          matcher: hc.matcher,
          interval: hc.intervalSeconds,
          timeout: hc.timeoutSeconds,
          healthyThreshold: hc.healthyThreshold,
          unhealthyThreshold: hc.unhealthyThreshold,
        });
        assert.equal(tg.inputs.loadBalancingCrossZoneEnabled, "true");
        assert.equal(typeof tg.inputs.deregistrationDelay, "number");
      }
      assert.equal(byName(run, T.tg, "web-checkout-tg").inputs.deregistrationDelay, 120);
      assert.equal(byName(run, T.tg, "web-cart-tg").inputs.deregistrationDelay, 30);
      assert.equal(byName(run, T.tg, "pay-payments-tg").inputs.protocol, "TLS");
      assert.equal(byName(run, T.tg, "web-cart-tg").inputs.protocol, "HTTP");
    });

    it("spreads every Auto Scaling group over the private subnet of every AZ, with ELB health checks", () => {
      const privateIds = ofType(run, T.subnet)
        .filter((s) => s.inputs.tags.Tier === "private")
        .map(idOf);
      assert.equal(privateIds.length, cfg.availabilityZones.length);
      const asgs = app(ofType(run, T.asg));
      assert.equal(asgs.length, fleets);
      for (const asg of asgs) {
        assert.deepEqual(
          [...asg.inputs.vpcZoneIdentifiers].sort(),
          [...privateIds].sort(),
          asg.name,
        );
        assert.equal(asg.inputs.healthCheckType, "ELB");
        assert.equal(asg.inputs.targetGroupArns.length, 1);
        assert.ok(asg.inputs.defaultInstanceWarmup > 0);
        assert.ok(asg.inputs.minSize >= 1 && asg.inputs.minSize <= asg.inputs.maxSize);
      }
      const checkout = byName(run, T.asg, "web-checkout-asg");
      assert.deepEqual(checkout.inputs.targetGroupArns, [
        byName(run, T.tg, "web-checkout-tg").state.arn,
      ]);
      assert.equal(checkout.inputs.minSize, cfg.services.checkout.minSize);
      assert.equal(checkout.inputs.maxSize, cfg.services.checkout.maxSize);
    });

    it("launches instances with IMDSv2, encrypted EBS, an SSM role and the AMI pinned in config", () => {
      // Never AWS's public "latest" parameter: a new release must not roll the fleets by itself.
      const publicAmi = run.invokes.filter(
        (i) =>
          i.token === "aws:ssm/getParameter:getParameter" &&
          String(i.inputs.name).startsWith("/aws/service/"),
      );
      assert.deepEqual(publicAmi, []);
      const pinned = JSON.parse(run.config["securecart:amis"])[run.config["aws:region"]];
      assert.match(pinned, /^ami-[0-9a-f]{17}$/);
      for (const lt of app(ofType(run, T.lt))) {
        assert.equal(lt.inputs.imageId, pinned);
        assert.equal(lt.inputs.metadataOptions.httpTokens, "required");
        assert.equal(lt.inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.equal(lt.inputs.blockDeviceMappings[0].ebs.encrypted, "true");
        assert.match(
          lt.inputs.iamInstanceProfile.arn,
          /^arn:aws:iam::123456789012:instance-profile\//,
        );
      }
      const ssm = app(ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"));
      assert.equal(ssm.length, fleets);
      assert.ok(
        ssm.every(
          (a) => a.inputs.policyArn === "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ),
      );
    });

    it("chains security groups: internet → load balancer → instances only", () => {
      const albSg = sgIdOf("web-lb-sg");
      const nlbSg = sgIdOf("pay-lb-sg");
      const open = app(ofType(run, T.ingress)).filter(
        (r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6,
      );
      assert.deepEqual(
        open.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort]).sort(),
        [
          [albSg, 443, 443],
          [albSg, 80, 80],
          [nlbSg, 443, 443],
        ].sort(),
      );
      for (const svc of services) {
        const ingress = byName(run, T.ingress, `web-${svc}-from-lb`).inputs;
        assert.equal(ingress.securityGroupId, sgIdOf(`web-${svc}-sg`));
        assert.equal(ingress.referencedSecurityGroupId, albSg);
        assert.deepEqual([ingress.fromPort, ingress.toPort], [8080, 8080]);
        const egress = byName(run, T.egress, `web-lb-to-${svc}`).inputs;
        assert.deepEqual(
          [egress.securityGroupId, egress.referencedSecurityGroupId],
          [albSg, sgIdOf(`web-${svc}-sg`)],
        );
      }
      assert.equal(
        byName(run, T.ingress, "pay-payments-from-lb").inputs.referencedSecurityGroupId,
        nlbSg,
      );
      // Nothing but the load balancers' listeners is open to the internet.
      assert.equal(app(ofType(run, T.ingress)).length, 3 + fleets);
      // The appliances admit only the GWLB's subnets, never the internet.
      const anywhere = ofType(run, T.ingress).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
      assert.ok(anywhere.every((r) => [albSg, nlbSg].includes(r.inputs.securityGroupId)));
      assert.deepEqual(byName(run, T.lb, "web-alb").inputs.securityGroups, [albSg]);
      assert.deepEqual(byName(run, T.lb, "pay-nlb").inputs.securityGroups, [nlbSg]);
    });

    it("keeps every ELB name within 32 characters after autonaming", () => {
      const elbNamed = [...ofType(run, T.lb), ...ofType(run, T.tg)];
      // The ALB, the NLB and a target group per fleet, plus the inspection GWLB and its group.
      assert.equal(elbNamed.length, 2 + fleets + (cfg.inspection.enabled ? 2 : 0));
      for (const r of elbNamed) {
        assert.ok(r.name.length <= 24, `${r.name} is ${r.name.length} characters`);
        assert.ok(r.state.name.length <= 32, `${r.state.name}`);
        assert.match(r.state.name, /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
      }
    });

    it("needs the Elastic IP count the README's prerequisites name (AWS's default quota is 5)", () => {
      // 3 NAT gateways + 3 payments NLB addresses: above AWS's default of 5 Elastic IPs per
      // region, so the deploy steps ask for a quota increase first. Keep the two in step.
      const eips = ofType(run, "aws:ec2/eip:Eip").length;
      assert.equal(eips, 6);
      const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
      assert.match(readme, new RegExp(`Elastic IP quota of at least ${eips} per region`));
    });

    it("gives each AZ its own NAT gateway and private route", () => {
      const nats = ofType(run, T.nat);
      assert.equal(nats.length, 3);
      for (const letter of ["a", "b", "c"]) {
        const nat = byName(run, T.nat, `net-nat-${letter}`);
        assert.equal(nat.inputs.subnetId, byName(run, T.subnet, `net-public-${letter}`).id);
        const route = byName(run, T.route, `net-private-default-${letter}`).inputs;
        assert.equal(route.natGatewayId, nat.id);
        const assoc = byName(run, T.rta, `net-private-rta-${letter}`).inputs;
        assert.equal(assoc.routeTableId, route.routeTableId);
        assert.equal(assoc.subnetId, byName(run, T.subnet, `net-private-${letter}`).id);
        const isolated = byName(run, T.rta, `net-isolated-rta-${letter}`).inputs.routeTableId;
        assert.equal(
          ofType(run, T.route).filter((r) => r.inputs.routeTableId === isolated).length,
          0,
        );
      }
      const azs = ofType(run, T.subnet).map((s) => s.inputs.availabilityZone);
      const region = stack === "prod-east" ? "us-east-1" : "us-west-2";
      assert.deepEqual([...new Set(azs)].sort(), [`${region}a`, `${region}b`, `${region}c`]);
    });

    it("validates the certificate with one shared record both regions may write", () => {
      const records = ofType(run, T.record).filter((r) => r.name.startsWith("tls-validation-"));
      assert.equal(records.length, 1);
      const [rec] = records;
      assert.equal(rec.inputs.allowOverwrite, true);
      assert.equal(rec.options.retainOnDelete, true);
      assert.equal(rec.inputs.type, "CNAME");
      const cert = byName(run, "aws:acm/certificate:Certificate", "tls-cert");
      assert.deepEqual(
        [cert.inputs.domainName, cert.inputs.subjectAlternativeNames],
        ["securecart.com", ["*.securecart.com"]],
      );
      assert.equal(rec.inputs.name, cert.state.domainValidationOptions[0].resourceRecordName);
    });

    it("exports the load balancers' DNS names and canonical zones", () => {
      const region = stack === "prod-east" ? "us-east-1" : "us-west-2";
      assert.equal(run.outputs.region, region);
      assert.match(
        String(run.outputs.albDnsName),
        new RegExp(`^web-alb-[0-9a-f]{7}-\\d{10}\\.${region}\\.elb\\.amazonaws\\.com$`),
      );
      assert.match(
        String(run.outputs.nlbDnsName),
        new RegExp(`^pay-nlb-[0-9a-f]{7}-[0-9a-f]{16}\\.elb\\.${region}\\.amazonaws\\.com$`),
      );
      assert.equal(
        run.outputs.albZoneId,
        region === "us-east-1" ? "Z35SXDOTRQ7X7K" : "Z1H1FL5HABSF5",
      );
      assert.equal(
        run.outputs.nlbZoneId,
        region === "us-east-1" ? "Z26RNL4JYFTOTI" : "Z18D5FSROUN65G",
      );
      assert.match(String(run.outputs.albArnSuffix), /^app\/web-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    });
  });
}

describe("stack program errors", () => {
  it("stops on a config error before declaring anything", async () => {
    await assert.rejects(
      runStack("prod-west", { "securecart:routing": "round-robin" }),
      (err: Error) => {
        assert.equal(err.name, "ConfigError");
        assert.match(
          err.message,
          /`securecart:routing` must be failover or latency; got "round-robin"/,
        );
        return true;
      },
    );
  });
});
