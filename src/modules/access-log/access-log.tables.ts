import type { Kit } from "../../db/kit.js";

/** Who read whose personal data, which fields and why (AVG/GDPR accountability). */
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
    },
    (t) => [k.index("access_log_subject_idx").on(t.subjectId, t.at), k.index("access_log_reader_idx").on(t.readerId, t.at)],
  );

  return { accessLog };
}

export type AccessLogTables = ReturnType<typeof defineAccessLogTables>;
