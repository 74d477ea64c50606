import { badInput } from "../../shared/errors.js";
import type { Page } from "../../shared/pagination.js";
import { ageOn } from "../../shared/validation.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { PersonRow } from "../people/person.repository.js";
import type { NeighbourhoodRow } from "../places/place.repository.js";
import type { DiscoverQuery } from "./initiative-discovery.repository.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { DEFAULT_NEARBY_KM, distanceKm, withNearby } from "./initiative.nearby.js";

/** A help request asking for suggestions (see InitiativeService.suggestionsFor). */
export interface SuggestionAsk {
  request: Pick<HelpRequestRow, "neighbourhoodId" | "personHelpedId" | "categoryId">;
  first: number;
  person?: PersonRow;
}

/** How many suggestions may be asked for: 1-20 (INVALID_PAGE_SIZE otherwise). */
export function checkSuggestionPage(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 20) throw badInput(R.INVALID_PAGE_SIZE, "first: must be between 1 and 20", "first");
}

/** The soonest fitting initiatives a request's suggestions are picked from (the closest of them). */
const SUGGESTION_POOL = 50;
/** The most initiatives one search for a page of requests reads before requests search on their own. */
const SUGGESTION_BATCH = 1000;

/** The neighbourhoods suggestions are measured against: all of them, and one by id. */
export interface SuggestionPlaces {
  listNeighbourhoods(): NeighbourhoodRow[];
  neighbourhood(id: string): NeighbourhoodRow | undefined;
}

/**
 * Initiatives that fit help requests, as suggestions: the request's category, in the request's or the
 * person's neighbourhood or one nearby (by centroid), welcoming the person's age; closest first, then
 * soonest; participation places left out (they need a professional's referral). A page of requests is
 * searched once (`discover`): the initiatives that could fit any of them, soonest first, from which
 * each request takes what its own search would have returned (the first SUGGESTION_POOL that fit it,
 * the closest `first` of those).
 */
export async function suggestInitiatives(
  asks: readonly SuggestionAsk[],
  now: Date,
  places: SuggestionPlaces,
  discover: (q: DiscoverQuery) => Promise<Page<InitiativeRow>>,
): Promise<InitiativeRow[][]> {
  for (const { first } of asks) checkSuggestionPage(first);
  const all = places.listNeighbourhoods();
  const wanted = asks.map(({ request, first, person }) => {
    const home = [request.neighbourhoodId, person?.neighbourhoodId].filter((id): id is string => Boolean(id));
    return {
      first,
      home,
      neighbourhoodIds: new Set(withNearby(all, home, DEFAULT_NEARBY_KM)),
      categoryId: request.categoryId,
      age: person?.birthDate ? ageOn(person.birthDate, now) : null,
    };
  });
  const search = (neighbourhoodIds: string[], categoryIds: string[], age: number | null, limit: number) =>
    discover({
      now,
      neighbourhoodIds,
      kinds: null,
      excludeKinds: ["PARTICIPATION_PLACE"],
      categoryIds,
      organisationId: null,
      from: null,
      to: null,
      age,
      languages: null,
      terms: [],
      hasPlacesLeft: false,
      order: "SOONEST",
      page: { limit, cursor: null, backward: false },
    });
  const union = <T>(lists: Iterable<T>[]) => [...new Set(lists.flatMap((l) => [...l]))];
  const categories = union(wanted.map((w) => (w.categoryId ? [w.categoryId] : [])));
  const candidates = await search(
    union(wanted.map((w) => w.neighbourhoodIds)),
    categories,
    wanted.length === 1 ? wanted[0].age : null,
    wanted.length === 1 ? SUGGESTION_POOL : SUGGESTION_BATCH,
  );
  const fits = (w: (typeof wanted)[number], r: InitiativeRow) =>
    w.categoryId !== null &&
    r.categoryIds.includes(w.categoryId) &&
    w.neighbourhoodIds.has(r.neighbourhoodId) &&
    (w.age === null || ((r.minAge === null || r.minAge <= w.age) && (r.maxAge === null || r.maxAge >= w.age)));
  return Promise.all(
    wanted.map(async (w) => {
      // The shared search is in the same (soonest) order as each request's own; when it was cut
      // short, a request whose pool it does not fill searches on its own.
      let pool = candidates.items.filter((r) => fits(w, r)).slice(0, SUGGESTION_POOL);
      if (candidates.hasNextPage && pool.length < SUGGESTION_POOL) {
        pool = w.categoryId ? (await search([...w.neighbourhoodIds], [w.categoryId], w.age, SUGGESTION_POOL)).items : [];
      }
      const centres = all.filter((n) => w.home.includes(n.id));
      const distance = (r: InitiativeRow) => {
        const n = places.neighbourhood(r.neighbourhoodId);
        return n ? Math.min(...centres.map((c) => distanceKm(c, n))) : Infinity;
      };
      return pool
        .map((r, i) => ({ r, i, d: distance(r) }))
        .sort((a, b) => a.d - b.d || a.i - b.i)
        .slice(0, w.first)
        .map((x) => x.r);
    }),
  );
}
