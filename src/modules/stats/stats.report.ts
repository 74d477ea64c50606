import { hidden, type Figure } from "./stats.suppression.js";
import type { Tariffs } from "./stats.tariffs.js";

export interface StatsCell {
  month: string;
  neighbourhoodId: string;
  /** False while the month runs (or lies ahead): then every figure is withheld. */
  closed: boolean;
  requests: Figure;
  requestsByCategory: { categoryId: string; requests: Figure }[];
  matchedByVolunteers: Figure;
  medianHoursToMatch: Figure;
  escalations: { trigger: string; outcome: string | null; cases: Figure }[];
  initiativeFillRate: Figure;
  participationUtilisation: Figure;
  activeVolunteers: Figure;
  mantelzorgersSupported: Figure;
}

export interface StatsReport {
  from: string;
  to: string;
  months: string[];
  neighbourhoodIds: string[];
  suppressionThreshold: number;
  generatedAt: Date;
  cells: StatsCell[];
}

export interface StatsQuery {
  from?: string | null;
  to?: string | null;
  areaId?: string | null;
  neighbourhoodIds?: string[] | null;
}

export interface StatsSettings {
  /** No longer used: reports are read from the cells kept as they happen (StatsCells), never from a cache. */
  cacheSeconds?: number;
  /** The council report's tariffs (default: EXAMPLE_TARIFFS, which say they are examples). */
  tariffs?: Tariffs;
}

/** The figures of a month that has not ended: all withheld, every category listed. */
export function withheld(categoryIds: string[]): Omit<StatsCell, "month" | "neighbourhoodId" | "closed"> {
  return {
    requests: hidden,
    requestsByCategory: categoryIds.map((categoryId) => ({ categoryId, requests: hidden })),
    matchedByVolunteers: hidden,
    medianHoursToMatch: hidden,
    escalations: [],
    initiativeFillRate: hidden,
    participationUtilisation: hidden,
    activeVolunteers: hidden,
    mantelzorgersSupported: hidden,
  };
}
