import { type SQL, and, desc, eq, inArray, lt, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import type { OfferAskStatus, OfferStatus, OfferTables } from "./offer.tables.js";

export type OfferRow = OfferTables["offers"]["$inferSelect"];
export type OfferAskRow = OfferTables["offerAsks"]["$inferSelect"];
/** An ask with the first name of the person helped: what the offering volunteer decides on. */
export type OfferAskView = OfferAskRow & { personHelpedFirstName: string };

/** Offers and the asks made from them. SQL only; the service decides. */
export class OfferRepository {
  constructor(private readonly db: Database<OfferTables & PersonTables>) {}

  private get t() {
    return this.db.tables;
  }

  async insertOffer(row: OfferRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.offers).values(row);
    });
  }

  async findOffer(id: string): Promise<OfferRow | undefined> {
    const [row] = await this.db.read.select().from(this.t.offers).where(eq(this.t.offers.id, id)).limit(1);
    return row;
  }

  async findByPublicId(publicId: string): Promise<OfferRow | undefined> {
    const [row] = await this.db.read.select().from(this.t.offers).where(eq(this.t.offers.publicId, publicId)).limit(1);
    return row;
  }

  /** A volunteer's offers, newest first (a volunteer keeps a handful). */
  ofVolunteer(volunteerId: string, statuses: OfferStatus[]): Promise<OfferRow[]> {
    const o = this.t.offers;
    return this.db.read
      .select()
      .from(o)
      .where(and(eq(o.volunteerId, volunteerId), inArray(o.status, statuses)))
      .orderBy(desc(o.createdAt), desc(o.id));
  }

  /** Moves an offer from one of `from` to `to`; the row as it is then, or undefined when it was not in `from`. */
  async setStatus(id: string, from: OfferStatus[], to: OfferStatus, at: Date): Promise<OfferRow | undefined> {
    const o = this.t.offers;
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(o)
        .set({ status: to, updatedAt: at })
        .where(and(eq(o.id, id), inArray(o.status, from)))
        .returning();
      return row;
    });
  }

  /** Active offers, newest first, from after a (createdAt, public id) key: a batch for browsing to narrow. */
  activeBatch(after: { at: Date; id: string } | null, limit: number): Promise<OfferRow[]> {
    const o = this.t.offers;
    const conds: (SQL | undefined)[] = [eq(o.status, "ACTIVE")];
    if (after) conds.push(or(lt(o.createdAt, after.at), and(eq(o.createdAt, after.at), lt(o.publicId, after.id))));
    return this.db.read
      .select()
      .from(o)
      .where(and(...conds))
      .orderBy(desc(o.createdAt), desc(o.publicId))
      .limit(limit);
  }

  async insertAsk(row: OfferAskRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.offerAsks).values(row);
    });
  }

  private selectAsks() {
    const a = this.t.offerAsks;
    const p = this.t.people;
    return this.db.read.select({ ask: a, personHelpedFirstName: p.firstName }).from(a).innerJoin(p, eq(p.id, a.personHelpedId));
  }

  async findAsk(id: string): Promise<OfferAskView | undefined> {
    const [row] = await this.selectAsks().where(eq(this.t.offerAsks.id, id)).limit(1);
    return row && { ...row.ask, personHelpedFirstName: row.personHelpedFirstName };
  }

  /** Asks made from the volunteer's offers, newest first, at most `limit`. */
  async asksToVolunteer(volunteerId: string, statuses: OfferAskStatus[], limit: number): Promise<OfferAskView[]> {
    const a = this.t.offerAsks;
    const mine = this.db.read.select({ id: this.t.offers.id }).from(this.t.offers).where(eq(this.t.offers.volunteerId, volunteerId));
    const rows = await this.selectAsks()
      .where(and(inArray(a.offerId, mine), inArray(a.status, statuses)))
      .orderBy(desc(a.createdAt), desc(a.id))
      .limit(limit);
    return rows.map((r) => ({ ...r.ask, personHelpedFirstName: r.personHelpedFirstName }));
  }

  /** Asks the person made or that are for them, newest first, at most `limit`. */
  async asksOfPerson(personId: string, limit: number): Promise<OfferAskView[]> {
    const a = this.t.offerAsks;
    const rows = await this.selectAsks()
      .where(or(eq(a.askedById, personId), eq(a.personHelpedId, personId)))
      .orderBy(desc(a.createdAt), desc(a.id))
      .limit(limit);
    return rows.map((r) => ({ ...r.ask, personHelpedFirstName: r.personHelpedFirstName }));
  }

  /**
   * Answers a PENDING ask: one conditional update, so of two answers at once exactly one changes it.
   * True when this call answered it.
   */
  async answer(id: string, to: Exclude<OfferAskStatus, "PENDING">, helpRequestId: string | null, at: Date): Promise<boolean> {
    const a = this.t.offerAsks;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(a)
        .set({ status: to, helpRequestId, answeredAt: at })
        .where(and(eq(a.id, id), eq(a.status, "PENDING")))
        .returning({ id: a.id });
      return rows.length === 1;
    });
  }

  /** Undoes an acceptance whose request could not be recorded, so the ask can be answered again. */
  async reopen(id: string, helpRequestId: string): Promise<void> {
    const a = this.t.offerAsks;
    await this.db.transaction(async (tx) => {
      await tx
        .update(a)
        .set({ status: "PENDING", helpRequestId: null, answeredAt: null })
        .where(and(eq(a.id, id), eq(a.helpRequestId, helpRequestId)));
    });
  }

  /** Declines every pending ask of the offers given (withdrawn, or of a former volunteer); returns how many. */
  async declinePending(offerIds: string[], at: Date): Promise<number> {
    if (offerIds.length === 0) return 0;
    const a = this.t.offerAsks;
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(a)
        .set({ status: "DECLINED", answeredAt: at })
        .where(and(inArray(a.offerId, offerIds), eq(a.status, "PENDING")))
        .returning({ id: a.id });
      return rows.length;
    });
  }
}
