import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import { notFound } from "../../shared/errors.js";
import { Person } from "../people/person.types.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { type SignupChangeRoot, signupStream } from "./initiative.live.js";
import type { InitiativeService } from "./initiative.service.js";
import type { SignupStatus as SignupStatusName } from "./initiative.tables.js";
import { Initiative } from "./initiative.type.js";
import { SignUpInput } from "./signup.input.js";
import type { SignupRow } from "./signup.repository.js";
import type { SignupService } from "./signup.service.js";
import { ParticipantContact, Signup, SignupChange, SignupConnection, SignupStatus } from "./signup.type.js";
import { FieldCost } from "../../graphql/cost.js";

@Resolver(() => Signup)
export class SignupResolver {
  constructor(
    private readonly signups: SignupService,
    private readonly initiatives: InitiativeService,
  ) {}

  @Query(() => SignupConnection, { description: "Your sign-ups, and those you made for others, newest first." })
  async mySignups(
    @Ctx() ctx: Context,
    @Arg("statuses", () => [SignupStatus], { nullable: true, description: "Only these statuses." }) statuses?: SignupStatus[] | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Signup>> {
    const only = (statuses as SignupStatusName[] | null) ?? null;
    const page = await this.signups.mine(ctx.viewer, only, { first, after, last, before });
    return toConnection(
      page,
      (row): Signup => row,
      () => this.signups.countMine(ctx.viewer, only),
    );
  }

  @Mutation(() => Signup, {
    description: "Signs you (or, as wijkwinkel, professional or mantelzorger, someone else) up for an initiative: CONFIRMED while places last, then WAITLISTED in arrival order.",
  })
  async signUpForInitiative(@Ctx() ctx: Context, @Arg("input", () => SignUpInput, { description: "The sign-up." }) input: SignUpInput): Promise<Signup> {
    return this.signups.signUp(ctx.viewer, input);
  }

  @Mutation(() => Signup, { description: "Cancels a sign-up (participant, whoever signed them up, or an organiser); the first one waiting gets the place at once." })
  async cancelSignup(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The sign-up." }) id: string,
    @Arg("reason", () => String, { nullable: true, description: "Why, for the organisers." }) reason?: string | null,
  ): Promise<Signup> {
    return this.signups.cancel(ctx.viewer, id, reason ?? null);
  }

  @Subscription(() => SignupChange, {
    description:
      "Changes to sign-ups you are concerned with: your own (e.g. promoted from the waiting list), those you made, and those of initiatives you organise. Pass the last `cursor` as `since` after a reconnect.",
    subscribe: ({ args, context }) => signupStream(context as Context, args),
  })
  signupChanged(
    @Root() change: SignupChangeRoot,
    @Arg("initiativeId", () => ID, { nullable: true, description: "Only this initiative's sign-ups." }) _id?: string | null,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received: replay what came after it." }) _since?: string | null,
  ): SignupChange {
    return { kind: change.kind, cursor: change.cursor, sequence: change.sequence, signup: change.signup };
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Initiative, { description: "What the sign-up is for." })
  async initiative(@Root() s: SignupRow): Promise<Initiative> {
    const row = await this.initiatives.findRow(s.initiativeId);
    if (!row) throw notFound(R.INITIATIVE_NOT_FOUND, "The initiative no longer exists.");
    return row;
  }

  @FieldResolver(() => Person, { description: "The participant (first name)." })
  participant(@Root() s: SignupRow): Person {
    return { id: s.personId, firstName: s.personFirstName };
  }

  @FieldResolver(() => Boolean, { description: "True when someone else (a wijkwinkel, professional or mantelzorger) made the sign-up." })
  signedUpOnBehalf(@Root() s: SignupRow): boolean {
    return s.signedUpById !== s.personId;
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => Int, { nullable: true, description: "Place on the waiting list (1 = next in line); null unless waitlisted." })
  async waitingListPosition(@Root() s: SignupRow): Promise<number | null> {
    return this.signups.waitlistPosition(s);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => ParticipantContact, {
    nullable: true,
    description:
      "Name and contact details of the participant: for the initiative's organisers until the sign-up is cancelled (each read is logged), the participant and whoever signed them up.",
  })
  async contact(@Ctx() ctx: Context, @Root() s: SignupRow): Promise<ParticipantContact> {
    return this.signups.contact(ctx.viewer, s);
  }
}
