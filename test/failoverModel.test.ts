import { strict as assert } from "assert";
import {
  FailoverSettings,
  azLoss,
  failback,
  plannedSwitchover,
  regionLoss,
  simulate,
  targetMisses,
} from "../components/recovery/failoverModel";
import {
  ASSUMED,
  ROUTE53_CHECK_TIMEOUT_SECONDS,
  failoverSettings,
} from "../components/recovery/failoverSettings";
import { trafficStepOrder } from "../components/recovery/trafficOrder";
import { trafficAudiences } from "../stacks/dns";
import { parseStackConfig, webHostLabels } from "../stacks/config";
import { parseGlobalConfig } from "../stacks/globalConfig";
import { GLOBAL_ROOT, readStackConfig } from "../testing/harness";
import { committedSettings, invariantProblems, renderSvg, renderTable } from "../tools/drill";

const settingsWith = (
  east: Record<string, unknown> = {},
  west: Record<string, unknown> = {},
  global: Record<string, unknown> = {},
) =>
  failoverSettings(
    parseStackConfig("prod-east", readStackConfig("prod-east", east)),
    parseStackConfig("prod-west", readStackConfig("prod-west", west)),
    parseGlobalConfig("prod-global", readStackConfig("prod-global", global, GLOBAL_ROOT)),
  );

describe("failover model", () => {
  const settings = committedSettings();
  const results = simulate(settings);

  it("reads the stacks' real settings", () => {
    const east = parseStackConfig("prod-east", readStackConfig("prod-east"));
    assert.deepEqual(settings.route53, {
      intervalSeconds: east.dns.healthCheck.requestIntervalSeconds,
      failureThreshold: east.dns.healthCheck.failureThreshold,
      checkTimeoutSeconds: ROUTE53_CHECK_TIMEOUT_SECONDS,
    });
    assert.equal(settings.zones.count, east.availabilityZones.length);
    assert.equal(settings.health.primaryRequiresWriter, true);
    assert.equal(settings.health.secondaryRequiresWriter, false);
    // Per region: the primary's records check the deep path, the standby's the ready path, and
    // the payment host the ready path in both.
    const west = parseStackConfig("prod-west", readStackConfig("prod-west"));
    assert.deepEqual(settings.health.paths, {
      primary: east.dns.healthCheck.path,
      secondary: west.dns.healthCheck.readPath,
      payments: east.dns.healthCheck.readPath,
    });
    assert.equal(settings.health.paymentsRequiresWriter, false);
  });

  it("reads the records in the plan's traffic-step order, with their TTLs", () => {
    const east = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const fqdn = (l: string) => (l === "@" ? east.domain : `${l}.${east.domain}`);
    const labels = [...webHostLabels(east), east.payments.host];
    assert.deepEqual(
      settings.records.map((r) => r.fqdn),
      trafficStepOrder(
        labels.map((l) => ({ label: l, fqdn: fqdn(l) })),
        trafficAudiences(east),
      ),
    );
    for (const r of settings.records) {
      const label = labels.find((l) => fqdn(l) === r.fqdn) as string;
      assert.equal(r.ttlSeconds, east.dns.cnameTtlSeconds[label] ?? 60, r.fqdn);
      assert.equal(r.endpoint, label === east.payments.host ? "pay" : "web", r.fqdn);
    }
  });

  for (const r of results) {
    it(`keeps every invariant in scenario "${r.title}"`, () => {
      assert.deepEqual(invariantProblems(r), []);
      assert.ok(Number.isFinite(r.checkoutRtoSeconds), "checkout must come back");
    });
  }

  it("loses no data in planned moves and at most the replication lag in a region loss", () => {
    const by = (k: string) => results.find((r) => r.key === k) as (typeof results)[number];
    assert.equal(by("switchover").rpoSeconds, 0);
    assert.equal(by("failback").rpoSeconds, 0);
    assert.equal(by("region-loss").rpoSeconds, settings.aurora.replicationLagSeconds);
  });

  it("moves browsing in a region loss on DNS alone: detection (a range: checks time out) plus TTL", () => {
    const loss = regionLoss(settings);
    const { intervalSeconds, failureThreshold, checkTimeoutSeconds } = settings.route53;
    const ttl = Math.max(
      ...settings.records.filter((r) => r.audience === "shoppers").map((r) => r.ttlSeconds),
    );
    assert.equal(loss.lowerBound.browsingRtoSeconds, intervalSeconds * failureThreshold + ttl);
    assert.equal(
      loss.browsingRtoSeconds,
      failureThreshold * (intervalSeconds + checkTimeoutSeconds) + ttl,
    );
  });

  it("bounds an AZ loss's errors: unhealthy threshold x interval, plus each check's timeout", () => {
    const east = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const hc = east.services.checkout.healthCheck;
    const az = azLoss(settings);
    assert.equal(az.lowerBound.browsingRtoSeconds, hc.unhealthyThreshold * hc.intervalSeconds);
    assert.equal(
      az.browsingRtoSeconds,
      hc.unhealthyThreshold * (hc.intervalSeconds + hc.timeoutSeconds),
    );
  });

  it("fails back only as the plan's traffic steps flip, name by name, after writer and capacity", () => {
    const back = failback(settings);
    const parallelEnd =
      settings.human.approveSeconds +
      Math.max(settings.aurora.switchoverSeconds, settings.fleet.bootSeconds);
    assert.ok(settings.capacity.standbyAtPeak < settings.capacity.primaryPeak);
    assert.deepEqual(
      back.nameMoves.map((m) => m.fqdn),
      settings.records.map((r) => r.fqdn),
    );
    back.nameMoves.forEach((m, i) => {
      const stepDone = parallelEnd + (i + 1) * settings.trafficStep.runSeconds;
      assert.equal(m.lowSeconds, stepDone + settings.records[i].ttlSeconds, m.fqdn);
      assert.equal(
        m.highSeconds,
        stepDone + settings.trafficStep.flipDetectionHighSeconds + settings.records[i].ttlSeconds,
        m.fqdn,
      );
    });
    const lastShopper = Math.max(
      ...back.nameMoves.filter((m) => m.audience === "shoppers").map((m) => m.highSeconds),
    );
    assert.equal(back.checkoutRtoSeconds, lastShopper - settings.human.approveSeconds);
    // A switchover moves the web names on the writer check, before the traffic steps; payments
    // (ready path in both regions) moves only with its step.
    const away = plannedSwitchover(settings);
    const pay = away.nameMoves.find(
      (m) => m.audience === "payments",
    ) as (typeof away.nameMoves)[number];
    const payIndex = settings.records.findIndex((r) => r.fqdn === pay.fqdn);
    assert.equal(
      pay.lowSeconds,
      parallelEnd + (payIndex + 1) * settings.trafficStep.runSeconds + 60,
    );
    assert.ok(away.checkoutRtoSeconds < back.checkoutRtoSeconds);
  });

  it("waits in the Parallel block for capacity: slower boots delay the failback", () => {
    const slowBoot: FailoverSettings = {
      ...settings,
      fleet: { ...settings.fleet, bootSeconds: ASSUMED.bootSeconds + 100 },
    };
    assert.equal(
      failback(slowBoot).checkoutRtoSeconds - failback(settings).checkoutRtoSeconds,
      ASSUMED.bootSeconds + 100 - Math.max(ASSUMED.bootSeconds, settings.aurora.switchoverSeconds),
    );
    const matched: FailoverSettings = {
      ...slowBoot,
      capacity: { ...settings.capacity, standbyAtPeak: settings.capacity.primaryPeak },
    };
    assert.ok(failback(matched).checkoutRtoSeconds < failback(slowBoot).checkoutRtoSeconds);
  });

  it("breaks the no-writer invariant when DNS outlasts the plan (slow checks, or a long TTL)", () => {
    const slowChecks = failback(
      settingsWith({
        "securecart:dns": {
          ...dnsOf("prod-east"),
          healthCheck: {
            ...dnsOf("prod-east").healthCheck,
            requestIntervalSeconds: 30,
            failureThreshold: 10,
          },
        },
      }),
    );
    assert.match(invariantProblems(slowChecks).join(), /longer than the plan runs/);
    const longTtl: FailoverSettings = {
      ...settings,
      records: settings.records.map((r) => ({ ...r, ttlSeconds: 3600 })),
    };
    assert.match(invariantProblems(failback(longTtl)).join(), /longer than the plan runs/);
  });

  it("breaks when a plan step cannot finish within its timeout", () => {
    const tight = settingsWith(
      {},
      {},
      { "securecart-global:regionSwitch": { ...planConfig(), scalingTimeoutMinutes: 1 } },
    );
    assert.ok(tight.fleet.bootSeconds > 60);
    assert.match(invariantProblems(plannedSwitchover(tight)).join(), /scale steps need/);
  });

  it("moves the figures when a setting changes (health-check threshold, TTL, trigger)", () => {
    const base = regionLoss(settings);
    const slower = regionLoss(
      settingsWith({
        "securecart:dns": {
          ...dnsOf("prod-east"),
          healthCheck: { ...dnsOf("prod-east").healthCheck, failureThreshold: 5 },
        },
      }),
    );
    assert.equal(
      slower.lowerBound.browsingRtoSeconds - base.lowerBound.browsingRtoSeconds,
      2 * settings.route53.intervalSeconds,
    );
    assert.equal(
      slower.browsingRtoSeconds - base.browsingRtoSeconds,
      2 * (settings.route53.intervalSeconds + settings.route53.checkTimeoutSeconds),
    );
    const shortTtl: FailoverSettings = {
      ...settings,
      records: settings.records.map((r) => ({ ...r, ttlSeconds: r.ttlSeconds - 30 })),
    };
    assert.equal(regionLoss(shortTtl).browsingRtoSeconds, base.browsingRtoSeconds - 30);
    const manual = regionLoss(
      settingsWith(
        {},
        {},
        { "securecart-global:regionSwitch": { ...planConfig(), automaticFailover: false } },
      ),
    );
    assert.ok(manual.checkoutRtoSeconds > base.checkoutRtoSeconds);
    assert.match(invariantProblems(manual).join(), /before any plan runs/);
  });

  it("flags flapping when the primary's records do not require the writer", () => {
    const readOnly: FailoverSettings = {
      ...settings,
      health: { ...settings.health, primaryRequiresWriter: false },
    };
    assert.ok(simulate(readOnly).some((r) => /back to a region/.test(invariantProblems(r).join())));
  });

  it("prints a row per scenario with RTO and RPO columns, and an SVG timeline", () => {
    const table = renderTable(results).split("\n");
    assert.match(table[0], /Scenario .*Browsing RTO .*Checkout RTO .*RPO/);
    assert.equal(table.length, 2 + results.length);
    const svg = renderSvg(results);
    assert.ok(svg.startsWith("<svg"));
    for (const r of results) assert.ok(svg.includes(r.title));
  });

  it("says which targets it misses", () => {
    const misses = targetMisses(settings, results);
    // An AZ loss fails new requests to that AZ until its targets fail their health checks.
    assert.ok(misses.some((m) => m.startsWith("AZ loss")));
  });
});

function dnsOf(stack: string): any {
  return JSON.parse(readStackConfig(stack)["securecart:dns"]);
}

function planConfig(): Record<string, unknown> {
  return JSON.parse(
    readStackConfig("prod-global", {}, GLOBAL_ROOT)["securecart-global:regionSwitch"],
  );
}
