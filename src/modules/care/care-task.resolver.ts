import { FieldResolver, Resolver, Root } from "type-graphql";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory } from "../places/place.types.js";
import type { TaskRow } from "./care.rows.js";
import { CareTask } from "./care.types.js";

@Resolver(() => CareTask)
export class CareTaskResolver {
  constructor(private readonly places: PlaceService) {}

  @FieldResolver(() => HelpCategory, { description: "Help category." })
  category(@Root() t: TaskRow): HelpCategory | undefined {
    return this.places.category(t.categoryId);
  }
}
