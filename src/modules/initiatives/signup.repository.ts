import { type SQL, and, asc, desc, eq, inArray, lt, lte, or, sql, count, gt } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import { type LockedInitiative, lockInitiative, lockedColumns, promoteFromWaitlist } from "./capacity.repository.js";
import type { InitiativeTables, SignupStatus } from "./initiative.tables.js";

export interface SignupRow {
  id: string;
  initiativeId: string;
  personId: string;
  signedUpById: string;
  status: SignupStatus;
  position: number;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
  promotedAt: Date | null;
  cancelledAt: Date | null;
  cancelledById: string | null;
  /** Joined from the participant. */
  personFirstName: string;
  /** Joined from the initiative: whose organisers may see this sign-up. */
  organisationId: string;
}

export interface NewSignup {
  id: string;
  initiativeId: string;
  personId: string;
  signedUpById: string;
  note: string | null;
  at: Date;
}

const ACTIVE: SignupStatus[] = ["CONFIRMED", "WAITLISTED"];

/**
 * Sign-ups and the waiting list. Every change runs in one transaction that first locks the
 * initiative row, so on PostgreSQL concurrent sign-ups for one initiative queue on that lock (as
 * they queue on SQLite's single writer): positions follow commit order and a place is never given
 * twice.
 */
export class SignupRepository {
  constructor(private readonly db: Database<InitiativeTables & PersonTables>) {}

  private get t() {
    return this.db.tables;
  }

  private selectRows(db: Db = this.db.read) {
    const s = this.t.initiativeSignups;
    const p = this.t.people;
    const i = this.t.initiatives;
    return db
      .select({
        id: s.id,
        initiativeId: s.initiativeId,
        personId: s.personId,
        signedUpById: s.signedUpById,
        status: s.status,
        position: s.position,
        note: s.note,
        createdAt: s.createdAt,
        updatedAt: s.updatedAt,
        promotedAt: s.promotedAt,
        cancelledAt: s.cancelledAt,
        cancelledById: s.cancelledById,
        personFirstName: p.firstName,
        organisationId: i.organisationId,
      })
      .from(s)
      .innerJoin(p, eq(p.id, s.personId))
      .innerJoin(i, eq(i.id, s.initiativeId));
  }

  /**
   * Signs a person up: takes the next position, then a place if one is free, else a place on the
   * waiting list. `check` sees the locked initiative and the person's active sign-up (if any) and
   * throws to refuse, which rolls back.
   */
  async signUp(input: NewSignup, check: (initiative: LockedInitiative | undefined, existing: SignupRow | undefined) => void): Promise<SignupRow> {
    const s = this.t.initiativeSignups;
    const i = this.t.initiatives;
    return this.db.transaction(async (tx) => {
      const numbered = await tx
        .update(i)
        .set({ lastPosition: sql`${i.lastPosition} + 1` })
        .where(eq(i.id, input.initiativeId))
        .returning({ ...lockedColumns(i), position: i.lastPosition });
      const existing = (
        await this.selectRows(tx)
          .where(and(eq(s.initiativeId, input.initiativeId), eq(s.personId, input.personId), inArray(s.status, ACTIVE)))
          .limit(1)
      )[0];
      check(numbered[0], existing);
      const { position } = numbered[0]!;
      const placed = await tx
        .update(i)
        .set({ takenCount: sql`${i.takenCount} + 1` })
        .where(and(eq(i.id, input.initiativeId), or(sql`${i.capacity} is null`, lt(i.takenCount, i.capacity))))
        .returning({ id: i.id });
      const status: SignupStatus = placed.length ? "CONFIRMED" : "WAITLISTED";
      if (status === "WAITLISTED") {
        await tx
          .update(i)
          .set({ waitlistCount: sql`${i.waitlistCount} + 1` })
          .where(eq(i.id, input.initiativeId));
      }
      await tx.insert(s).values({
        id: input.id,
        initiativeId: input.initiativeId,
        personId: input.personId,
        signedUpById: input.signedUpById,
        status,
        position,
        note: input.note,
        createdAt: input.at,
        updatedAt: input.at,
        promotedAt: null,
        cancelledAt: null,
        cancelledById: null,
      });
      return (await this.selectRows(tx).where(eq(s.id, input.id)))[0];
    });
  }

  /**
   * Cancels an active sign-up. A freed place goes at once to the first person on the waiting list
   * (while the initiative is published). `check` sees the current sign-up and throws to refuse.
   */
  async cancel(id: string, byId: string, at: Date, check: (current: SignupRow) => void): Promise<{ cancelled: SignupRow; promoted: string[]; placeFreed: boolean } | undefined> {
    const s = this.t.initiativeSignups;
    const i = this.t.initiatives;
    const found = await this.findById(id);
    if (!found) return undefined;
    return this.db.transaction(async (tx) => {
      const initiative = await lockInitiative(this.db, tx, found.initiativeId);
      const current = (await this.selectRows(tx).where(eq(s.id, id)))[0];
      check(current);
      const done = await tx
        .update(s)
        .set({ status: "CANCELLED", cancelledAt: at, cancelledById: byId, updatedAt: at })
        .where(and(eq(s.id, id), inArray(s.status, ACTIVE)))
        .returning({ id: s.id });
      let promoted: string[] = [];
      // A place of a published initiative with a capacity that nobody waiting took: open to new sign-ups.
      let placeFreed = false;
      if (done.length && current.status === "WAITLISTED") {
        await tx
          .update(i)
          .set({ waitlistCount: sql`${i.waitlistCount} - 1` })
          .where(eq(i.id, current.initiativeId));
      }
      if (done.length && current.status === "CONFIRMED") {
        await tx
          .update(i)
          .set({ takenCount: sql`${i.takenCount} - 1` })
          .where(eq(i.id, current.initiativeId));
        if (initiative && initiative.status === "PUBLISHED") {
          const taken = initiative.takenCount - 1;
          const free = initiative.capacity === null ? initiative.waitlistCount : initiative.capacity - taken;
          promoted = await promoteFromWaitlist(this.db, tx, current.initiativeId, free, at);
          placeFreed = initiative.capacity !== null && promoted.length < free;
        }
      }
      return { cancelled: (await this.selectRows(tx).where(eq(s.id, id)))[0], promoted, placeFreed };
    });
  }

  async findById(id: string): Promise<SignupRow | undefined> {
    return (await this.selectRows().where(eq(this.t.initiativeSignups.id, id)).limit(1))[0];
  }

  async findByIds(ids: readonly string[]): Promise<SignupRow[]> {
    if (ids.length === 0) return [];
    return this.selectRows().where(inArray(this.t.initiativeSignups.id, [...ids]));
  }

  /** The person's active sign-up for an initiative, if any. */
  async activeFor(initiativeId: string, personId: string): Promise<SignupRow | undefined> {
    const s = this.t.initiativeSignups;
    const rows = await this.selectRows()
      .where(and(eq(s.initiativeId, initiativeId), eq(s.personId, personId), inArray(s.status, ACTIVE)))
      .limit(1);
    return rows[0];
  }

  /** 1-based place on the waiting list. */
  async waitlistPosition(row: SignupRow): Promise<number> {
    const s = this.t.initiativeSignups;
    const rows = await this.db.read
      .select({ n: count() })
      .from(s)
      .where(and(eq(s.initiativeId, row.initiativeId), eq(s.status, "WAITLISTED"), lte(s.position, row.position)));
    return Number(rows[0]?.n ?? 0);
  }

  /** Sign-ups of one initiative in arrival order. */
  async forInitiative(initiativeId: string, statuses: SignupStatus[] | null, page: PageRequest, cursorScope = ""): Promise<Page<SignupRow>> {
    const s = this.t.initiativeSignups;
    const conds = this.ofInitiative(initiativeId, statuses);
    // Positions are unique within an initiative, so the position alone is the key.
    if (page.cursor) conds.push((page.backward ? lt : gt)(s.position, page.cursor.sort));
    const rows = await this.selectRows()
      .where(and(...conds))
      .orderBy(page.backward ? desc(s.position) : asc(s.position))
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.position, cursorScope);
  }

  /** How many sign-ups `forInitiative` pages through: one COUNT on the initiative's sign-ups. */
  async countForInitiative(initiativeId: string, statuses: SignupStatus[] | null): Promise<number> {
    return this.count(this.ofInitiative(initiativeId, statuses));
  }

  /** How many sign-ups `forPerson` pages through. */
  async countForPerson(personId: string, statuses: SignupStatus[] | null): Promise<number> {
    return this.count(this.ofPerson(personId, statuses));
  }

  private ofInitiative(initiativeId: string, statuses: SignupStatus[] | null): SQL[] {
    const s = this.t.initiativeSignups;
    const conds: SQL[] = [eq(s.initiativeId, initiativeId)];
    if (statuses?.length) conds.push(inArray(s.status, statuses));
    return conds;
  }

  private ofPerson(personId: string, statuses: SignupStatus[] | null): SQL[] {
    const s = this.t.initiativeSignups;
    const conds: SQL[] = [or(eq(s.personId, personId), eq(s.signedUpById, personId))!];
    if (statuses?.length) conds.push(inArray(s.status, statuses));
    return conds;
  }

  private async count(conds: SQL[]): Promise<number> {
    const s = this.t.initiativeSignups;
    const rows = await this.db.read
      .select({ n: count() })
      .from(s)
      .where(and(...conds));
    return Number(rows[0]?.n ?? 0);
  }

  /** Sign-ups of a person, or made by them for others, newest first. */
  async forPerson(personId: string, statuses: SignupStatus[] | null, page: PageRequest, cursorScope = ""): Promise<Page<SignupRow>> {
    const s = this.t.initiativeSignups;
    const keyset = keysetPage(s.createdAt, s.id, page, "desc");
    const rows = await this.selectRows()
      .where(and(...this.ofPerson(personId, statuses), keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows, page, (r) => r.createdAt.getTime(), cursorScope);
  }
}
