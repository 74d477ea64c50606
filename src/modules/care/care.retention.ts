import { and, isNotNull, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { RetentionRule } from "../../shared/retention.js";
import type { CareTables } from "./care.tables.js";

/**
 * A care circle has no end of its own (members leave, the circle stays while its receiver is cared for),
 * so its term runs per record: a year after a shift ended its care notes are cleared (the shift stays:
 * who held which shift counts in the circle's load and history), and a year after a check-in or a
 * resolved load signal it is deleted, since it only said how heavy caring was for one member then; a message in a circle's or shift's
 * thread is deleted on the same term, as it served the care of that week.
 * Deletes and clears are conditional on the row still being due, so two instances act once per row.
 */
export function careRetention(db: Database<CareTables>, days: number): RetentionRule {
  const shifts = db.tables.careShifts;
  const checkins = db.tables.careCheckins;
  const signals = db.tables.careLoadSignals;
  const messages = db.tables.careMessages;
  return {
    kind: "careCircles",
    async apply(now) {
      const before = new Date(now.getTime() - days * 86_400_000);
      return db.transaction(async (tx) => {
        const cleared = await tx
          .update(shifts)
          .set({ notes: null })
          .where(and(lt(shifts.endsAt, before), isNotNull(shifts.notes)))
          .returning({ id: shifts.id });
        const gone = await tx.delete(checkins).where(lt(checkins.at, before)).returning({ id: checkins.id });
        const resolved = await tx
          .delete(signals)
          .where(and(isNotNull(signals.resolvedAt), lt(signals.resolvedAt, before)))
          .returning({ id: signals.id });
        const said = await tx.delete(messages).where(lt(messages.createdAt, before)).returning({ id: messages.id });
        return { removed: gone.length + resolved.length + said.length, pseudonymised: cleared.length };
      });
    },
  };
}
