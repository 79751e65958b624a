// HubSpot's Node SDK (@hubspot/api-client) against a running hubgraph, with node's own
// test runner. tests/sdk/test_node_sdk.py starts the server, a portal and a token, and
// runs: node --test tests/node/  (HUBGRAPH_URL, HUBGRAPH_TOKEN, HUBGRAPH_PORTAL_ID set).
import assert from "node:assert/strict";
import { test } from "node:test";

import { Client } from "@hubspot/api-client";

const baseUrl = process.env.HUBGRAPH_URL;
const portalId = process.env.HUBGRAPH_PORTAL_ID;
const client = new Client({ accessToken: process.env.HUBGRAPH_TOKEN, basePath: baseUrl });

async function createRecords(objectType, propertiesList) {
  const inputs = propertiesList.map((properties) => ({ properties, associations: [] }));
  const created = await client.crm.objects.batchApi.create(objectType, { inputs });
  return created.results.map((r) => r.id);
}

test("the seed endpoint, then the records through the SDK", async () => {
  const fixture = {
    records: {
      contacts: [{ ref: "dana", properties: { email: "dana@example.com" } }],
      companies: [{ ref: "initech", properties: { name: "Initech" } }],
    },
    associations: [{ from: "dana", to: "initech", type: "Primary" }],
  };
  const response = await fetch(`${baseUrl}/_hubgraph/portals/${portalId}/seed`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(fixture),
  });
  assert.equal(response.status, 200);
  const seeded = await response.json();
  const dana = seeded.records.dana.id;
  const contact = await client.crm.objects.basicApi.getById("contacts", dana, ["email"]);
  assert.equal(contact.properties.email, "dana@example.com");
  const page = await client.crm.associations.v4.basicApi.getPage("contacts", dana, "companies");
  const types = page.results[0].associationTypes.map((t) => t.typeId);
  assert.ok(types.includes(1), JSON.stringify(page.results)); // HubSpot's "Primary"
});

test("batch associate default writes both directions", async () => {
  const [alice, bob] = await createRecords("contacts", [{ email: "a@x.io" }, { email: "b@x.io" }]);
  const [acme] = await createRecords("companies", [{ name: "Acme" }]);
  const result = await client.crm.associations.v4.batchApi.createDefault("contacts", "companies", {
    inputs: [
      { _from: { id: alice }, to: { id: acme } },
      { _from: { id: bob }, to: { id: acme } },
    ],
  });
  assert.equal(result.status, "COMPLETE");
  const pairs = result.results.map((r) => `${r._from.id}->${r.to.id}`).sort();
  assert.deepEqual(pairs, [`${acme}->${alice}`, `${acme}->${bob}`, `${alice}->${acme}`, `${bob}->${acme}`].sort());
});

test("a label is created, listed and used", async () => {
  const labels = client.crm.associations.v4.schema.definitionsApi;
  const created = await labels.create("contacts", "companies", {
    label: "Billing contact",
    name: "billing_contact",
  });
  const typeIds = created.results.map((r) => r.typeId);
  const listed = await labels.getAll("contacts", "companies");
  const billing = listed.results.find(
    (r) => r.label === "Billing contact" && r.category === "USER_DEFINED",
  );
  assert.ok(billing, JSON.stringify(listed.results));
  assert.ok(typeIds.includes(billing.typeId));
  const hubspotDefined = listed.results.filter((r) => r.category === "HUBSPOT_DEFINED");
  assert.ok(!hubspotDefined.some((r) => typeIds.includes(r.typeId)), "a user typeId collides");

  const [carol] = await createRecords("contacts", [{ email: "c@x.io" }]);
  const [globex] = await createRecords("companies", [{ name: "Globex" }]);
  await client.crm.associations.v4.basicApi.create("contacts", carol, "companies", globex, [
    { associationCategory: "USER_DEFINED", associationTypeId: billing.typeId },
  ]);
  const page = await client.crm.associations.v4.basicApi.getPage("contacts", carol, "companies");
  const labelsRead = page.results[0].associationTypes.map((t) => t.label);
  assert.ok(labelsRead.includes("Billing contact"), JSON.stringify(page.results));
});

test("pages follow paging.next.after to the end", async () => {
  const made = await createRecords(
    "deals",
    [1, 2, 3, 4, 5].map((n) => ({ dealname: `deal ${n}` })),
  );
  const seen = [];
  let after;
  do {
    const page = await client.crm.objects.basicApi.getPage("deals", 2, after);
    assert.ok(page.results.length <= 2);
    seen.push(...page.results.map((r) => r.id));
    after = page.paging?.next?.after;
  } while (after);
  assert.deepEqual(seen.filter((id) => made.includes(id)).sort(), [...made].sort());
});

test("an error is HubSpot's envelope in an ApiException", async () => {
  await assert.rejects(client.crm.objects.basicApi.getById("contacts", "999999999"), (error) => {
    assert.equal(error.code, 404);
    assert.equal(error.body.category, "OBJECT_NOT_FOUND");
    assert.ok(error.body.correlationId);
    return true;
  });
});
