import { expect } from "vitest";
import { type Account, ASK, CAT, buildPerson, birthDateForAge, window } from "./builders.js";
import type { TestApp } from "./test-app.js";

export interface OpenedCase {
  escalationId: string;
  helpRequestId: string;
  personId: string;
  carer: Account;
}

/**
 * A case as it arises in use: a mantelzorger asks help for someone (of `age`, in `neighbourhoodId`) and
 * flags the request as too complex. `personHelpedId` opens a second case about the same person.
 */
export async function openCase(
  t: TestApp,
  o: { neighbourhoodId: string; age?: number; urgency?: string; carer?: Account; personHelpedId?: string; reason?: string },
): Promise<OpenedCase> {
  const carer = o.carer ?? (await buildPerson(t, { roles: ["MANTELZORGER"] }));
  const whom = o.personHelpedId
    ? { personHelpedId: o.personHelpedId }
    : { personHelped: { firstName: "Anna", neighbourhoodId: o.neighbourhoodId, ...(o.age === undefined ? {} : { birthDate: birthDateForAge(t, o.age) }) } };
  const r = await t.gql(
    ASK,
    { input: { categoryId: CAT.paperwork, title: "Post", description: "Hulp met brieven", ...window(t, 1, 24 * 80), urgency: o.urgency ?? "NORMAL", ...whom } },
    carer.token,
  );
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  const flag = await t.gql(
    `mutation($id: ID!, $r: FlagReason!) { flagHelpRequest(id: $id, reason: $r) { escalationId } }`,
    { id: r.data.askForHelp.id, r: o.reason ?? "TOO_COMPLEX" },
    carer.token,
  );
  expect(flag.errors, JSON.stringify(flag.errors)).toBeUndefined();
  return { escalationId: flag.data.flagHelpRequest.escalationId, helpRequestId: r.data.askForHelp.id, personId: r.data.askForHelp.personHelped.id, carer };
}

/** Adds a note (or with `channel` a contact moment) as `token`; returns the raw answer. */
export function addNote(t: TestApp, token: string, input: Record<string, unknown>) {
  return t.gql(`mutation($input: AddCaseNoteInput!) { addCaseNote(input: $input) { id body channel contactAt agreed author { id } } }`, { input }, token);
}

/** Uploads bytes to a case over HTTP; returns status and JSON body. */
export async function uploadDocument(t: TestApp, token: string | null, escalationId: string, name: string, bytes: Buffer) {
  const res = await fetch(`${t.url.replace(/\/graphql$/, "")}/case-documents?escalationId=${encodeURIComponent(escalationId)}&name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export async function downloadDocument(t: TestApp, token: string | null, id: string) {
  const res = await fetch(`${t.url.replace(/\/graphql$/, "")}/case-documents/${encodeURIComponent(id)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, type: res.headers.get("content-type"), json: () => JSON.parse(bytes.toString("utf8")) as any };
}

/** A small, real-enough PDF and PNG. */
export const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(200, 0x20), Buffer.from("\n%%EOF\n")]);
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
