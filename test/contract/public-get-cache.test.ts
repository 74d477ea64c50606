import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { buildPerson } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const PUBLIC = `query Categories { helpCategories { id name } }`;

/** GraphQL over HTTP GET, with the header Apollo's CSRF prevention asks of a GET. */
const get = (t: TestApp, query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) => {
  const url = new URL(t.url);
  url.searchParams.set("query", query);
  if (variables) url.searchParams.set("variables", JSON.stringify(variables));
  return fetch(url, { headers: { "apollo-require-preflight": "true", accept: "application/graphql-response+json", ...headers } });
};

const varyOf = (res: Response) => (res.headers.get("vary") ?? "").toLowerCase().split(/\s*,\s*/);

/**
 * The public graph over GET is cacheable by browsers, CDNs and proxies; anything that depends on who
 * asks (a login, a cookie, an API key) or that failed stays out of every cache.
 */
describe.each(backends())("a public GET with Cache-Control and an ETag on $name", (backend) => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(backend, { PUBLIC_CACHE_SECONDS: "120" });
    ({ token } = await buildPerson(t));
  });
  afterAll(async () => t?.close());

  it("answers an anonymous GET of public data with Cache-Control public and a strong ETag over the body", async () => {
    const res = await get(t, PUBLIC);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=120");
    const body = await res.text();
    expect(JSON.parse(body).data.helpCategories.length).toBeGreaterThan(0);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
    // The same answer gives the same tag; the tag follows the body.
    const again = await get(t, PUBLIC);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe(body);
    const other = await get(t, `{ helpCategories { id } }`);
    expect(other.headers.get("etag")).not.toBe(etag);
    expect(varyOf(res)).toEqual(expect.arrayContaining(["accept", "authorization", "x-api-key", "cookie"]));
  });

  it("answers If-None-Match with the current tag with 304 and no body, and a stale tag with the full answer", async () => {
    const first = await get(t, PUBLIC);
    const etag = first.headers.get("etag")!;
    await first.text();
    const notModified = await get(t, PUBLIC, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(notModified.headers.get("cache-control")).toBe("public, max-age=120");
    expect(await notModified.text()).toBe("");
    // One of several tags, and a weak comparison, as RFC 9110 asks for If-None-Match.
    expect((await get(t, PUBLIC, { "if-none-match": `"old", W/${etag}` })).status).toBe(304);
    const changed = await get(t, PUBLIC, { "if-none-match": `"not-the-current-one"` });
    expect(changed.status).toBe(200);
    expect(JSON.parse(await changed.text()).data.helpCategories.length).toBeGreaterThan(0);
  });

  it("keeps answers that depend on a viewer private and unstored: a login, an API key header, a cookie", async () => {
    const viewers: Record<string, string>[] = [{ authorization: `Bearer ${token}` }, { "x-api-key": "zz_not_a_key" }, { cookie: "session=abc" }];
    for (const headers of viewers) {
      const res = await get(t, PUBLIC, headers);
      expect(res.headers.get("cache-control"), JSON.stringify(headers)).toBe("private, no-store");
      expect(res.headers.get("etag")).toBeNull();
      await res.text();
    }
    // If-None-Match does not turn a private answer into a 304.
    const etag = (await get(t, PUBLIC)).headers.get("etag")!;
    const res = await get(t, PUBLIC, { authorization: `Bearer ${token}`, "if-none-match": etag });
    expect(res.status).toBe(200);
  });

  it("keeps POSTs and answers with errors out of caches", async () => {
    const posted = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: PUBLIC }) });
    expect(posted.headers.get("cache-control")).toBe("private, no-store");
    expect(posted.headers.get("etag")).toBeNull();
    const failed = await get(t, `{ helpCategoriez { id } }`);
    expect(failed.status).toBe(400);
    expect(failed.headers.get("cache-control")).toBe("private, no-store");
    expect(failed.headers.get("etag")).toBeNull();
    // A field that needs a login, asked anonymously, answers with an error: not cached either.
    const refused = await get(t, `{ me { id } }`);
    await refused.text();
    expect(refused.headers.get("etag")).toBeNull();
  });

  it("refuses a mutation over GET as before (GraphQL over HTTP: 405)", async () => {
    const res = await get(t, `mutation { login(email: "a@b.example", password: "x") { token } }`);
    expect(res.status).toBe(405);
    expect(res.headers.get("etag")).toBeNull();
  });
});
