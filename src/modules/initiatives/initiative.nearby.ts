import type { NeighbourhoodRow } from "../places/place.repository.js";

/**
 * "Nearby" is computed from each neighbourhood's centroid (public map data, in the seed), never from
 * hand-made lists: two neighbourhoods are neighbours when their centroids lie within a radius.
 */
export const DEFAULT_NEARBY_KM = 1.75;
export const MAX_NEARBY_KM = 10;

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance between two centroids, in kilometres. */
export function distanceKm(a: Pick<NeighbourhoodRow, "latitude" | "longitude">, b: Pick<NeighbourhoodRow, "latitude" | "longitude">): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The given neighbourhoods plus every neighbourhood whose centroid lies within `km` of one of them. */
export function withNearby(all: NeighbourhoodRow[], ids: string[], km: number): string[] {
  const centres = all.filter((n) => ids.includes(n.id));
  const out = new Set(ids);
  for (const n of all) if (centres.some((c) => distanceKm(c, n) <= km)) out.add(n.id);
  return [...out];
}
