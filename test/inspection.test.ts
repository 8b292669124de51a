import { strict as assert } from "assert";
import { ProgramRun, byName, ofType, runStack } from "../testing/harness";
import { parseStackConfig, ConfigError } from "../stacks/config";
import { readStackConfig, runComponents } from "../testing/harness";
import { Network, NetworkInspectionArgs } from "../components/network/network";
import { APPLIANCE_GRACE_PERIOD_SECONDS } from "../components/network/inspectionGateway";
import { errorOf } from "./support";

const T = {
  route: "aws:ec2/route:Route",
  rt: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  subnet: "aws:ec2/subnet:Subnet",
  vpce: "aws:ec2/vpcEndpoint:VpcEndpoint",
  service: "aws:ec2/vpcEndpointService:VpcEndpointService",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  tg: "aws:lb/targetGroup:TargetGroup",
  asg: "aws:autoscaling/group:Group",
};
const LETTERS = ["a", "b", "c"];

describe("inspection gateway (mocks)", () => {
  for (const stack of ["prod-east", "prod-west"]) {
    describe(`${stack}, inspection on`, () => {
      let run: ProgramRun;
      const region = stack === "prod-east" ? "us-east-1" : "us-west-2";
      const cidrBase = stack === "prod-east" ? "10.10" : "10.20";
      before(async () => {
        run = await runStack(stack);
      });

      it("puts a cross-zone Gateway Load Balancer in the appliance subnet of every AZ", () => {
        const gwlb = byName(run, T.lb, "net-insp-gwlb");
        assert.equal(gwlb.inputs.loadBalancerType, "gateway");
        assert.equal(gwlb.inputs.enableCrossZoneLoadBalancing, true);
        assert.equal(gwlb.inputs.enableDeletionProtection, true);
        assert.equal(gwlb.inputs.securityGroups, undefined);
        assert.deepEqual(
          gwlb.inputs.subnets,
          LETTERS.map((l) => byName(run, T.subnet, `net-insp-appliance-${l}`).id),
        );
        assert.deepEqual(
          LETTERS.map((l) => byName(run, T.subnet, `net-insp-appliance-${l}`).inputs.cidrBlock),
          [`${cidrBase}.192.0/22`, `${cidrBase}.200.0/22`, `${cidrBase}.208.0/22`],
        );
      });

      it("sends GENEVE on 6081 to the appliances, checking their health port", () => {
        const tg = byName(run, T.tg, "net-insp-tg");
        assert.equal(tg.inputs.protocol, "GENEVE");
        assert.equal(tg.inputs.port, 6081);
        assert.deepEqual(tg.inputs.healthCheck, {
          enabled: true,
          protocol: "TCP",
          port: "80",
          interval: 10,
          timeout: 5,
          healthyThreshold: 3,
          unhealthyThreshold: 2,
        });
        const asg = byName(run, T.asg, "net-insp-appliance-asg");
        assert.deepEqual(asg.inputs.targetGroupArns, [tg.state.arn]);
        assert.deepEqual([asg.inputs.minSize, asg.inputs.maxSize], [3, 9]);
        assert.deepEqual(
          [...asg.inputs.vpcZoneIdentifiers].sort(),
          LETTERS.map((l) => byName(run, T.subnet, `net-insp-appliance-${l}`).id).sort(),
        );
        const lt = byName(run, "aws:ec2/launchTemplate:LaunchTemplate", "net-insp-appliance-lt");
        assert.equal(lt.inputs.userData, undefined, "vendor images bring their own bootstrap");
        assert.ok(
          run.invokes.some((i) => i.inputs.name === "/securecart/inspection/appliance-ami"),
        );
      });

      it("boots appliances from the image's own root device and size, with a 300 s grace period", () => {
        const lt = byName(run, "aws:ec2/launchTemplate:LaunchTemplate", "net-insp-appliance-lt");
        const describe = run.invokes.filter((i) => i.token === "aws:ec2/getAmi:getAmi");
        assert.equal(describe.length, 1);
        assert.deepEqual(describe[0].inputs.filters, [
          { name: "image-id", values: [lt.inputs.imageId] },
        ]);
        // The mocks describe the image with root /dev/xvda; no size: the snapshot's own.
        assert.deepEqual(lt.inputs.blockDeviceMappings, [
          {
            deviceName: "/dev/xvda",
            ebs: {
              encrypted: "true",
              volumeType: "gp3",
              deleteOnTermination: "true",
            },
          },
        ]);
        const asg = byName(run, T.asg, "net-insp-appliance-asg").inputs;
        assert.deepEqual(
          [asg.healthCheckGracePeriod, asg.defaultInstanceWarmup],
          [APPLIANCE_GRACE_PERIOD_SECONDS, APPLIANCE_GRACE_PERIOD_SECONDS],
        );
        assert.ok(APPLIANCE_GRACE_PERIOD_SECONDS >= 300);
        // The app fleets keep their own defaults.
        const app = byName(run, T.asg, "web-storefront-asg").inputs;
        assert.equal(app.healthCheckGracePeriod, 120);
      });

      it("exposes the GWLB through an endpoint service this account may use without acceptance", () => {
        const svc = byName(run, T.service, "net-insp-service");
        assert.deepEqual(svc.inputs.gatewayLoadBalancerArns, [
          byName(run, T.lb, "net-insp-gwlb").state.arn,
        ]);
        assert.equal(svc.inputs.acceptanceRequired, false);
        assert.deepEqual(svc.inputs.allowedPrincipals, ["arn:aws:iam::123456789012:root"]);
        assert.match(
          svc.state.serviceName,
          new RegExp(`^com\\.amazonaws\\.vpce\\.${region}\\.vpce-svc-[0-9a-f]{17}$`),
        );
      });

      for (const letter of LETTERS) {
        it(`routes AZ ${letter} symmetrically: IGW → endpoint ${letter} → appliances → endpoint ${letter} → LB subnet`, () => {
          const endpoint = byName(run, T.vpce, `net-insp-gwlbe-${letter}`);
          assert.equal(endpoint.inputs.vpcEndpointType, "GatewayLoadBalancer");
          assert.equal(
            endpoint.inputs.serviceName,
            byName(run, T.service, "net-insp-service").state.serviceName,
          );
          assert.deepEqual(endpoint.inputs.subnetIds, [
            byName(run, T.subnet, `net-insp-endpoint-${letter}`).id,
          ]);

          // Edge route table: the LB subnet's CIDR goes to the same-AZ endpoint.
          const edgeRt = byName(run, T.rt, "net-insp-edge-rt").id;
          const edgeAssoc = byName(run, T.rta, "net-insp-edge-rta").inputs;
          assert.deepEqual(edgeAssoc, {
            gatewayId: byName(run, "aws:ec2/internetGateway:InternetGateway", "net-igw").id,
            routeTableId: edgeRt,
          });
          const lbSubnet = byName(run, T.subnet, `net-public-${letter}`);
          const edge = byName(run, T.route, `net-insp-edge-${letter}`).inputs;
          assert.deepEqual(edge, {
            routeTableId: edgeRt,
            destinationCidrBlock: lbSubnet.inputs.cidrBlock,
            vpcEndpointId: endpoint.id,
          });

          // The LB subnet's default route returns through the same endpoint, not the IGW.
          const publicDefault = byName(run, T.route, `net-public-default-${letter}`).inputs;
          assert.equal(publicDefault.vpcEndpointId, endpoint.id);
          assert.equal(publicDefault.gatewayId, undefined);
          assert.equal(publicDefault.routeTableId, byName(run, T.rt, `net-public-rt-${letter}`).id);

          // After inspection, the endpoint subnet leaves through the IGW.
          const endpointDefault = byName(
            run,
            T.route,
            `net-insp-endpoint-default-${letter}`,
          ).inputs;
          assert.equal(
            endpointDefault.gatewayId,
            byName(run, "aws:ec2/internetGateway:InternetGateway", "net-igw").id,
          );
          assert.equal(
            byName(run, T.rta, `net-insp-endpoint-rta-${letter}`).inputs.routeTableId,
            endpointDefault.routeTableId,
          );
        });
      }

      it("has exactly one edge route per AZ", () => {
        const edgeRt = byName(run, T.rt, "net-insp-edge-rt").id;
        assert.equal(
          ofType(run, T.route).filter((r) => r.inputs.routeTableId === edgeRt).length,
          3,
        );
        const gwlbe = ofType(run, T.vpce).filter(
          (e) => e.inputs.vpcEndpointType === "GatewayLoadBalancer",
        );
        assert.equal(gwlbe.length, 3);
      });
    });
  }

  describe("inspection off", () => {
    let run: ProgramRun;
    before(async () => {
      run = await runStack("prod-east", { "securecart:inspection": { enabled: false } });
    });

    it("leaves exactly the plain path: no endpoints, edge routes or appliances", () => {
      assert.equal(run.resources.filter((r) => r.name.startsWith("net-insp")).length, 0);
      assert.equal(
        ofType(run, T.vpce).filter((e) => e.inputs.vpcEndpointType === "GatewayLoadBalancer")
          .length,
        0,
      );
      assert.equal(ofType(run, T.service).length, 0);
      assert.equal(
        ofType(run, T.lb).filter((l) => l.inputs.loadBalancerType === "gateway").length,
        0,
      );
      const igw = byName(run, "aws:ec2/internetGateway:InternetGateway", "net-igw").id;
      for (const letter of LETTERS) {
        const route = byName(run, T.route, `net-public-default-${letter}`).inputs;
        assert.equal(route.gatewayId, igw);
        assert.equal(route.vpcEndpointId, undefined);
      }
      assert.equal(ofType(run, T.rta).filter((a) => a.inputs.gatewayId).length, 0);
    });

    it("keeps the public default routes' names, so switching updates them in place", async () => {
      const on = await runStack("prod-east");
      const urns = (r: ProgramRun) =>
        ofType(r, T.route)
          .filter((x) => x.name.startsWith("net-public-default-"))
          .map((x) => x.urn)
          .sort();
      assert.deepEqual(urns(on), urns(run));
    });
  });

  describe("appliance root volume and grace period (component)", () => {
    const network =
      (inspection: Partial<NetworkInspectionArgs> = {}) =>
      () =>
        new Network("net", {
          cidrBlock: "10.10.0.0/16",
          availabilityZones: ["us-east-1a", "us-east-1b"],
          region: "us-east-1",
          flowLogs: { logGroupName: "/test/flow", trafficType: "REJECT", retentionDays: 365 },
          inspection: {
            imageId: "ami-0123456789abcdef0",
            instanceType: "c6in.large",
            minSize: 2,
            maxSize: 4,
            healthCheck: { port: 80 },
            ...inspection,
          },
        });

    it("takes the root device name, size and grace period it is given", async () => {
      const run = await runComponents(
        network({
          rootDeviceName: "/dev/sda1",
          rootVolumeGiB: 64,
          healthCheckGracePeriodSeconds: 900,
        }),
      );
      const lt = byName(run, "aws:ec2/launchTemplate:LaunchTemplate", "net-insp-appliance-lt");
      assert.deepEqual(
        lt.inputs.blockDeviceMappings.map((m: any) => [m.deviceName, m.ebs.volumeSize]),
        [["/dev/sda1", 64]],
      );
      assert.ok(!run.invokes.some((i) => i.token === "aws:ec2/getAmi:getAmi"));
      const asg = byName(run, T.asg, "net-insp-appliance-asg").inputs;
      assert.equal(asg.healthCheckGracePeriod, 900);
    });

    for (const [label, patch, message] of [
      [
        "a negative grace period",
        { healthCheckGracePeriodSeconds: -1 },
        "healthCheckGracePeriodSeconds must be a whole number of seconds >= 0; got -1",
      ],
      [
        "a 0 GiB root",
        { rootVolumeGiB: 0 },
        "rootVolume.sizeGiB must be an integer from 1 to 16384 (gp3); got 0",
      ],
    ] as const) {
      it(`rejects ${label}`, async () => {
        const msg = await errorOf(network(patch));
        assert.ok(msg.includes(message), msg);
      });
    }
  });

  describe("config", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "enabled without an image",
        { enabled: true },
        "`securecart:inspection.ami` with enabled: true, set exactly one of `ami` or `amiParameter`",
      ],
      [
        "both images",
        { enabled: true, ami: "ami-0123456789abcdef0", amiParameter: "/x/y" },
        "set exactly one of `ami` or `amiParameter`",
      ],
      [
        "a bad AMI ID",
        { enabled: true, ami: "ami-xyz" },
        '`securecart:inspection.ami` must be an AMI ID such as ami-0123456789abcdef0; got "ami-xyz"',
      ],
      [
        "health on the GENEVE port",
        { enabled: true, ami: "ami-0123456789abcdef0", healthPort: 6081 },
        "`securecart:inspection.healthPort` must not be 6081, which carries GENEVE traffic; got 6081",
      ],
      [
        "min above max",
        { enabled: true, ami: "ami-0123456789abcdef0", minSize: 5, maxSize: 2 },
        "`securecart:inspection.minSize` must be <= maxSize",
      ],
    ];
    cases.push(
      [
        "a root device that isn't a Linux block device",
        { enabled: true, ami: "ami-0123456789abcdef0", rootDeviceName: "sda1" },
        "`securecart:inspection.rootDeviceName` must be a Linux block device name such as /dev/sda1 or /dev/xvda",
      ],
      [
        "a root volume above gp3's 16 TiB",
        { enabled: true, ami: "ami-0123456789abcdef0", rootVolumeGiB: 20000 },
        "`securecart:inspection.rootVolumeGiB` must be an integer from 1 to 16384",
      ],
      [
        "a grace period over 2 h",
        { enabled: true, ami: "ami-0123456789abcdef0", healthCheckGracePeriodSeconds: 7201 },
        "`securecart:inspection.healthCheckGracePeriodSeconds` must be an integer from 0 to 7200",
      ],
    );
    for (const [label, value, expected] of cases) {
      it(`rejects ${label}`, () => {
        try {
          parseStackConfig(
            "prod-east",
            readStackConfig("prod-east", { "securecart:inspection": value }),
          );
          assert.fail("expected a ConfigError");
        } catch (err) {
          assert.ok(err instanceof ConfigError, String(err));
          assert.ok(
            err.problems.some((p) => p.includes(expected)),
            err.problems.join("\n"),
          );
        }
      });
    }
    it("defaults the appliances' grace period to 300 s and leaves the root to the image", () => {
      const cfg = parseStackConfig(
        "prod-east",
        readStackConfig("prod-east", {
          "securecart:inspection": { enabled: true, ami: "ami-0123456789abcdef0" },
        }),
      );
      assert.deepEqual(
        [
          cfg.inspection.healthCheckGracePeriodSeconds,
          cfg.inspection.rootDeviceName,
          cfg.inspection.rootVolumeGiB,
        ],
        [300, undefined, undefined],
      );
    });
    it("accepts a disabled block without an image", () => {
      const cfg = parseStackConfig(
        "prod-east",
        readStackConfig("prod-east", { "securecart:inspection": { enabled: false } }),
      );
      assert.equal(cfg.inspection.enabled, false);
    });
  });
});
