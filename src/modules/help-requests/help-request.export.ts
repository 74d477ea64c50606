import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PersonTables } from "../people/person.tables.js";
import type { HelpRequestTables } from "./help-request.tables.js";

/**
 * The help-requests module's part of a data export: every request the person asked, was helped by,
 * or held as volunteer (a match), with its status history. The others in a request are named by
 * first name only, as the request showed them; notes in the history are given only when the person
 * wrote them.
 */
export function helpRequestExporter(db: Database<HelpRequestTables & PersonTables>): PersonalDataExporter {
  return {
    section: "helpRequests",
    tables: ["helpRequests", "helpRequestEvents"],
    async export(personId) {
      const t = db.tables;
      const h = t.helpRequests;
      const rows = await db.read
        .select()
        .from(h)
        .where(or(eq(h.personHelpedId, personId), eq(h.askedById, personId), eq(h.volunteerId, personId)))
        .orderBy(asc(h.createdAt), asc(h.id));
      if (rows.length === 0) return [];
      const others = [...new Set(rows.flatMap((r) => [r.personHelpedId, r.askedById, r.volunteerId]).filter((id): id is string => id !== null && id !== personId))];
      const names = new Map(
        others.length
          ? (await db.read.select({ id: t.people.id, firstName: t.people.firstName }).from(t.people).where(inArray(t.people.id, others))).map((p) => [p.id, p.firstName])
          : [],
      );
      const firstName = (id: string | null) => (id === null ? null : id === personId ? "(you)" : (names.get(id) ?? null));
      const events = await db.read
        .select()
        .from(t.helpRequestEvents)
        .where(
          inArray(
            t.helpRequestEvents.helpRequestId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(t.helpRequestEvents.at), asc(t.helpRequestEvents.id));
      return rows.map((r) => ({
        id: r.id,
        yourPart: [r.personHelpedId === personId && "HELPED", r.askedById === personId && "ASKED", r.volunteerId === personId && "VOLUNTEER"].filter(Boolean),
        title: r.title,
        description: r.description,
        categoryId: r.categoryId,
        neighbourhoodId: r.neighbourhoodId,
        urgency: r.urgency,
        vogRequired: r.vogRequired,
        windowStart: iso(r.windowStart),
        windowEnd: iso(r.windowEnd),
        status: r.status,
        contactVia: r.contactVia,
        personHelped: firstName(r.personHelpedId),
        askedBy: firstName(r.askedById),
        volunteer: firstName(r.volunteerId),
        createdAt: iso(r.createdAt),
        updatedAt: iso(r.updatedAt),
        history: events
          .filter((e) => e.helpRequestId === r.id)
          .map((e) => ({ fromStatus: e.fromStatus, toStatus: e.toStatus, at: iso(e.at), byYou: e.actorId === personId, note: e.actorId === personId ? e.note : null })),
      }));
    },
  };
}
