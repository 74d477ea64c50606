import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import type { InitiativeKind, InitiativeStatus, InitiativeTables } from "./initiative.tables.js";

/** The state of an initiative row as locked inside a transaction. */
export interface LockedInitiative {
  id: string;
  organisationId: string;
  kind: InitiativeKind;
  status: InitiativeStatus;
  capacity: number | null;
  takenCount: number;
  waitlistCount: number;
}

/**
 * Locks the initiative row for the rest of the transaction (a no-op conditional update: PostgreSQL
 * takes the row lock, SQLite already runs one writer at a time) and returns its current state. Every
 * change of an initiative's places (a capacity change, a sign-up, a cancellation) takes this lock
 * first, so they are serialised per initiative on both engines (docs/decisions.md, 6).
 */
export async function lockInitiative(db: Database<InitiativeTables>, tx: Db, id: string): Promise<LockedInitiative | undefined> {
  const i = db.tables.initiatives;
  const rows = await tx
    .update(i)
    .set({ lastPosition: sql`${i.lastPosition}` })
    .where(eq(i.id, id))
    .returning(lockedColumns(i));
  return rows[0];
}

/** What a write that locks an initiative reads back of it: its state and its counts of places. */
export function lockedColumns(i: InitiativeTables["initiatives"]) {
  return {
    id: i.id,
    organisationId: i.organisationId,
    kind: i.kind,
    status: i.status,
    capacity: i.capacity,
    takenCount: i.takenCount,
    waitlistCount: i.waitlistCount,
  };
}

/**
 * Gives the first `slots` people on the waiting list (lowest position first) a place, inside the
 * caller's transaction, which must hold the initiative's row lock. Returns their sign-up ids.
 */
export async function promoteFromWaitlist(db: Database<InitiativeTables>, tx: Db, initiativeId: string, slots: number, at: Date): Promise<string[]> {
  if (slots <= 0) return [];
  const s = db.tables.initiativeSignups;
  const i = db.tables.initiatives;
  const next = await tx
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.initiativeId, initiativeId), eq(s.status, "WAITLISTED")))
    .orderBy(asc(s.position))
    .limit(Math.min(slots, 100_000));
  if (next.length === 0) return [];
  const promoted = await tx
    .update(s)
    .set({ status: "CONFIRMED", promotedAt: at, updatedAt: at })
    .where(
      and(
        inArray(
          s.id,
          next.map((n) => n.id),
        ),
        eq(s.status, "WAITLISTED"),
      ),
    )
    .returning({ id: s.id, position: s.position });
  const n = promoted.length;
  await tx
    .update(i)
    .set({ takenCount: sql`${i.takenCount} + ${n}`, waitlistCount: sql`${i.waitlistCount} - ${n}` })
    .where(eq(i.id, initiativeId));
  return promoted.sort((a, b) => a.position - b.position).map((p) => p.id);
}
