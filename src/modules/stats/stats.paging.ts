import type { ConnectionShape } from "../../graphql/relay.js";
import { badInput } from "../../shared/errors.js";
import { encodeCursor, pageRequest } from "../../shared/pagination.js";
import { StatsReason } from "./stats.errors.js";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * A page of figures per neighbourhood and month, computed whole, as a slice of the list: a cursor carries a
 * cell's position and is only taken back when the cell there is still the one it names (the same period
 * and neighbourhoods).
 */
export function pageOfCells<T extends { month: string; neighbourhoodId: string }>(list: T[], args: PageArgs): ConnectionShape<T> {
  const page = pageRequest(args);
  const idOf = (c: T) => `${c.month}/${c.neighbourhoodId}`;
  const at = page.cursor;
  if (at && (!Number.isInteger(at.sort) || list[at.sort] === undefined || idOf(list[at.sort]) !== at.id)) {
    const field = page.backward ? "before" : "after";
    throw badInput(StatsReason.INVALID_CURSOR, "{field}: not a cursor of this report (same period and neighbourhoods)", field, { field });
  }
  const end = page.backward ? (at ? at.sort : list.length) : Math.min(list.length, (at ? at.sort + 1 : 0) + page.limit);
  const start = page.backward ? Math.max(0, end - page.limit) : at ? at.sort + 1 : 0;
  const edges = list.slice(start, end).map((c, i) => ({ cursor: encodeCursor({ sort: start + i, id: idOf(c) }), node: c }));
  return {
    edges,
    pageInfo: {
      hasNextPage: end < list.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
