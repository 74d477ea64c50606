import { and, asc, desc, eq, gte, inArray, isNotNull, lt, min, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { ContactChannel, EscalationTables } from "./escalation.tables.js";

export interface CaseNoteRow {
  id: string;
  escalationId: string;
  authorId: string;
  channel: ContactChannel | null;
  contactAt: Date | null;
  body: string;
  agreed: string | null;
  createdAt: Date;
}

export interface CaseDocumentRow {
  id: string;
  escalationId: string;
  uploadedById: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  createdAt: Date;
}

export interface CaseRerouteRow {
  id: string;
  escalationId: string;
  fromLeadTeamId: string;
  fromCoTeamId: string | null;
  toLeadTeamId: string;
  toCoTeamId: string | null;
  reason: string;
  byId: string;
  at: Date;
}

/** A case's norms as stored: enough to judge met, missed or open overdue. */
export interface NormRow {
  id: string;
  urgency: "LOW" | "NORMAL" | "HIGH" | "URGENT";
  status: string;
  createdAt: Date;
  closedAt: Date | null;
}

/** Notes, contact moments, documents and re-routes of cases: SQL only. */
export class CaseWorkRepository {
  constructor(private readonly db: Database<EscalationTables>) {}

  private get t() {
    return this.db.tables;
  }

  async insertNote(row: CaseNoteRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.caseNotes).values(row);
    });
  }

  async notes(escalationId: string): Promise<CaseNoteRow[]> {
    const n = this.t.caseNotes;
    return this.db.read.select().from(n).where(eq(n.escalationId, escalationId)).orderBy(asc(n.createdAt), asc(n.id)) as Promise<CaseNoteRow[]>;
  }

  async findNote(id: string): Promise<CaseNoteRow | undefined> {
    const rows = await this.db.read.select().from(this.t.caseNotes).where(eq(this.t.caseNotes.id, id));
    return rows[0] as CaseNoteRow | undefined;
  }

  /** The first contact moment of each case (undefined when none yet), in one query. */
  async firstContacts(escalationIds: readonly string[]): Promise<(Date | undefined)[]> {
    const n = this.t.caseNotes;
    const rows = await this.db.read
      .select({ id: n.escalationId, first: min(n.contactAt) })
      .from(n)
      .where(and(inArray(n.escalationId, [...escalationIds]), isNotNull(n.contactAt)))
      .groupBy(n.escalationId);
    const byId = new Map(rows.map((r) => [r.id, r.first === null ? undefined : new Date(r.first as unknown as Date)]));
    return escalationIds.map((id) => byId.get(id));
  }

  async insertDocument(row: CaseDocumentRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.caseDocuments).values(row);
    });
  }

  async documents(escalationId: string): Promise<CaseDocumentRow[]> {
    const d = this.t.caseDocuments;
    return this.db.read.select().from(d).where(eq(d.escalationId, escalationId)).orderBy(asc(d.createdAt), asc(d.id)) as Promise<CaseDocumentRow[]>;
  }

  async findDocument(id: string): Promise<CaseDocumentRow | undefined> {
    const rows = await this.db.read.select().from(this.t.caseDocuments).where(eq(this.t.caseDocuments.id, id));
    return rows[0] as CaseDocumentRow | undefined;
  }

  async insertReroute(row: CaseRerouteRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.t.caseReroutes).values(row);
    });
  }

  async reroutes(escalationId: string): Promise<CaseRerouteRow[]> {
    const r = this.t.caseReroutes;
    return this.db.read.select().from(r).where(eq(r.escalationId, escalationId)).orderBy(asc(r.at), asc(r.id)) as Promise<CaseRerouteRow[]>;
  }

  /** The other open cases about the same person, newest first. */
  async otherOpenCases(subjectId: string, exceptId: string) {
    const e = this.t.escalations;
    return this.db.read
      .select({ id: e.id, leadTeamId: e.leadTeamId, coTeamId: e.coTeamId, createdAt: e.createdAt })
      .from(e)
      .where(and(eq(e.subjectId, subjectId), ne(e.id, exceptId), ne(e.status, "CLOSED")))
      .orderBy(desc(e.createdAt), asc(e.id));
  }

  /** A team's cases (as lead or co-team) created in [from, to), for its norms summary. */
  async teamCases(teamId: string, from: Date, to: Date): Promise<NormRow[]> {
    const e = this.t.escalations;
    return this.db.read
      .select({ id: e.id, urgency: e.urgency, status: e.status, createdAt: e.createdAt, closedAt: e.closedAt })
      .from(e)
      .where(and(or(eq(e.leadTeamId, teamId), eq(e.coTeamId, teamId)), gte(e.createdAt, from), lt(e.createdAt, to)))
      .orderBy(asc(e.createdAt), asc(e.id));
  }

  /** The cases (of a person) a retention or export step works on. */
  async casesAbout(subjectId: string): Promise<string[]> {
    const e = this.t.escalations;
    return (await this.db.read.select({ id: e.id }).from(e).where(eq(e.subjectId, subjectId))).map((r) => r.id);
  }
}
