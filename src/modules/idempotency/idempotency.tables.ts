import type { Kit } from "../../db/kit.js";

/** Answers stored per (principal, Idempotency-Key), so a retried mutation is answered, not repeated. */
export function defineIdempotencyTables(k: Kit) {
  const idempotencyKeys = k.table(
    "idempotency_keys",
    {
      principal: k.text("principal").notNull(),
      key: k.text("key").notNull(),
      requestHash: k.text("request_hash").notNull(),
      /** PENDING while the first request runs; DONE with the stored answer. */
      state: k.text("state").$type<"PENDING" | "DONE">().notNull(),
      /**
       * While PENDING: until when the holder's lease runs. The holder renews it while it works; a hold
       * whose lease ran out (its process died) may be taken over by a retry of the same request.
       */
      leaseUntil: k.time("lease_until"),
      responseStatus: k.int("response_status"),
      responseHeaders: k.json<[string, string][]>("response_headers"),
      responseBody: k.text("response_body"),
      createdAt: k.time("created_at").notNull(),
      completedAt: k.time("completed_at"),
    },
    (t) => [k.primaryKey({ columns: [t.principal, t.key] }), k.index("idempotency_keys_created_idx").on(t.createdAt)],
  );
  return { idempotencyKeys };
}

export type IdempotencyTables = ReturnType<typeof defineIdempotencyTables>;
