import { type Audit, serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

/**
 * The GraphQL-over-HTTP conformance audits shipped by graphql-http, run against the real server
 * configured as in production (NODE_ENV=production) with introspection switched on: two MUST audits
 * introspect the schema. Every MUST and SHOULD audit has to pass; MAY audits are reported only.
 */
describe.each(backends())("GraphQL over HTTP conformance on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, { NODE_ENV: "production", INTROSPECTION: "true" });
  });
  afterAll(async () => t?.close());

  const audits: Audit[] = serverAudits({ url: () => t.url });
  const required = audits.filter((a) => a.name.startsWith("MUST") || a.name.startsWith("SHOULD"));
  const optional = audits.filter((a) => a.name.startsWith("MAY"));

  it("has audits to run", () => {
    expect(required.filter((a) => a.name.startsWith("MUST")).length).toBeGreaterThanOrEqual(13);
    expect(required.length).toBeGreaterThanOrEqual(36);
  });

  it.each(required.map((a) => ({ id: a.id, name: a.name, audit: a })))("$id $name", async ({ audit }: { audit: Audit }) => {
    const result = await audit.fn();
    const detail = result.status === "ok" ? "" : `${result.reason} (HTTP ${result.response.status})`;
    expect(result.status, detail).toBe("ok");
  });

  it("reports the MAY audits (informational)", async () => {
    const lines: string[] = [];
    for (const audit of optional) {
      const result = await audit.fn();
      lines.push(`${result.status === "ok" ? "ok  " : "skip"} ${audit.id} ${audit.name}${result.status === "ok" ? "" : `: ${result.reason}`}`);
    }
    // GET without the CSRF preflight header is refused on purpose (Apollo's CSRF prevention).
    expect(lines.length).toBe(optional.length);
    console.log(`MAY audits:\n${lines.join("\n")}`);
  });
});

describe("introspection in production", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, { NODE_ENV: "production" });
  });
  afterAll(async () => t?.close());

  it("is off by default when NODE_ENV=production, and the public graph still answers", async () => {
    const r = await t.gql(`{ __schema { queryType { name } } }`);
    expect(r.errors?.[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0].message).toMatch(/introspection/i);
    const ok = await t.gql(`{ helpCategories { id } }`);
    expect(ok.errors).toBeUndefined();
  });

  it("answers request errors with 200 to clients that ask for application/json only, 400 to the others", async () => {
    const post = (accept: string | null, query = `{ helpCategoriez { id } }`) =>
      fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
        body: JSON.stringify({ query }),
      });
    const legacy = await post("application/json");
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get("content-type")).toMatch(/^application\/json/);
    expect(((await legacy.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const modern = await post("application/graphql-response+json, application/json;q=0.9");
    expect(modern.status).toBe(400);
    expect(modern.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    expect((await post(null)).status).toBe(400);
    expect((await post("*/*")).status).toBe(400);
    // A document over a limit is a validation error like any other.
    let deep = "name";
    for (let i = 0; i < 8; i++) deep = `neighbourhoods { area { ${deep} } }`;
    const tooDeep = await post("application/json", `{ areas { ${deep} } }`);
    expect(tooDeep.status).toBe(200);
    expect(((await tooDeep.json()) as { errors: { extensions: { reason: string } }[] }).errors[0].extensions.reason).toBe("QUERY_TOO_DEEP");
    expect((await post("application/graphql-response+json", `{ areas { ${deep} } }`)).status).toBe(400);
    const badVariable = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: `query($id: ID!) { helpRequest(id: $id) { id } }`, variables: { id: { not: "an id" } } }),
    });
    expect(badVariable.status).toBe(200);
  });
});
