import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PlaceTables } from "../places/place.tables.js";
import type { EscalationTables } from "./escalation.tables.js";

/**
 * Casework in a person's data export (GDPR art. 15; docs/decisions.md: casework and the right of access).
 * About them: every contact moment in full (when, how, what was agreed: they took part in it), that a
 * note exists and when (not its text: a professional's working notes are weighed by the team under
 * art. 15(4) and UAVG art. 41, as the case's other notes are), each document's name, type and date (the
 * file on request to the team), and each re-route by date and team. A professional sees what they
 * wrote, by case and time, without the case's subject.
 */
export function caseWorkExporter(db: Database<EscalationTables & PlaceTables>): PersonalDataExporter {
  return {
    section: "casework",
    tables: ["caseNotes", "caseDocuments", "caseReroutes"],
    async export(personId) {
      const { escalations: e, caseNotes: n, caseDocuments: d, caseReroutes: r, teams } = db.tables;
      const cases = (await db.read.select({ id: e.id }).from(e).where(eq(e.subjectId, personId))).map((c) => c.id);
      const contacts = cases.length
        ? await db.read
            .select({ escalationId: n.escalationId, channel: n.channel, contactAt: n.contactAt, body: n.body, agreed: n.agreed })
            .from(n)
            .where(and(inArray(n.escalationId, cases), isNotNull(n.channel)))
            .orderBy(asc(n.contactAt), asc(n.id))
        : [];
      const notes = cases.length
        ? await db.read
            .select({ escalationId: n.escalationId, createdAt: n.createdAt })
            .from(n)
            .where(and(inArray(n.escalationId, cases), isNull(n.channel)))
            .orderBy(asc(n.createdAt), asc(n.id))
        : [];
      const documents = cases.length
        ? await db.read
            .select({ escalationId: d.escalationId, fileName: d.fileName, mediaType: d.mediaType, createdAt: d.createdAt })
            .from(d)
            .where(inArray(d.escalationId, cases))
            .orderBy(asc(d.createdAt), asc(d.id))
        : [];
      const reroutes = cases.length
        ? await db.read
            .select({ escalationId: r.escalationId, toTeam: teams.name, at: r.at })
            .from(r)
            .innerJoin(teams, eq(teams.id, r.toLeadTeamId))
            .where(inArray(r.escalationId, cases))
            .orderBy(asc(r.at), asc(r.id))
        : [];
      const written = await db.read.select({ escalationId: n.escalationId, createdAt: n.createdAt }).from(n).where(eq(n.authorId, personId)).orderBy(asc(n.createdAt));
      const uploaded = await db.read.select({ escalationId: d.escalationId, createdAt: d.createdAt }).from(d).where(eq(d.uploadedById, personId)).orderBy(asc(d.createdAt));
      const rerouted = await db.read.select({ escalationId: r.escalationId, at: r.at }).from(r).where(eq(r.byId, personId)).orderBy(asc(r.at));
      return {
        contactMomentsWithYou: contacts.map((c) => ({ escalationId: c.escalationId, channel: c.channel, at: iso(c.contactAt), summary: c.body, agreed: c.agreed })),
        notesAboutYou: notes.map((x) => ({ escalationId: x.escalationId, createdAt: iso(x.createdAt), text: "kept by the team; ask the team for it" })),
        documentsAboutYou: documents.map((x) => ({ escalationId: x.escalationId, fileName: x.fileName, mediaType: x.mediaType, createdAt: iso(x.createdAt) })),
        reroutesOfYourCases: reroutes.map((x) => ({ escalationId: x.escalationId, toTeam: x.toTeam, at: iso(x.at) })),
        notesYouWrote: written.map((x) => ({ escalationId: x.escalationId, createdAt: iso(x.createdAt) })),
        documentsYouAdded: uploaded.map((x) => ({ escalationId: x.escalationId, createdAt: iso(x.createdAt) })),
        casesYouRerouted: rerouted.map((x) => ({ escalationId: x.escalationId, at: iso(x.at) })),
      };
    },
  };
}
