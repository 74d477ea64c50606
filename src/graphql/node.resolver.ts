import { Arg, Ctx, Extensions, ID, Query, Resolver } from "type-graphql";
import { badInput } from "../shared/errors.js";
import { typeOfId } from "../shared/ids.js";
import { Node } from "./relay.js";
import type { Context } from "./context.js";
import { GraphQLReason } from "./graphql.errors.js";
import { FieldCost } from "./cost.js";

const MAX_NODES = 100;

/** Relay object identification: any entity by its global id, with the viewer's rights. */
@Resolver()
export class NodeResolver {
  @Extensions({ cost: FieldCost.READ })
  @Query(() => Node, { nullable: true, description: "Any object by its id; null when it does not exist or is not visible to you." })
  node(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "A global id." }) id: string): Promise<Node | null> {
    return loadNode(ctx, id);
  }

  @Extensions({ maxItems: 100, itemsFrom: "ids", itemCost: 2 * FieldCost.READ }) // each id read on its own, with its access check
  @Query(() => [Node], { nullable: "items", description: "Several objects by id (at most 100), in the order asked; null for each one not visible." })
  async nodes(@Ctx() ctx: Context, @Arg("ids", () => [ID], { description: "Global ids." }) ids: string[]): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODES) {
      throw badInput(GraphQLReason.TOO_MANY_IDS, `ids: at most ${MAX_NODES} at once`, "ids");
    }
    return Promise.all(ids.map((id) => loadNode(ctx, id)));
  }
}

async function loadNode(ctx: Context, id: string): Promise<Node | null> {
  const s = ctx.services;
  const v = ctx.viewer;
  switch (typeOfId(id)) {
    case "Area":
      return (s.places.area(id) as Node) ?? null;
    case "Neighbourhood":
      return (s.places.neighbourhood(id) as Node) ?? null;
    case "HelpCategory":
      return (s.places.category(id) as Node) ?? null;
    case "Team":
      return (s.places.team(id) as Node) ?? null;
    case "HelpRequest":
      return (await s.helpRequests.findVisible(v, id)) as Node | null;
    case "Organisation":
      return (await s.organisations.findVisible(v, id)) as Node | null;
    case "Initiative":
      return (await s.initiatives.findVisible(v, id)) as Node | null;
    case "Signup":
      return (await s.signups.findVisible(v, id)) as Node | null;
    case "Placement":
      return (await s.participation.findVisible(v, id)) as Node | null;
    case "Person": {
      if (v.personId !== id && !v.roles.has("COORDINATOR")) return null;
      const p = await ctx.loaders.personById.load(id);
      return p ? ({ id: p.id, firstName: p.firstName } as Node) : null;
    }
    case "CareCircle":
      return (await s.care.findVisibleCircle(v, id)) as Node | null;
    case "Escalation":
      return (await s.escalation.findVisible(v, id)) as Node | null;
    case "CareShift":
      return (await s.care.findVisibleShift(v, id)) as Node | null;
    case "CareTask":
      return (await s.care.findVisibleTask(v, id)) as Node | null;
    case "CareSwap":
      return (await s.care.findVisibleSwap(v, id)) as Node | null;
    case "HelpRequestEvent":
      return (await s.helpRequests.findVisibleEvent(v, id)) as Node | null;
    case "AccessLogEntry":
      return (await s.accessLog.findVisible(v, id)) as Node | null;
    case "ApiClient":
      return (await s.apiClients.findVisibleClient(v, id)) as Node | null;
    case "ApiKey":
      return (await s.apiClients.findVisibleKey(v, id)) as Node | null;
    case "PersistedOperation":
      return (await s.apiClients.findVisibleOperation(v, id)) as Node | null;
    default:
      return null;
  }
}
