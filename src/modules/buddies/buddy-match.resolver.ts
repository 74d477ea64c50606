import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { Buddies } from "./buddies.services.js";
import { BuddyEvaluationInput, MatchBuddyInput } from "./buddy.input.js";
import type { MatchRow, SignalRow } from "./buddy.repository.js";
import {
  Buddy,
  BuddyCandidate,
  type BuddyCandidateReason,
  BuddyCheckin,
  BuddyEvaluation,
  BuddyMatch,
  BuddyMatchRole,
  BuddyParticipant,
  BuddyProgramme,
  BuddySignal,
} from "./buddy.type.js";

const asMatch = (row: MatchRow) => row as unknown as BuddyMatch;
const asSignal = (row: SignalRow) => row as unknown as BuddySignal;

@Resolver(() => BuddyMatch)
export class BuddyMatchResolver {
  constructor(private readonly buddies: Buddies) {}

  @Extensions({ maxItems: 100 })
  @Query(() => [BuddyCandidate], { description: "Programme coordinator: buddies who could take this waiting participant now, best fit first, with the reasons." })
  async buddyCandidates(@Ctx() ctx: Context, @Arg("participantId", () => ID, { description: "The participant." }) participantId: string): Promise<BuddyCandidate[]> {
    const ranked = await this.buddies.matches.candidates(ctx.viewer, participantId);
    return ranked.map((c) => ({
      buddy: c.buddy as Buddy,
      score: c.score,
      reasons: c.reasons as BuddyCandidateReason[],
      sharedLanguages: c.sharedLanguages,
      sharedInterests: c.sharedInterests,
      sharedWeekdays: c.sharedWeekdays,
      currentLoad: c.load,
    }));
  }

  @Extensions({ maxItems: 100 })
  @Query(() => [BuddyMatch], { description: "The matches you are in, as buddy or participant." })
  async myBuddyMatches(@Ctx() ctx: Context): Promise<BuddyMatch[]> {
    return (await this.buddies.matches.myMatches(ctx.viewer)).map(asMatch);
  }

  @Mutation(() => BuddyMatch, { description: "Programme coordinator: matches a waiting participant with a buddy (in waiting-list order unless skipReason says why not)." })
  async matchBuddy(@Ctx() ctx: Context, @Arg("input", () => MatchBuddyInput, { description: "The match." }) input: MatchBuddyInput): Promise<BuddyMatch> {
    return asMatch(await this.buddies.matches.match(ctx.viewer, input));
  }

  @Mutation(() => BuddyMatch, {
    description: "The buddy or the participant: records a check-in; the next one is due an interval from now. BUDDY_CHECKIN_NOT_IN_MATCH for anyone else.",
  })
  async checkInBuddyMatch(
    @Ctx() ctx: Context,
    @Arg("matchId", () => ID, { description: "The match." }) matchId: string,
    @Arg("note", () => String, { nullable: true, description: "A short note." }) note?: string | null,
  ): Promise<BuddyMatch> {
    await this.buddies.matches.checkin(ctx.viewer, matchId, note ?? null);
    return asMatch((await this.buddies.matches.findVisibleMatch(ctx.viewer, matchId))!);
  }

  @Mutation(() => BuddyMatch, { description: "The coordinators or either side: pauses the match (no check-ins are due while paused)." })
  async pauseBuddyMatch(@Ctx() ctx: Context, @Arg("matchId", () => ID, { description: "The match." }) matchId: string): Promise<BuddyMatch> {
    return asMatch(await this.buddies.matches.pause(ctx.viewer, matchId));
  }

  @Mutation(() => BuddyMatch, { description: "The coordinators or either side: resumes a paused match; its planned end moves on by the pause." })
  async resumeBuddyMatch(@Ctx() ctx: Context, @Arg("matchId", () => ID, { description: "The match." }) matchId: string): Promise<BuddyMatch> {
    return asMatch(await this.buddies.matches.resume(ctx.viewer, matchId));
  }

  @Mutation(() => BuddyMatch, { description: "Ends the match, once (BUDDY_MATCH_ALREADY_ENDED after): either side with their evaluation, or a coordinator." })
  async endBuddyMatch(
    @Ctx() ctx: Context,
    @Arg("matchId", () => ID, { description: "The match." }) matchId: string,
    @Arg("evaluation", () => BuddyEvaluationInput, { nullable: true, description: "Your evaluation (the buddy's or the participant's)." }) evaluation?: BuddyEvaluationInput | null,
  ): Promise<BuddyMatch> {
    return asMatch(await this.buddies.matches.end(ctx.viewer, matchId, evaluation ?? null));
  }

  @Mutation(() => BuddyMatch, { description: "The buddy or the participant: evaluates an ended match, once each." })
  async evaluateBuddyMatch(
    @Ctx() ctx: Context,
    @Arg("matchId", () => ID, { description: "The match." }) matchId: string,
    @Arg("evaluation", () => BuddyEvaluationInput, { description: "Your evaluation." }) evaluation: BuddyEvaluationInput,
  ): Promise<BuddyMatch> {
    return asMatch(await this.buddies.matches.evaluate(ctx.viewer, matchId, evaluation));
  }

  @Mutation(() => BuddySignal, { description: "Programme coordinator: acknowledges a signal." })
  async acknowledgeBuddySignal(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The signal." }) id: string): Promise<BuddySignal> {
    return asSignal(await this.buddies.matches.acknowledgeSignal(ctx.viewer, id));
  }

  @FieldResolver(() => BuddyProgramme, { description: "The programme." })
  async programme(@Root() m: MatchRow): Promise<BuddyProgramme> {
    return (await this.buddies.programmes.getProgramme(m.programmeId)) as BuddyProgramme;
  }

  @FieldResolver(() => BuddyParticipant, { description: "The participant." })
  async participant(@Root() m: MatchRow): Promise<BuddyParticipant> {
    return (await this.buddies.matches.participantOf(m)) as BuddyParticipant;
  }

  @FieldResolver(() => Buddy, { description: "The buddy." })
  async buddy(@Root() m: MatchRow): Promise<Buddy> {
    return (await this.buddies.matches.buddyOf(m)) as Buddy;
  }

  @FieldResolver(() => BuddyMatchRole, { nullable: true, description: "Your side in the match; null for a coordinator." })
  async myRole(@Ctx() ctx: Context, @Root() m: MatchRow): Promise<BuddyMatchRole | null> {
    return (await this.buddies.matches.roleIn(ctx.viewer, m)) as BuddyMatchRole | null;
  }

  @Extensions({ maxItems: 500 })
  @FieldResolver(() => [BuddyCheckin], { description: "The check-ins, oldest first." })
  async checkins(@Ctx() ctx: Context, @Root() m: MatchRow): Promise<BuddyCheckin[]> {
    const [rows, participant] = await Promise.all([this.buddies.matches.checkins(ctx.viewer, m), this.buddies.matches.participantOf(m)]);
    return rows.map((c) => ({ at: c.at, note: c.note, by: c.personId === participant?.personId ? BuddyMatchRole.PARTICIPANT : BuddyMatchRole.BUDDY }));
  }

  @Extensions({ maxItems: 2 })
  @FieldResolver(() => [BuddyEvaluation], { description: "Evaluations: both for the coordinators; your own for either side." })
  async evaluations(@Ctx() ctx: Context, @Root() m: MatchRow): Promise<BuddyEvaluation[]> {
    return (await this.buddies.matches.evaluations(ctx.viewer, m)).map((e) => ({ role: e.role as BuddyMatchRole, wentWell: e.wentWell, note: e.note, at: e.at }));
  }
}

@Resolver(() => BuddySignal)
export class BuddySignalResolver {
  constructor(private readonly buddies: Buddies) {}

  @FieldResolver(() => BuddyMatch, { nullable: true, description: "The match it is about." })
  async match(@Ctx() ctx: Context, @Root() s: SignalRow): Promise<BuddyMatch | null> {
    const row = await this.buddies.matches.findVisibleMatch(ctx.viewer, s.matchId);
    return row ? asMatch(row) : null;
  }
}
