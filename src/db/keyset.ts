import { type AnyColumn, type SQL, and, asc, desc, eq, gt, lt, or } from "drizzle-orm";
import type { CursorKey, PageRequest } from "../shared/pagination.js";

/**
 * The keyset predicate "after this row" for a list ordered by (sort, id), both in `direction`:
 * rows whose sort key lies beyond the cursor's, or equals it with a greater (or smaller) id. Ties on
 * the sort key are broken by id, so a page never repeats or skips a row. `toSort` turns the cursor's
 * number back into the column's value (a Date for a time column, the number itself for a position).
 */
export function afterKey(sort: AnyColumn, id: AnyColumn, after: CursorKey, direction: "asc" | "desc", toSort: (n: number) => unknown = (n) => new Date(n)): SQL {
  const beyond = direction === "asc" ? gt : lt;
  const at = toSort(after.sort);
  return or(beyond(sort, at), and(eq(sort, at), beyond(id, after.id)))!;
}

/**
 * The keyset predicate and order of one page of a list ordered by (sort, id) in `direction`: a forward
 * page reads after its cursor in the list's order; a backward page reads before it in the reverse
 * order (the predicate's comparison flipped), and pageOf puts its rows back in the list's order.
 * `where` is undefined for a page without a cursor.
 */
export function keysetPage(
  sort: AnyColumn,
  id: AnyColumn,
  req: PageRequest,
  direction: "asc" | "desc",
  toSort: (n: number) => unknown = (n) => new Date(n),
): { where: SQL | undefined; orderBy: SQL[] } {
  const read = req.backward ? (direction === "asc" ? "desc" : "asc") : direction;
  const by = read === "asc" ? asc : desc;
  return {
    where: req.cursor ? afterKey(sort, id, req.cursor, read, toSort) : undefined,
    orderBy: [by(sort), by(id)],
  };
}
