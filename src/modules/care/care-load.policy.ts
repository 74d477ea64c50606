import type { MemberRow } from "./care.rows.js";

/**
 * What one member of a circle sees of another's load. A carer's strain is about their health
 * (GDPR art. 9): each member sees all of their own; a coordinator sees of the others what they need to
 * run the circle (hours held here, whether the care is intensive, which overload signals are open)
 * but not the answers behind them, unless the member shares those (shareLoad); plain members see only
 * their own. Null means the entry is not shown at all.
 */
export function visibleLoad<L extends { latestStrain: unknown }>(me: MemberRow, subject: MemberRow, load: L): L | null {
  if (me.personId === subject.personId) return load;
  if (me.role !== "COORDINATOR") return null;
  return subject.shareLoad ? load : { ...load, latestStrain: null };
}
