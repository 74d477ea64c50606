import type { Kit } from "../../db/kit.js";

/**
 * Who read whose personal data, which fields and why (AVG/GDPR accountability; the fields of BIO 8.15 and
 * NEN 7513). The columns added for the chain and the reader's context are nullable: entries written
 * before them have none and are reported as unchained by the verifier (decisions: access-log chain).
 */
export function defineAccessLogTables(k: Kit) {
  const accessLog = k.table(
    "access_log",
    {
      id: k.text("id").primaryKey(),
      readerId: k.text("reader_id").notNull(),
      subjectId: k.text("subject_id").notNull(),
      fields: k.json<string[]>("fields").notNull(),
      purpose: k.text("purpose").notNull(),
      objectId: k.text("object_id"),
      at: k.time("at").notNull(),
      /** The roles the reader acted in, sorted (snapshot at the time of reading). */
      readerRoles: k.json<string[]>("reader_roles"),
      /** The reader's team by name at the time of reading. */
      readerTeam: k.text("reader_team"),
      /** The organisations the reader belonged to at the time of reading, by name, sorted. */
      readerOrganisations: k.json<string[]>("reader_organisations"),
      /** The kind of object read through (HelpRequest, CareShift, ...), from its id. */
      objectType: k.text("object_type"),
      /** GRANTED or REFUSED. */
      result: k.text("result"),
      /** The network address the request came from, when the transport tells it. */
      clientAddress: k.text("client_address"),
      /** The partner app (API client) the request came through, if any. */
      apiClientId: k.text("api_client_id"),
      /** The request id (x-request-id) the read was part of. */
      requestId: k.text("request_id"),
      /** Position in the hash chain: 1, 2, 3, ... without gaps. */
      seq: k.bigint("seq"),
      /** SHA-256 (hex) of the previous entry, or of the anchor for the first one. */
      prevHash: k.text("prev_hash"),
      /** SHA-256 (hex) of this entry's canonical content, which includes prevHash and seq. */
      hash: k.text("hash"),
    },
    (t) => [k.index("access_log_subject_idx").on(t.subjectId, t.at), k.index("access_log_reader_idx").on(t.readerId, t.at), k.uniqueIndex("access_log_seq_idx").on(t.seq)],
  );

  /**
   * One row ('chain'): where the chain starts (the anchor: the genesis, or the last entry pruned by
   * retention) and its head (the newest entry). Appends update the head conditionally, under a lock.
   */
  const accessLogChain = k.table("access_log_chain", {
    id: k.text("id").primaryKey(),
    anchorSeq: k.bigint("anchor_seq").notNull(),
    anchorHash: k.text("anchor_hash").notNull(),
    headSeq: k.bigint("head_seq").notNull(),
    headHash: k.text("head_hash").notNull(),
    startedAt: k.time("started_at").notNull(),
    prunedAt: k.time("pruned_at"),
  });

  return { accessLog, accessLogChain };
}

export type AccessLogTables = ReturnType<typeof defineAccessLogTables>;
