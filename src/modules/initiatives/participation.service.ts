import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonService } from "../people/person.service.js";
import type { AreaRow, NeighbourhoodRow } from "../places/place.repository.js";
import type { PlaceService } from "../places/place.service.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { InitiativeService } from "./initiative.service.js";
import type { PlacementStatus } from "./initiative.tables.js";
import type { OrganisationRow } from "./organisation.repository.js";
import type { OrganisationService } from "./organisation.service.js";
import { placementGroupPublishable } from "../stats/stats.suppression.js";
import type { ParticipationRepository, PlacementRow, UtilisationData } from "./participation.repository.js";
import { type ContactOfParticipant, contactOf, resolveParticipant } from "./signup.service.js";

const ReferralSchema = z.object({
  initiativeId: z.string().min(1, "must not be empty"),
  participantId: z.string().min(1, "must not be empty").nullish(),
  participant: z.unknown().nullish(),
  note: optionalText(1000),
});

const DAY = 24 * 3600_000;
/** A placement's start may be recorded up to five years back (bringing an existing administration in). */
const MAX_BACKDATE_MS = 5 * 365 * DAY;
const MAX_PERIOD_MS = 10 * 366 * DAY;

export interface Figures {
  area: AreaRow | null;
  neighbourhood: NeighbourhoodRow | null;
  organisation: OrganisationRow | null;
  places: number;
  filledPlaces: number;
  freePlaces: number;
  utilisation: number | null;
  utilisationPercentage: number | null;
  startedParticipants: number;
  activeParticipants: number;
  endedParticipants: number;
}

export interface UtilisationReport {
  from: Date;
  to: Date;
  region: Figures;
  byArea: Figures[];
  byNeighbourhood: Figures[];
  byOrganisation: Figures[];
}

/**
 * Participation places (participatieplekken): a professional refers a resident, the organisation
 * accepts (or declines), starts and ends the placement; and the utilisation of places per
 * organisation, neighbourhood, area and region, for the municipality and partner apps.
 */
export class ParticipationService {
  constructor(
    private readonly repo: ParticipationRepository,
    private readonly initiatives: InitiativeService,
    private readonly organisations: OrganisationService,
    private readonly people: PersonService,
    private readonly accessLog: AccessLogService,
    private readonly places: PlaceService,
    private readonly clock: Clock,
  ) {}

  /** A professional refers a resident to a participation place. */
  async refer(viewer: Viewer, input: unknown): Promise<PlacementRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "PROFESSIONAL")) throw forbidden(R.ROLE_REQUIRED, "This needs one of the roles: PROFESSIONAL.");
    const data = parseInput(ReferralSchema, input);
    const initiative = await this.initiatives.get(v, data.initiativeId);
    if (initiative.kind !== "PARTICIPATION_PLACE") {
      throw badInput(R.NOT_A_PARTICIPATION_PLACE, "input.initiativeId: not a participation place", "input.initiativeId");
    }
    const now = this.clock.now();
    if (!policy.isOpen(initiative, now)) throw conflict(R.INITIATIVE_NOT_OPEN, "This participation place is not open ({status}).", { status: initiative.status });
    if ((data.participantId ?? null) === null && (data.participant ?? null) === null) {
      throw badInput(R.INVALID_INPUT, "input.participant: name the resident you refer (participantId or participant)", "input.participant");
    }
    const person = await resolveParticipant(this.people, v, data.participantId ?? null, data.participant ?? null, () => undefined);
    const row = {
      id: newId("Placement"),
      initiativeId: initiative.id,
      organisationId: initiative.organisationId,
      participantId: person.id,
      referredById: v.personId,
      status: "REFERRED" as const,
      note: data.note,
      decisionNote: null,
      referredAt: now,
      acceptedAt: null,
      startedAt: null,
      endedAt: null,
      endReason: null,
      updatedAt: now,
    };
    await this.repo.insert(row);
    return (await this.repo.findById(row.id))!;
  }

  /** The organisation accepts a referral (REFERRED -> ACCEPTED). */
  async accept(viewer: Viewer, id: string, note: string | null): Promise<PlacementRow> {
    const row = await this.getManaged(viewer, id);
    const now = this.clock.now();
    return this.move(row, ["REFERRED"], "ACCEPTED", { acceptedAt: now, decisionNote: this.note(note, "note") }, now);
  }

  /** The organisation declines a referral (REFERRED or ACCEPTED -> DECLINED). */
  async decline(viewer: Viewer, id: string, note: string | null): Promise<PlacementRow> {
    const row = await this.getManaged(viewer, id);
    return this.move(row, ["REFERRED", "ACCEPTED"], "DECLINED", { decisionNote: this.note(note, "note") }, this.clock.now());
  }

  /**
   * The participant starts (ACCEPTED -> STARTED), filling one place; PARTICIPATION_PLACES_FULL when
   * every place is taken. The start may be recorded back to when it really happened.
   */
  async start(viewer: Viewer, id: string, startedAt: Date | null): Promise<PlacementRow> {
    const row = await this.getManaged(viewer, id);
    const now = this.clock.now();
    const at = startedAt ?? now;
    if (at.getTime() > now.getTime()) throw badInput(R.INVALID_PLACEMENT_DATE, "startedAt: must not be in the future", "startedAt");
    if (now.getTime() - at.getTime() > MAX_BACKDATE_MS) throw badInput(R.INVALID_PLACEMENT_DATE, "startedAt: at most five years back", "startedAt");
    if (row.status !== "ACCEPTED") throw conflict(R.PLACEMENT_WRONG_STATUS, "A placement that is {status} cannot start.", { status: row.status });
    const outcome = await this.repo.start(id, at, now);
    if (outcome === "FULL") throw conflict(R.PARTICIPATION_PLACES_FULL, "Every place of this participation place is filled.");
    if (outcome === "WRONG_STATUS") throw conflict(R.PLACEMENT_WRONG_STATUS, "The placement changed in the meantime; reload it.");
    return (await this.repo.findById(id))!;
  }

  /** The placement ends (STARTED -> ENDED), freeing the place. */
  async end(viewer: Viewer, id: string, endedAt: Date | null, reason: string | null): Promise<PlacementRow> {
    const row = await this.getManaged(viewer, id);
    const now = this.clock.now();
    const at = endedAt ?? now;
    if (row.status !== "STARTED") throw conflict(R.PLACEMENT_WRONG_STATUS, "A placement that is {status} cannot end.", { status: row.status });
    if (at.getTime() > now.getTime()) throw badInput(R.INVALID_PLACEMENT_DATE, "endedAt: must not be in the future", "endedAt");
    if (row.startedAt && at.getTime() < row.startedAt.getTime()) {
      throw badInput(R.INVALID_PLACEMENT_DATE, "endedAt: must not be before the start", "endedAt");
    }
    const ended = await this.repo.end(id, at, this.note(reason, "reason"), now);
    if (!ended) throw conflict(R.PLACEMENT_WRONG_STATUS, "The placement changed in the meantime; reload it.");
    return (await this.repo.findById(id))!;
  }

  async get(viewer: Viewer, id: string): Promise<PlacementRow> {
    const row = await this.findVisible(viewer, id);
    if (!row) throw notFound(R.PLACEMENT_NOT_FOUND, "No placement with this id is visible to you.");
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<PlacementRow | null> {
    if (!viewer.personId) return null;
    const row = await this.repo.findById(id);
    if (!row) return null;
    return policy.canSeePlacement(viewer, row, await this.organisations.isOrganiser(viewer, row.organisationId)) ? row : null;
  }

  /**
   * Placements the viewer is concerned with: of organisations they organise, referred by them, or
   * their own; optionally of one organisation (its organisers only) or one participation place.
   */
  async list(viewer: Viewer, filter: { organisationId?: string | null; initiativeId?: string | null; statuses?: PlacementStatus[] | null }, args: PageArgs) {
    const v = requireViewer(viewer);
    const scope = cursorScope("Placements", { ...filter });
    const page = pageRequest(args, scope);
    let organisationIds: string[];
    let personId: string | null = v.personId;
    if (filter.organisationId) {
      await this.organisations.requireOrganiser(v, filter.organisationId);
      organisationIds = [filter.organisationId];
      personId = null;
    } else {
      organisationIds = (await this.organisations.mine(v)).filter((m) => m.role === "ORGANISER").map((m) => m.organisation.id);
    }
    return this.repo.list({
      organisationIds,
      personId,
      initiativeId: filter.initiativeId ?? null,
      statuses: filter.statuses ?? null,
      page,
      cursorScope: scope,
    });
  }

  /**
   * Name and contact details of the participant. Every read by someone else is written to the access
   * log: the organisers', and the referring professional's.
   */
  async contact(viewer: Viewer, row: PlacementRow): Promise<ContactOfParticipant> {
    const v = requireViewer(viewer);
    const organiser = await this.organisations.isOrganiser(v, row.organisationId);
    if (!policy.canSeePlacement(v, row, organiser)) {
      throw notFound(R.PLACEMENT_NOT_FOUND, "No placement with this id is visible to you.");
    }
    // An organisation that declined a referral has no use for the person's details any more.
    const involved = v.personId === row.participantId || v.personId === row.referredById;
    if (!involved && row.status === "DECLINED") {
      throw forbidden(R.CONTACT_DETAILS_HIDDEN, "The organisation declined this referral; the participant's details stay with the referrer.");
    }
    const person = await this.people.findById(row.participantId);
    if (!person) throw notFound(R.PERSON_NOT_FOUND, "The participant no longer exists.");
    const purpose = organiser ? "organiser of participation place" : "referrer";
    await this.accessLog.record(v.personId, person.id, ["fullName", "phone", "email", "address"], purpose, row.id, { viewer: v });
    return contactOf(person);
  }

  /**
   * Utilisation of participation places over a period (default: the twelve months up to now): places
   * and filled places at its end, and participants who started, were active or ended in it; for the
   * region (or one municipality) and per area, neighbourhood and organisation. Public: counts only,
   * and groups of fewer than five participants are left out of every people figure.
   */
  async utilisation(from: Date | null, to: Date | null, municipality: string | null): Promise<UtilisationReport> {
    const end = to ?? this.clock.now();
    const start = from ?? new Date(end.getTime() - 365 * DAY);
    if (start.getTime() >= end.getTime()) throw badInput(R.INVALID_PERIOD, "from: must be before to", "from");
    if (end.getTime() - start.getTime() > MAX_PERIOD_MS) throw badInput(R.INVALID_PERIOD, "from: a period spans at most ten years", "from");
    const place = municipality === null ? null : parseInput(text(1, 80), municipality, "municipality");
    const data = publishableOnly(await this.repo.utilisationData(start, end, place), start, end);
    const areaOf = (neighbourhoodId: string) => this.places.neighbourhood(neighbourhoodId)?.areaId ?? "";
    const orgIds = [...new Set([...data.places.map((p) => p.organisationId), ...data.placements.map((p) => p.organisationId)])];
    const orgs = new Map((await this.organisations.findRows(orgIds)).map((o) => [o.id, o]));
    const scope = { area: null, neighbourhood: null, organisation: null };
    const group = (keyOf: (x: { organisationId: string; neighbourhoodId: string }) => string) => {
      const keys = [...new Set([...data.places.map(keyOf), ...data.placements.map(keyOf)])].sort();
      return keys.map((key) => ({
        key,
        figures: figures({ places: data.places.filter((p) => keyOf(p) === key), placements: data.placements.filter((p) => keyOf(p) === key) }, start, end),
      }));
    };
    const byName = (a: Figures, b: Figures) =>
      (a.area?.name ?? a.neighbourhood?.name ?? a.organisation?.name ?? "").localeCompare(b.area?.name ?? b.neighbourhood?.name ?? b.organisation?.name ?? "");
    return {
      from: start,
      to: end,
      region: { ...scope, ...figures(data, start, end) },
      byArea: group((x) => areaOf(x.neighbourhoodId))
        .map((g) => ({ ...scope, ...g.figures, area: this.places.area(g.key) ?? null }))
        .sort(byName),
      byNeighbourhood: group((x) => x.neighbourhoodId)
        .map((g) => ({ ...scope, ...g.figures, neighbourhood: this.places.neighbourhood(g.key) ?? null }))
        .sort(byName),
      byOrganisation: group((x) => x.organisationId)
        .map((g) => ({ ...scope, ...g.figures, organisation: orgs.get(g.key) ?? null }))
        .sort(byName),
    };
  }

  private async getManaged(viewer: Viewer, id: string): Promise<PlacementRow> {
    const row = await this.get(viewer, id);
    await this.organisations.requireOrganiser(viewer, row.organisationId);
    return row;
  }

  private async move(
    row: PlacementRow,
    from: PlacementStatus[],
    to: PlacementStatus,
    set: Partial<Pick<PlacementRow, "acceptedAt" | "decisionNote">>,
    at: Date,
  ): Promise<PlacementRow> {
    if (!from.includes(row.status)) throw conflict(R.PLACEMENT_WRONG_STATUS, "A placement that is {status} cannot become {to}.", { status: row.status, to });
    const updated = await this.repo.transition(row.id, from, to, set, at);
    if (!updated) throw conflict(R.PLACEMENT_WRONG_STATUS, "The placement changed in the meantime; reload it.");
    return updated;
  }

  private note(value: string | null, field: string): string | null {
    return value === null ? null : parseInput(text(0, 1000), value, field) || null;
  }
}

/**
 * Leaves out the placements of every organisation-neighbourhood group that would single out fewer than
 * five participants (placementGroupPublishable, shared with the neighbourhood statistics). Every
 * published people figure is then a sum over groups of at least five. Places are not personal and
 * are all counted.
 */
function publishableOnly(data: UtilisationData, from: Date, to: Date): UtilisationData {
  const groups = new Map<string, UtilisationData["placements"]>();
  for (const p of data.placements) {
    const key = `${p.organisationId}|${p.neighbourhoodId}`;
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  const kept = new Set([...groups].filter(([, list]) => placementGroupPublishable(list, from.getTime(), to.getTime())).map(([key]) => key));
  return { places: data.places, placements: data.placements.filter((p) => kept.has(`${p.organisationId}|${p.neighbourhoodId}`)) };
}

/** Utilisation figures of one group of places and placements. */
function figures(data: UtilisationData, from: Date, to: Date): Omit<Figures, "area" | "neighbourhood" | "organisation"> {
  const places = data.places.reduce((sum, p) => sum + p.capacity, 0);
  const t0 = from.getTime();
  const t1 = to.getTime();
  const filledPlaces = data.placements.filter((p) => p.startedAt.getTime() <= t1 && (p.endedAt === null || p.endedAt.getTime() > t1)).length;
  const people = (list: typeof data.placements) => new Set(list.map((p) => p.participantId)).size;
  const started = people(data.placements.filter((p) => p.startedAt.getTime() >= t0));
  const ended = people(data.placements.filter((p) => p.endedAt !== null && p.endedAt.getTime() >= t0 && p.endedAt.getTime() <= t1));
  const utilisation = places > 0 ? filledPlaces / places : null;
  return {
    places,
    filledPlaces,
    freePlaces: Math.max(0, places - filledPlaces),
    utilisation,
    utilisationPercentage: utilisation === null ? null : Math.round(utilisation * 1000) / 10,
    startedParticipants: started,
    activeParticipants: people(data.placements),
    endedParticipants: ended,
  };
}
