import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type Page, type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { parseInput, text } from "../../shared/validation.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { LockedInitiative } from "./capacity.repository.js";
import type { InitiativeOrderKey } from "./initiative-discovery.repository.js";
import type { InitiativeFields, InitiativeRow } from "./initiative-rows.repository.js";
import { placesFreed } from "./initiative.capacity.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { type InitiativeChangeKind, initiativeChangedEvent, publishedEvent, signupEvent } from "./initiative.events.js";
import { type DiscoverFilter, discoveryQuery } from "./initiative.filter.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { InitiativeRepository } from "./initiative.repository.js";
import { MAX_OCCURRENCES, type Occurrence, planSchedule } from "./initiative.schedule.js";
import { searchFields } from "./initiative.search.js";
import { type SuggestionAsk, suggestInitiatives } from "./initiative.suggestions.js";
import type { InitiativeStatus } from "./initiative.tables.js";
import { CreateSchema, UpdateSchema } from "./initiative.validation.js";
import type { OrganisationService } from "./organisation.service.js";

/** The most initiatives one search for a page of organisations reads before they are asked one by one. */
const ORGANISATION_BATCH = 1000;

/**
 * Neighbourhood initiatives (buurtinitiatieven): organisers create, publish, change, cancel and end
 * them; everyone (no account needed) discovers the public ones; help requests get fitting ones as
 * suggestions.
 */
export class InitiativeService {
  constructor(
    private readonly repo: InitiativeRepository,
    private readonly organisations: OrganisationService,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  /** An organiser creates an initiative for their organisation: a draft, or published at once. */
  async create(viewer: Viewer, input: unknown): Promise<InitiativeRow> {
    const v = requireViewer(viewer);
    const data = parseInput(CreateSchema, input);
    const org = await this.organisations.get(v, data.organisationId);
    await this.organisations.requireOrganiser(v, org.id);
    await this.places.requireNeighbourhood(data.neighbourhoodId, "input.neighbourhoodId");
    const categoryIds = await this.requireCategories(data.categoryIds ?? [], "input.categoryIds");
    if (data.kind === "PARTICIPATION_PLACE" && data.capacity == null) {
      throw badInput(R.INVALID_INPUT, "input.capacity: a participation place needs a number of places", "input.capacity");
    }
    const now = this.clock.now();
    const schedule = planSchedule(data.schedule ?? null, now, "input.schedule");
    const languages = [...new Set(data.audience?.languages ?? [])];
    const fields: InitiativeFields = {
      id: newId("Initiative"),
      organisationId: org.id,
      kind: data.kind,
      status: "DRAFT",
      title: data.title,
      description: data.description,
      neighbourhoodId: data.neighbourhoodId,
      address: data.address,
      capacity: data.capacity ?? null,
      takenCount: 0,
      waitlistCount: 0,
      lastPosition: 0,
      minAge: data.audience?.minAge ?? null,
      maxAge: data.audience?.maxAge ?? null,
      accessibility: data.accessibility,
      recurrence: schedule.recurrence,
      firstStartsAt: schedule.firstStartsAt,
      lastEndsAt: schedule.lastEndsAt,
      publishedAt: null,
      closedAt: null,
      closeReason: null,
      createdById: v.personId,
      createdAt: now,
      updatedAt: now,
      ...searchFields(data.kind, data.title, data.description, data.address, data.neighbourhoodId, org.name, categoryIds, this.places),
    };
    await this.repo.insert(fields, schedule.occurrences, categoryIds, languages);
    if (data.publish) return this.publish(v, fields.id);
    return (await this.repo.findById(fields.id, now))!;
  }

  /** Changes a draft or published initiative. Raising the capacity promotes people from the waiting list. */
  async update(viewer: Viewer, id: string, input: unknown): Promise<InitiativeRow> {
    const v = requireViewer(viewer);
    const row = await this.getManaged(v, id);
    const data = parseInput(UpdateSchema, input);
    if (data.neighbourhoodId) await this.places.requireNeighbourhood(data.neighbourhoodId, "input.neighbourhoodId");
    const categoryIds = data.categoryIds ? await this.requireCategories(data.categoryIds, "input.categoryIds") : null;
    if (data.unlimited && data.capacity != null) {
      throw badInput(R.INVALID_INPUT, "input.unlimited: give either a capacity or unlimited, not both", "input.unlimited");
    }
    if (data.unlimited && row.kind === "PARTICIPATION_PLACE") {
      throw badInput(R.INVALID_INPUT, "input.unlimited: a participation place needs a number of places", "input.unlimited");
    }
    const now = this.clock.now();
    const schedule = data.schedule ? planSchedule(data.schedule, now, "input.schedule") : null;
    const org = (await this.organisations.findRow(row.organisationId))!;
    // Omitted fields stay as they are; an explicit null (or empty text) clears an optional one.
    const given = (key: string) => typeof input === "object" && input !== null && (input as Record<string, unknown>)[key] !== undefined;
    const merged = {
      title: data.title ?? row.title,
      description: data.description ?? row.description,
      address: given("address") ? data.address : row.address,
      neighbourhoodId: data.neighbourhoodId ?? row.neighbourhoodId,
    };
    const set: Partial<InitiativeFields> = {
      ...merged,
      ...searchFields(row.kind, merged.title, merged.description, merged.address, merged.neighbourhoodId, org.name, categoryIds ?? row.categoryIds, this.places),
    };
    if (data.capacity != null) set.capacity = data.capacity;
    if (data.unlimited) set.capacity = null;
    if (given("accessibility")) set.accessibility = data.accessibility;
    if (data.audience) {
      set.minAge = data.audience.minAge ?? null;
      set.maxAge = data.audience.maxAge ?? null;
    }
    if (schedule) {
      set.recurrence = schedule.recurrence;
      set.firstStartsAt = schedule.firstStartsAt;
      set.lastEndsAt = schedule.lastEndsAt;
    }
    const changes: InitiativeChangeKind[] = [];
    const result = await this.outbox.unit(async () => {
      const updated = await this.repo.update(
        id,
        (current: LockedInitiative) => {
          if (current.status !== "DRAFT" && current.status !== "PUBLISHED") {
            throw conflict(R.INITIATIVE_WRONG_STATUS, "An initiative that is {status} cannot be changed.", { status: current.status });
          }
          if (set.capacity != null && set.capacity < current.takenCount) {
            throw conflict(R.CAPACITY_BELOW_TAKEN, "input.capacity: {taken} places are already taken", { taken: current.takenCount });
          }
          // Only a published initiative's changes are announced (a draft is its organisers' own business).
          if (current.status === "PUBLISHED") {
            if (schedule) changes.push("RESCHEDULED");
            if ("capacity" in set && placesFreed(current, set.capacity ?? null)) changes.push("PLACES_FREED");
          }
          return {
            set,
            occurrences: schedule?.occurrences ?? null,
            categoryIds,
            languages: data.audience ? [...new Set(data.audience.languages ?? [])] : null,
          };
        },
        now,
      );
      if (updated) {
        await this.outbox.emit([...updated.promoted.map((signupId) => signupEvent(signupId, "PROMOTED")), ...changes.map((change) => initiativeChangedEvent(id, change))]);
      }
      return updated;
    });
    if (!result) throw notFound(R.INITIATIVE_NOT_FOUND, "No initiative with this id is visible to you.");
    return (await this.repo.findById(id, now))!;
  }

  /** DRAFT -> PUBLISHED. Public (and announced live) once the organisation is verified. */
  async publish(viewer: Viewer, id: string): Promise<InitiativeRow> {
    const v = requireViewer(viewer);
    const row = await this.getManaged(v, id);
    if (row.status !== "DRAFT") throw conflict(R.INITIATIVE_WRONG_STATUS, "An initiative that is {status} cannot be published.", { status: row.status });
    const now = this.clock.now();
    if (row.lastEndsAt && row.lastEndsAt.getTime() <= now.getTime()) {
      throw badInput(R.INVALID_SCHEDULE, "schedule: every date is in the past; change the dates first", "schedule");
    }
    const done = await this.outbox.unit(async () => {
      const moved = await this.repo.setStatus(id, ["DRAFT"], "PUBLISHED", { publishedAt: now }, v.personId, now);
      // Announced only once it is public: an unverified organisation's initiative waits for verification.
      if (moved && row.organisationVerified) await this.outbox.emit([publishedEvent(id)]);
      return moved;
    });
    if (!done) throw conflict(R.INITIATIVE_WRONG_STATUS, "The initiative changed in the meantime; reload it and try again.");
    return (await this.repo.findById(id, now))!;
  }

  /** DRAFT or PUBLISHED -> CANCELLED; every active sign-up is cancelled and told so. */
  async cancel(viewer: Viewer, id: string, reason: string | null): Promise<InitiativeRow> {
    return this.close(viewer, id, ["DRAFT", "PUBLISHED"], "CANCELLED", reason);
  }

  /** PUBLISHED -> ENDED; sign-ups stay as history. */
  async end(viewer: Viewer, id: string, reason: string | null): Promise<InitiativeRow> {
    return this.close(viewer, id, ["PUBLISHED"], "ENDED", reason);
  }

  private async close(viewer: Viewer, id: string, from: InitiativeStatus[], to: InitiativeStatus, reason: string | null): Promise<InitiativeRow> {
    const v = requireViewer(viewer);
    const row = await this.getManaged(v, id);
    if (!from.includes(row.status)) throw conflict(R.INITIATIVE_WRONG_STATUS, "An initiative that is {status} cannot become {to}.", { status: row.status, to });
    const note = reason === null ? null : parseInput(text(0, 1000), reason, "reason") || null;
    const now = this.clock.now();
    const done = await this.outbox.unit(async () => {
      const moved = await this.repo.setStatus(id, from, to, { closedAt: now, closeReason: note }, v.personId, now);
      if (moved) {
        await this.outbox.emit([
          ...moved.cancelledSignups.map((signupId) => signupEvent(signupId, "INITIATIVE_CANCELLED")),
          // Those who heard of a published initiative hear that it is over.
          ...(row.status === "PUBLISHED" ? [initiativeChangedEvent(id, to === "CANCELLED" ? "CANCELLED" : "ENDED")] : []),
        ]);
      }
      return moved;
    });
    if (!done) throw conflict(R.INITIATIVE_WRONG_STATUS, "The initiative changed in the meantime; reload it and try again.");
    return (await this.repo.findById(id, now))!;
  }

  /** One initiative as the viewer may see it (public, or theirs to organise); NOT_FOUND otherwise. */
  async get(viewer: Viewer, id: string): Promise<InitiativeRow> {
    const row = await this.findVisible(viewer, id);
    if (!row) throw notFound(R.INITIATIVE_NOT_FOUND, "No initiative with this id is visible to you.");
    return row;
  }

  async findVisible(viewer: Viewer, id: string): Promise<InitiativeRow | null> {
    const row = await this.repo.findById(id, this.clock.now());
    if (!row) return null;
    if (policy.isPublic(row)) return row;
    return policy.canSeeInitiative(row, await this.organisations.roleOf(viewer, row.organisationId)) ? row : null;
  }

  /** The stored row without a visibility check; callers apply the policy themselves. */
  findRow(id: string): Promise<InitiativeRow | undefined> {
    return this.repo.findById(id, this.clock.now());
  }

  /** An initiative the viewer organises (NOT_FOUND when invisible, NOT_AN_ORGANISER when only public). */
  async getManaged(viewer: Viewer, id: string): Promise<InitiativeRow> {
    const row = await this.get(viewer, id);
    await this.organisations.requireOrganiser(viewer, row.organisationId);
    return row;
  }

  /** Public discovery; no account needed. */
  async discover(filter: DiscoverFilter, order: InitiativeOrderKey | null, args: PageArgs = {}): Promise<Page<InitiativeRow>> {
    return this.repo.discover(await discoveryQuery(filter, order, args, this.clock.now(), this.places));
  }

  /** An organisation's initiatives: all of them for its organisers, the public upcoming ones for everyone else. */
  async forOrganisation(
    viewer: Viewer,
    organisationId: string,
    statuses: InitiativeStatus[] | null,
    args: PageArgs,
    /** The public first page from a batch (publicFirstPages), if there is one. */
    batchedFirstPage?: () => Promise<Page<InitiativeRow> | undefined>,
  ) {
    if (await this.organisations.isOrganiser(viewer, organisationId)) {
      const scope = cursorScope(`Initiative.managed.${organisationId}`, { statuses });
      return this.repo.forOrganisation(organisationId, {
        statuses,
        now: this.clock.now(),
        page: pageRequest(args, scope),
        cursorScope: scope,
      });
    }
    // Only a plain first page is batched; a page from a cursor or backward is read on its own.
    const firstPage = args.after == null && args.last == null && args.before == null;
    const batched = firstPage && batchedFirstPage ? await batchedFirstPage() : undefined;
    return batched ?? this.discover({ organisationId }, "SOONEST", args);
  }

  /**
   * The public first pages of several organisations' initiatives (what forOrganisation gives everyone
   * but their organisers), each `[page size, organisation id]`, with one search; undefined for those
   * that must be asked one by one (more initiatives than one search reads).
   */
  async publicFirstPages(asks: readonly (readonly [number, string])[]): Promise<(Page<InitiativeRow> | undefined)[]> {
    const now = this.clock.now();
    const bySize = new Map<number, string[]>();
    for (const [size, id] of asks) bySize.set(size, [...(bySize.get(size) ?? []), id]);
    const pages = new Map<string, Page<InitiativeRow> | undefined>();
    for (const [size, ids] of bySize) {
      const found = await this.repo.firstPagesByOrganisation(
        { now, neighbourhoodIds: null, kinds: null, excludeKinds: null, categoryIds: null, from: null, to: null, age: null, languages: null, terms: [], hasPlacesLeft: false },
        [...new Set(ids)],
        size,
        ORGANISATION_BATCH,
        (organisationId) => cursorScope("Initiative.discover.SOONEST", { organisationId }),
      );
      for (const id of ids) pages.set(`${size}:${id}`, found?.get(id));
    }
    return asks.map(([size, id]) => pages.get(`${size}:${id}`));
  }

  /** Dates of an initiative from a moment on (default: now), soonest first. */
  async dates(row: InitiativeRow, from: Date | null, first: number | null | undefined): Promise<Occurrence[]> {
    const limit = first ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_OCCURRENCES) {
      throw badInput(R.INVALID_PAGE_SIZE, "first: must be between 1 and {max}", "first", { max: MAX_OCCURRENCES });
    }
    return this.repo.occurrences(row.id, from ?? this.clock.now(), limit);
  }

  /**
   * Initiatives that fit a help request, as suggestions: the request's category, in the request's or
   * the person's neighbourhood or one nearby (by centroid), welcoming the person's age; closest
   * first, then soonest. Participation places are left out (they need a professional's referral).
   */
  async suggestionsFor(request: SuggestionAsk["request"], first: number, personHelped?: PersonRow): Promise<InitiativeRow[]> {
    const person = personHelped ?? (await this.people.findById(request.personHelpedId));
    return (await this.suggestionsForMany([{ request, first, person }]))[0];
  }

  /** suggestionsFor for several requests (a page of them) with one search: see suggestInitiatives. */
  suggestionsForMany(asks: readonly SuggestionAsk[]): Promise<InitiativeRow[][]> {
    return suggestInitiatives(asks, this.clock.now(), this.places, (q) => this.repo.discover(q));
  }

  private async requireCategories(ids: string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    for (const [i, id] of unique.entries()) await this.places.requireCategory(id, `${field}.${i}`);
    return unique;
  }
}
