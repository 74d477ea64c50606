import { z } from "zod";
import { SharedReason, badInput, forbidden } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { parseInput, text } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { PlaceReason } from "./place.errors.js";
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

  /** Coordinator: a new area of a municipality (any municipality can be served). */
  async createArea(viewer: Viewer, municipality: string, name: string): Promise<AreaRow> {
    this.requireCoordinator(viewer);
    const row = { id: newId("Area"), municipality: parseInput(text(1, 80), municipality, "municipality"), name: parseInput(text(1, 80), name, "name") };
    await this.addReferenceData({ areas: [row], neighbourhoods: [], categories: [], teams: [] });
    return row;
  }

  /** Coordinator: a neighbourhood with its centroid (public map data), in an area. */
  async createNeighbourhood(viewer: Viewer, input: { areaId: string; name: string; latitude: number; longitude: number }): Promise<NeighbourhoodRow> {
    this.requireCoordinator(viewer);
    const data = parseInput(z.object({ areaId: z.string(), name: text(1, 80), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }), input);
    if (!this.areas.get(data.areaId)) throw badInput(PlaceReason.UNKNOWN_AREA, "input.areaId: no area has this id", "input.areaId");
    const row = { id: newId("Neighbourhood"), ...data };
    await this.addReferenceData({ areas: [], neighbourhoods: [row], categories: [], teams: [] });
    return row;
  }

  /** Coordinator: a sociaal wijkteam or jeugdteam for an area (one of each kind per area). */
  async createTeam(viewer: Viewer, areaId: string, kind: "SOCIAL_TEAM" | "YOUTH_TEAM", name: string): Promise<TeamRow> {
    this.requireCoordinator(viewer);
    if (!this.areas.get(areaId)) throw badInput(PlaceReason.UNKNOWN_AREA, "areaId: no area has this id", "areaId");
    if (this.listTeams(areaId).some((t) => t.kind === kind)) {
      throw badInput(PlaceReason.TEAM_EXISTS, "kind: this area has a {kind} already", "kind", { kind });
    }
    const row = { id: newId("Team"), areaId, kind, name: parseInput(text(1, 120), name, "name") };
    await this.addReferenceData({ areas: [], neighbourhoods: [], categories: [], teams: [row] });
    return row;
  }

  /**
   * Coordinator: whether requests in a category need a volunteer with a verified VOG. It applies to
   * requests asked from now on; a request keeps the rule it was asked under (its volunteer may hold it).
   */
  async setCategoryVogRequired(viewer: Viewer, categoryId: string, vogRequired: boolean): Promise<CategoryRow> {
    if (!hasRole(requireViewer(viewer), "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may decide which categories need a VOG.");
    if (!(await this.repo.setCategoryVogRequired(categoryId, vogRequired))) {
      throw badInput(PlaceReason.UNKNOWN_CATEGORY, "{field}: no help category has this id", "categoryId", { field: "categoryId" });
    }
    await this.reload();
    return this.categories.get(categoryId)!;
  }

  /**
   * Whether a new request in the category needs a VOG, read from the database rather than from this
   * instance's copy: a coordinator may have changed the rule through another instance a moment ago.
   */
  async categoryNeedsVog(categoryId: string): Promise<boolean> {
    return (await this.repo.categoryVogRequired(categoryId)) ?? false;
  }

  private requireCoordinator(viewer: Viewer) {
    if (!hasRole(requireViewer(viewer), "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may change areas, neighbourhoods and teams.");
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
    if (!n) throw badInput(PlaceReason.UNKNOWN_NEIGHBOURHOOD, "{field}: no neighbourhood has this id", field, { field });
    return n;
  }
  async requireCategory(id: string, field: string): Promise<CategoryRow> {
    if (!this.categories.has(id)) await this.refreshIfStale();
    const c = this.categories.get(id);
    if (!c) throw badInput(PlaceReason.UNKNOWN_CATEGORY, "{field}: no help category has this id", field, { field });
    return c;
  }
}
