/**
 * Rules about an initiative's places, over its counts alone (no rows, no SQL), shared by the services,
 * the resolvers and the discovery query so that a rule cannot differ between them.
 */

/** The smallest number of people a published count of places may rest on (docs/statistics-privacy.md). */
export const PUBLISHED_PLACES_THRESHOLD = 5;

/**
 * The counts of places as everyone sees them. A number of one to four people is given as 0, so it
 * neither names nor counts the few who signed up; a participation place's placements are not
 * published at all (its use is published, over groups of at least five, by participationUtilisation).
 * The organisation sees who holds its places through its sign-ups and placements.
 */
export function publishedPlaces(r: { kind: string; capacity: number | null; takenCount: number; waitlistCount: number }): {
  taken: number;
  left: number | null;
  waiting: number;
} {
  if (r.kind === "PARTICIPATION_PLACE") return { taken: 0, left: null, waiting: 0 };
  const publish = (n: number) => (n < PUBLISHED_PLACES_THRESHOLD ? 0 : n);
  const taken = publish(r.takenCount);
  return { taken, left: r.capacity === null ? null : Math.max(0, r.capacity - taken), waiting: publish(r.waitlistCount) };
}

/**
 * Whether a change of capacity opens places to new sign-ups: more places are left after it (and after
 * the waiting list moved up) than before. `null` is unlimited.
 */
export function placesFreed(before: { capacity: number | null; takenCount: number; waitlistCount: number }, capacity: number | null): boolean {
  const leftBefore = before.capacity === null ? Infinity : Math.max(0, before.capacity - before.takenCount);
  if (capacity === null) return before.capacity !== null;
  const open = Math.max(0, capacity - before.takenCount);
  const leftAfter = open - Math.min(open, before.waitlistCount);
  return leftAfter > leftBefore;
}
