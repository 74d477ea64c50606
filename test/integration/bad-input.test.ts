import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { ASK, CAT, askForHelp, buildPerson, buildVolunteer, rowCounts, window } from "../support/builders.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

describe.each(backends())("bad input on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const post = (body: string, headers: Record<string, string> = {}) => fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

  it("INVALID_INPUT: rejects empty and 10,000-character texts, naming the field, and writes nothing", async () => {
    const resident = await buildPerson(t);
    const before = await rowCounts(t);
    const base = { categoryId: CAT.groceries, title: "Boodschappen", description: "Graag", ...window(t) };
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "" }, "input.title"],
      [{ title: "   " }, "input.title"],
      [{ title: "x".repeat(10_000) }, "input.title"],
      [{ description: "y".repeat(10_000) }, "input.description"],
      [{ description: "" }, "input.description"],
      [{ title: "bad\u0000byte" }, "input.title"],
    ];
    for (const [override, field] of cases) {
      const r = await t.gql(ASK, { input: { ...base, ...override } }, resident.token);
      expect(codeOf(r), field).toBe("BAD_USER_INPUT");
      expect(r.errors![0].extensions!.field).toBe(field);
      expect(r.errors![0].message.startsWith(field)).toBe(true);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it("UNKNOWN_CATEGORY, UNKNOWN_NEIGHBOURHOOD, INVALID_TIME_WINDOW: refuses unknown ids and impossible windows", async () => {
    const resident = await buildPerson(t);
    const before = await rowCounts(t);
    const base = { categoryId: CAT.groceries, title: "Boodschappen", description: "Graag", ...window(t) };
    const now = t.clock.now().getTime();
    const cases: [Record<string, unknown>, string][] = [
      [{ categoryId: "cat_nope" }, "UNKNOWN_CATEGORY"],
      [{ neighbourhoodId: "nb_nowhere" }, "UNKNOWN_NEIGHBOURHOOD"],
      [{ windowStart: new Date(now + 5 * 3600_000).toISOString(), windowEnd: new Date(now + 3600_000).toISOString() }, "INVALID_TIME_WINDOW"],
      [{ windowStart: new Date(now - 5 * 3600_000).toISOString(), windowEnd: new Date(now - 3600_000).toISOString() }, "INVALID_TIME_WINDOW"],
      [{ windowStart: new Date(now).toISOString(), windowEnd: new Date(now + 200 * 24 * 3600_000).toISOString() }, "INVALID_TIME_WINDOW"],
    ];
    for (const [override, reason] of cases) {
      const r = await t.gql(ASK, { input: { ...base, ...override } }, resident.token);
      expect(codeOf(r), reason).toBe("BAD_USER_INPUT");
      expect(reasonOf(r)).toBe(reason);
    }
    expect(await rowCounts(t)).toEqual(before);
  });

  it("HELP_REQUEST_NOT_FOUND: unknown and malformed request ids answer NOT_FOUND", async () => {
    const volunteer = await buildVolunteer(t);
    for (const id of ["hr_doesnotexist", "", "x".repeat(5000), "per_abc"]) {
      const r = await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id }, volunteer.token);
      expect(codeOf(r)).toBe("NOT_FOUND");
      expect(reasonOf(r)).toBe("HELP_REQUEST_NOT_FOUND");
    }
  });

  it("answers wrong enums, wrong types and unknown fields with BAD_USER_INPUT or GRAPHQL_VALIDATION_FAILED, without schema hints", async () => {
    const resident = await buildPerson(t);
    const base = { categoryId: CAT.groceries, title: "Boodschappen", description: "Graag", ...window(t) };
    const before = await rowCounts(t);
    expect(codeOf(await t.gql(ASK, { input: { ...base, urgency: "SUPER_URGENT" } }, resident.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await t.gql(ASK, { input: { ...base, windowStart: "next tuesday" } }, resident.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await t.gql(ASK, { input: { ...base, title: 42 } }, resident.token))).toBe("BAD_USER_INPUT");
    expect(codeOf(await t.gql(ASK, { input: { ...base, sneaky: true } }, resident.token))).toBe("BAD_USER_INPUT");
    const inline = await t.gql(`{ openHelpRequests(orderBy: OLDEST) { edges { cursor } } }`, {}, resident.token);
    expect(codeOf(inline)).toBe("GRAPHQL_VALIDATION_FAILED");
    const typo = await t.gql(`{ helpCategoriez { id } }`);
    expect(codeOf(typo)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(typo.errors![0].message).not.toMatch(/Did you mean/);
    expect(await rowCounts(t)).toEqual(before);
  });

  it("INVALID_CURSOR, INVALID_PAGE_SIZE: refuses forged cursors and page sizes out of range", async () => {
    const volunteer = await buildVolunteer(t);
    const q = `query($first: Int, $after: String) { openHelpRequests(first: $first, after: $after) { edges { cursor } } }`;
    expect(reasonOf(await t.gql(q, { after: "garbage!!" }, volunteer.token))).toBe("INVALID_CURSOR");
    expect(reasonOf(await t.gql(q, { first: 1000 }, volunteer.token))).toBe("INVALID_PAGE_SIZE");
    expect(reasonOf(await t.gql(q, { first: 0 }, volunteer.token))).toBe("INVALID_PAGE_SIZE");
    expect(reasonOf(await t.gql(q, { first: -5 }, volunteer.token))).toBe("INVALID_PAGE_SIZE");
  });

  it("answers an operation name that matches no operation with a 400 and OPERATION_RESOLUTION_FAILURE, run or compiled", async () => {
    // Twice: the second run of an operation is the compiled one.
    for (let i = 0; i < 2; i++) {
      for (const operationName of ["", "Nope"]) {
        const res = await post(JSON.stringify({ query: "{ serverTime }", operationName }));
        expect(res.status).toBe(400);
        const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors[0].extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");
        expect(body.errors[0].message).toBe(`Unknown operation named "${operationName}".`);
      }
      const ok = await post(JSON.stringify({ query: "{ serverTime }" }));
      expect(ok.status).toBe(200);
    }
  });

  it("UNAUTHENTICATED: a missing, garbled or expired token", async () => {
    const resident = await buildPerson(t);
    const before = await rowCounts(t);
    const input = { categoryId: CAT.groceries, title: "T", description: "D", ...window(t) };
    expect(codeOf(await t.gql(ASK, { input }))).toBe("UNAUTHENTICATED");
    const garbled = await t.gql(ASK, { input }, "abc.def.ghi");
    expect(garbled.status).toBe(401);
    expect(codeOf(garbled)).toBe("UNAUTHENTICATED");
    const expired = await t.gql(ASK, { input }, await t.expiredToken(resident.id));
    expect(expired.status).toBe(401);
    expect(expired.errors![0].message).toMatch(/expired/);
    const notBearer = await post(JSON.stringify({ query: "{ me { email } }" }), { authorization: "Basic dXNlcjpwYXNz" });
    expect(notBearer.status).toBe(401);
    expect(codeOf(await t.gql(`{ me { email } }`))).toBe("UNAUTHENTICATED");
    expect(await rowCounts(t)).toEqual(before);
  });

  it("BAD_REQUEST, PAYLOAD_TOO_LARGE: answers malformed JSON with a JSON 400, an oversized body with 413, and keeps serving", async () => {
    const before = await rowCounts(t);
    for (const body of ["{bad", "", "[1,2", '"just a string', '{"query": }']) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/json/);
      const json = (await r.json()) as any;
      expect(json.errors[0].extensions.code).toMatch(/BAD_REQUEST/);
    }
    const big = await post(JSON.stringify({ query: `{ helpCategories { id } }`, variables: { pad: "x".repeat(200_000) } }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    const wrongShape = await post(JSON.stringify({ query: 42 }));
    expect(wrongShape.status).toBe(400);
    const textPlain = await fetch(t.url, { method: "POST", headers: { "content-type": "text/plain" }, body: `{"query":"{ helpCategories { id } }"}` });
    expect(textPlain.status).toBe(400); // CSRF prevention
    const get = await fetch(`${t.url}?query=${encodeURIComponent("{ helpCategories { id } }")}`, { headers: { "apollo-require-preflight": "1" } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.helpCategories.length).toBeGreaterThan(3);
    const getMutation = await fetch(`${t.url}?query=${encodeURIComponent('mutation { login(email: "a@b.nl", password: "x") { token } }')}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    expect(getMutation.status).toBe(405);
    expect((await fetch(t.url.replace("/graphql", "/nope"))).status).toBe(404);
    expect(await rowCounts(t)).toEqual(before);
  });

  it("refuses a query 50 levels deep and an alias flood, and writes nothing", async () => {
    const resident = await buildPerson(t);
    const before = await rowCounts(t);
    let deep = "name";
    for (let i = 0; i < 25; i++) deep = `neighbourhoods { area { ${deep} } }`;
    const r = await t.gql(`{ areas { ${deep} } }`);
    expect(codeOf(r)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors![0].message).toMatch(/too deep/);
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: helpCategories { id }`).join(" ");
    expect(codeOf(await t.gql(`{ ${aliases} }`))).toBe("GRAPHQL_VALIDATION_FAILED");
    const input = { categoryId: CAT.groceries, title: "T", description: "D", ...window(t) };
    const deepMutation = await t.gql(`mutation($input: AskForHelpInput!) { askForHelp(input: $input) { neighbourhood { area { ${deep} } } } }`, { input }, resident.token);
    expect(codeOf(deepMutation)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await rowCounts(t)).toEqual(before);
  });

  it("EMAIL_TAKEN and INVALID_INPUT on registration; a wrong password does not tell whether the account exists", async () => {
    const p = await buildPerson(t);
    const reg = `mutation($input: RegisterInput!) { register(input: $input) { token } }`;
    const base = { email: "new@test.example", password: "long enough password", firstName: "A", lastName: "B", neighbourhoodId: "nb_dordrecht-wielwijk" };
    const dup = await t.gql(reg, { input: { ...base, email: p.email } });
    expect(codeOf(dup)).toBe("CONFLICT");
    expect(reasonOf(dup)).toBe("EMAIL_TAKEN");
    expect((await t.gql(reg, { input: { ...base, email: "not-an-email" } })).errors![0].extensions!.field).toBe("input.email");
    expect((await t.gql(reg, { input: { ...base, password: "short" } })).errors![0].extensions!.field).toBe("input.password");
    expect((await t.gql(reg, { input: { ...base, birthDate: "2001-02-30" } })).errors![0].extensions!.field).toBe("input.birthDate");
    expect(reasonOf(await t.gql(reg, { input: { ...base, neighbourhoodId: "nb_x" } }))).toBe("UNKNOWN_NEIGHBOURHOOD");
    const login = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
    const wrong = await t.gql(login, { e: p.email, p: "wrong password!" });
    const unknown = await t.gql(login, { e: "nobody@test.example", p: "wrong password!" });
    expect(codeOf(wrong)).toBe("UNAUTHENTICATED");
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
  });

  it("never leaks internals: no stack traces or SQL in any error", async () => {
    const resident = await buildPerson(t);
    const req = await askForHelp(t, resident.token);
    const responses = await Promise.all([
      t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, resident.token),
      t.gql(`{ nodes(ids: [${Array.from({ length: 150 }, (_, i) => `"x${i}"`).join(",")}]) { id } }`),
      t.gql(ASK, { input: { title: 1 } }, resident.token),
    ]);
    for (const r of responses) {
      const text = JSON.stringify(r);
      expect(text).not.toMatch(/stacktrace|at .*\.ts:|SELECT|sqlite|postgres/i);
    }
  });
});
