import { badInput, notFound } from "../../shared/errors.js";
import type { AreaRow, CategoryRow, NeighbourhoodRow, PlaceRepository, TeamRow } from "./place.repository.js";

/**
 * Areas, neighbourhoods, categories and teams change rarely and are read on every request, so the
 * service keeps them in memory and reloads after a change. Everything here is public.
 */
export class PlaceService {
  private areas = new Map<string, AreaRow>();
  private neighbourhoods = new Map<string, NeighbourhoodRow>();
  private categories = new Map<string, CategoryRow>();
  private teams = new Map<string, TeamRow>();

  private lastReload = 0;

  constructor(private readonly repo: PlaceRepository) {}

  /**
   * Another instance may have added places since this one loaded them: on a miss, reload (at most
   * every few seconds) before concluding that an id is unknown.
   */
  async refreshIfStale(): Promise<void> {
    if (Date.now() - this.lastReload > 5_000) await this.reload();
  }

  async reload(): Promise<void> {
    this.lastReload = Date.now();
    const all = await this.repo.loadAll();
    this.areas = new Map(all.areas.map((r) => [r.id, r]));
    this.neighbourhoods = new Map(all.neighbourhoods.map((r) => [r.id, r]));
    this.categories = new Map(all.categories.map((r) => [r.id, r]));
    this.teams = new Map(all.teams.map((r) => [r.id, r]));
  }

  async addReferenceData(data: Parameters<PlaceRepository["insertReferenceData"]>[0]): Promise<void> {
    await this.repo.insertReferenceData(data);
    await this.reload();
  }

  listAreas(): AreaRow[] {
    return [...this.areas.values()];
  }
  listNeighbourhoods(areaId?: string | null): NeighbourhoodRow[] {
    const all = [...this.neighbourhoods.values()];
    return areaId ? all.filter((n) => n.areaId === areaId) : all;
  }
  listCategories(): CategoryRow[] {
    return [...this.categories.values()];
  }
  listTeams(areaId?: string | null): TeamRow[] {
    const all = [...this.teams.values()];
    return areaId ? all.filter((t) => t.areaId === areaId) : all;
  }

  area(id: string): AreaRow | undefined {
    return this.areas.get(id);
  }
  neighbourhood(id: string): NeighbourhoodRow | undefined {
    return this.neighbourhoods.get(id);
  }
  category(id: string): CategoryRow | undefined {
    return this.categories.get(id);
  }
  team(id: string): TeamRow | undefined {
    return this.teams.get(id);
  }
  categoryByCode(code: string): CategoryRow | undefined {
    for (const c of this.categories.values()) if (c.code === code) return c;
    return undefined;
  }

  /** Throws BAD_USER_INPUT naming `field` when the neighbourhood does not exist (after a reload). */
  async requireNeighbourhood(id: string, field: string): Promise<NeighbourhoodRow> {
    if (!this.neighbourhoods.has(id)) await this.refreshIfStale();
    const n = this.neighbourhoods.get(id);
    if (!n) throw badInput("UNKNOWN_NEIGHBOURHOOD", `${field}: no neighbourhood has this id`, field);
    return n;
  }
  async requireCategory(id: string, field: string): Promise<CategoryRow> {
    if (!this.categories.has(id)) await this.refreshIfStale();
    const c = this.categories.get(id);
    if (!c) throw badInput("UNKNOWN_CATEGORY", `${field}: no help category has this id`, field);
    return c;
  }
  getNeighbourhood(id: string): NeighbourhoodRow {
    const n = this.neighbourhoods.get(id);
    if (!n) throw notFound("NEIGHBOURHOOD_NOT_FOUND", "No neighbourhood has this id.");
    return n;
  }
}
