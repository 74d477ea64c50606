import { Arg, Ctx, Extensions, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import { HelpRequest } from "../help-requests/help-request.type.js";
import type { PersonRow } from "../people/person.repository.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { InitiativeService } from "./initiative.service.js";
import { type SuggestionAsk, checkSuggestionPage } from "./initiative.suggestions.js";
import { Initiative } from "./initiative.type.js";
import type { OrganisationService } from "./organisation.service.js";
import { Organisation } from "./organisation.type.js";
import { FieldCost } from "../../graphql/cost.js";

/** What the initiatives module adds to a help request: fitting initiatives nearby, and the organisation that took it on. */
@Resolver(() => HelpRequest)
export class HelpRequestInitiativesResolver {
  constructor(
    private readonly initiatives: InitiativeService,
    private readonly organisations: OrganisationService,
  ) {}

  @Extensions({ maxItems: 20, defaultItems: 5, cost: FieldCost.SEARCH })
  @FieldResolver(() => [Initiative], {
    description:
      "Suggestions: public initiatives in the request's category, in the request's or the person's neighbourhood or one nearby (by centroid), that welcome the person's age; closest first, then soonest.",
  })
  async suggestedInitiatives(
    @Ctx() ctx: Context,
    @Root() r: HelpRequestRow,
    @Arg("first", () => Int, { nullable: true, description: "At most this many, 1-20 (default 5)." }) first?: number | null,
  ): Promise<Initiative[]> {
    checkSuggestionPage(first ?? 5); // before batching, so that only this field fails
    // Batched: a page of requests is searched once (suggestionsForMany), not once per request.
    const suggestions = ctx.loaders.of<InitiativeRow[]>("suggestedInitiatives", async (keys) => {
      const asks = keys.map((k) => JSON.parse(k) as { request: SuggestionAsk["request"]; first: number });
      const people = await ctx.loaders.personById.loadMany(asks.map((a) => a.request.personHelpedId));
      return this.initiatives.suggestionsForMany(asks.map((a, i) => ({ ...a, person: people[i] instanceof Error ? undefined : (people[i] as PersonRow | undefined) })));
    });
    const request = { neighbourhoodId: r.neighbourhoodId, personHelpedId: r.personHelpedId, categoryId: r.categoryId };
    return (await suggestions.load(JSON.stringify({ request, first: first ?? 5 }))) ?? [];
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation it was asked for (e.g. a wijkwinkel), whose organisers share it; null otherwise." })
  async askedFor(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<Organisation | null> {
    if (!r.askingOrganisationId) return null;
    return this.organisations.findVisible(ctx.viewer, r.askingOrganisationId);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation that took this request on for one of its volunteers; null otherwise." })
  async takenOnBy(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<Organisation | null> {
    if (!r.organisationId) return null;
    return this.organisations.findVisible(ctx.viewer, r.organisationId);
  }
}
