import { type AnyColumn, type SQL, and, eq, gt, lt, or } from "drizzle-orm";
import type { CursorKey } from "../shared/pagination.js";

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
