import { and, eq, gt, inArray, ne } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import { type PersonalDataEraser, erasedLine } from "../data-rights/data-erasure.types.js";
import { DataRightsReason } from "../data-rights/data-rights.errors.js";
import type { CareTables } from "./care.tables.js";

/**
 * The care module's part of an erasure. It waits while the person alone coordinates a circle (the
 * circle would be left without anyone to run it). Then they leave every circle; shifts they did keep
 * their shape and assignee (the circle's history and its counts stay whole, the name is gone with the
 * person row), shifts still ahead of them are opened for others, their check-in notes are cleared, the messages they wrote lose their author (the thread stays),
 * and a circle around them as care receiver loses its name.
 */
export function careEraser(db: Database<CareTables>, clock: Clock): PersonalDataEraser {
  return {
    section: "care",
    async blockers(personId) {
      const m = db.tables.careMembers;
      const coordinated = await db.read
        .select({ circleId: m.circleId })
        .from(m)
        .where(and(eq(m.personId, personId), eq(m.role, "COORDINATOR")));
      const ids = coordinated.map((c) => c.circleId);
      const others =
        ids.length === 0
          ? []
          : await db.read
              .select({ circleId: m.circleId })
              .from(m)
              .where(and(inArray(m.circleId, ids), ne(m.personId, personId), eq(m.role, "COORDINATOR")));
      const covered = new Set(others.map((o) => o.circleId));
      return [{ reason: DataRightsReason.ERASURE_BLOCKED_ONLY_CIRCLE_COORDINATOR, count: ids.filter((id) => !covered.has(id)).length }];
    },
    async erase(personId) {
      const { careMembers: m, careCircles: c, careShifts: s, careCheckins: ch, careMessages: msg } = db.tables;
      return db.transaction(async (tx) => {
        const now = clock.now();
        const ahead = await tx
          .update(s)
          .set({ status: "OPEN", assigneeId: null, updatedAt: now })
          .where(and(eq(s.assigneeId, personId), eq(s.status, "COVERED"), gt(s.startsAt, now)))
          .returning({ id: s.id });
        const notes = await tx.update(ch).set({ note: null }).where(eq(ch.personId, personId)).returning({ id: ch.id });
        const circles = await tx.update(c).set({ name: "[verwijderd]" }).where(eq(c.careReceiverId, personId)).returning({ id: c.id });
        // The thread stays readable for the others; the message is no longer anyone's.
        const messages = await tx.update(msg).set({ authorId: null }).where(eq(msg.authorId, personId)).returning({ id: msg.id });
        const left = await tx.delete(m).where(eq(m.personId, personId)).returning({ circleId: m.circleId });
        return {
          erased: [
            erasedLine("memberships of care circles", left.length),
            erasedLine("shifts ahead of you, opened for others", ahead.length),
            erasedLine("notes of check-ins", notes.length),
            erasedLine("names of circles around you", circles.length),
            erasedLine("messages you wrote, no longer in your name", messages.length),
          ],
          restricted: [],
        };
      });
    },
  };
}
