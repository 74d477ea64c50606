import { asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { AccessLogTables } from "./access-log.tables.js";

/** Who a reader was, as far as the person is told: their roles, team and organisations, not their name. */
export interface ReaderView {
  roles: string[];
  team: string | null;
  organisations: string[];
}

/**
 * The access log's part of a data export: every read of the person's data by someone else, with what
 * was read, why and when, and who read it by role, team and organisation (the person learns which
 * desk or team looked, as GDPR art. 15(1)(c) asks, without the name of the employee).
 */
export function accessLogExporter(db: Database<AccessLogTables>, describe: (readerIds: readonly string[]) => Promise<Map<string, ReaderView>>): PersonalDataExporter {
  return {
    section: "accessLog",
    tables: ["accessLog"],
    async export(personId) {
      const a = db.tables.accessLog;
      const rows = await db.read.select().from(a).where(eq(a.subjectId, personId)).orderBy(asc(a.at), asc(a.id));
      const readers = await describe([...new Set(rows.filter((r) => r.readerRoles === null).map((r) => r.readerId))]);
      return rows.map((r) => ({
        id: r.id,
        at: iso(r.at),
        fields: r.fields,
        purpose: r.purpose,
        objectId: r.objectId,
        objectType: r.objectType,
        // As the reader was when reading (recorded since the chain began); older entries describe them as they are now.
        reader:
          r.readerRoles !== null
            ? { roles: r.readerRoles, team: r.readerTeam, organisations: r.readerOrganisations ?? [] }
            : (readers.get(r.readerId) ?? { roles: [], team: null, organisations: [] }),
      }));
    },
  };
}
