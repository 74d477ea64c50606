import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { newSortableId } from "../../shared/ids.js";
import type { PersonTables } from "../people/person.tables.js";
import type { VolunteerTables } from "../volunteers/volunteer.tables.js";
import type { HelpOfferStatus, HelpRequestChoiceTables } from "./help-request.choice.tables.js";
import type { HelpRequestTables } from "./help-request.tables.js";

export interface HelpOfferRow {
  id: string;
  helpRequestId: string;
  volunteerId: string;
  note: string;
  status: HelpOfferStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** What the asking side sees of the volunteer behind an offer, and nothing more. */
export interface OfferingVolunteer {
  firstName: string;
  neighbourhoodIds: string[];
  languages: string[];
}

/** The offers the asking side is shown at most, oldest first: enough to choose from. */
export const MAX_OFFERS_SHOWN = 50;

type ChoiceDatabase = Database<HelpRequestChoiceTables & HelpRequestTables & PersonTables & VolunteerTables>;

/** Offers to help with requests in choice mode. SQL only; each change of status is a conditional update. */
export class HelpRequestChoiceRepository {
  constructor(private readonly db: ChoiceDatabase) {}

  private get o() {
    return this.db.tables.helpRequestOffers;
  }

  async find(id: string): Promise<HelpOfferRow | undefined> {
    return (await this.db.read.select().from(this.o).where(eq(this.o.id, id)))[0];
  }

  async findFor(helpRequestId: string, volunteerId: string): Promise<HelpOfferRow | undefined> {
    return (
      await this.db.read
        .select()
        .from(this.o)
        .where(and(eq(this.o.helpRequestId, helpRequestId), eq(this.o.volunteerId, volunteerId)))
    )[0];
  }

  /** A volunteer's own offers, newest first. */
  byVolunteer(volunteerId: string, limit: number): Promise<HelpOfferRow[]> {
    return this.db.read.select().from(this.o).where(eq(this.o.volunteerId, volunteerId)).orderBy(desc(this.o.createdAt), desc(this.o.id)).limit(limit);
  }

  /** The volunteers whose offers on the request were released, and when. */
  async releasedOn(helpRequestId: string): Promise<{ volunteerId: string; at: Date }[]> {
    return this.db.read
      .select({ volunteerId: this.o.volunteerId, at: this.o.updatedAt })
      .from(this.o)
      .where(and(eq(this.o.helpRequestId, helpRequestId), eq(this.o.status, "RELEASED" as HelpOfferStatus)));
  }

  /** Offers on a request, oldest first, optionally only in the given states. */
  forRequest(helpRequestId: string, statuses?: HelpOfferStatus[]): Promise<HelpOfferRow[]> {
    const where = statuses ? and(eq(this.o.helpRequestId, helpRequestId), inArray(this.o.status, statuses)) : eq(this.o.helpRequestId, helpRequestId);
    return this.db.read.select().from(this.o).where(where).orderBy(asc(this.o.createdAt), asc(this.o.id)).limit(MAX_OFFERS_SHOWN);
  }

  /**
   * Offers (again, or with a new note): a new offer, or a withdrawn or still open one of the same
   * volunteer made OFFERED with this note. Undefined when their offer is past that (picked, released).
   */
  async offer(helpRequestId: string, volunteerId: string, note: string, now: Date): Promise<HelpOfferRow | undefined> {
    return this.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(this.o)
        .values({ id: newSortableId("HelpOffer"), helpRequestId, volunteerId, note, status: "OFFERED", createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: [this.o.helpRequestId, this.o.volunteerId] })
        .returning();
      if (inserted[0]) return inserted[0];
      const updated = await tx
        .update(this.o)
        .set({ note, status: "OFFERED", updatedAt: now })
        .where(and(eq(this.o.helpRequestId, helpRequestId), eq(this.o.volunteerId, volunteerId), inArray(this.o.status, ["OFFERED", "WITHDRAWN"])))
        .returning();
      return updated[0];
    });
  }

  /** OFFERED -> `to`, only while still OFFERED (and, when given, still the volunteer's). */
  async move(id: string, to: HelpOfferStatus, now: Date, volunteerId?: string): Promise<HelpOfferRow | undefined> {
    const conds = [eq(this.o.id, id), eq(this.o.status, "OFFERED" as HelpOfferStatus)];
    if (volunteerId !== undefined) conds.push(eq(this.o.volunteerId, volunteerId));
    return (
      await this.db.transaction((tx) =>
        tx
          .update(this.o)
          .set({ status: to, updatedAt: now })
          .where(and(...conds))
          .returning(),
      )
    )[0];
  }

  /** Releases every offer on the request still OFFERED; returns them. */
  releaseOpen(helpRequestId: string, now: Date): Promise<HelpOfferRow[]> {
    return this.db.transaction((tx) =>
      tx
        .update(this.o)
        .set({ status: "RELEASED", updatedAt: now })
        .where(and(eq(this.o.helpRequestId, helpRequestId), eq(this.o.status, "OFFERED" as HelpOfferStatus)))
        .returning(),
    );
  }

  /** First name, neighbourhoods and languages of the given volunteers. */
  async volunteers(ids: string[]): Promise<Map<string, OfferingVolunteer>> {
    if (ids.length === 0) return new Map();
    const t = this.db.tables;
    const people = await this.db.read
      .select({ id: t.people.id, firstName: t.people.firstName, languages: t.volunteerProfiles.languages })
      .from(t.people)
      .leftJoin(t.volunteerProfiles, eq(t.volunteerProfiles.personId, t.people.id))
      .where(inArray(t.people.id, ids));
    const areas = await this.db.read
      .select({ personId: t.volunteerNeighbourhoods.personId, neighbourhoodId: t.volunteerNeighbourhoods.neighbourhoodId })
      .from(t.volunteerNeighbourhoods)
      .where(inArray(t.volunteerNeighbourhoods.personId, ids))
      .orderBy(asc(t.volunteerNeighbourhoods.neighbourhoodId));
    return new Map(
      people.map((p) => [p.id, { firstName: p.firstName, languages: p.languages ?? [], neighbourhoodIds: areas.filter((a) => a.personId === p.id).map((a) => a.neighbourhoodId) }]),
    );
  }
}
