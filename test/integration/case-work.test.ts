import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseWorkExporter } from "../../src/modules/escalation/case-work.export.js";
import { backends } from "../support/backends.js";
import { type Account, HOUR, NB, TEAM, buildCoordinator, buildPerson, buildProfessional, buildVolunteer } from "../support/builders.js";
import { PDF, PNG, addNote, downloadDocument, openCase, uploadDocument } from "../support/cases.js";
import { type TestApp, codeOf, reasonOf, startTestApp } from "../support/test-app.js";

const NOTES = `query($id: ID!) { escalation(id: $id) { id notes { id body channel contactAt agreed author { id } } } }`;
const DOCS = `query($id: ID!) { escalation(id: $id) { id documents { id fileName mediaType sizeBytes sha256 downloadPath } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on CaseNote { body } ... on CaseDocument { fileName } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
const QUEUE_NOTES = `query($team: ID!) { teamQueue(teamId: $team, first: 5) { edges { node { id notes { body } } } } }`;
const MAX = 8 * 1024;

describe.each(backends())("casework on a case on $name", (backend) => {
  let t: TestApp;
  let dir: string;
  let coordinator: Account;
  let westSocial: Account;
  let westYouth: Account;
  let centrumSocial: Account;
  let volunteer: Account;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "zorgzaam-case-documents-"));
    t = await startTestApp(backend, { CASE_DOCUMENTS_DIR: dir, CASE_DOCUMENT_MAX_BYTES: String(MAX) });
    coordinator = await buildCoordinator(t);
    westSocial = await buildProfessional(t, TEAM.westSocial, coordinator);
    westYouth = await buildProfessional(t, TEAM.westYouth, coordinator);
    centrumSocial = await buildProfessional(t, TEAM.centrumSocial, coordinator);
    volunteer = await buildVolunteer(t);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("CASEWORK_TEAM_ONLY, CONTACT_TIME_INVALID: the lead and co-team record notes and contact moments and read each other's; another team, a coordinator, the carer, a volunteer and anonymous read none (queries, node/nodes, the queue)", async () => {
    // 20 years old in Wielwijk: the sociaal wijkteam West leads, the jeugdteam West joins (16-27).
    const c = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 20 });
    t.clock.advance(2 * HOUR);
    const call = await addNote(t, westSocial.token, {
      escalationId: c.escalationId,
      channel: "PHONE",
      body: "Gebeld met Anna over de post.",
      agreed: "Huisbezoek dinsdag",
      contactAt: new Date(t.clock.now().getTime() - HOUR).toISOString(),
    });
    expect(call.errors).toBeUndefined();
    expect(call.data.addCaseNote).toMatchObject({ channel: "PHONE", agreed: "Huisbezoek dinsdag", author: { id: westSocial.id } });
    const note = await addNote(t, westYouth.token, { escalationId: c.escalationId, body: "Jeugdteam kent het gezin." });
    expect(note.data.addCaseNote).toMatchObject({ channel: null, contactAt: null });
    // A contact moment cannot lie in the future, nor before the case.
    const future = await addNote(t, westSocial.token, {
      escalationId: c.escalationId,
      channel: "VISIT",
      body: "x",
      contactAt: new Date(t.clock.now().getTime() + 5 * HOUR).toISOString(),
    });
    expect(reasonOf(future)).toBe("CONTACT_TIME_INVALID");
    const before = await addNote(t, westSocial.token, {
      escalationId: c.escalationId,
      channel: "VISIT",
      body: "x",
      contactAt: new Date(t.clock.now().getTime() - 5 * HOUR).toISOString(),
    });
    expect(reasonOf(before)).toBe("CONTACT_TIME_INVALID");

    for (const pro of [westSocial, westYouth]) {
      const r = await t.gql(NOTES, { id: c.escalationId }, pro.token);
      expect(r.errors).toBeUndefined();
      expect(r.data.escalation.notes.map((n: any) => n.body)).toEqual(["Gebeld met Anna over de post.", "Jeugdteam kent het gezin."]);
      expect((await t.gql(NODE, { id: call.data.addCaseNote.id }, pro.token)).data.node).toMatchObject({ body: "Gebeld met Anna over de post." });
    }
    const noteIds = [call.data.addCaseNote.id, note.data.addCaseNote.id];
    // Another team does not see the case at all.
    expect(reasonOf(await t.gql(NOTES, { id: c.escalationId }, centrumSocial.token))).toBe("ESCALATION_NOT_FOUND");
    expect(reasonOf(await addNote(t, centrumSocial.token, { escalationId: c.escalationId, body: "x" }))).toBe("ESCALATION_NOT_FOUND");
    // A coordinator sees the case but not its casework, nor through the queue.
    const coord = await t.gql(NOTES, { id: c.escalationId }, coordinator.token);
    expect(reasonOf(coord)).toBe("CASEWORK_TEAM_ONLY");
    expect(coord.data?.escalation ?? null).toBeNull();
    expect(reasonOf(await addNote(t, coordinator.token, { escalationId: c.escalationId, body: "x" }))).toBe("CASEWORK_TEAM_ONLY");
    const queue = await t.gql(QUEUE_NOTES, { team: TEAM.westSocial }, coordinator.token);
    expect(reasonOf(queue)).toBe("CASEWORK_TEAM_ONLY");
    expect(JSON.stringify(queue.data ?? null)).not.toContain("Gebeld");
    // The carer who asked, a volunteer, anonymous: no case, no notes.
    for (const token of [c.carer.token, volunteer.token, undefined]) {
      const r = await t.gql(NOTES, { id: c.escalationId }, token);
      expect(r.data?.escalation ?? null).toBeNull();
      expect(["ESCALATION_NOT_FOUND", "UNAUTHENTICATED"]).toContain(reasonOf(r) ?? codeOf(r));
      expect(JSON.stringify(r)).not.toContain("Gebeld");
    }
    for (const account of [centrumSocial, coordinator, c.carer, volunteer, null]) {
      const token = account?.token;
      for (const id of noteIds) expect((await t.gql(NODE, { id }, token)).data?.node ?? null).toBeNull();
      const many = await t.gql(NODES, { ids: noteIds }, token);
      expect(many.data?.nodes ?? [null, null]).toEqual([null, null]);
    }
    // The team's reads are in the access log, as reads of the person's data.
    const log = await t.gql(`{ accessLog(first: 100) { edges { node { fields purpose objectId } } } }`, {}, coordinator.token);
    const reads = log.data.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.objectId === c.escalationId && n.fields.includes("caseNotes"));
    expect(reads.length).toBeGreaterThanOrEqual(2);
  });

  it("DOCUMENT_TOO_LARGE, DOCUMENT_TYPE_NOT_ALLOWED, DOCUMENT_NOT_FOUND: the team adds a PDF and a PNG by HTTP and downloads them (each download logged); a file by its content, not its name, and never too large; nobody else lists or downloads them", async () => {
    const c = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 40 });
    const up = await uploadDocument(t, westSocial.token, c.escalationId, "brief gemeente.pdf", PDF);
    expect(up.status).toBe(201);
    expect(up.body.data).toMatchObject({ fileName: "brief gemeente.pdf", mediaType: "application/pdf", sizeBytes: PDF.length });
    expect(up.body.data.storageKey).toBeUndefined();
    // A PNG sent as ".pdf" is stored as what it is.
    const png = await uploadDocument(t, westSocial.token, c.escalationId, "../../etc/scan.pdf", PNG);
    expect(png.body.data).toMatchObject({ fileName: "scan.png", mediaType: "image/png" });
    // An executable named like a PDF, HTML, and a file over the limit are refused with stable reasons.
    const exe = await uploadDocument(t, westSocial.token, c.escalationId, "brief.pdf", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100)]));
    expect(exe.status).toBe(400);
    expect(exe.body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", reason: "DOCUMENT_TYPE_NOT_ALLOWED" });
    const html = await uploadDocument(t, westSocial.token, c.escalationId, "brief.pdf", Buffer.from("<html><script>alert(1)</script></html>"));
    expect(html.body.errors[0].extensions.reason).toBe("DOCUMENT_TYPE_NOT_ALLOWED");
    const big = await uploadDocument(t, westSocial.token, c.escalationId, "groot.pdf", Buffer.concat([PDF, Buffer.alloc(MAX, 0x20)]));
    expect(big.status).toBe(400);
    expect(big.body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", reason: "DOCUMENT_TOO_LARGE" });

    const listed = await t.gql(DOCS, { id: c.escalationId }, westSocial.token);
    expect(listed.data.escalation.documents.map((d: any) => d.fileName)).toEqual(["brief gemeente.pdf", "scan.png"]);
    const got = await downloadDocument(t, westSocial.token, up.body.data.id);
    expect(got.status).toBe(200);
    expect(got.type).toBe("application/pdf");
    expect(got.bytes.equals(PDF)).toBe(true);
    const log = await t.gql(`{ accessLog(first: 100) { edges { node { fields objectId } } } }`, {}, coordinator.token);
    expect(log.data.accessLog.edges.some((e: any) => e.node.objectId === up.body.data.id && e.node.fields.includes("caseDocument"))).toBe(true);

    // Others: another team, a coordinator, the carer, a volunteer, anonymous.
    expect(reasonOf(await t.gql(DOCS, { id: c.escalationId }, coordinator.token))).toBe("CASEWORK_TEAM_ONLY");
    expect(reasonOf(await t.gql(DOCS, { id: c.escalationId }, centrumSocial.token))).toBe("ESCALATION_NOT_FOUND");
    for (const account of [centrumSocial, coordinator, c.carer, volunteer, null]) {
      const token = account?.token ?? null;
      const down = await downloadDocument(t, token, up.body.data.id);
      expect(down.status).toBe(404);
      expect(down.json().errors[0].extensions.reason).toBe("DOCUMENT_NOT_FOUND");
      expect((await t.gql(NODE, { id: up.body.data.id }, token ?? undefined)).data?.node ?? null).toBeNull();
      const upload = await uploadDocument(t, token, c.escalationId, "x.pdf", PDF);
      expect(upload.status).toBeGreaterThanOrEqual(400);
      expect(["ESCALATION_NOT_FOUND", "CASEWORK_TEAM_ONLY", "UNAUTHENTICATED"]).toContain(upload.body.errors[0].extensions.reason);
    }
    expect((await t.gql(DOCS, { id: c.escalationId }, westSocial.token)).data.escalation.documents).toHaveLength(2);
  });

  it("the person's export shows contact moments in full, that notes and documents exist (not a note's text), and a professional's own writing by case and time", async () => {
    const resident = await buildPerson(t, { neighbourhoodId: NB.wielwijk });
    const c = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 50 });
    await addNote(t, westSocial.token, { escalationId: c.escalationId, channel: "VISIT", body: "Op bezoek geweest.", agreed: "Schuldhulp aanvragen" });
    await addNote(t, westSocial.token, { escalationId: c.escalationId, body: "Vermoeden van schulden." });
    await uploadDocument(t, westSocial.token, c.escalationId, "aanmaning.pdf", PDF);
    const exporter = caseWorkExporter(t.app.services.db);
    const about = (await exporter.export(c.personId)) as any;
    expect(about.contactMomentsWithYou).toEqual([expect.objectContaining({ channel: "VISIT", summary: "Op bezoek geweest.", agreed: "Schuldhulp aanvragen" })]);
    expect(about.notesAboutYou).toHaveLength(1);
    expect(JSON.stringify(about)).not.toContain("Vermoeden");
    expect(about.documentsAboutYou).toEqual([expect.objectContaining({ fileName: "aanmaning.pdf", mediaType: "application/pdf" })]);
    const mine = (await exporter.export(westSocial.id)) as any;
    expect(mine.notesYouWrote.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(mine)).not.toContain(c.personId);
    expect(await exporter.export(resident.id)).toMatchObject({ contactMomentsWithYou: [], notesAboutYou: [], documentsAboutYou: [] });
  });
  it("erasure restricts casework with its closed case (kept for its teams, reported with the legal basis); retention deletes notes, contact moments, documents and their files with the case at its term", async () => {
    const c = await openCase(t, { neighbourhoodId: NB.wielwijk, age: 60 });
    await addNote(t, westSocial.token, { escalationId: c.escalationId, channel: "PHONE", body: "Gesprek", agreed: "Afsluiten" });
    const doc = await uploadDocument(t, westSocial.token, c.escalationId, "verslag.pdf", PDF);
    expect((await t.gql(`mutation($id: ID!) { closeEscalation(id: $id, outcome: REFERRED) { status } }`, { id: c.escalationId }, westSocial.token)).errors).toBeUndefined();
    const erased = await t.gql(
      `mutation($p: ID!, $b: String!) { requestErasureFor(personId: $p, basis: $b) { status sections { section restricted { what count legalBasis } } } }`,
      { p: c.personId, b: "Verzoek van de persoon, per brief" },
      coordinator.token,
    );
    expect(erased.errors, JSON.stringify(erased.errors)).toBeUndefined();
    const casework = erased.data.requestErasureFor.sections.find((x: any) => x.section === "casework");
    expect(casework.restricted).toEqual([
      { what: "notes and contact moments on cases about you", count: 1, legalBasis: "Jeugdwet/Wmo 2015 dossierplicht" },
      { what: "documents on cases about you", count: 1, legalBasis: "Jeugdwet/Wmo 2015 dossierplicht" },
    ]);
    // Restricted: still the team's, and still nobody else's.
    expect((await t.gql(NOTES, { id: c.escalationId }, westSocial.token)).data.escalation.notes).toHaveLength(1);
    expect((await downloadDocument(t, westSocial.token, doc.body.data.id)).status).toBe(200);
    expect(reasonOf(await t.gql(NOTES, { id: c.escalationId }, coordinator.token))).toBe("ESCALATION_NOT_FOUND");
    const files = readdirSync(dir).length;
    // Past the case's term (15 years after closing), its casework goes, files too; the case stays for the figures.
    t.clock.advance(16 * 365 * 24 * HOUR);
    await t.app.services.sweeps.run();
    const s = t.app.services;
    const { caseNotes, caseDocuments } = s.db.tables;
    const { eq } = await import("drizzle-orm");
    expect(await s.db.read.select().from(caseNotes).where(eq(caseNotes.escalationId, c.escalationId))).toEqual([]);
    expect(await s.db.read.select().from(caseDocuments).where(eq(caseDocuments.escalationId, c.escalationId))).toEqual([]);
    expect(readdirSync(dir).length).toBeLessThan(files);
    expect((await downloadDocument(t, westSocial.token, doc.body.data.id)).status).toBe(404);
    expect(await s.escalation.find(c.escalationId)).toBeDefined();
  });
});
