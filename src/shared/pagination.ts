import { badInput } from "./errors.js";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A cursor holds the sort key and the id of the last row seen; opaque to clients. */
export interface CursorKey {
  sort: number;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.sort}:${key.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, field = "after"): CursorKey {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const cut = text.indexOf(":");
  const sort = Number(text.slice(0, cut));
  const id = text.slice(cut + 1);
  if (cut <= 0 || !Number.isFinite(sort) || id.length === 0) {
    throw badInput("INVALID_CURSOR", `${field}: not a cursor this server handed out`, field);
  }
  return { sort, id };
}

export function pageSize(first: number | undefined | null): number {
  const n = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw badInput("INVALID_PAGE_SIZE", `first: must be between 1 and ${MAX_PAGE_SIZE}`, "first");
  }
  return n;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  cursorOf: (item: T) => string;
}
