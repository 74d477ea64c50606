import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { OrganisationService } from "../initiatives/organisation.service.js";
import { PersonReason } from "../people/person.errors.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import { BuddyReason as R } from "./buddies.errors.js";
import type { BuddyProgrammeKind, BuddyReferral } from "./buddies.tables.js";
import type { BuddyRepository, BuddyRow, MatchRow, ParticipantRow, ProgrammeRow } from "./buddy.repository.js";

const KINDS = ["YOUNG_PARENTS", "DIVORCING_PARENTS", "STATUSHOUDERS", "LONELY_ELDERLY", "OTHER"] as const;
/** Programmes that work with children or families always ask a verified VOG of their buddies. */
const FAMILY_KINDS: readonly BuddyProgrammeKind[] = ["YOUNG_PARENTS", "DIVORCING_PARENTS"];
/** The most rows a programme's lists return (their bound for the query cost limit). */
export const LIST_CAP = 500;
const words = z.array(z.string().trim().min(1).max(40)).max(20);
const weekdays = z.array(z.number().int().min(1).max(7)).max(7);

const ProgrammeSchema = z.object({
  organisationId: z.string(),
  name: text(1, 120),
  kind: z.enum(KINDS),
  kindName: optionalText(80),
  intakeCriteria: text(1, 2000),
  trainingName: optionalText(120),
  vogRequired: z.boolean(),
  worksWithMinorsOrFamilies: z.boolean(),
  frequency: z.enum(["WEEKLY", "FORTNIGHTLY", "MONTHLY"]),
  minMonths: z.number().int().min(1).max(60),
  maxMonths: z.number().int().min(1).max(60),
});
const ProfileSchema = z.object({ languages: words, interests: words, weekdays });

/** The person details a buddy programme shows, as far as the reader may see them. */
export interface ParticipantView {
  firstName: string;
  neighbourhoodId: string | null;
  languages: string[];
  /** Coordinators only. */
  interests: string[] | null;
}

export interface ContactView {
  fullName: string;
  phone: string | null;
  email: string | null;
}

/**
 * Buddy (maatje) programmes: who runs them, who takes part and who helps, and who may see whom. A
 * programme's coordinators are the organisers of its organisation and the people they add. A
 * participant's details are shown to those coordinators and to the buddy matched with them, and every
 * such read is written to the access log; anyone else is told the participant does not exist.
 */
export class BuddyService {
  constructor(
    private readonly repo: BuddyRepository,
    private readonly organisations: OrganisationService,
    private readonly people: PersonService,
    private readonly volunteers: VolunteerService,
    private readonly places: PlaceService,
    private readonly accessLog: AccessLogService,
    private readonly clock: Clock,
  ) {}

  async createProgramme(viewer: Viewer, input: unknown): Promise<ProgrammeRow> {
    const data = parseInput(ProgrammeSchema, input);
    const v = await this.organisations.requireOrganiser(viewer, data.organisationId);
    if (data.kind === "OTHER" && !data.kindName)
      throw badInput(R.BUDDY_KIND_NAME_REQUIRED, "input.kindName: a programme of kind OTHER needs the municipality's own name", "input.kindName");
    const worksWithMinors = data.worksWithMinorsOrFamilies || FAMILY_KINDS.includes(data.kind);
    return this.repo.insertProgramme({
      id: newId("BuddyProgramme"),
      ...data,
      kindName: data.kind === "OTHER" ? data.kindName : null,
      worksWithMinorsOrFamilies: worksWithMinors,
      vogRequired: data.vogRequired || worksWithMinors,
      maxMonths: Math.max(data.minMonths, data.maxMonths),
      createdById: v.personId,
      createdAt: this.clock.now(),
    });
  }

  /** A programme's description is public: people need it to be referred or to apply. */
  async getProgramme(id: string): Promise<ProgrammeRow> {
    const row = await this.repo.findProgramme(id);
    if (!row) throw notFound(R.BUDDY_PROGRAMME_NOT_FOUND, "No buddy programme has this id.");
    return row;
  }

  findProgramme(id: string): Promise<ProgrammeRow | undefined> {
    return this.repo.findProgramme(id);
  }

  async listProgrammes(): Promise<ProgrammeRow[]> {
    return (await this.repo.listProgrammes()).slice(0, 200);
  }

  async isCoordinator(viewer: Viewer, programme: ProgrammeRow): Promise<boolean> {
    if (!viewer.personId) return false;
    return (await this.organisations.isOrganiser(viewer, programme.organisationId)) || this.repo.isExtraCoordinator(programme.id, viewer.personId);
  }

  async requireCoordinator(viewer: Viewer, programme: ProgrammeRow): Promise<AuthenticatedViewer> {
    const v = requireViewer(viewer);
    if (!(await this.isCoordinator(v, programme))) throw forbidden(R.NOT_A_PROGRAMME_COORDINATOR, "Only the coordinators of this programme can do this.");
    return v;
  }

  /** An organiser of the programme's organisation names another coordinator (a person with an account). */
  async addCoordinator(viewer: Viewer, programmeId: string, personId: string): Promise<ProgrammeRow> {
    const programme = await this.getProgramme(programmeId);
    const v = await this.organisations.requireOrganiser(viewer, programme.organisationId);
    if (!(await this.people.findById(personId))) throw notFound(PersonReason.PERSON_NOT_FOUND, "No person has this id.");
    await this.repo.addCoordinator(programme.id, personId, v.personId, this.clock.now());
    return programme;
  }

  /**
   * A participant joins the waiting list: referred by a professional or a desk (an organiser), or
   * signing up themself. Consent is recorded either way; without it nobody is put on the list.
   */
  async refer(
    viewer: Viewer,
    input: { programmeId: string; personId?: string | null; consent: boolean; consentNote?: string | null; languages: string[]; interests: string[]; weekdays: number[] },
  ) {
    const v = requireViewer(viewer);
    const programme = await this.getProgramme(input.programmeId);
    const personId = input.personId ?? v.personId;
    let referral: BuddyReferral = "SELF";
    if (personId !== v.personId) {
      if (hasRole(v, "PROFESSIONAL")) referral = "PROFESSIONAL";
      else if (hasRole(v, "ORGANISER")) referral = "DESK";
      else throw forbidden(R.BUDDY_REFERRER_ROLE_REQUIRED, "Only a professional or a desk (organiser) can refer someone else.");
    }
    if (input.consent !== true) throw badInput(R.BUDDY_CONSENT_REQUIRED, "input.consent: the participant's consent must be recorded", "input.consent");
    const profile = parseInput(ProfileSchema, { languages: input.languages, interests: input.interests, weekdays: input.weekdays });
    const consentNote = parseInput(optionalText(500), input.consentNote ?? null, "input.consentNote");
    const person = await this.people.findById(personId);
    if (!person) throw notFound(PersonReason.PERSON_NOT_FOUND, "No person has this id.");
    const now = this.clock.now();
    const row = await this.repo.insertParticipant({
      id: newId("BuddyParticipant"),
      programmeId: programme.id,
      personId,
      referral,
      referredById: referral === "SELF" ? null : v.personId,
      consentAt: now,
      consentNote,
      neighbourhoodId: person.neighbourhoodId,
      ...profile,
      status: "WAITING",
      referredAt: now,
      skipNote: null,
      updatedAt: now,
    });
    if (!row) throw conflict(R.BUDDY_ALREADY_IN_PROGRAMME, "This person already takes part in this programme.");
    return row;
  }

  /** A volunteer applies as a buddy; active at once unless the programme asks a training first. */
  async apply(viewer: Viewer, input: { programmeId: string; languages: string[]; interests: string[]; weekdays: number[]; capacity?: number | null }): Promise<BuddyRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const programme = await this.getProgramme(input.programmeId);
    const profile = parseInput(ProfileSchema, { languages: input.languages, interests: input.interests, weekdays: input.weekdays });
    const capacity = parseInput(z.number().int().min(1).max(5), input.capacity ?? 1, "input.capacity");
    const person = (await this.people.findById(v.personId))!;
    const row = await this.repo.insertBuddy({
      id: newId("Buddy"),
      programmeId: programme.id,
      personId: v.personId,
      neighbourhoodId: person.neighbourhoodId,
      ...profile,
      capacity,
      status: programme.trainingName ? "APPLIED" : "ACTIVE",
      trainedAt: null,
      trainingRecordedById: null,
      appliedAt: this.clock.now(),
    });
    if (!row) throw conflict(R.BUDDY_ALREADY_IN_PROGRAMME, "This person already takes part in this programme.");
    return row;
  }

  /** The coordinator records that the buddy followed the programme's training. */
  async recordTraining(viewer: Viewer, buddyId: string): Promise<BuddyRow> {
    const buddy = await this.repo.findBuddy(buddyId);
    const programme = buddy && (await this.repo.findProgramme(buddy.programmeId));
    if (!buddy || !programme || !(await this.isCoordinator(viewer, programme))) throw notFound(R.BUDDY_NOT_FOUND, "No buddy with this id is visible to you.");
    const v = requireViewer(viewer);
    if (!programme.trainingName) throw conflict(R.BUDDY_NO_TRAINING_IN_PROGRAMME, "This programme asks no training of its buddies.");
    return this.repo.recordTraining(buddy.id, v.personId, this.clock.now());
  }

  /** Whether the buddy may be matched now: trained if the programme asks it, and a verified VOG if it asks that. */
  async eligible(programme: ProgrammeRow, buddy: BuddyRow): Promise<boolean> {
    if (buddy.status !== "ACTIVE") return false;
    if (programme.trainingName && !buddy.trainedAt) return false;
    return !programme.vogRequired || (await this.volunteers.fitOf(buddy.personId)).vogVerified;
  }

  async participants(viewer: Viewer, programmeId: string): Promise<ParticipantRow[]> {
    const programme = await this.getProgramme(programmeId);
    await this.requireCoordinator(viewer, programme);
    return (await this.repo.participantsOf(programme.id)).slice(0, LIST_CAP);
  }

  /** The waiting list in the order it is served: first referred, first served. */
  async waitingList(viewer: Viewer, programmeId: string): Promise<ParticipantRow[]> {
    const programme = await this.getProgramme(programmeId);
    await this.requireCoordinator(viewer, programme);
    return (await this.repo.participantsOf(programme.id)).filter((p) => p.status === "WAITING").slice(0, LIST_CAP);
  }

  async buddies(viewer: Viewer, programmeId: string): Promise<BuddyRow[]> {
    const programme = await this.getProgramme(programmeId);
    await this.requireCoordinator(viewer, programme);
    return (await this.repo.buddiesOf(programme.id)).slice(0, LIST_CAP);
  }

  /** The viewer's own places in programmes, as participant. */
  async myParticipations(viewer: Viewer): Promise<ParticipantRow[]> {
    return (await this.repo.participationsOf(requireViewer(viewer).personId)).slice(0, 50);
  }

  async myBuddyRoles(viewer: Viewer): Promise<BuddyRow[]> {
    return (await this.repo.buddyRolesOf(requireViewer(viewer).personId)).slice(0, 50);
  }

  /** 1-based place on the waiting list; null unless waiting. */
  async waitingPosition(row: ParticipantRow): Promise<number | null> {
    if (row.status !== "WAITING") return null;
    const waiting = (await this.repo.participantsOf(row.programmeId)).filter((p) => p.status === "WAITING");
    return waiting.findIndex((p) => p.id === row.id) + 1;
  }

  /** The matches the viewer is part of with this participant or buddy (as the other side). */
  private async matchesBetween(viewer: Viewer, participant: ParticipantRow | null, buddy: BuddyRow | null): Promise<MatchRow[]> {
    if (!viewer.personId) return [];
    const mine = (await this.repo.buddyRolesOf(viewer.personId)).map((b) => b.id);
    const asParticipant = (await this.repo.participationsOf(viewer.personId)).map((p) => p.id);
    if (participant) return (await this.repo.matchesWith([participant.id], [])).filter((m) => mine.includes(m.buddyId));
    if (buddy) return (await this.repo.matchesWith([], [buddy.id])).filter((m) => asParticipant.includes(m.participantId));
    return [];
  }

  /** A participant as the viewer may see them: their coordinators, themself, and their matched buddy; otherwise null. */
  async findVisibleParticipant(viewer: Viewer, id: string): Promise<ParticipantRow | null> {
    const row = await this.repo.findParticipant(id);
    if (!row || !viewer.personId) return null;
    if (row.personId === viewer.personId) return row;
    const programme = (await this.repo.findProgramme(row.programmeId))!;
    if (await this.isCoordinator(viewer, programme)) return row;
    return (await this.matchesBetween(viewer, row, null)).length ? row : null;
  }

  async findVisibleBuddy(viewer: Viewer, id: string): Promise<BuddyRow | null> {
    const row = await this.repo.findBuddy(id);
    if (!row || !viewer.personId) return null;
    if (row.personId === viewer.personId) return row;
    const programme = (await this.repo.findProgramme(row.programmeId))!;
    if (await this.isCoordinator(viewer, programme)) return row;
    return (await this.matchesBetween(viewer, null, row)).length ? row : null;
  }

  /**
   * First name, neighbourhood and languages of a participant (and interests, for coordinators), for
   * those who may see the participant; each read by someone else goes to the access log.
   */
  async participantDetails(viewer: Viewer, row: ParticipantRow): Promise<ParticipantView> {
    const v = requireViewer(viewer);
    const { person, coordinator } = await this.readable(v, row.programmeId, row.personId, () => this.matchesBetween(v, row, null));
    const fields = coordinator ? ["firstName", "neighbourhood", "languages", "interests"] : ["firstName", "neighbourhood", "languages"];
    await this.accessLog.record(v.personId, person.id, fields, coordinator ? "buddy programme coordinator" : "matched buddy", row.id, { viewer: v });
    return {
      firstName: person.firstName,
      neighbourhoodId: row.neighbourhoodId,
      languages: row.languages,
      interests: coordinator || v.personId === row.personId ? row.interests : null,
    };
  }

  async buddyDetails(viewer: Viewer, row: BuddyRow): Promise<ParticipantView> {
    const v = requireViewer(viewer);
    const { person, coordinator } = await this.readable(v, row.programmeId, row.personId, () => this.matchesBetween(v, null, row));
    await this.accessLog.record(v.personId, person.id, ["firstName", "neighbourhood", "languages"], coordinator ? "buddy programme coordinator" : "matched participant", row.id, {
      viewer: v,
    });
    return {
      firstName: person.firstName,
      neighbourhoodId: row.neighbourhoodId,
      languages: row.languages,
      interests: coordinator || v.personId === row.personId ? row.interests : null,
    };
  }

  /** Contact details: for coordinators, and for the other side of a match that has not ended. */
  async contactOf(viewer: Viewer, programmeId: string, personId: string, objectId: string, matches: () => Promise<MatchRow[]>): Promise<ContactView | null> {
    const v = requireViewer(viewer);
    const { person, coordinator } = await this.readable(v, programmeId, personId, matches);
    if (!coordinator && v.personId !== personId && !(await matches()).some((m) => m.status !== "ENDED")) return null;
    await this.accessLog.record(v.personId, person.id, ["fullName", "phone", "email"], coordinator ? "buddy programme coordinator" : "buddy match", objectId, { viewer: v });
    return { fullName: [person.firstName, person.lastName].filter(Boolean).join(" "), phone: person.phone, email: person.email };
  }

  participantContact(viewer: Viewer, row: ParticipantRow) {
    return this.contactOf(viewer, row.programmeId, row.personId, row.id, () => this.matchesBetween(viewer, row, null));
  }

  buddyContact(viewer: Viewer, row: BuddyRow) {
    return this.contactOf(viewer, row.programmeId, row.personId, row.id, () => this.matchesBetween(viewer, null, row));
  }

  private async readable(v: AuthenticatedViewer, programmeId: string, personId: string, matches: () => Promise<MatchRow[]>): Promise<{ person: PersonRow; coordinator: boolean }> {
    const programme = (await this.repo.findProgramme(programmeId))!;
    const coordinator = await this.isCoordinator(v, programme);
    if (!coordinator && v.personId !== personId && !(await matches()).length) {
      throw notFound(R.BUDDY_PARTICIPANT_NOT_FOUND, "No participant with this id is visible to you.");
    }
    const person = await this.people.findById(personId);
    if (!person) throw notFound(R.BUDDY_PARTICIPANT_NOT_FOUND, "No participant with this id is visible to you.");
    return { person, coordinator };
  }

  neighbourhood(id: string | null) {
    return id ? (this.places.neighbourhood(id) ?? null) : null;
  }

  areaOf(id: string | null): string | null {
    return id ? (this.places.neighbourhood(id)?.areaId ?? null) : null;
  }
}
