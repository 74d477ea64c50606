import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { BuddyTables } from "../buddies/buddies.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import type { BuddiesForNotifications, BuddySignalState } from "./notification.sources.js";

type BuddyDatabase = Database<Pick<BuddyTables, "buddyProgrammes" | "buddyProgrammeCoordinators" | "buddySignals"> & Pick<InitiativeTables, "organisationMembers">>;

/**
 * What deciding reads of buddy programmes: a signal's programme, kind, due moment and whether it was
 * acknowledged, and who coordinates the programme now (its organisation's organisers and its extra
 * coordinators). Never anything of the match's people or their check-in notes. SQL only.
 */
export class BuddyReads implements BuddiesForNotifications {
  constructor(private readonly db: BuddyDatabase) {}

  async signal(id: string): Promise<BuddySignalState | undefined> {
    const s = this.db.tables.buddySignals;
    const rows = await this.db.read.select({ programmeId: s.programmeId, kind: s.kind, dueAt: s.dueAt, acknowledgedAt: s.acknowledgedAt }).from(s).where(eq(s.id, id));
    const row = rows[0];
    return row && { programmeId: row.programmeId, kind: row.kind, dueAt: row.dueAt, acknowledged: row.acknowledgedAt !== null };
  }

  async programmeCoordinators(programmeId: string): Promise<string[]> {
    const { buddyProgrammes: p, buddyProgrammeCoordinators: c, organisationMembers: o } = this.db.tables;
    const organisers = await this.db.read
      .select({ personId: o.personId })
      .from(p)
      .innerJoin(o, and(eq(o.organisationId, p.organisationId), eq(o.role, "ORGANISER")))
      .where(eq(p.id, programmeId));
    const extra = await this.db.read.select({ personId: c.personId }).from(c).where(eq(c.programmeId, programmeId));
    return [...new Set([...organisers, ...extra].map((r) => r.personId))].sort();
  }
}
