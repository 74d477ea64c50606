import type { InitiativeKind } from "./initiative.tables.js";

/**
 * Text search that works the same on SQLite and PostgreSQL: every initiative keeps a lower-cased,
 * accent-free copy of its text, which each engine indexes for full-text search; a query is cut into
 * words, each of which must start a word of that copy, and matches are ranked by the engine
 * (initiative-text-search.repository.ts).
 */
export const MAX_SEARCH_TERMS = 8;

/** Lower case, without accents (é -> e), single spaces. */
export function normaliseText(value: string): string {
  return value
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The words of a query: letters and digits only (so they never contain LIKE wildcards), at least two
 * characters, at most MAX_SEARCH_TERMS, without repeats.
 */
export function searchTerms(query: string): string[] {
  const words = normaliseText(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);
  return [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
}

/** The names an initiative is also found by: its neighbourhood's and its categories' (English and Dutch). */
export interface SearchNames {
  neighbourhood(id: string): { name: string } | undefined;
  category(id: string): { name: string; nameNl: string } | undefined;
}

/**
 * The normalised copies an initiative is searched by: its title (ranked higher), and its title with
 * description, address, neighbourhood, organisation, kind and categories.
 */
export function searchFields(
  kind: InitiativeKind,
  title: string,
  description: string,
  address: string | null,
  neighbourhoodId: string,
  organisationName: string,
  categoryIds: string[],
  names: SearchNames,
): { searchTitle: string; searchText: string } {
  const categories = categoryIds.flatMap((id) => {
    const c = names.category(id);
    return c ? [c.name, c.nameNl] : [];
  });
  const neighbourhood = names.neighbourhood(neighbourhoodId)?.name ?? "";
  return {
    searchTitle: normaliseText(title),
    searchText: normaliseText([title, description, address ?? "", neighbourhood, organisationName, kind.replace(/_/g, " "), ...categories].join(" ")),
  };
}
