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
  return shape === "{}" ? connection : `${connection}.${createHash("sha256").update(shape).digest("base64url").slice(0, 10)}`;
}

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
    throw badInput(SharedReason.INVALID_CURSOR, `${field}: not a cursor this server handed out for these arguments`, field);
  }
  return { sort, id };
}

export function pageSize(first: number | undefined | null): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badInput(SharedReason.INVALID_PAGE_SIZE, `first: must be between 1 and ${MAX_PAGE_SIZE}`, "first");
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
