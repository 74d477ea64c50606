import { Arg, Ctx, Extensions, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { notFound } from "../../shared/errors.js";
import { PlaceReason } from "./place.errors.js";
import type { PlaceService } from "./place.service.js";
import { Area, HelpCategory, Neighbourhood, Team, TeamKind } from "./place.types.js";

/** Public reference data: no token needed. */
@Resolver(() => Area)
export class AreaResolver {
  constructor(private readonly places: PlaceService) {}

  @Extensions({ maxItems: 50 })
  @Query(() => [Area], { description: "Areas (gebieden) of the municipalities served." })
  areas(): Area[] {
    return this.places.listAreas() as Area[];
  }

  @Mutation(() => Area, { description: "Coordinator: adds an area of a municipality." })
  async createArea(
    @Ctx() ctx: Context,
    @Arg("municipality", () => String, { description: "Municipality, e.g. Zaanstad." }) municipality: string,
    @Arg("name", () => String, { description: "Name of the area." }) name: string,
  ): Promise<Area> {
    return (await this.places.createArea(ctx.viewer, municipality, name)) as Area;
  }

  @Mutation(() => Neighbourhood, { description: "Coordinator: adds a neighbourhood with its centroid to an area." })
  async createNeighbourhood(
    @Ctx() ctx: Context,
    @Arg("areaId", () => ID, { description: "The area." }) areaId: string,
    @Arg("name", () => String, { description: "Name of the neighbourhood." }) name: string,
    @Arg("latitude", () => Float, { description: "Centroid latitude (WGS84)." }) latitude: number,
    @Arg("longitude", () => Float, { description: "Centroid longitude (WGS84)." }) longitude: number,
  ): Promise<Neighbourhood> {
    return (await this.places.createNeighbourhood(ctx.viewer, { areaId, name, latitude, longitude })) as Neighbourhood;
  }

  @Mutation(() => Team, { description: "Coordinator: adds a sociaal wijkteam or jeugdteam to an area." })
  async createTeam(
    @Ctx() ctx: Context,
    @Arg("areaId", () => ID, { description: "The area it serves." }) areaId: string,
    @Arg("kind", () => TeamKind, { description: "Social or youth team." }) kind: TeamKind,
    @Arg("name", () => String, { description: "Name of the team." }) name: string,
  ): Promise<Team> {
    return (await this.places.createTeam(ctx.viewer, areaId, kind, name)) as Team;
  }

  @Extensions({ maxItems: 50 })
  @FieldResolver(() => [Neighbourhood], { description: "Neighbourhoods in this area." })
  neighbourhoods(@Root() area: Area): Neighbourhood[] {
    return this.places.listNeighbourhoods(area.id) as Neighbourhood[];
  }

  @Extensions({ maxItems: 2 })
  @FieldResolver(() => [Team], { description: "Professional teams of this area." })
  teams(@Root() area: Area): Team[] {
    return this.places.listTeams(area.id) as Team[];
  }
}

@Resolver(() => Neighbourhood)
export class NeighbourhoodResolver {
  constructor(private readonly places: PlaceService) {}

  @Extensions({ maxItems: 500 })
  @Query(() => [Neighbourhood], { description: "Neighbourhoods (wijken), optionally of one area." })
  neighbourhoods(@Arg("areaId", () => ID, { nullable: true, description: "Only neighbourhoods of this area." }) areaId?: string | null): Neighbourhood[] {
    if (areaId && !this.places.area(areaId)) throw notFound(PlaceReason.AREA_NOT_FOUND, "No area has this id.");
    return this.places.listNeighbourhoods(areaId) as Neighbourhood[];
  }

  @FieldResolver(() => Area, { description: "The area this neighbourhood belongs to." })
  area(@Root() n: Neighbourhood): Area {
    return this.places.area(n.areaId) as Area;
  }
}

@Resolver(() => HelpCategory)
export class HelpCategoryResolver {
  constructor(private readonly places: PlaceService) {}

  @Extensions({ maxItems: 20 })
  @Query(() => [HelpCategory], { description: "Kinds of help that can be asked." })
  helpCategories(): HelpCategory[] {
    return this.places.listCategories() as HelpCategory[];
  }

  @Mutation(() => HelpCategory, {
    description:
      "Coordinator only: whether requests asked in this category from now on need a volunteer with a verified VOG. Requests already asked keep their rule; helping a minor always needs one.",
  })
  async setHelpCategoryVogRequired(
    @Ctx() ctx: Context,
    @Arg("categoryId", () => ID, { description: "The help category." }) categoryId: string,
    @Arg("vogRequired", () => Boolean, { description: "True: a verified VOG is needed." }) vogRequired: boolean,
  ): Promise<HelpCategory> {
    return (await this.places.setCategoryVogRequired(ctx.viewer, categoryId, vogRequired)) as HelpCategory;
  }

  @FieldResolver(() => String, { description: "The name in the request's language (Accept-Language; Content-Language says which): nameNl or name." })
  label(@Root() category: HelpCategory, @Ctx() ctx: Context): string {
    return ctx.language === "nl" ? category.nameNl : category.name;
  }
}

@Resolver(() => Team)
export class TeamResolver {
  constructor(private readonly places: PlaceService) {}

  @Extensions({ maxItems: 100 })
  @Query(() => [Team], { description: "Professional teams (sociale wijkteams and jeugdteams), optionally of one area." })
  teams(@Arg("areaId", () => ID, { nullable: true, description: "Only teams of this area." }) areaId?: string | null): Team[] {
    return this.places.listTeams(areaId) as Team[];
  }

  @FieldResolver(() => Area, { description: "The area this team serves." })
  area(@Root() t: Team): Area {
    return this.places.area(t.areaId) as Area;
  }

  @Extensions({ maxItems: 50 })
  @FieldResolver(() => [Neighbourhood], { description: "Neighbourhoods this team serves." })
  neighbourhoods(@Root() t: Team): Neighbourhood[] {
    return this.places.listNeighbourhoods(t.areaId) as Neighbourhood[];
  }
}
