import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { FieldCost } from "../../graphql/cost.js";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, PAGE_ARG, toConnection } from "../../graphql/relay.js";
import type { Person } from "../people/person.types.js";
import type { TeamRow } from "../places/place.repository.js";
import type { PlaceService } from "../places/place.service.js";
import { type Team, TeamKind } from "../places/place.types.js";
import type { CaseNormsService } from "./case-norms.service.js";
import type { CaseDocumentRow, CaseNoteRow } from "./case-work.repository.js";
import type { CaseWorkService } from "./case-work.service.js";
import { AddCaseNoteInput, CaseDocument, CaseNorm, CaseNormsSummary, CaseNote, CaseReroute, ContactChannel, LinkedCase } from "./case-work.types.js";
import type { EscalationRow } from "./escalation.repository.js";
import { Escalation, EscalationConnection, EscalationStatus, EscalationTrigger } from "./escalation.types.js";

const toTeam = (row: TeamRow | undefined): Team | null => (row ? { id: row.id, kind: TeamKind[row.kind], name: row.name, areaId: row.areaId } : null);

const person = async (ctx: Context, id: string): Promise<Person | null> => {
  const p = await ctx.loaders.personById.load(id);
  return p ? { id: p.id, firstName: p.firstName } : null;
};

export const toNote = async (ctx: Context, n: CaseNoteRow): Promise<CaseNote> => ({
  id: n.id,
  author: await person(ctx, n.authorId),
  channel: n.channel === null ? null : ContactChannel[n.channel],
  contactAt: n.contactAt,
  body: n.body,
  agreed: n.agreed,
  createdAt: n.createdAt,
});

export const toDocument = async (ctx: Context, d: CaseDocumentRow): Promise<CaseDocument> => ({
  id: d.id,
  fileName: d.fileName,
  mediaType: d.mediaType,
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  uploadedBy: await person(ctx, d.uploadedById),
  createdAt: d.createdAt,
  downloadPath: `/case-documents/${encodeURIComponent(d.id)}`,
});

/** Casework on a case (notes, contact moments, documents), its norms, re-routes and linked cases, and the team queue's search. */
@Resolver(() => Escalation)
export class CaseWorkResolver {
  constructor(
    private readonly work: CaseWorkService,
    private readonly norms: CaseNormsService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => EscalationConnection, {
    description:
      "A team's queue, oldest first: open cases by default, narrowed by the arguments given (all must hold). Overdue ones stand out (overdue, firstContactOverdue, closeOverdue).",
  })
  async teamQueue(
    @Ctx() ctx: Context,
    @Arg("teamId", () => ID, { description: "The team." }) teamId: string,
    @Arg("statuses", () => [EscalationStatus], { nullable: true, description: "Only these statuses (default: all open)." }) statuses?: EscalationStatus[] | null,
    @Arg("overdueOnly", () => Boolean, { nullable: true, description: "Only NEW cases past their acknowledge-by time." }) overdueOnly?: boolean | null,
    @Arg("triggers", () => [EscalationTrigger], { nullable: true, description: "Only cases raised by these triggers." }) triggers?: EscalationTrigger[] | null,
    @Arg("neighbourhoodIds", () => [ID], { nullable: true, description: "Only cases in these neighbourhoods." }) neighbourhoodIds?: string[] | null,
    @Arg("overdueFor", () => [CaseNorm], { nullable: true, description: "Only cases past any of these norms now." }) overdueFor?: CaseNorm[] | null,
    @Arg("ageBands", () => [String], { nullable: true, description: "Only cases whose person is in one of these age bands (as `case.ageBand` shows them, or unknown)." })
    ageBands?: string[] | null,
    @Arg("assigneeId", () => ID, { nullable: true, description: "Only cases assigned to this professional." }) assigneeId?: string | null,
    @Arg("first", () => Int, { nullable: true, description: PAGE_ARG.first }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: PAGE_ARG.after }) after?: string | null,
    @Arg("last", () => Int, { nullable: true, description: PAGE_ARG.last }) last?: number | null,
    @Arg("before", () => String, { nullable: true, description: PAGE_ARG.before }) before?: string | null,
  ): Promise<ConnectionShape<Escalation>> {
    const page = await this.norms.queue(ctx.viewer, teamId, { statuses, overdueOnly, triggers, neighbourhoodIds, overdueFor, ageBands, assigneeId, first, after, last, before });
    return toConnection(page, (row): Escalation => row);
  }

  @Query(() => CaseNormsSummary, {
    description: "A team's norms (first contact, closing) over the cases created in a period: met, missed, open overdue. For its members and coordinators.",
  })
  async caseNormsSummary(
    @Ctx() ctx: Context,
    @Arg("teamId", () => ID, { description: "The team." }) teamId: string,
    @Arg("from", () => DateTimeISO, { nullable: true, description: "Cases created from then (default: all)." }) from?: Date | null,
    @Arg("to", () => DateTimeISO, { nullable: true, description: "Cases created before then (default: now)." }) to?: Date | null,
  ): Promise<CaseNormsSummary> {
    return this.norms.summary(ctx.viewer, teamId, from ?? null, to ?? null);
  }

  @Mutation(() => CaseNote, { description: "Team: records a note, or with a channel a contact moment, on a case (the first contact moment meets the first-contact norm)." })
  async addCaseNote(@Ctx() ctx: Context, @Arg("input", () => AddCaseNoteInput, { description: "The note." }) input: AddCaseNoteInput): Promise<CaseNote> {
    return toNote(ctx, await this.work.addNote(ctx.viewer, input.escalationId, input));
  }

  @Mutation(() => Escalation, { description: "Coordinator: sends the case to another team, with the reason the receiving team reads (REROUTE_REASON_REQUIRED without one)." })
  async rerouteEscalation(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The case." }) id: string,
    @Arg("leadTeamId", () => ID, { description: "The new lead team." }) leadTeamId: string,
    @Arg("coTeamId", () => ID, { nullable: true, description: "The new co-team, if any." }) coTeamId?: string | null,
    @Arg("reason", () => String, { nullable: true, description: "Why (required; 3 to 1000 characters): recorded in the audit and shown to the receiving team." })
    reason?: string | null,
  ): Promise<Escalation> {
    return this.norms.reroute(ctx.viewer, id, leadTeamId, coTeamId ?? null, reason ?? null);
  }

  @Extensions({ maxItems: 200, cost: FieldCost.READ })
  @FieldResolver(() => [CaseNote], { description: "Notes and contact moments, oldest first. Only for the professionals of the lead and co-team (CASEWORK_TEAM_ONLY otherwise)." })
  async notes(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<CaseNote[]> {
    return Promise.all((await this.work.notes(ctx.viewer, e)).map((n) => toNote(ctx, n)));
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [CaseDocument], { description: "The case's documents. Only for the professionals of the lead and co-team (CASEWORK_TEAM_ONLY otherwise)." })
  async documents(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<CaseDocument[]> {
    return Promise.all((await this.work.documents(ctx.viewer, e)).map((d) => toDocument(ctx, d)));
  }

  @Extensions({ maxItems: 50, cost: FieldCost.READ })
  @FieldResolver(() => [CaseReroute], { description: "Each re-route of the case with its reason, oldest first." })
  async reroutes(@Root() e: EscalationRow): Promise<CaseReroute[]> {
    const team = (id: string | null) => (id ? toTeam(this.places.team(id)) : null);
    return (await this.norms.reroutes(e)).map((r) => ({
      fromLeadTeam: team(r.fromLeadTeamId),
      fromCoTeam: team(r.fromCoTeamId),
      toLeadTeam: team(r.toLeadTeamId),
      toCoTeam: team(r.toCoTeamId),
      reason: r.reason,
      at: r.at,
    }));
  }

  @Extensions({ maxItems: 20, cost: FieldCost.READ })
  @FieldResolver(() => [LinkedCase], { description: "The person's other open cases: which team, since when; the case itself only when you may see it." })
  async knownElsewhere(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<LinkedCase[]> {
    return (await this.norms.knownElsewhere(ctx.viewer, e)).map((o) => ({
      leadTeam: toTeam(this.places.team(o.leadTeamId)),
      coTeam: o.coTeamId ? toTeam(this.places.team(o.coTeamId)) : null,
      since: o.createdAt,
      escalation: o.visible,
    }));
  }

  @FieldResolver(() => DateTimeISO, { description: "Target time for the first contact moment (from the case's creation, per urgency)." })
  firstContactBy(@Root() e: EscalationRow): Date {
    return this.norms.firstContactBy(e);
  }

  @FieldResolver(() => DateTimeISO, { description: "Target time to close the case (from its creation, per urgency)." })
  closeBy(@Root() e: EscalationRow): Date {
    return this.norms.closeBy(e);
  }

  @FieldResolver(() => DateTimeISO, { nullable: true, description: "When the first contact moment took place (null before one is recorded)." })
  async firstContactAt(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<Date | null> {
    return (await this.firstContact(ctx, e.id)) ?? null;
  }

  @FieldResolver(() => Boolean, { description: "Open, without a contact moment, and past firstContactBy." })
  async firstContactOverdue(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<boolean> {
    return this.norms.firstContactOverdue(e, await this.firstContact(ctx, e.id));
  }

  @FieldResolver(() => Boolean, { description: "Open and past closeBy." })
  closeOverdue(@Root() e: EscalationRow): boolean {
    return this.norms.closeOverdue(e);
  }

  private firstContact(ctx: Context, id: string): Promise<Date | undefined> {
    return ctx.loaders.of<Date>("caseFirstContact", (ids) => this.norms.firstContacts(ids)).load(id);
  }
}
