/**
 * Small-cell suppression: no figure rests on fewer than `threshold` people, so no one can be singled
 * out. Zero is shown (it singles out nobody). Figures derived from others (a share, a total next to
 * its parts) are suppressed too when they would give a suppressed number away.
 */
export const SUPPRESSION_THRESHOLD = 5;

export interface Figure {
  value: number | null;
  suppressed: boolean;
}

const shown = (value: number | null): Figure => ({ value, suppressed: false });
const hidden: Figure = { value: null, suppressed: true };

/** A number of people (or of things done for that many people) may be shown when it is 0 or at least the threshold. */
export const publishable = (people: number, threshold = SUPPRESSION_THRESHOLD) => people === 0 || people >= threshold;

/** A count of things (requests, cases) done for `people` distinct people. */
export function countFigure(count: number, people: number, threshold = SUPPRESSION_THRESHOLD): Figure {
  return publishable(people, threshold) ? shown(count) : hidden;
}

/**
 * A share part/basis, e.g. requests matched out of requests asked. Shown when the basis rests on at
 * least `threshold` people and both the part and the rest are publishable; null (not suppressed)
 * when there is no basis at all.
 */
export function shareFigure(
  part: { count: number; people: number },
  rest: { count: number; people: number },
  threshold = SUPPRESSION_THRESHOLD,
): Figure {
  const basis = part.count + rest.count;
  if (basis === 0) return shown(null);
  if (part.people + rest.people < threshold || !publishable(part.people, threshold) || !publishable(rest.people, threshold)) return hidden;
  return shown(part.count / basis);
}

/** A use rate of places: `people` using `places` places; only the people count is personal. */
export function utilisationFigure(people: number, places: number, threshold = SUPPRESSION_THRESHOLD): Figure {
  if (places <= 0) return shown(null);
  if (!publishable(people, threshold)) return hidden;
  return shown(Math.min(1, people / places));
}

/** A measure over `people` people (a median time): shown for at least `threshold` of them. */
export function measureFigure(value: number | null, people: number, threshold = SUPPRESSION_THRESHOLD): Figure {
  if (people === 0) return shown(null);
  return people >= threshold && value !== null ? shown(value) : hidden;
}

/**
 * Suppresses parts of a total so the hidden ones cannot be worked out by subtraction: when exactly
 * one part is hidden, or the hidden parts add up to fewer than the threshold, the smallest shown
 * part is hidden too, until that no longer holds; if it still holds, the total is hidden as well.
 */
export function protectParts<K>(
  total: { count: number; people: number },
  parts: { key: K; count: number; people: number }[],
  threshold = SUPPRESSION_THRESHOLD,
): { total: Figure; parts: { key: K; figure: Figure }[] } {
  const hide = new Set<number>(parts.map((p, i) => (publishable(p.people, threshold) ? -1 : i)).filter((i) => i >= 0));
  let totalFigure = countFigure(total.count, total.people, threshold);
  const hiddenSum = () => [...hide].reduce((s, i) => s + parts[i].count, 0);
  const exposed = () => !totalFigure.suppressed && hide.size > 0 && (hide.size === 1 || hiddenSum() < threshold);
  while (exposed()) {
    const next = parts
      .map((p, i) => ({ p, i }))
      .filter(({ p, i }) => !hide.has(i) && p.count > 0)
      .sort((a, b) => a.p.count - b.p.count)[0];
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

/** The median of a list of numbers (null when empty). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
