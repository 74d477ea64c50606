import type { Kit } from "./kit.js";

/**
 * The seam's own tables, declared once for both SQL dialects: the event log the outbox writes and
 * reads, and the app's settings (the token secret, how far the log was pruned). Modules declare their
 * tables next to their code (`<module>.tables.ts`); the app composes them with these
 * (src/app.tables.ts) and hands the composition to `openDatabase`.
 */
export function defineDbTables(k: Kit) {
  const appSettings = k.table("app_settings", {
    key: k.text("key").primaryKey(),
    value: k.text("value").notNull(),
  });

  /**
   * The event log (outbox): every change writes its event here in the same transaction; pub/sub only
   * says "wake up", and subscribers catch up from a sequence number after a reconnect.
   */
  const eventLog = k.table(
    "event_log",
    {
      seq: k.serial("seq"),
      topic: k.text("topic").notNull(),
      entityId: k.text("entity_id").notNull(),
      kind: k.text("kind").notNull(),
      at: k.time("at").notNull(),
    },
    (t) => [k.index("event_log_topic_seq_idx").on(t.topic, t.seq), k.index("event_log_at_idx").on(t.at)],
  );

  return { eventLog, appSettings };
}

export type DbTables = ReturnType<typeof defineDbTables>;
