import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { PlaceService } from "../places/place.service.js";
import type { Neighbourhood } from "../places/place.types.js";
import type { HelpOfferRow } from "./help-request.choice.repository.js";
import type { HelpOfferView, HelpRequestChoiceService } from "./help-request.choice.service.js";
import { MAX_OFFERS_SHOWN } from "./help-request.choice.repository.js";
import { HelpOffer } from "./help-request.choice.type.js";
import type { HelpRequestRow } from "./help-request.repository.js";
import { HelpRequest } from "./help-request.type.js";

/** What a volunteer whose offer was not chosen reads. */
const RELEASED_NOTICE = "Thank you for offering to help. Someone else was chosen this time; your help is just as welcome with the next request.";

/** The requester's choice: offers to help on a request in choice mode, and picking one. */
@Resolver(() => HelpRequest)
export class HelpRequestChoiceResolver {
  constructor(
    private readonly choice: HelpRequestChoiceService,
    private readonly places: PlaceService,
  ) {}

  private toApi(o: HelpOfferRow | HelpOfferView): HelpOffer {
    const volunteer =
      "volunteer" in o
        ? { ...o.volunteer, neighbourhoods: o.volunteer.neighbourhoodIds.map((id) => this.places.neighbourhood(id)).filter((n) => n !== undefined) as Neighbourhood[] }
        : null;
    return { ...o, notice: o.status === "RELEASED" ? RELEASED_NOTICE : null, volunteer };
  }

  @Mutation(() => HelpOffer, {
    description: "Volunteer: offers to help with an OPEN request in choice mode, with a short note (1-500 characters) for the requester. Offering again replaces the note.",
  })
  async offerToHelp(
    @Ctx() ctx: Context,
    @Arg("helpRequestId", () => ID, { description: "The request." }) helpRequestId: string,
    @Arg("note", () => String, { description: "A short note to the requester: who you are, when you can." }) note: string,
  ): Promise<HelpOffer> {
    return this.toApi(await this.choice.offer(ctx.viewer, helpRequestId, note));
  }

  @Mutation(() => HelpOffer, { description: "Volunteer: takes your offer back while the requester has not chosen yet." })
  async withdrawHelpOffer(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Your offer." }) id: string): Promise<HelpOffer> {
    return this.toApi(await this.choice.withdraw(ctx.viewer, id));
  }

  @Mutation(() => HelpRequest, {
    description:
      "Whoever asked (or the person helped): picks an offer. The request becomes MATCHED with that volunteer, contact is shared both ways, and the other offers are released. CONFLICT when another pick was first.",
  })
  async pickHelpOffer(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The offer." }) id: string): Promise<HelpRequest> {
    return this.choice.pick(ctx.viewer, id);
  }

  @Extensions({ maxItems: MAX_OFFERS_SHOWN })
  @Query(() => [HelpOffer], { description: "Volunteer: your offers to help, newest first (the last 50); an offer not chosen carries a kind `notice`." })
  async myHelpOffers(@Ctx() ctx: Context): Promise<HelpOffer[]> {
    return (await this.choice.mine(ctx.viewer)).map((o) => this.toApi(o));
  }

  @Extensions({ maxItems: MAX_OFFERS_SHOWN })
  @FieldResolver(() => [HelpOffer], {
    description:
      "Choice mode, for whoever asked and the person helped: the open offers (the first 50) while the request is OPEN, then the one picked. Empty for anyone else. Each read of a volunteer's details is logged.",
  })
  async offersToHelp(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpOffer[]> {
    return (await this.choice.offersOn(ctx.viewer, r)).map((o) => this.toApi(o));
  }

  @FieldResolver(() => HelpOffer, { nullable: true, description: "Choice mode, for a volunteer: your own offer on this request, if you made one." })
  async myHelpOffer(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<HelpOffer | null> {
    const mine = await this.choice.myOffer(ctx.viewer, r);
    return mine ? this.toApi(mine) : null;
  }
}
