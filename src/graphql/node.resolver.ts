import { Arg, Ctx, Extensions, ID, Query, Resolver } from "type-graphql";
import { badInput } from "../shared/errors.js";
import { typeOfId } from "../shared/ids.js";
import { Node } from "./relay.js";
import type { Context } from "./context.js";
import { GraphQLReason } from "./graphql.errors.js";
import { FieldCost } from "./cost.js";

const MAX_NODES = 100;

/**
 * Loads one node type's object by its global id, with the viewer's rights: null when it does not
 * exist or is not visible. Each module gives one per node type it owns (`nodes` in its module file).
 */
export type NodeLoader = (ctx: Context, id: string) => Node | null | undefined | Promise<Node | null | undefined>;

/** Relay object identification: any entity by its global id, with the viewer's rights. */
@Resolver()
export class NodeResolver {
  private readonly loaders: ReadonlyMap<string, NodeLoader>;

  /** `loaders`: per node type name (as `typeOfId` gives it), how to load one. */
  constructor(loaders: Readonly<Record<string, NodeLoader>>) {
    this.loaders = new Map(Object.entries(loaders));
  }

  @Extensions({ cost: FieldCost.READ })
  @Query(() => Node, { nullable: true, description: "Any object by its id; null when it does not exist or is not visible to you." })
  node(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "A global id." }) id: string): Promise<Node | null> {
    return this.load(ctx, id);
  }

  @Extensions({ maxItems: 100, itemsFrom: "ids", itemCost: 2 * FieldCost.READ }) // each id read on its own, with its access check
  @Query(() => [Node], { nullable: "items", description: "Several objects by id (at most 100), in the order asked; null for each one not visible." })
  async nodes(@Ctx() ctx: Context, @Arg("ids", () => [ID], { description: "Global ids." }) ids: string[]): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODES) {
      throw badInput(GraphQLReason.TOO_MANY_IDS, "ids: at most {max} at once", "ids", { max: MAX_NODES });
    }
    return Promise.all(ids.map((id) => this.load(ctx, id)));
  }

  private async load(ctx: Context, id: string): Promise<Node | null> {
    const type = typeOfId(id);
    const loader = type ? this.loaders.get(type) : undefined;
    return loader ? ((await loader(ctx, id)) ?? null) : null;
  }
}
