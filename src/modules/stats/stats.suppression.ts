/**
 * Small-cell protection (see docs/statistics-privacy.md). A figure is published only when it rests
 * on at least `threshold` people AND on at least `threshold` established accounts: accounts that
 * existed before the period began, counted once however many requests (or people asked for on
 * their behalf) they brought in. The second count is what padding would have to forge: an attacker
 * who registers today, or asks for invented people, adds nothing to it.
 *
 * Everything below the threshold is withheld, zero included, so a withheld figure says neither
 * "nobody" nor "someone". Figures derived from others (a share, parts of a total) are withheld too
 * when they would give a withheld figure away.
 */
export const SUPPRESSION_THRESHOLD = 5;

export interface Figure {
  value: number | null;
  suppressed: boolean;
}

/** The people a figure rests on: everyone it counts, and the established accounts among the askers. */
export interface Basis {
  people: Set<string>;
  accounts: Set<string>;
}

export const newBasis = (): Basis => ({ people: new Set(), accounts: new Set() });

export const shown = (value: number | null): Figure => ({ value, suppressed: false });
export const hidden: Figure = Object.freeze({ value: null, suppressed: true });

/** A figure resting on `basis` may be shown when it rests on enough people and enough established accounts. */
export const publishable = (basis: Basis, threshold = SUPPRESSION_THRESHOLD) => basis.people.size >= threshold && basis.accounts.size >= threshold;

/** A count over a basis: shown only when the basis is publishable (zero is withheld like any small number). */
export function countFigure(count: number, basis: Basis, threshold = SUPPRESSION_THRESHOLD): Figure {
  return publishable(basis, threshold) ? shown(count) : hidden;
}

/**
 * A share part/(part + rest), e.g. requests taken up out of requests asked. Shown when the whole
 * rests on enough people and each side is either empty or publishable itself: the share times a
 * published total gives each side's count.
 */
export function shareFigure(part: { count: number; basis: Basis }, rest: { count: number; basis: Basis }, threshold = SUPPRESSION_THRESHOLD): Figure {
  const whole = union([part.basis, rest.basis]);
  if (!publishable(whole, threshold)) return hidden;
  const side = (b: Basis) => b.people.size === 0 || publishable(b, threshold);
  if (!side(part.basis) || !side(rest.basis)) return hidden;
  return shown(part.count / (part.count + rest.count));
}

/** A use rate of places: `basis` are the people using `places` places; the number of places is not personal. */
export function utilisationFigure(basis: Basis, places: number, threshold = SUPPRESSION_THRESHOLD): Figure {
  if (places <= 0) return shown(null);
  if (!publishable(basis, threshold)) return hidden;
  return shown(Math.min(1, basis.people.size / places));
}

/** Places taken out of places offered (not personal); shown when the people holding them are publishable. */
export function fillFigure(taken: number, capacity: number, basis: Basis): Figure {
  if (capacity <= 0) return shown(null);
  return publishable(basis) ? shown(Math.min(1, taken / capacity)) : hidden;
}

/** A measure over a group (a median time): shown when the group is publishable. */
export function measureFigure(value: number | null, basis: Basis, threshold = SUPPRESSION_THRESHOLD): Figure {
  return publishable(basis, threshold) && value !== null ? shown(value) : hidden;
}

export function union(bases: Basis[]): Basis {
  const out = newBasis();
  for (const b of bases) {
    for (const p of b.people) out.people.add(p);
    for (const a of b.accounts) out.accounts.add(a);
  }
  return out;
}

/**
 * Suppresses parts of a published total so that nothing withheld follows by subtraction. The total
 * minus the shown parts is the sum of the withheld parts: that sum must rest on nobody or on a
 * publishable group of people. While it does not, the shown part resting on the fewest people is
 * withheld as well; when none is left, the total is withheld.
 */
export function protectParts<K>(
  total: { count: number; basis: Basis },
  parts: { key: K; count: number; basis: Basis }[],
  threshold = SUPPRESSION_THRESHOLD,
): { total: Figure; parts: { key: K; figure: Figure }[] } {
  const hide = new Set<number>(parts.map((p, i) => (publishable(p.basis, threshold) ? -1 : i)).filter((i) => i >= 0));
  let totalFigure = countFigure(total.count, total.basis, threshold);
  const exposed = () => {
    if (totalFigure.suppressed || hide.size === 0) return false;
    const rest = union([...hide].map((i) => parts[i].basis));
    return rest.people.size > 0 && !publishable(rest, threshold);
  };
  while (exposed()) {
    const next = parts
      .map((p, i) => ({ p, i }))
      .filter(({ i }) => !hide.has(i))
      .sort((a, b) => a.p.basis.people.size - b.p.basis.people.size || a.p.count - b.p.count)[0];
    if (!next) {
      totalFigure = hidden;
      break;
    }
    hide.add(next.i);
  }
  return {
    total: totalFigure,
    parts: parts.map((p, i) => ({ key: p.key, figure: hide.has(i) ? hidden : shown(p.count) })),
  };
}

/** A placement on a participation place, as far as figures need it. */
export interface PlacementSpan {
  participantId: string;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * Whether one group of placements (an organisation's places in one neighbourhood) may count in
 * published figures over the period [from, to]: each figure about it — people active, started, ended,
 * placed at the end — and each difference of two nested ones (active but not started, active but
 * not ended, active but no longer placed) must be zero or at least `threshold` people. A group that
 * fails is left out of every people figure, by participationUtilisation and the neighbourhood
 * statistics alike, so no sum or difference of published figures isolates fewer people.
 */
export function placementGroupPublishable(list: PlacementSpan[], from: number, to: number, threshold = SUPPRESSION_THRESHOLD): boolean {
  const people = (l: PlacementSpan[]) => new Set(l.map((p) => p.participantId)).size;
  const active = people(list);
  const started = people(list.filter((p) => p.startedAt.getTime() >= from));
  const ended = people(list.filter((p) => p.endedAt !== null && p.endedAt.getTime() >= from && p.endedAt.getTime() <= to));
  const filled = list.filter((p) => p.startedAt.getTime() <= to && (p.endedAt === null || p.endedAt.getTime() > to));
  const sizes = [active, started, ended, filled.length, people(filled), active - started, active - ended, active - people(filled)];
  return sizes.every((n) => n === 0 || n >= threshold);
}

/**
 * The people placed in a neighbourhood in a month, leaving out the organisations whose group there
 * would single out fewer than five people: the same rule participationUtilisation applies, so neither
 * answer gives the other's small group away. Placements are made by professionals and organisations,
 * not by the people counted, so each participant also counts as an account of their own (nobody can
 * pad this figure).
 */
export function placedBasis(byOrganisation: Map<string, PlacementSpan[]>, start: number, end: number): Basis {
  const out = newBasis();
  for (const list of byOrganisation.values()) {
    if (!placementGroupPublishable(list, start, end)) continue;
    for (const p of list) {
      out.people.add(p.participantId);
      out.accounts.add(p.participantId);
    }
  }
  return out;
}

/** The median of a list of numbers (null when empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
