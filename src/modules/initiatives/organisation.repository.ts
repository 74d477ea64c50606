import { type SQL, and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database } from "../../db/client.js";
import type { PersonTables } from "../people/person.tables.js";
import { Rollback } from "../../db/rollback.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import type { InitiativeTables, MemberRole, OrganisationKind } from "./initiative.tables.js";

export interface OrganisationRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  description: string;
  neighbourhoodId: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  verifiedAt: Date | null;
  verifiedById: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberRow {
  organisationId: string;
  personId: string;
  role: MemberRole;
  addedAt: Date;
  firstName: string;
}

export interface OrganisationListQuery {
  verified: boolean;
  kinds: OrganisationKind[] | null;
  neighbourhoodIds: string[] | null;
  page: PageRequest;
  /** What the page's cursors belong to (see cursorScope). */
  cursorScope?: string;
}

/** Thrown inside a transaction to roll it back and report an outcome (not an error) to the caller. */

/** Organisations and their members. */
export class OrganisationRepository {
  constructor(private readonly db: Database<InitiativeTables & PersonTables>) {}

  private get t() {
    return this.db.tables;
  }

  /** Inserts the organisation with its creator as first organiser. */
  async insert(row: OrganisationRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.organisations).values(row);
      await tx.insert(this.t.organisationMembers).values({
        organisationId: row.id,
        personId: row.createdById,
        role: "ORGANISER",
        addedById: row.createdById,
        addedAt: row.createdAt,
      });
    });
  }

  async findById(id: string): Promise<OrganisationRow | undefined> {
    const o = this.t.organisations;
    return (await this.db.read.select().from(o).where(eq(o.id, id)).limit(1))[0];
  }

  async findByIds(ids: readonly string[]): Promise<OrganisationRow[]> {
    if (ids.length === 0) return [];
    const o = this.t.organisations;
    return this.db.read
      .select()
      .from(o)
      .where(inArray(o.id, [...ids]));
  }

  /** Verified (or, for coordinators, unverified) organisations, oldest first. */
  async list(q: OrganisationListQuery): Promise<Page<OrganisationRow>> {
    const o = this.t.organisations;
    const conds: SQL[] = [q.verified ? isNotNull(o.verifiedAt) : isNull(o.verifiedAt)];
    if (q.kinds?.length) conds.push(inArray(o.kind, q.kinds));
    if (q.neighbourhoodIds?.length) conds.push(inArray(o.neighbourhoodId, q.neighbourhoodIds));
    const keyset = keysetPage(o.createdAt, o.id, q.page, "asc");
    const rows = await this.db.read
      .select()
      .from(o)
      .where(and(...conds, keyset.where))
      .orderBy(...keyset.orderBy)
      .limit(q.page.limit + 1);
    return pageOf(rows, q.page, (r) => r.createdAt.getTime(), q.cursorScope);
  }

  /** The organisations a person belongs to, with their role. */
  async forMember(personId: string): Promise<{ organisation: OrganisationRow; role: MemberRole }[]> {
    const o = this.t.organisations;
    const m = this.t.organisationMembers;
    const rows = await this.db.read
      .select({ organisation: o, role: m.role })
      .from(m)
      .innerJoin(o, eq(o.id, m.organisationId))
      .where(eq(m.personId, personId))
      .orderBy(asc(o.name), asc(o.id));
    return rows;
  }

  async roleOf(personId: string, organisationId: string): Promise<MemberRole | undefined> {
    const m = this.t.organisationMembers;
    const rows = await this.db.read
      .select({ role: m.role })
      .from(m)
      .where(and(eq(m.personId, personId), eq(m.organisationId, organisationId)))
      .limit(1);
    return rows[0]?.role;
  }

  /** A member and whether they hold the VOLUNTEER role on their account. */
  async memberWithVolunteerRole(organisationId: string, personId: string): Promise<{ role: MemberRole; volunteer: boolean } | undefined> {
    const m = this.t.organisationMembers;
    const r = this.t.personRoles;
    const rows = await this.db.read
      .select({ role: m.role, volunteerRole: r.role })
      .from(m)
      .leftJoin(r, and(eq(r.personId, m.personId), eq(r.role, "VOLUNTEER")))
      .where(and(eq(m.organisationId, organisationId), eq(m.personId, personId)))
      .limit(1);
    return rows[0] ? { role: rows[0].role, volunteer: rows[0].volunteerRole !== null } : undefined;
  }

  /** Members of the organisation who have a volunteer account, for each of the given organisations. */
  async volunteerMemberIds(organisationIds: readonly string[]): Promise<string[]> {
    if (organisationIds.length === 0) return [];
    const m = this.t.organisationMembers;
    const r = this.t.personRoles;
    const rows = await this.db.read
      .selectDistinct({ personId: m.personId })
      .from(m)
      .innerJoin(r, and(eq(r.personId, m.personId), eq(r.role, "VOLUNTEER")))
      .where(inArray(m.organisationId, [...organisationIds]));
    return rows.map((row) => row.personId);
  }

  async members(organisationId: string): Promise<MemberRow[]> {
    const m = this.t.organisationMembers;
    const p = this.t.people;
    return this.db.read
      .select({ organisationId: m.organisationId, personId: m.personId, role: m.role, addedAt: m.addedAt, firstName: p.firstName })
      .from(m)
      .innerJoin(p, eq(p.id, m.personId))
      .where(eq(m.organisationId, organisationId))
      .orderBy(asc(m.addedAt), asc(m.personId));
  }

  /**
   * Adds a member or changes their role. Returns "LAST_ORGANISER" (and changes nothing) when that
   * would leave the organisation without an organiser.
   */
  async saveMember(organisationId: string, personId: string, role: MemberRole, addedById: string, at: Date): Promise<"SAVED" | "LAST_ORGANISER"> {
    const m = this.t.organisationMembers;
    return this.db.transaction(async (tx) => {
      // Lock the organisation row: membership changes of one organisation happen one at a time.
      await tx.update(this.t.organisations).set({ updatedAt: at }).where(eq(this.t.organisations.id, organisationId));
      const current = await tx
        .select({ role: m.role })
        .from(m)
        .where(and(eq(m.organisationId, organisationId), eq(m.personId, personId)));
      if (!current[0]) {
        await tx.insert(m).values({ organisationId, personId, role, addedById, addedAt: at });
        return "SAVED";
      }
      if (current[0].role === role) return "SAVED";
      if (current[0].role === "ORGANISER" && (await this.organiserCount(tx, organisationId)) <= 1) return "LAST_ORGANISER";
      await tx
        .update(m)
        .set({ role })
        .where(and(eq(m.organisationId, organisationId), eq(m.personId, personId)));
      return "SAVED";
    });
  }

  async removeMember(organisationId: string, personId: string, at: Date): Promise<"REMOVED" | "NOT_A_MEMBER" | "LAST_ORGANISER"> {
    const m = this.t.organisationMembers;
    try {
      return await this.db.transaction(async (tx) => {
        await tx.update(this.t.organisations).set({ updatedAt: at }).where(eq(this.t.organisations.id, organisationId));
        const removed = await tx
          .delete(m)
          .where(and(eq(m.organisationId, organisationId), eq(m.personId, personId)))
          .returning({ role: m.role });
        if (!removed[0]) return "NOT_A_MEMBER" as const;
        if (removed[0].role === "ORGANISER" && (await this.organiserCount(tx, organisationId)) === 0) {
          throw new Rollback("LAST_ORGANISER" as const);
        }
        return "REMOVED" as const;
      });
    } catch (err) {
      if (err instanceof Rollback) return err.outcome as "LAST_ORGANISER";
      throw err;
    }
  }

  /**
   * Ends every ORGANISER membership of a person (their ORGANISER role was taken away): what an organiser
   * may read and do goes with the role. An organisation left without an organiser keeps its initiatives
   * and volunteers until a coordinator adds one. Returns the organisations concerned.
   */
  async endOrganiserMemberships(personId: string, at: Date): Promise<string[]> {
    const m = this.t.organisationMembers;
    return this.db.transaction(async (tx) => {
      const removed = await tx
        .delete(m)
        .where(and(eq(m.personId, personId), eq(m.role, "ORGANISER")))
        .returning({ organisationId: m.organisationId });
      for (const { organisationId } of removed) {
        await tx.update(this.t.organisations).set({ updatedAt: at }).where(eq(this.t.organisations.id, organisationId));
      }
      return removed.map((r) => r.organisationId);
    });
  }

  private async organiserCount(tx: Parameters<Parameters<Database["transaction"]>[0]>[0], organisationId: string): Promise<number> {
    const m = this.t.organisationMembers;
    const rows = await tx
      .select({ personId: m.personId })
      .from(m)
      .where(and(eq(m.organisationId, organisationId), eq(m.role, "ORGANISER")));
    return rows.length;
  }

  /**
   * Marks the organisation verified, once. Returns whether this call verified it and the ids of its
   * initiatives that were already published (they become public now).
   */
  async verify(id: string, byId: string, at: Date): Promise<{ verified: boolean; publishedIds: string[] }> {
    const o = this.t.organisations;
    const i = this.t.initiatives;
    return this.db.transaction(async (tx) => {
      const done = await tx
        .update(o)
        .set({ verifiedAt: at, verifiedById: byId, updatedAt: at })
        .where(and(eq(o.id, id), isNull(o.verifiedAt)))
        .returning({ id: o.id });
      if (!done[0]) return { verified: false, publishedIds: [] };
      const published = await tx
        .select({ id: i.id })
        .from(i)
        .where(and(eq(i.organisationId, id), eq(i.status, "PUBLISHED")));
      return { verified: true, publishedIds: published.map((p) => p.id) };
    });
  }
}
