import { badInput } from "../../shared/errors.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { parseInput, text } from "../../shared/validation.js";
import type { NeighbourhoodRow } from "../places/place.repository.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import type { DiscoverQuery, InitiativeOrderKey } from "./initiative-discovery.repository.js";
import { DEFAULT_NEARBY_KM, MAX_NEARBY_KM, withNearby } from "./initiative.nearby.js";
import { searchTerms } from "./initiative.search.js";
import type { InitiativeKind } from "./initiative.tables.js";
import { language } from "./initiative.validation.js";

/** What public discovery may ask for (the `initiatives` query's filter). */
export interface DiscoverFilter {
  neighbourhoodIds?: string[] | null;
  includeNearby?: boolean | null;
  nearbyKm?: number | null;
  kinds?: InitiativeKind[] | null;
  categoryIds?: string[] | null;
  organisationId?: string | null;
  from?: Date | null;
  to?: Date | null;
  age?: number | null;
  languages?: string[] | null;
  text?: string | null;
  hasPlacesLeft?: boolean | null;
}

/** The places a filter names, checked against the reference data. */
export interface FilterPlaces {
  requireNeighbourhood(id: string, field: string): Promise<unknown>;
  requireCategory(id: string, field: string): Promise<unknown>;
  listNeighbourhoods(): NeighbourhoodRow[];
}

/**
 * A discovery filter checked (known neighbourhoods and categories, a nearby radius, an age, a period,
 * language codes, a text with at least one word) and turned into the repository's query, with the
 * order (RELEVANCE for a text search, else SOONEST, unless asked) and the page asked (its cursor of the scope).
 */
export async function discoveryQuery(filter: DiscoverFilter, order: InitiativeOrderKey | null, args: PageArgs, now: Date, places: FilterPlaces): Promise<DiscoverQuery> {
  let neighbourhoodIds: string[] | null = null;
  if (filter.neighbourhoodIds) {
    for (const [i, id] of filter.neighbourhoodIds.entries()) await places.requireNeighbourhood(id, `filter.neighbourhoodIds.${i}`);
    neighbourhoodIds = [...new Set(filter.neighbourhoodIds)];
    if (filter.includeNearby) {
      const km = filter.nearbyKm ?? DEFAULT_NEARBY_KM;
      if (!(km >= 0.1 && km <= MAX_NEARBY_KM)) {
        throw badInput(R.INVALID_INPUT, "filter.nearbyKm: must be between 0.1 and {max}", "filter.nearbyKm", { max: MAX_NEARBY_KM });
      }
      neighbourhoodIds = withNearby(places.listNeighbourhoods(), neighbourhoodIds, km);
    }
  }
  if (filter.categoryIds) {
    for (const [i, id] of filter.categoryIds.entries()) await places.requireCategory(id, `filter.categoryIds.${i}`);
  }
  if (filter.age != null && !(Number.isInteger(filter.age) && filter.age >= 0 && filter.age <= 120)) {
    throw badInput(R.INVALID_INPUT, "filter.age: must be 0-120", "filter.age");
  }
  if (filter.from && filter.to && filter.to.getTime() < filter.from.getTime()) {
    throw badInput(R.INVALID_PERIOD, "filter.to: must not be before filter.from", "filter.to");
  }
  const languages = filter.languages ? filter.languages.map((l, i) => parseInput(language, l, `filter.languages.${i}`)) : null;
  let terms: string[] = [];
  if (filter.text != null) {
    const query = parseInput(text(0, 200), filter.text, "filter.text");
    terms = searchTerms(query);
    if (query !== "" && terms.length === 0) {
      throw badInput(R.INVALID_SEARCH, "filter.text: give at least one word of two or more letters or digits", "filter.text");
    }
  }
  const effectiveOrder = order ?? (terms.length ? "RELEVANCE" : "SOONEST");
  const scope = cursorScope(`Initiative.discover.${effectiveOrder}`, { ...filter });
  const page = pageRequest(args, scope);
  return {
    now,
    neighbourhoodIds,
    kinds: filter.kinds ?? null,
    excludeKinds: null,
    categoryIds: filter.categoryIds ?? null,
    organisationId: filter.organisationId ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    age: filter.age ?? null,
    languages,
    terms,
    hasPlacesLeft: filter.hasPlacesLeft ?? false,
    order: effectiveOrder,
    page,
    cursorScope: scope,
  };
}
