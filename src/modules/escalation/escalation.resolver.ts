import type DataLoader from "dataloader";
import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import { HelpRequest, HelpRequestStatus } from "../help-requests/help-request.type.js";
import { Person } from "../people/person.types.js";
import type { TeamRow } from "../places/place.repository.js";
import type { PlaceService } from "../places/place.service.js";
import { HelpCategory, Neighbourhood, Team, TeamKind } from "../places/place.types.js";
import { ProfessionalHelpInput } from "./escalation.input.js";
import { type EscalationFeedRow, changedStream, raisedStream } from "./escalation.live.js";
import type { AuditRow, EscalationRow } from "./escalation.repository.js";
import type { EscalationService } from "./escalation.service.js";
import type { PersonalDetails, PseudonymisedView } from "./consent.service.js";
import { FieldCost } from "../../graphql/cost.js";
import {
  CasePersonDetails,
  ConsentRecord,
  DetailsBasis,
  Escalation,
  EscalationAuditEntry,
  EscalationFeedItem,
  EscalationOutcome,
  EscalationStatus,
  EscalationUpdate,
  FlagReason,
  PseudonymisedCase,
} from "./escalation.types.js";

/** Loads through a batching loader without keeping the result: later steps of the request read afresh. */
async function fresh<V>(loader: DataLoader<string, V | undefined>, id: string): Promise<V | undefined> {
  try {
    return await loader.load(id);
  } finally {
    loader.clear(id);
  }
}

const person = async (ctx: Context, id: string | null): Promise<Person | null> => {
  if (!id) return null;
  const p = await ctx.loaders.personById.load(id);
  return p ? { id: p.id, firstName: p.firstName } : null;
};

/** A team of the places cache as the API shows it. */
const toTeam = (row: TeamRow | undefined): Team | null => (row ? { id: row.id, kind: TeamKind[row.kind], name: row.name, areaId: row.areaId } : null);

/** What a team sees of a case without consent, as the API shows it. */
const toCase = (c: PseudonymisedView): PseudonymisedCase => ({
  ageBand: c.ageBand,
  history: c.history.map((h) => ({
    fromStatus: h.fromStatus === null ? null : HelpRequestStatus[h.fromStatus],
    toStatus: HelpRequestStatus[h.toStatus],
    at: h.at,
  })),
});

/** Who a case is about, as the API shows it. */
const toDetails = (d: PersonalDetails): CasePersonDetails => ({
  fullName: d.fullName,
  address: d.address,
  phone: d.phone,
  birthDate: d.birthDate,
  basis: DetailsBasis[d.basis],
  consentId: d.consentId,
});

/** The status view of a case that residents and volunteers may see. */
async function toUpdate(service: EscalationService, row: EscalationRow, loadAudit?: (id: string) => Promise<AuditRow[]>): Promise<EscalationUpdate> {
  const audit = loadAudit ? await loadAudit(row.id) : await service.audit(row);
  const lastRequest = audit.filter((a) => a.kind === "CONSENT_REQUESTED").at(-1);
  const lastGiven = audit.filter((a) => a.kind === "CONSENT_GIVEN").at(-1);
  return {
    escalationId: row.id,
    status: EscalationStatus[row.status],
    outcome: row.outcome === null ? null : EscalationOutcome[row.outcome],
    consentRequested: lastRequest !== undefined && (!lastGiven || lastGiven.at < lastRequest.at),
    updatedAt: row.updatedAt,
  };
}

@Resolver(() => Escalation)
export class EscalationResolver {
  constructor(
    private readonly escalations: EscalationService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => Escalation, { description: "A case, for the professionals of its lead or co-team and coordinators (NOT_FOUND otherwise)." })
  async escalation(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The case." }) id: string): Promise<Escalation> {
    return this.escalations.get(ctx.viewer, id);
  }

  @Query(() => EscalationUpdate, { description: "The status of a case, for whoever may follow it (teams, and the people involved in its request)." })
  async escalationStatus(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The case." }) id: string): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.followable(ctx.viewer, id));
  }

  @Mutation(() => EscalationUpdate, {
    description:
      "Someone involved in a request (volunteer or requester) flags it as needing a professional. ALREADY_ESCALATED while its case is open, except for SAFETY, which upgrades the open case (URGENT, sooner acknowledge-by, details without consent) and is recorded in its audit.",
  })
  async flagHelpRequest(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The help request." }) id: string,
    @Arg("reason", () => FlagReason, { description: "Why." }) reason: FlagReason,
    @Arg("note", () => String, { nullable: true, description: "In your words." }) note?: string | null,
  ): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.flagHelpRequest(ctx.viewer, id, reason, note ?? null));
  }

  @Mutation(() => EscalationUpdate, {
    description:
      "A member of a care circle flags the care situation as needing a professional. ALREADY_ESCALATED while the circle's case is open, except for SAFETY, which upgrades the open case and is recorded in its audit.",
  })
  async flagCareCircle(
    @Ctx() ctx: Context,
    @Arg("circleId", () => ID, { description: "The circle." }) circleId: string,
    @Arg("reason", () => FlagReason, { description: "Why." }) reason: FlagReason,
    @Arg("note", () => String, { nullable: true, description: "In your words." }) note?: string | null,
  ): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.flagCareCircle(ctx.viewer, circleId, reason, note ?? null));
  }

  @Mutation(() => EscalationUpdate, { description: "Asks a professional team for help directly." })
  async askProfessionalHelp(
    @Ctx() ctx: Context,
    @Arg("input", () => ProfessionalHelpInput, { description: "What and for whom." }) input: ProfessionalHelpInput,
  ): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.askProfessionalHelp(ctx.viewer, input));
  }

  @Mutation(() => Escalation, { description: "Team: acknowledges a NEW case." })
  async acknowledgeEscalation(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The case." }) id: string): Promise<Escalation> {
    return this.escalations.acknowledge(ctx.viewer, id);
  }

  @Mutation(() => Escalation, { description: "Team: assigns the case to a professional of the lead or co-team." })
  async assignEscalation(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The case." }) id: string,
    @Arg("professionalId", () => ID, { description: "The professional." }) professionalId: string,
  ): Promise<Escalation> {
    return this.escalations.assign(ctx.viewer, id, professionalId);
  }

  @Mutation(() => Escalation, { description: "Team: takes the case into care (IN_CARE)." })
  async startEscalationCare(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The case." }) id: string): Promise<Escalation> {
    return this.escalations.startCare(ctx.viewer, id);
  }

  @Mutation(() => Escalation, { description: "Team: closes the case with an outcome. HANDED_BACK re-opens the help request to volunteers with the note." })
  async closeEscalation(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The case." }) id: string,
    @Arg("outcome", () => EscalationOutcome, { description: "How it ended." }) outcome: EscalationOutcome,
    @Arg("note", () => String, { nullable: true, description: "For the volunteers (with HANDED_BACK) and the audit." }) note?: string | null,
  ): Promise<Escalation> {
    return this.escalations.close(ctx.viewer, id, outcome, note ?? null);
  }

  @Mutation(() => Escalation, { description: "Team: asks, through whoever asked for help, for consent to see the person's details." })
  async requestConsent(
    @Ctx() ctx: Context,
    @Arg("id", () => ID, { description: "The case." }) id: string,
    @Arg("note", () => String, { nullable: true, description: "Why the team needs it." }) note?: string | null,
  ): Promise<Escalation> {
    return this.escalations.requestConsent(ctx.viewer, id, note ?? null);
  }

  @Mutation(() => EscalationUpdate, {
    description:
      "The person the case is about (or, for someone without an account or a child under 16, whoever asked for them) consents to share their details with this case's teams. Consent holds for this case only; CANNOT_GIVE_CONSENT for anyone else.",
  })
  async giveConsent(
    @Ctx() ctx: Context,
    @Arg("escalationId", () => ID, { description: "The case." }) escalationId: string,
    @Arg("purpose", () => String, { nullable: true, description: "For what (recorded)." }) purpose?: string | null,
  ): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.giveConsent(ctx.viewer, escalationId, purpose ?? null));
  }

  @Mutation(() => EscalationUpdate, { description: "Withdraws the consent given on this case; its teams see the pseudonymised case again." })
  async withdrawConsent(@Ctx() ctx: Context, @Arg("escalationId", () => ID, { description: "The case." }) escalationId: string): Promise<EscalationUpdate> {
    return toUpdate(this.escalations, await this.escalations.withdrawConsent(ctx.viewer, escalationId));
  }

  @Subscription(() => EscalationFeedItem, {
    description: "A team's professionals: new, re-routed and SAFETY-upgraded cases in its queue. Pass the last `cursor` as `since` after a reconnect.",
    subscribe: ({ args, context }) => raisedStream(context as Context, args.teamId, args.since),
  })
  escalationRaised(
    @Root() item: EscalationFeedRow,
    @Arg("teamId", () => ID, { description: "The team." }) _teamId: string,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received." }) _since?: string | null,
  ): EscalationFeedItem {
    return { cursor: String(item.event.seq), kind: item.event.kind, escalation: item.value };
  }

  @Subscription(() => EscalationUpdate, {
    description: "Status changes of a case: for its teams, and for the residents and volunteers involved (never the case details).",
    subscribe: ({ args, context }) => changedStream(context as Context, args.id, args.since),
  })
  async escalationChanged(
    @Root() item: EscalationFeedRow,
    @Arg("id", () => ID, { description: "The case." }) _id: string,
    @Arg("since", () => String, { nullable: true, description: "Cursor of the last event you received." }) _since?: string | null,
  ): Promise<EscalationUpdate> {
    return { ...(await toUpdate(this.escalations, item.value)), cursor: String(item.event.seq), event: item.event.kind };
  }

  @FieldResolver(() => Team, { description: "The team that leads." })
  leadTeam(@Root() e: EscalationRow): Team | null {
    return toTeam(this.places.team(e.leadTeamId));
  }

  @FieldResolver(() => Team, { nullable: true, description: "The other team that joins (16-27 transition)." })
  coTeam(@Root() e: EscalationRow): Team | null {
    return e.coTeamId ? toTeam(this.places.team(e.coTeamId)) : null;
  }

  @FieldResolver(() => Person, { nullable: true, description: "The professional working it." })
  assignee(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<Person | null> {
    return person(ctx, e.assigneeId);
  }

  @FieldResolver(() => Neighbourhood, { description: "Neighbourhood of the case." })
  neighbourhood(@Root() e: EscalationRow): Neighbourhood | null {
    return this.places.neighbourhood(e.neighbourhoodId) ?? null;
  }

  @FieldResolver(() => HelpCategory, { nullable: true, description: "Kind of help, if known." })
  category(@Root() e: EscalationRow): HelpCategory | null {
    return e.categoryId ? (this.places.category(e.categoryId) ?? null) : null;
  }

  @FieldResolver(() => Boolean, { description: "NEW and past its acknowledge-by time." })
  overdue(@Root() e: EscalationRow): boolean {
    return this.escalations.isOverdue(e);
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => PseudonymisedCase, { description: "The case without anything that identifies the person." })
  async case(@Root() e: EscalationRow): Promise<PseudonymisedCase> {
    return toCase(await this.escalations.pseudonymisedCase(e));
  }

  @Extensions({ cost: FieldCost.READ })
  @FieldResolver(() => CasePersonDetails, {
    nullable: true,
    description: "Who the case is about: with recorded consent for your team, or a SAFETY bypass. FORBIDDEN (CONSENT_REQUIRED) otherwise; each read is audited.",
  })
  async personDetails(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<CasePersonDetails> {
    return toDetails(await this.escalations.personalDetails(ctx.viewer, e.id));
  }

  @Extensions({ maxItems: 100, cost: FieldCost.READ })
  @FieldResolver(() => [EscalationAuditEntry], { description: "Every transition and every read of personal details." })
  async audit(@Root() e: EscalationRow): Promise<EscalationAuditEntry[]> {
    return this.escalations.audit(e);
  }

  @Extensions({ maxItems: 20, cost: FieldCost.READ })
  @FieldResolver(() => [ConsentRecord], { description: "Consents recorded for this case." })
  async consents(@Ctx() ctx: Context, @Root() e: EscalationRow): Promise<ConsentRecord[]> {
    const rows = await this.escalations.consents(e);
    return Promise.all(
      rows.map(async (c) => ({
        id: c.id,
        // A consent's team is a foreign key: it is always there.
        team: toTeam(this.places.team(c.teamId))!,
        purpose: c.purpose,
        givenBy: (await this.escalations.mayName(ctx.viewer, e, c.givenById)) ? await person(ctx, c.givenById) : null,
        givenAt: c.givenAt,
        withdrawnBy: c.withdrawnById && (await this.escalations.mayName(ctx.viewer, e, c.withdrawnById)) ? await person(ctx, c.withdrawnById) : null,
        withdrawnAt: c.withdrawnAt,
      })),
    );
  }
}

@Resolver(() => EscalationAuditEntry)
export class EscalationAuditResolver {
  constructor(private readonly escalations: EscalationService) {}

  // Whether the actor may be named takes a few reads of its own (who they are to the person, the
  // viewer's team, its consent); the audit's bound (100 entries) is far above a case's usual few.
  @Extensions({ cost: FieldCost.READ / 5 })
  @FieldResolver(() => Person, {
    nullable: true,
    description:
      "Who did it; null for the system. Someone on the person's side (the person, whoever asked for them, their circle) is named only to a team that may see the person's details.",
  })
  async actor(@Ctx() ctx: Context, @Root() a: AuditRow): Promise<Person | null> {
    if (!a.actorId) return null;
    const byId = ctx.loaders.of<EscalationRow>("escalationById", async (ids) => Promise.all(ids.map((id) => this.escalations.find(id))));
    const row = await fresh(byId, a.escalationId);
    if (!row || !(await this.escalations.mayName(ctx.viewer, row, a.actorId))) return null;
    return person(ctx, a.actorId);
  }
}

@Resolver(() => HelpRequest)
export class HelpRequestEscalationResolver {
  constructor(private readonly escalations: EscalationService) {}

  @FieldResolver(() => EscalationUpdate, {
    nullable: true,
    description: "If the request went to a professional team: the status of that case (for those involved; never the case details).",
  })
  async escalation(@Ctx() ctx: Context, @Root() r: HelpRequestRow): Promise<EscalationUpdate | null> {
    // Batched: a list of requests asks for their cases and audits in one query each.
    const latest = ctx.loaders.of<EscalationRow>("escalationOfRequest", (ids) => this.escalations.latestForRequests(ids));
    const audits = ctx.loaders.of<AuditRow[]>("escalationAudit", (ids) => this.escalations.auditsOf(ids));
    const row = await this.escalations.statusForRequest(ctx.viewer, r, (id) => fresh(latest, id));
    return row ? toUpdate(this.escalations, row, async (id) => (await fresh(audits, id)) ?? []) : null;
  }
}
