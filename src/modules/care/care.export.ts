import { asc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { PersonalDataExporter } from "../data-rights/data-export.types.js";
import { iso } from "../data-rights/data-export.types.js";
import type { PersonTables } from "../people/person.tables.js";
import type { CareTables } from "./care.tables.js";

/**
 * The care module's part of a data export: the circles the person is in or receives care from, the
 * shifts they held and, for the one cared for, the shifts of their care; swaps, invitations, check-ins
 * load signals and the messages they wrote, and the shifts the person last gave back (released) that they no longer hold. Other members are named by first name, and only where they shared something with
 * the person (the shift they held for them, a swap between them, the one cared for).
 */
export function careExporter(db: Database<CareTables & PersonTables>): PersonalDataExporter {
  return {
    section: "care",
    tables: ["careCircles", "careMembers", "careInvitations", "careShifts", "careSwaps", "careCheckins", "careLoadSignals", "careMessages"],
    async export(personId) {
      const t = db.tables;
      const memberships = await db.read.select().from(t.careMembers).where(eq(t.careMembers.personId, personId));
      const received = await db.read.select().from(t.careCircles).where(eq(t.careCircles.careReceiverId, personId));
      const memberCircleIds = memberships.map((m) => m.circleId);
      const memberCircles = memberCircleIds.length ? await db.read.select().from(t.careCircles).where(inArray(t.careCircles.id, memberCircleIds)) : [];
      const receivedIds = received.map((c) => c.id);
      const shifts = await db.read
        .select({
          id: t.careShifts.id,
          circleId: t.careShifts.circleId,
          taskId: t.careShifts.taskId,
          title: t.careShifts.title,
          taskTitle: t.careTasks.title,
          notes: t.careShifts.notes,
          startsAt: t.careShifts.startsAt,
          endsAt: t.careShifts.endsAt,
          status: t.careShifts.status,
          assigneeId: t.careShifts.assigneeId,
          coverRequested: t.careShifts.coverRequested,
          flagged: t.careShifts.flagged,
        })
        .from(t.careShifts)
        .innerJoin(t.careTasks, eq(t.careTasks.id, t.careShifts.taskId))
        .where(receivedIds.length ? or(eq(t.careShifts.assigneeId, personId), inArray(t.careShifts.circleId, receivedIds)) : eq(t.careShifts.assigneeId, personId))
        .orderBy(asc(t.careShifts.startsAt), asc(t.careShifts.id));
      // A shift records only who gave it back last; one the person gave back and took again is among the held ones.
      const givenBack = await db.read
        .select({
          id: t.careShifts.id,
          circleId: t.careShifts.circleId,
          title: t.careShifts.title,
          taskTitle: t.careTasks.title,
          startsAt: t.careShifts.startsAt,
          endsAt: t.careShifts.endsAt,
          status: t.careShifts.status,
          assigneeId: t.careShifts.assigneeId,
          coverRequested: t.careShifts.coverRequested,
        })
        .from(t.careShifts)
        .innerJoin(t.careTasks, eq(t.careTasks.id, t.careShifts.taskId))
        .where(eq(t.careShifts.releasedById, personId))
        .orderBy(asc(t.careShifts.startsAt), asc(t.careShifts.id));
      const swaps = await db.read
        .select()
        .from(t.careSwaps)
        .where(or(eq(t.careSwaps.fromId, personId), eq(t.careSwaps.toId, personId)))
        .orderBy(asc(t.careSwaps.createdAt));
      const invitations = await db.read
        .select()
        .from(t.careInvitations)
        .where(or(eq(t.careInvitations.invitedById, personId), eq(t.careInvitations.usedById, personId), eq(t.careInvitations.inviteePersonId, personId)))
        .orderBy(asc(t.careInvitations.createdAt));
      const checkins = await db.read.select().from(t.careCheckins).where(eq(t.careCheckins.personId, personId)).orderBy(asc(t.careCheckins.at));
      // Only what the person wrote: the others' messages in the same threads are theirs.
      const messages = await db.read.select().from(t.careMessages).where(eq(t.careMessages.authorId, personId)).orderBy(asc(t.careMessages.createdAt));
      const signals = await db.read.select().from(t.careLoadSignals).where(eq(t.careLoadSignals.personId, personId)).orderBy(asc(t.careLoadSignals.since));

      const others = new Set<string>();
      for (const c of memberCircles) others.add(c.careReceiverId);
      for (const s of shifts) if (s.assigneeId) others.add(s.assigneeId);
      for (const s of swaps) others.add(s.fromId === personId ? s.toId : s.fromId);
      others.delete(personId);
      const names = new Map(
        others.size
          ? (
              await db.read
                .select({ id: t.people.id, firstName: t.people.firstName })
                .from(t.people)
                .where(inArray(t.people.id, [...others]))
            ).map((p) => [p.id, p.firstName])
          : [],
      );
      const firstName = (id: string | null) => (id === null ? null : id === personId ? "(you)" : (names.get(id) ?? null));

      const circles = [
        ...received.map((c) => ({ id: c.id, name: c.name, yourRole: "CARE_RECEIVER", relation: null, joinedAt: iso(c.createdAt), leftAt: null, careReceiver: "(you)" })),
        ...memberships.map((m) => {
          const c = memberCircles.find((x) => x.id === m.circleId);
          return {
            id: m.circleId,
            name: c?.name ?? null,
            yourRole: m.role,
            relation: m.relation,
            joinedAt: iso(m.joinedAt),
            leftAt: iso(m.leftAt),
            careReceiver: firstName(c?.careReceiverId ?? null),
            strainSharedWithCoordinators: m.shareLoad,
          };
        }),
      ];
      return {
        circles,
        shifts: shifts.map((s) => ({
          id: s.id,
          circleId: s.circleId,
          yourPart: s.assigneeId === personId ? "HELD" : "CARE_RECEIVED",
          title: s.title ?? s.taskTitle,
          notes: s.notes,
          startsAt: iso(s.startsAt),
          endsAt: iso(s.endsAt),
          status: s.status,
          heldBy: firstName(s.assigneeId),
          coverRequested: s.coverRequested,
          flagged: s.flagged,
        })),
        // Who holds it now is not said: the person gave the shift away, they did not share it with its new holder.
        shiftsGivenBack: givenBack
          .filter((s) => s.assigneeId !== personId)
          .map((s) => ({
            id: s.id,
            circleId: s.circleId,
            title: s.title ?? s.taskTitle,
            startsAt: iso(s.startsAt),
            endsAt: iso(s.endsAt),
            statusNow: s.status,
            coverRequested: s.coverRequested,
          })),
        swaps: swaps.map((s) => ({
          id: s.id,
          shiftId: s.shiftId,
          direction: s.fromId === personId ? "GIVEN" : "RECEIVED",
          otherMember: firstName(s.fromId === personId ? s.toId : s.fromId),
          status: s.status,
          createdAt: iso(s.createdAt),
          decidedAt: iso(s.decidedAt),
        })),
        invitations: invitations.map((i) => ({
          id: i.id,
          circleId: i.circleId,
          // ADDRESSED_TO: e-mailed to your account and not (yet) used by you.
          yourPart: i.invitedById === personId ? "INVITED" : i.usedById === personId ? "JOINED_WITH" : "ADDRESSED_TO",
          byEmail: i.byEmail,
          relation: i.relation,
          createdAt: iso(i.createdAt),
          expiresAt: iso(i.expiresAt),
          usedAt: iso(i.usedAt),
        })),
        checkins: checkins.map((c) => ({ id: c.id, circleId: c.circleId, strain: c.strain, note: c.note, at: iso(c.at) })),
        messages: messages.map((m) => ({
          id: m.id,
          circleId: m.circleId,
          shiftId: m.shiftId,
          announcement: m.announcement,
          body: m.body,
          createdAt: iso(m.createdAt),
        })),
        loadSignals: signals.map((s) => ({
          id: s.id,
          circleId: s.circleId,
          reason: s.reason,
          detail: s.detail,
          since: iso(s.since),
          lastSeenAt: iso(s.lastSeenAt),
          resolvedAt: iso(s.resolvedAt),
        })),
      };
    },
  };
}
