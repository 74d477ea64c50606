import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, buildCoordinator } from "../support/builders.js";
import { buildPartnerKey, keyed } from "../support/partners.js";
import { type TestApp, keptLog, reasonOf, startTestApp } from "../support/test-app.js";

/** 30 aliases over lists that take no `first`: refused by the cost check, which runs first. */
const FLOOD = `query Flood { ${Array.from(
  { length: 30 },
  (_, i) => `a${i}: teams { id neighbourhoods { id area { id teams { id neighbourhoods { id area { id teams { id name } } } } } } }`,
).join(" ")} }`;

const USAGE = `{ currentApiKey { prefix usage(days: 1) { keyPrefix requests errors } } }`;

/**
 * The request plugins (cost, a key's scopes, metrics and the request log) run as one: a refusal by the
 * first must not keep the others from doing their part for the same request.
 */
describe.each(backends())("request plugins after a refusal on $name", (backend) => {
  let t: TestApp;
  let coordinator: Account;
  const { log, lines } = keptLog();
  beforeAll(async () => {
    t = await startTestApp(backend, {}, { log });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  const logLine = async (requestId: string) => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const line = lines.find((l) => l.requestId === requestId && l.msg === "request");
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`no request log line for ${requestId}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const operationsCounted = async (operation: string, outcome: string) => {
    const text = await (await fetch(new URL("/metrics", t.url))).text();
    const line = text.split("\n").find((l) => l.startsWith("zorgzaam_graphql_operations_total{") && l.includes(`operation="${operation}"`) && l.includes(`outcome="${outcome}"`));
    return Number(line?.split(" ").at(-1) ?? 0);
  };

  it("a partner key's over-cost query is refused by the cost check, and is still counted for the key, logged and measured by its name", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const before = await keyed(t, key.secret, USAGE);
    const prefix = before.data.currentApiKey.prefix as string;
    const countedBefore = before.data.currentApiKey.usage.find((u: any) => u.keyPrefix === prefix) ?? { requests: 0, errors: 0 };

    const requestId = `plugins-${randomUUID()}`;
    const refused = await keyed(t, key.secret, FLOOD, undefined, { headers: { "x-request-id": requestId } });
    expect(refused.status).toBe(400);
    expect(reasonOf(refused)).toBe("QUERY_TOO_COMPLEX");
    expect(refused.data).toBeUndefined();

    // The log line names the operation (the metrics plugin's hook ran after the refusal).
    expect(await logLine(requestId)).toMatchObject({ operation: "Flood", operationType: "query", status: 400, clientId: key.clientId });
    expect(await operationsCounted("Flood", "error")).toBe(1);
    // The key's usage counts the refused request as an error (the scope plugin's last hook ran).
    const after = await keyed(t, key.secret, USAGE);
    const counted = after.data.currentApiKey.usage.find((u: any) => u.keyPrefix === prefix);
    // The earlier usage query and the refused one.
    expect(counted).toMatchObject({ requests: countedBefore.requests + 2, errors: countedBefore.errors + 1 });
  });

  it("a mutation outside the key's scopes is refused by the scope check, logged and measured by its name; the operation did not run", async () => {
    const key = await buildPartnerKey(t, coordinator, ["PUBLIC_READ"]);
    const requestId = `plugins-${randomUUID()}`;
    const refused = await keyed(t, key.secret, `mutation LeaveNow { logout }`, undefined, { headers: { "x-request-id": requestId } });
    expect(refused.status).toBe(403);
    expect(reasonOf(refused)).toBe("SCOPE_REQUIRED");
    expect(refused.data).toBeUndefined();
    expect(await logLine(requestId)).toMatchObject({ operation: "LeaveNow", operationType: "mutation", status: 403, clientId: key.clientId });
    expect(await operationsCounted("LeaveNow", "error")).toBe(1);
    // Anonymous, the same document gets as far as the resolver and is answered there, not by a plugin.
    const anonymous = await keyed(t, null, `mutation LeaveNow { logout }`);
    expect(reasonOf(anonymous)).not.toBe("SCOPE_REQUIRED");
  });
});
