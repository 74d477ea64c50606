import { Arg, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { notFound } from "../../shared/errors.js";
import type { PlaceService } from "./place.service.js";
import { Area, HelpCategory, Neighbourhood, Team } from "./place.types.js";

/** Public reference data: no token needed. */
@Resolver(() => Area)
export class AreaResolver {
  constructor(private readonly places: PlaceService) {}

  @Query(() => [Area], { description: "Areas (gebieden) of the municipalities served." })
  areas(): Area[] {
    return this.places.listAreas() as Area[];
  }

  @FieldResolver(() => [Neighbourhood], { description: "Neighbourhoods in this area." })
  neighbourhoods(@Root() area: Area): Neighbourhood[] {
    return this.places.listNeighbourhoods(area.id) as Neighbourhood[];
  }

  @FieldResolver(() => [Team], { description: "Professional teams of this area." })
  teams(@Root() area: Area): Team[] {
    return this.places.listTeams(area.id) as Team[];
  }
}

@Resolver(() => Neighbourhood)
export class NeighbourhoodResolver {
  constructor(private readonly places: PlaceService) {}

  @Query(() => [Neighbourhood], { description: "Neighbourhoods (wijken), optionally of one area." })
  neighbourhoods(
    @Arg("areaId", () => ID, { nullable: true, description: "Only neighbourhoods of this area." }) areaId?: string | null,
  ): Neighbourhood[] {
    if (areaId && !this.places.area(areaId)) throw notFound("AREA_NOT_FOUND", "No area has this id.");
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

  @Query(() => [HelpCategory], { description: "Kinds of help that can be asked." })
  helpCategories(): HelpCategory[] {
    return this.places.listCategories() as HelpCategory[];
  }
}

@Resolver(() => Team)
export class TeamResolver {
  constructor(private readonly places: PlaceService) {}

  @Query(() => [Team], { description: "Professional teams (sociale wijkteams and jeugdteams), optionally of one area." })
  teams(@Arg("areaId", () => ID, { nullable: true, description: "Only teams of this area." }) areaId?: string | null): Team[] {
    return this.places.listTeams(areaId) as Team[];
  }

  @FieldResolver(() => Area, { description: "The area this team serves." })
  area(@Root() t: Team): Area {
    return this.places.area(t.areaId) as Area;
  }

  @FieldResolver(() => [Neighbourhood], { description: "Neighbourhoods this team serves." })
  neighbourhoods(@Root() t: Team): Neighbourhood[] {
    return this.places.listNeighbourhoods(t.areaId) as Neighbourhood[];
  }
}
