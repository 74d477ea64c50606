import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, CAT, NB, askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type GqlResult, type TestApp, collect, startTestApp } from "../support/test-app.js";

/**
 * Browsing reads only the columns of the selected fields. Documents written to make the selection look
 * smaller than it is (a fragment shared by two operations of one document, @include/@skip with variables,
 * aliases), and fields that need the whole row or an authorisation, must answer what `nodes` and
 * `helpRequest(id)` answer for the same selection, run after run, interpreted and compiled (graphql-jit,
 * GRAPHQL_JIT_AFTER), and over `helpRequestPosted`.
 */
const variants = backends().flatMap((backend) => ["1", "3"].map((jitAfter) => ({ ...backend, jitAfter })));

describe.each(variants)("browse projection under attack on $name, compiled after $jitAfter runs", ({ jitAfter, ...backend }) => {
  let t: TestApp;
  let volunteer: Account;
  let resident: Account;
  let carer: Account;

  const post = async (query: string, variables: Record<string, unknown>, token: string, operationName?: string): Promise<GqlResult> => {
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return { status: res.status, ...((await res.json()) as object) } as GqlResult;
  };
  const byIds = async (selection: string, ids: string[], fragments = "", variables: Record<string, unknown> = {}) =>
    post(`query N($ids: [ID!]!${varDefs(variables)}) { nodes(ids: $ids) { ... on HelpRequest { ${selection} } } }${fragments}`, { ids, ...variables }, volunteer.token);
  const varDefs = (variables: Record<string, unknown>) =>
    Object.keys(variables)
      .map((k) => `, $${k}: Boolean!`)
      .join("");
  /** What an error list says, path by path, without messages (which name the field). */
  const refusals = (r: GqlResult, strip: number) =>
    (r.errors ?? []).map((e) => `${(e.path ?? []).slice(strip).join(".")}:${e.extensions?.code}:${e.extensions?.reason ?? ""}`).sort();

  beforeAll(async () => {
    t = await startTestApp(backend, { GRAPHQL_JIT_AFTER: jitAfter });
    volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk, firstName: "Truus" });
    carer = await buildPerson(t, { roles: ["MANTELZORGER"], neighbourhoodId: NB.wielwijk, firstName: "Henk" });
    await askForHelp(t, resident.token, { title: "Boodschappen", language: "nl" });
    await askForHelp(t, resident.token, { title: "Ophalen apotheek", urgency: "HIGH", choiceMode: true });
    await askForHelp(t, carer.token, { title: "Voor moeder", personHelped: { firstName: "Riet", neighbourhoodId: NB.wielwijk }, contactVia: "ASKER" });
  });
  afterAll(async () => t?.close());

  it("a fragment shared by two operations of one document: the second operation's own fields are read too", async () => {
    // The first selection has no field that fails when its column is missing: a wrong answer would be silent.
    for (const selection of ["askedOnBehalf", "title askedOnBehalf status personHelped { id firstName }"])
      for (let run = 0; run < 3; run++) {
        const doc = `query A { ...F }
          query B { ...F openHelpRequests(first: 10) { edges { node { ${selection} } } } }
          fragment F on Query { openHelpRequests(first: 10) { edges { node { id } } } }`;
        const a = await post(doc, {}, volunteer.token, "A");
        expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
        const b = await post(doc, {}, volunteer.token, "B");
        expect(b.errors, `run ${run}: ${JSON.stringify(b.errors)}`).toBeUndefined();
        const nodes = b.data.openHelpRequests.edges.map((e: any) => e.node);
        expect(nodes).toHaveLength(3);
        const read = await byIds(
          `id ${selection}`,
          nodes.map((n: any) => n.id),
        );
        expect(nodes).toEqual(read.data.nodes);
      }
  });

  it("@include and @skip with variables, aliases and __typename answer as nodes does, whatever the variables", async () => {
    const selection = `id kind: __typename t: title ... on HelpRequest @include(if: $a) { description urgency } who: personHelped @skip(if: $b) { firstName } ...G @include(if: $b)`;
    const fragment = ` fragment G on HelpRequest { askedOnBehalf contactVia outcomeDue }`;
    const doc = `query B($a: Boolean!, $b: Boolean!) { openHelpRequests(first: 10) { edges { n: node { ${selection} } } } }${fragment}`;
    for (let run = 0; run < 4; run++) {
      for (const variables of [
        { a: false, b: false },
        { a: true, b: false },
        { a: false, b: true },
        { a: true, b: true },
      ]) {
        const r = await post(doc, variables, volunteer.token);
        expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
        const nodes = r.data.openHelpRequests.edges.map((e: any) => e.n);
        const read = await byIds(
          selection,
          nodes.map((n: any) => n.id),
          fragment,
          variables,
        );
        expect(read.errors).toBeUndefined();
        expect(nodes).toEqual(read.data.nodes);
      }
    }
  });

  it("fields that need the whole row or an authorisation answer, and are refused, in browse as by id", async () => {
    const fields = [
      "volunteer { id }",
      "history { toStatus }",
      "contact { phone }",
      "askerContact { phone }",
      "offersToHelp { id }",
      "myHelpOffer { id }",
      "thanks { message }",
      "escalation { escalationId }",
      "suggestedMinutes",
      "outcomeDue",
      "followUp { id }",
    ];
    const valid = await post(`{ __type(name: "HelpRequest") { fields { name } } }`, {}, volunteer.token);
    const names = new Set(valid.data.__type.fields.map((f: { name: string }) => f.name));
    const ids: string[] = (await post(`{ openHelpRequests(first: 10) { edges { node { id } } } }`, {}, volunteer.token)).data.openHelpRequests.edges.map((e: any) => e.node.id);
    expect(ids).toHaveLength(3);
    for (const field of fields.filter((f) => names.has(f.split(" ")[0]))) {
      const selection = `id title ${field}`;
      for (let run = 0; run < 3; run++) {
        const browse = await post(`{ openHelpRequests(first: 10) { edges { node { ${selection} } } } }`, {}, volunteer.token);
        const read = await byIds(selection, ids);
        // A refused non-null field nulls the list up to a nullable parent, differently in each shape; what
        // is refused, and why, must be the same.
        const kinds = (r: GqlResult) => [...new Set(refusals(r, 0).map((x) => x.replace(/^.*\./, "")))].sort();
        const nodes = browse.data?.openHelpRequests?.edges.map((e: any) => e.node) ?? null;
        if (nodes && read.data?.nodes) expect(nodes, field).toEqual(read.data.nodes);
        expect(kinds(browse), field).toEqual(kinds(read));
        for (const [i, id] of ids.entries()) {
          const one = await post(`query($id: ID!) { helpRequest(id: $id) { ${selection} } }`, { id }, volunteer.token);
          if (nodes) expect(one.data?.helpRequest ?? null, field).toEqual(nodes[i]);
          expect(kinds(one), field).toEqual(kinds(browse));
        }
      }
    }
  });

  it("helpRequestPosted answers, for the same selection, what nodes answers", async () => {
    const selection = `id kind: __typename title askedOnBehalf ... on HelpRequest { personHelped { id firstName } contactVia } contact { phone } myHelpOffer { id }`;
    const sub = collect(t.ws(volunteer.token), `subscription { helpRequestPosted { helpRequest { ...P } } } fragment P on HelpRequest { ${selection} }`);
    await new Promise((r) => setTimeout(r, 200));
    const asked = [
      await askForHelp(t, resident.token, { title: "Live 1" }),
      await askForHelp(t, carer.token, { title: "Live 2", personHelped: { firstName: "Kees", neighbourhoodId: NB.wielwijk } }),
    ];
    for (const a of asked) {
      const got = await sub.next(3000);
      const node = got.data.helpRequestPosted.helpRequest;
      expect(node.id).toBe(a.id);
      const read = await byIds(selection, [a.id]);
      expect(node).toEqual(read.data.nodes[0]);
      expect((got.errors ?? []).map((e) => e.extensions?.code)).toEqual((read.errors ?? []).map((e) => e.extensions?.code));
    }
    sub.unsubscribe();
  });
});
