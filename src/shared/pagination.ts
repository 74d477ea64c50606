import { createHash } from "node:crypto";
import { SharedReason, badInput } from "./errors.js";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A cursor holds the sort key and the id of the last row seen; opaque to clients. */
export interface CursorKey {
  sort: number;
  id: string;
}

/**
 * Names what a cursor belongs to: the connection, its order and (hashed) the arguments that shape it.
 * A cursor carries its scope and is only accepted back with the same one: the sort key of one order
 * (a creation time) means nothing in another (a start time), so a foreign cursor would silently page
 * from a wrong place instead of failing.
 */
export function cursorScope(connection: string, args: Record<string, unknown> = {}): string {
  const shape = JSON.stringify(args, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([, v]) => v !== undefined && v !== null)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : value,
  );
  if (shape === "{}") return connection;
  const key = `${connection}\u0000${shape}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    // Most pages are asked with a handful of argument shapes: their hashes are kept, a bounded number.
    if (scopes.size >= 1000) scopes.clear();
    scopes.set(key, (scope = `${connection}.${createHash("sha256").update(shape).digest("base64url").slice(0, 10)}`));
  }
  return scope;
}

const scopes = new Map<string, string>();

export function encodeCursor(key: CursorKey, scope = ""): string {
  return Buffer.from(`${scope}~${key.sort}:${key.id}`, "utf8").toString("base64url");
}

/** The key of a cursor handed out for `scope`; INVALID_CURSOR for anything else (forged, or another scope's). */
export function decodeCursor(cursor: string, field = "after", scope = ""): CursorKey {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const prefix = `${scope}~`;
  const body = text.startsWith(prefix) ? text.slice(prefix.length) : "";
  const cut = body.indexOf(":");
  const sort = Number(body.slice(0, cut));
  const id = body.slice(cut + 1);
  if (cut <= 0 || !Number.isFinite(sort) || id.length === 0) {
    throw badInput(SharedReason.INVALID_CURSOR, "{field}: not a cursor this server handed out for these arguments", field, { field });
  }
  return { sort, id };
}

export function pageSize(first: number | undefined | null, field: "first" | "last" = "first"): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badInput(SharedReason.INVALID_PAGE_SIZE, "{field}: must be between 1 and {max}", field, { field, max: MAX_PAGE_SIZE });
  }
  return n;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  cursorOf: (item: T) => string;
}

/** A page with nothing on it (a filter that cannot match, say). */
export function emptyPage<T>(): Page<T> {
  return { items: [], hasNextPage: false, hasPreviousPage: false, cursorOf: () => "" };
}

/**
 * The page from `limit + 1` rows read in order: the extra row only says that a next page exists.
 * `sortOf` gives the sort key a cursor carries (epoch milliseconds or a position).
 */
export function toPage<T extends { id: string }>(rows: T[], limit: number, hasPrevious: boolean, sortOf: (r: T) => number, scope = ""): Page<T> {
  return {
    items: rows.slice(0, limit),
    hasNextPage: rows.length > limit,
    hasPreviousPage: hasPrevious,
    cursorOf: (r) => encodeCursor({ sort: sortOf(r), id: r.id }, scope),
  };
}

/** The paging arguments of a connection, as the client sent them (Relay cursor connections). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One page asked of a connection: `limit` rows from `cursor` on, forward (`first`/`after`) or backward
 * (`last`/`before`, the rows just before the cursor, or the last rows of the list without one).
 */
export interface PageRequest {
  limit: number;
  cursor: CursorKey | null;
  backward: boolean;
}

/**
 * Parses a connection's paging arguments with the Relay rules. One direction a page: `first`/`after`
 * with `last`/`before` is refused (CONFLICTING_PAGE_ARGUMENTS) rather than combined, since a page
 * bounded from both ends reads no faster and no client of ours needs it. `last` is bounded like
 * `first`, and a `before` cursor is scoped like an `after` one.
 */
export function pageRequest(args: PageArgs, scope = ""): PageRequest {
  const forward = args.first != null || args.after != null;
  const backward = args.last != null || args.before != null;
  if (forward && backward) {
    const field = args.last != null ? "last" : "before";
    throw badInput(SharedReason.CONFLICTING_PAGE_ARGUMENTS, "{field}: page forward (first/after) or backward (last/before), not both", field, { field });
  }
  if (backward) {
    return { limit: pageSize(args.last, "last"), cursor: args.before ? decodeCursor(args.before, "before", scope) : null, backward: true };
  }
  return { limit: pageSize(args.first), cursor: args.after ? decodeCursor(args.after, "after", scope) : null, backward: false };
}

/**
 * The page from `limit + 1` rows read in the request's direction (reversed for a backward page): the
 * extra row only says that more rows lie that way. Per the Relay spec, a forward page has a previous
 * page when it started after a cursor, and a backward page a next page when it ended before one.
 */
export function pageOf<T extends { id: string }>(rows: T[], req: PageRequest, sortOf: (r: T) => number, scope = ""): Page<T> {
  const more = rows.length > req.limit;
  const items = rows.slice(0, req.limit);
  if (req.backward) items.reverse();
  return {
    items,
    hasNextPage: req.backward ? req.cursor !== null : more,
    hasPreviousPage: req.backward ? more : req.cursor !== null,
    cursorOf: (r) => encodeCursor({ sort: sortOf(r), id: r.id }, scope),
  };
}
