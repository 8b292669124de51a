import { strict as assert } from "assert";
import { audienceOf, trafficStepOrder } from "../components/recovery/trafficOrder";
import { parseStackConfig, webHostLabels } from "../stacks/config";
import { trafficAudiences } from "../stacks/dns";
import { readStackConfig } from "../testing/harness";

const rec = (label: string, domain = "example.com") => ({
  label,
  fqdn: label === "@" ? domain : `${label}.${domain}`,
});

describe("Region switch traffic-step order (pure)", () => {
  const audiences = { shopperLabels: ["@", "www", "shop"], paymentLabels: ["pay"] };

  it("moves the apex and shoppers' hosts first, then payments, then the rest", () => {
    // Sorted by name this would be admin, api, pay, example.com, shop, www.
    const names = trafficStepOrder(
      ["admin", "pay", "@", "shop", "www", "api"].map((l) => rec(l)),
      audiences,
    );
    assert.deepEqual(names, [
      "example.com",
      "shop.example.com",
      "www.example.com",
      "pay.example.com",
      "admin.example.com",
      "api.example.com",
    ]);
  });

  it("lists each name once", () => {
    assert.deepEqual(trafficStepOrder([rec("shop"), rec("shop"), rec("pay")], audiences), [
      "shop.example.com",
      "pay.example.com",
    ]);
  });

  it("reads who a host serves from the config: admin's hosts are not shoppers'", () => {
    const cfg = parseStackConfig("prod-east", readStackConfig("prod-east"));
    const a = trafficAudiences(cfg);
    for (const label of cfg.services.admin.hosts) assert.equal(audienceOf(label, a), "others");
    assert.equal(audienceOf(cfg.payments.host, a), "payments");
    const shoppers = webHostLabels(cfg).filter((l) => !cfg.services.admin.hosts.includes(l));
    assert.ok(shoppers.length > 0);
    for (const label of shoppers) assert.equal(audienceOf(label, a), "shoppers");
  });
});
