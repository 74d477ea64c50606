import { type SQL, and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database, Db } from "../../db/client.js";
import type { InitiativeKind, InitiativeStatus, InitiativeTables, Recurrence } from "./initiative.tables.js";
import type { OrganisationRow } from "./organisation.repository.js";

export interface InitiativeRow {
  id: string;
  organisationId: string;
  kind: InitiativeKind;
  status: InitiativeStatus;
  title: string;
  description: string;
  neighbourhoodId: string;
  address: string | null;
  capacity: number | null;
  takenCount: number;
  waitlistCount: number;
  lastPosition: number;
  minAge: number | null;
  maxAge: number | null;
  accessibility: string | null;
  recurrence: Recurrence | null;
  firstStartsAt: Date | null;
  lastEndsAt: Date | null;
  publishedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
  createdById: string;
  createdAt: Date;
  updatedAt: Date;
  /** Joined: the organisation offering it. */
  organisation: OrganisationRow;
  /** Whether the organisation is verified (its published initiatives are public). */
  organisationVerified: boolean;
  categoryIds: string[];
  languages: string[];
  /** The next date ending after the reference moment of the query (now, or the filter's `from`). */
  nextStartsAt: Date | null;
  nextEndsAt: Date | null;
  /** Rank of the text match in a search; 0 otherwise. */
  score: number;
}

/** What is written for a new or changed initiative, besides its dates, categories and languages. */
export type InitiativeFields = Omit<InitiativeRow, "organisation" | "organisationVerified" | "categoryIds" | "languages" | "nextStartsAt" | "nextEndsAt" | "score"> & {
  searchTitle: string;
  searchText: string;
};

/**
 * The select of initiative rows with their organisation and next date after `ref`, for
 * InitiativeRepository and the discovery queries alike; hydrateInitiatives then adds categories and
 * languages. `from` is the read connection or a transaction.
 */
export function selectInitiatives(db: Database<InitiativeTables>, from: Db, ref: Date, score?: SQL) {
  const i = db.tables.initiatives;
  const o = db.tables.organisations;
  const occ = db.tables.initiativeOccurrences;
  return from
    .select({
      id: i.id,
      organisationId: i.organisationId,
      kind: i.kind,
      status: i.status,
      title: i.title,
      description: i.description,
      neighbourhoodId: i.neighbourhoodId,
      address: i.address,
      capacity: i.capacity,
      takenCount: i.takenCount,
      waitlistCount: i.waitlistCount,
      lastPosition: i.lastPosition,
      minAge: i.minAge,
      maxAge: i.maxAge,
      accessibility: i.accessibility,
      recurrence: i.recurrence,
      firstStartsAt: i.firstStartsAt,
      lastEndsAt: i.lastEndsAt,
      publishedAt: i.publishedAt,
      closedAt: i.closedAt,
      closeReason: i.closeReason,
      createdById: i.createdById,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      organisation: o,
      nextStartsAt: nextOccurrence(db, from, ref, "startsAt").mapWith(occ.startsAt),
      nextEndsAt: nextOccurrence(db, from, ref, "endsAt").mapWith(occ.endsAt),
      score: (score ?? sql`0`).mapWith(Number),
    })
    .from(i)
    .innerJoin(o, eq(o.id, i.organisationId));
}

/** The start (or end) of the first date ending after `ref`: a correlated subquery, same SQL on both engines. */
export function nextOccurrence(db: Database<InitiativeTables>, from: Db, ref: Date, column: "startsAt" | "endsAt"): SQL {
  const occ = db.tables.initiativeOccurrences;
  const i = db.tables.initiatives;
  const sub = from
    .select({ value: occ[column] })
    .from(occ)
    .where(and(eq(occ.initiativeId, i.id), gt(occ.endsAt, ref)))
    .orderBy(asc(occ.startsAt))
    .limit(1);
  return sql`${sub}`;
}

/** Adds categories and languages (two queries for the whole page) and the verified flag. */
export async function hydrateInitiatives(
  db: Database<InitiativeTables>,
  rows: Omit<InitiativeRow, "organisationVerified" | "categoryIds" | "languages">[],
): Promise<InitiativeRow[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const c = db.tables.initiativeCategories;
  const l = db.tables.initiativeLanguages;
  const [cats, langs] = await Promise.all([
    db.read.select().from(c).where(inArray(c.initiativeId, ids)).orderBy(asc(c.categoryId)),
    db.read.select().from(l).where(inArray(l.initiativeId, ids)).orderBy(asc(l.language)),
  ]);
  const group = <T extends { initiativeId: string }>(list: T[], pick: (x: T) => string) => {
    const m = new Map<string, string[]>();
    for (const x of list) m.set(x.initiativeId, [...(m.get(x.initiativeId) ?? []), pick(x)]);
    return m;
  };
  const catsOf = group(cats, (x) => x.categoryId);
  const langsOf = group(langs, (x) => x.language);
  return rows.map((r) => ({
    ...r,
    organisationVerified: r.organisation.verifiedAt !== null,
    categoryIds: catsOf.get(r.id) ?? [],
    languages: langsOf.get(r.id) ?? [],
  }));
}
