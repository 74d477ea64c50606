import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { ageOn, optionalText, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonRow } from "../people/person.repository.js";
import { PersonHelpedSchema, type PersonService } from "../people/person.service.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { initiativeChangedEvent, signupEvent } from "./initiative.events.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { InitiativeService } from "./initiative.service.js";
import type { SignupStatus } from "./initiative.tables.js";
import type { OrganisationService } from "./organisation.service.js";
import type { SignupRepository, SignupRow } from "./signup.repository.js";

const SignUpSchema = z.object({
  initiativeId: z.string().min(1, "must not be empty"),
  participantId: z.string().min(1, "must not be empty").nullish(),
  participant: z.unknown().nullish(),
  note: optionalText(500),
});

/** Roles that may sign up (or refer) someone else: wijkwinkel organisers, professionals, mantelzorgers. */
export const ON_BEHALF_ROLES = ["ORGANISER", "PROFESSIONAL", "MANTELZORGER"] as const;

export interface ContactOfParticipant {
  fullName: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/**
 * The participant a sign-up or referral is for: the viewer, a person they registered before, or a new
 * person without an account. `newPerson` is validated before anything is written; `beforeCreate`
 * can refuse (e.g. outside the audience) before the new person is stored.
 */
export async function resolveParticipant(
  people: PersonService,
  v: AuthenticatedViewer,
  participantId: string | null,
  newPerson: unknown,
  beforeCreate: (person: { birthDate: string | null }) => void,
): Promise<PersonRow> {
  if (participantId === null && newPerson === null) return (await people.findById(v.personId))!;
  if (participantId !== null && newPerson !== null) {
    throw badInput(R.INVALID_INPUT, "input.participant: give either participantId or participant, not both", "input.participant");
  }
  if (newPerson !== null) {
    const data = parseInput(PersonHelpedSchema, newPerson, "input.participant");
    beforeCreate({ birthDate: data.birthDate ?? null });
    return people.createPersonHelped(v, newPerson, "input.participant");
  }
  const person = await people.findById(participantId!);
  // Only people this account registered (or itself) can be named: an id alone reveals nobody's details.
  if (!person || (person.createdById !== v.personId && person.id !== v.personId)) {
    throw badInput(R.UNKNOWN_PARTICIPANT, "input.participantId: not a person you registered before", "input.participantId");
  }
  return person;
}

/** Name and contact details of a participant, for those allowed to see them. */
export function contactOf(person: PersonRow): ContactOfParticipant {
  return {
    fullName: [person.firstName, person.lastName].filter(Boolean).join(" "),
    phone: person.phone,
    email: person.email,
    address: person.address,
  };
}

/**
 * Sign-ups for initiatives: a resident signs up (or is signed up by a wijkwinkel, professional or
 * mantelzorger); beyond capacity they wait in arrival order; a cancellation gives the place to the
 * first one waiting at once. The person concerned and the organisers hear of every change.
 */
export class SignupService {
  constructor(
    private readonly repo: SignupRepository,
    private readonly initiatives: InitiativeService,
    private readonly organisations: OrganisationService,
    private readonly people: PersonService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async signUp(viewer: Viewer, input: unknown): Promise<SignupRow> {
    const v = requireViewer(viewer);
    const data = parseInput(SignUpSchema, input);
    const initiative = await this.initiatives.get(v, data.initiativeId);
    if (initiative.kind === "PARTICIPATION_PLACE") {
      throw forbidden(R.PARTICIPATION_PLACE_NEEDS_REFERRAL, "Participation places are reached through a professional's referral, not a sign-up.");
    }
    const now = this.clock.now();
    if (!policy.isOpen(initiative, now)) throw conflict(R.INITIATIVE_NOT_OPEN, "This initiative is not open for sign-up ({status}).", { status: initiative.status });
    const onBehalf = (data.participant ?? null) !== null || ((data.participantId ?? null) !== null && data.participantId !== v.personId);
    if (onBehalf && !ON_BEHALF_ROLES.some((role) => hasRole(v, role))) {
      throw forbidden(R.CANNOT_SIGN_UP_ON_BEHALF, "Only a wijkwinkel, professional or mantelzorger can sign someone else up.");
    }
    const person = await resolveParticipant(this.people, v, data.participantId ?? null, data.participant ?? null, (p) => this.requireAudience(initiative, p.birthDate, now));
    this.requireAudience(initiative, person.birthDate, now);
    return this.outbox.unit(async () => {
      const row = await this.repo.signUp(
        { id: newId("Signup"), initiativeId: initiative.id, personId: person.id, signedUpById: v.personId, note: data.note, at: now },
        (locked, existing) => {
          if (!locked || locked.status !== "PUBLISHED") throw conflict(R.INITIATIVE_NOT_OPEN, "This initiative is no longer open for sign-up.");
          if (existing) throw conflict(R.ALREADY_SIGNED_UP, "Already signed up for this initiative ({status}).", { status: existing.status });
        },
      );
      await this.outbox.emit([signupEvent(row.id, row.status === "CONFIRMED" ? "CONFIRMED" : "WAITLISTED")]);
      return row;
    });
  }

  /** Cancels a sign-up (the participant, whoever signed them up, or an organiser); the first one waiting moves up. */
  async cancel(viewer: Viewer, id: string, reason: string | null): Promise<SignupRow> {
    const v = requireViewer(viewer);
    await this.get(v, id);
    if (reason !== null) parseInput(text(0, 500), reason, "reason");
    const result = await this.outbox.unit(async () => {
      const done = await this.repo.cancel(id, v.personId, this.clock.now(), (current) => {
        if (current.status === "CANCELLED") throw conflict(R.SIGNUP_NOT_ACTIVE, "This sign-up is already cancelled.");
      });
      if (done) {
        await this.outbox.emit([
          signupEvent(id, "CANCELLED"),
          ...done.promoted.map((p) => signupEvent(p, "PROMOTED")),
          ...(done.placeFreed ? [initiativeChangedEvent(done.cancelled.initiativeId, "PLACES_FREED")] : []),
        ]);
      }
      return done;
    });
    if (!result) throw notFound(R.SIGNUP_NOT_FOUND, "No sign-up with this id is visible to you.");
    return result.cancelled;
  }

  async get(viewer: Viewer, id: string): Promise<SignupRow> {
    const row = await this.findVisible(viewer, id);
    if (!row) throw notFound(R.SIGNUP_NOT_FOUND, "No sign-up with this id is visible to you.");
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<SignupRow | null> {
    if (!viewer.personId) return null;
    const row = await this.repo.findById(id);
    return row && (await this.canSee(viewer, row)) ? row : null;
  }

  findRow(id: string): Promise<SignupRow | undefined> {
    return this.repo.findById(id);
  }

  async canSee(viewer: Viewer, row: SignupRow): Promise<boolean> {
    if (policy.canSeeSignup(viewer, row, false)) return true;
    return policy.canSeeSignup(viewer, row, await this.organisations.isOrganiser(viewer, row.organisationId));
  }

  /** My sign-ups, and those I made for others, newest first. */
  async mine(viewer: Viewer, statuses: SignupStatus[] | null, args: PageArgs) {
    const v = requireViewer(viewer);
    const scope = cursorScope("Signup.mine", { statuses });
    return this.repo.forPerson(v.personId, statuses, pageRequest(args, scope), scope);
  }

  /** How many sign-ups `mine` pages through. */
  countMine(viewer: Viewer, statuses: SignupStatus[] | null): Promise<number> {
    return this.repo.countForPerson(requireViewer(viewer).personId, statuses);
  }

  /** The participants of an initiative, in arrival order: its organisers only. */
  async forInitiative(viewer: Viewer, initiative: InitiativeRow, statuses: SignupStatus[] | null, args: PageArgs) {
    await this.organisations.requireOrganiser(viewer, initiative.organisationId);
    const scope = cursorScope(`Signup.of.${initiative.id}`, { statuses });
    return this.repo.forInitiative(initiative.id, statuses, pageRequest(args, scope), scope);
  }

  /** How many sign-ups an initiative has (with these statuses): its organisers only. */
  async countForInitiative(viewer: Viewer, initiative: InitiativeRow, statuses: SignupStatus[] | null): Promise<number> {
    await this.organisations.requireOrganiser(viewer, initiative.organisationId);
    return this.repo.countForInitiative(initiative.id, statuses);
  }

  /** The viewer's own active sign-up for an initiative, if any. */
  async mySignupFor(viewer: Viewer, initiativeId: string): Promise<SignupRow | null> {
    if (!viewer.personId) return null;
    return (await this.repo.activeFor(initiativeId, viewer.personId)) ?? null;
  }

  /** 1-based place on the waiting list; null unless waitlisted. */
  async waitlistPosition(row: SignupRow): Promise<number | null> {
    return row.status === "WAITLISTED" ? this.repo.waitlistPosition(row) : null;
  }

  /**
   * Name and contact details of the participant. Every read by someone else is written to the access
   * log: the organisers', and that of whoever signed them up (a desk or carer reads a stranger's data too).
   */
  async contact(viewer: Viewer, row: SignupRow): Promise<ContactOfParticipant> {
    const v = requireViewer(viewer);
    const organiser = await this.organisations.isOrganiser(v, row.organisationId);
    if (!policy.canSeeSignup(v, row, organiser)) {
      throw notFound(R.SIGNUP_NOT_FOUND, "No sign-up with this id is visible to you.");
    }
    const concerned = v.personId === row.personId || v.personId === row.signedUpById;
    // Organisers need a participant's details to run the activity; once the sign-up is cancelled they no longer do.
    if (!concerned && row.status === "CANCELLED") {
      throw forbidden(R.CONTACT_DETAILS_HIDDEN, "This sign-up was cancelled: its contact details are no longer shown to the organisers.");
    }
    const person = await this.people.findById(row.personId);
    if (!person) throw notFound(R.PERSON_NOT_FOUND, "The participant no longer exists.");
    const purpose = concerned ? "signed up on their behalf" : "organiser of initiative";
    await this.accessLog.record(v.personId, person.id, ["fullName", "phone", "email", "address"], purpose, row.id, { viewer: v });
    return contactOf(person);
  }

  private requireAudience(initiative: InitiativeRow, birthDate: string | null, now: Date) {
    if (!birthDate || (initiative.minAge === null && initiative.maxAge === null)) return;
    const at = initiative.firstStartsAt && initiative.firstStartsAt.getTime() > now.getTime() ? initiative.firstStartsAt : now;
    const age = ageOn(birthDate, at);
    if ((initiative.minAge !== null && age < initiative.minAge) || (initiative.maxAge !== null && age > initiative.maxAge)) {
      throw forbidden(R.OUTSIDE_AUDIENCE, "This initiative is for ages {min}-{max}.", { min: initiative.minAge ?? 0, max: initiative.maxAge ?? "…" });
    }
  }
}
