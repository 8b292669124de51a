import { strict as assert } from "assert";
import {
  FailoverSettings,
  regionLoss,
  simulate,
  targetMisses,
} from "../components/recovery/failoverModel";
import { failoverSettings } from "../components/recovery/failoverSettings";
import { parseStackConfig } from "../stacks/config";
import { parseGlobalConfig } from "../stacks/globalConfig";
import { GLOBAL_ROOT, readStackConfig } from "../tools/harness";
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
    });
    assert.equal(settings.dnsTtlSeconds, 60);
    assert.equal(settings.zones.count, east.availabilityZones.length);
    assert.equal(settings.health.primaryRequiresWriter, true);
    assert.equal(settings.health.secondaryRequiresWriter, false);
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

  it("moves browsing in a region loss on DNS alone: detection plus TTL", () => {
    const loss = regionLoss(settings);
    const detect = settings.route53.intervalSeconds * settings.route53.failureThreshold;
    assert.equal(loss.browsingRtoSeconds, detect + settings.dnsTtlSeconds);
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
      slower.browsingRtoSeconds - base.browsingRtoSeconds,
      2 * settings.route53.intervalSeconds,
    );
    const shortTtl: FailoverSettings = { ...settings, dnsTtlSeconds: 30 };
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
