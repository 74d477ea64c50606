import { createHash } from "node:crypto";

/** The hash the first chained entry links to when nothing was ever pruned: a fixed, documented value. */
export const GENESIS_HASH = sha256("zorgzaam access log genesis v1");

/** What of an entry the chain protects: every column but the hash itself. */
export interface ChainedContent {
  id: string;
  seq: number;
  prevHash: string;
  readerId: string;
  readerRoles: string[] | null;
  readerTeam: string | null;
  readerOrganisations: string[] | null;
  subjectId: string;
  objectType: string | null;
  objectId: string | null;
  fields: string[];
  purpose: string;
  result: string | null;
  clientAddress: string | null;
  apiClientId: string | null;
  requestId: string | null;
  at: Date;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The canonical form hashed: a JSON array in a fixed order (not an object, whose key order a JSON
 * column may change), the time as epoch milliseconds (both engines keep milliseconds), a version tag
 * first so the form can change later without ambiguity.
 */
export function canonical(e: ChainedContent): string {
  return JSON.stringify([
    "acl-v1",
    e.seq,
    e.prevHash,
    e.id,
    e.readerId,
    e.readerRoles,
    e.readerTeam,
    e.readerOrganisations,
    e.subjectId,
    e.objectType,
    e.objectId,
    e.fields,
    e.purpose,
    e.result,
    e.clientAddress,
    e.apiClientId,
    e.requestId,
    e.at.getTime(),
  ]);
}

export function entryHash(e: ChainedContent): string {
  return sha256(canonical(e));
}

/** Why a link is broken: an entry missing before it, its link to the previous one, or its own content. */
export type BreakKind = "MISSING_ENTRY" | "BROKEN_LINK" | "ALTERED_ENTRY" | "HEAD_MISMATCH";

/** The outcome of walking the chain. */
export interface ChainReport {
  ok: boolean;
  /** Chained entries checked. */
  checked: number;
  /** Entries from before the chain (no seq): listed, not verifiable. */
  unchained: number;
  anchorSeq: number;
  headSeq: number;
  /** The first broken link, when not ok. */
  broken: { kind: BreakKind; seq: number; entryId: string | null; detail: string } | null;
}

/**
 * Walks chained entries in seq order from the anchor, checking that seq follows on without gaps, that
 * each prevHash is the previous hash, that each hash matches its content, and that the last one is the
 * recorded head. Stops at the first break.
 */
export async function walkChain(
  anchor: { seq: number; hash: string; headSeq: number; headHash: string },
  batches: (afterSeq: number) => Promise<(ChainedContent & { hash: string | null })[]>,
  unchained: number,
): Promise<ChainReport> {
  let expectSeq = anchor.seq + 1;
  let prev = anchor.hash;
  let checked = 0;
  const report = (broken: ChainReport["broken"]): ChainReport => ({ ok: broken === null, checked, unchained, anchorSeq: anchor.seq, headSeq: anchor.headSeq, broken });
  let after = anchor.seq;
  for (;;) {
    const rows = await batches(after);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq < expectSeq) return report({ kind: "BROKEN_LINK", seq: r.seq, entryId: r.id, detail: `entry at seq ${r.seq} lies before the anchor (${anchor.seq})` });
      if (r.seq !== expectSeq) return report({ kind: "MISSING_ENTRY", seq: expectSeq, entryId: r.id, detail: `seq ${expectSeq} is missing; the next entry is seq ${r.seq}` });
      if (r.prevHash !== prev) return report({ kind: "BROKEN_LINK", seq: r.seq, entryId: r.id, detail: `entry at seq ${r.seq} does not link to the entry before it` });
      if (entryHash(r) !== r.hash) return report({ kind: "ALTERED_ENTRY", seq: r.seq, entryId: r.id, detail: `entry at seq ${r.seq} does not match its hash` });
      prev = r.hash;
      expectSeq++;
      checked++;
    }
    after = rows[rows.length - 1]!.seq;
  }
  if (expectSeq - 1 !== anchor.headSeq || prev !== anchor.headHash) {
    return report({ kind: "HEAD_MISMATCH", seq: expectSeq - 1, entryId: null, detail: `the chain ends at seq ${expectSeq - 1}, the recorded head is seq ${anchor.headSeq}` });
  }
  return report(null);
}
