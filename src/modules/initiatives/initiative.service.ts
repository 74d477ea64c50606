import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { type Page, cursorScope, decodeCursor, pageSize } from "../../shared/pagination.js";
import { ageOn, optionalText, parseInput, text } from "../../shared/validation.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { InitiativeReason as R } from "./initiative.errors.js";
import { type InitiativeChangeKind, initiativeChangedEvent, placesFreed, publishedEvent, signupEvent } from "./initiative.events.js";
import { DEFAULT_NEARBY_KM, MAX_NEARBY_KM, distanceKm, withNearby } from "./initiative.nearby.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { InitiativeFields, InitiativeOrderKey, InitiativeRepository, InitiativeRow, LockedInitiative } from "./initiative.repository.js";
import { MAX_OCCURRENCES, type Occurrence, expandSchedule } from "./initiative.schedule.js";
import { normaliseText, searchTerms } from "./initiative.search.js";
import type { InitiativeKind, InitiativeStatus, Recurrence } from "./initiative.tables.js";
import type { OrganisationService } from "./organisation.service.js";

/** A help request asking for suggestions (see InitiativeService.suggestionsFor). */
export interface SuggestionAsk {
  request: Pick<HelpRequestRow, "neighbourhoodId" | "personHelpedId" | "categoryId">;
  first: number;
  person?: PersonRow;
}

/** How many suggestions may be asked for: 1-20 (INVALID_PAGE_SIZE otherwise). */
export function checkSuggestionPage(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > 20) throw badInput("INVALID_PAGE_SIZE", "first: must be between 1 and 20", "first");
}

/** The most initiatives one search for a page of organisations reads before they are asked one by one. */
const ORGANISATION_BATCH = 1000;
/** The soonest fitting initiatives a request's suggestions are picked from (the closest of them). */
const SUGGESTION_POOL = 50;
/** The most initiatives one search for a page of requests reads before requests search on their own. */
const SUGGESTION_BATCH = 1000;

const KINDS = ["ACTIVITY", "MEETING_PLACE", "COURSE", "SERVICE", "PARTICIPATION_PLACE"] as const;
const FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY"] as const;
const DAY = 24 * 3600_000;
const MAX_DURATION_MS = 14 * DAY;
const MAX_AHEAD_MS = 2 * 365 * DAY;

const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, "must be a language code such as nl, en, ar, tr, pl");

const ScheduleSchema = z.object({
  startsAt: z.date({ error: "must be a date-time" }),
  endsAt: z.date({ error: "must be a date-time" }),
  repeat: z
    .object({
      frequency: z.enum(FREQUENCIES),
      interval: z.number().int().min(1, "must be 1-52").max(52, "must be 1-52").nullish(),
      count: z.number().int().min(1, "must be 1-200").max(MAX_OCCURRENCES, "must be 1-200").nullish(),
      until: z.date({ error: "must be a date-time" }).nullish(),
    })
    .nullish(),
});

const AudienceSchema = z
  .object({
    minAge: z.number().int().min(0, "must be 0-120").max(120, "must be 0-120").nullish(),
    maxAge: z.number().int().min(0, "must be 0-120").max(120, "must be 0-120").nullish(),
    languages: z.array(language).max(20, "at most 20 languages").nullish(),
  })
  .refine((a) => a.minAge == null || a.maxAge == null || a.minAge <= a.maxAge, { message: "must not be below minAge", path: ["maxAge"] });

const capacity = z.number().int().min(1, "must be 1-10000").max(10_000, "must be 1-10000");

const CreateSchema = z.object({
  organisationId: z.string().min(1, "must not be empty"),
  kind: z.enum(KINDS),
  title: text(1, 120),
  description: text(1, 4000),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  address: optionalText(300),
  capacity: capacity.nullish(),
  schedule: ScheduleSchema.nullish(),
  audience: AudienceSchema.nullish(),
  accessibility: optionalText(1000),
  categoryIds: z.array(z.string().min(1, "must not be empty")).max(20, "at most 20 categories").nullish(),
  publish: z.boolean().nullish(),
});

const UpdateSchema = z.object({
  title: text(1, 120).nullish(),
  description: text(1, 4000).nullish(),
  neighbourhoodId: z.string().min(1, "must not be empty").nullish(),
  address: optionalText(300),
  capacity: capacity.nullish(),
  unlimited: z.boolean().nullish(),
  schedule: ScheduleSchema.nullish(),
  audience: AudienceSchema.nullish(),
  accessibility: optionalText(1000),
  categoryIds: z.array(z.string().min(1, "must not be empty")).max(20, "at most 20 categories").nullish(),
});

export interface DiscoverFilter {
  neighbourhoodIds?: string[] | null;
  includeNearby?: boolean | null;
  nearbyKm?: number | null;
  kinds?: InitiativeKind[] | null;
  categoryIds?: string[] | null;
  organisationId?: string | null;
  from?: Date | null;
  to?: Date | null;
  age?: number | null;
  languages?: string[] | null;
  text?: string | null;
  hasPlacesLeft?: boolean | null;
}

interface Schedule {
  occurrences: Occurrence[];
  recurrence: Recurrence | null;
  firstStartsAt: Date | null;
  lastEndsAt: Date | null;
}

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
      throw badInput("INVALID_INPUT", "input.capacity: a participation place needs a number of places", "input.capacity");
    }
    const now = this.clock.now();
    const schedule = this.schedule(data.schedule ?? null, now, "input.schedule");
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
      ...this.searchFields(data.kind, data.title, data.description, data.address, data.neighbourhoodId, org.name, categoryIds),
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
      throw badInput("INVALID_INPUT", "input.unlimited: give either a capacity or unlimited, not both", "input.unlimited");
    }
    if (data.unlimited && row.kind === "PARTICIPATION_PLACE") {
      throw badInput("INVALID_INPUT", "input.unlimited: a participation place needs a number of places", "input.unlimited");
    }
    const now = this.clock.now();
    const schedule = data.schedule ? this.schedule(data.schedule, now, "input.schedule") : null;
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
      ...this.searchFields(row.kind, merged.title, merged.description, merged.address, merged.neighbourhoodId, org.name, categoryIds ?? row.categoryIds),
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
          throw conflict(R.WRONG_STATUS, `An initiative that is ${current.status} cannot be changed.`);
        }
        if (set.capacity != null && set.capacity < current.takenCount) {
          throw conflict(R.CAPACITY_BELOW_TAKEN, `input.capacity: ${current.takenCount} places are already taken`);
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
        await this.outbox.emit([
          ...updated.promoted.map((signupId) => signupEvent(signupId, "PROMOTED")),
          ...changes.map((change) => initiativeChangedEvent(id, change)),
        ]);
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
    if (row.status !== "DRAFT") throw conflict(R.WRONG_STATUS, `An initiative that is ${row.status} cannot be published.`);
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
    if (!done) throw conflict(R.WRONG_STATUS, "The initiative changed in the meantime; reload it and try again.");
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
    if (!from.includes(row.status)) throw conflict(R.WRONG_STATUS, `An initiative that is ${row.status} cannot become ${to}.`);
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
    if (!done) throw conflict(R.WRONG_STATUS, "The initiative changed in the meantime; reload it and try again.");
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
  async discover(filter: DiscoverFilter, order: InitiativeOrderKey | null, first?: number | null, after?: string | null): Promise<Page<InitiativeRow>> {
    const limit = pageSize(first);
    const now = this.clock.now();
    let neighbourhoodIds: string[] | null = null;
    if (filter.neighbourhoodIds) {
      for (const [i, id] of filter.neighbourhoodIds.entries()) await this.places.requireNeighbourhood(id, `filter.neighbourhoodIds.${i}`);
      neighbourhoodIds = [...new Set(filter.neighbourhoodIds)];
      if (filter.includeNearby) {
        const km = filter.nearbyKm ?? DEFAULT_NEARBY_KM;
        if (!(km >= 0.1 && km <= MAX_NEARBY_KM)) {
          throw badInput("INVALID_INPUT", `filter.nearbyKm: must be between 0.1 and ${MAX_NEARBY_KM}`, "filter.nearbyKm");
        }
        neighbourhoodIds = withNearby(this.places.listNeighbourhoods(), neighbourhoodIds, km);
      }
    }
    if (filter.categoryIds) {
      for (const [i, id] of filter.categoryIds.entries()) await this.places.requireCategory(id, `filter.categoryIds.${i}`);
    }
    if (filter.age != null && !(Number.isInteger(filter.age) && filter.age >= 0 && filter.age <= 120)) {
      throw badInput("INVALID_INPUT", "filter.age: must be 0-120", "filter.age");
    }
    if (filter.from && filter.to && filter.to.getTime() < filter.from.getTime()) {
      throw badInput(R.INVALID_PERIOD, "filter.to: must not be before filter.from", "filter.to");
    }
    const languages = filter.languages ? filter.languages.map((l, i) => parseInput(language, l, `filter.languages.${i}`)) : null;
    let terms: string[] = [];
    if (filter.text != null) {
      const query = parseInput(text(0, 200), filter.text, "filter.text");
      terms = searchTerms(query);
      if (query !== "" && terms.length === 0) {
        throw badInput(R.INVALID_SEARCH, "filter.text: give at least one word of two or more letters or digits", "filter.text");
      }
    }
    const effectiveOrder = order ?? (terms.length ? "RELEVANCE" : "SOONEST");
    const scope = cursorScope(`Initiative.discover.${effectiveOrder}`, { ...filter });
    const cursor = after ? decodeCursor(after, "after", scope) : null;
    return this.repo.discover({
      now,
      neighbourhoodIds,
      kinds: filter.kinds ?? null,
      excludeKinds: null,
      categoryIds: filter.categoryIds ?? null,
      organisationId: filter.organisationId ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      age: filter.age ?? null,
      languages,
      terms,
      hasPlacesLeft: filter.hasPlacesLeft ?? false,
      order: effectiveOrder,
      after: cursor,
      limit,
      cursorScope: scope,
    });
  }

  /** An organisation's initiatives: all of them for its organisers, the public upcoming ones for everyone else. */
  async forOrganisation(
    viewer: Viewer,
    organisationId: string,
    statuses: InitiativeStatus[] | null,
    first?: number | null,
    after?: string | null,
    /** The public first page from a batch (publicFirstPages), if there is one. */
    batchedFirstPage?: () => Promise<Page<InitiativeRow> | undefined>,
  ) {
    if (await this.organisations.isOrganiser(viewer, organisationId)) {
      const scope = cursorScope(`Initiative.managed.${organisationId}`, { statuses });
      return this.repo.forOrganisation(organisationId, {
        statuses,
        now: this.clock.now(),
        after: after ? decodeCursor(after, "after", scope) : null,
        limit: pageSize(first),
        cursorScope: scope,
      });
    }
    const batched = !after && batchedFirstPage ? await batchedFirstPage() : undefined;
    return batched ?? this.discover({ organisationId }, "SOONEST", first, after);
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
      throw badInput("INVALID_PAGE_SIZE", `first: must be between 1 and ${MAX_OCCURRENCES}`, "first");
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

  /**
   * suggestionsFor for several requests (a page of them) with one search: the initiatives that could
   * fit any of them, soonest first, from which each request takes what its own search would have
   * returned (the first SUGGESTION_POOL that fit it, the closest `first` of those).
   */
  async suggestionsForMany(asks: readonly SuggestionAsk[]): Promise<InitiativeRow[][]> {
    for (const { first } of asks) checkSuggestionPage(first);
    const all = this.places.listNeighbourhoods();
    const now = this.clock.now();
    const wanted = asks.map(({ request, first, person }) => {
      const home = [request.neighbourhoodId, person?.neighbourhoodId].filter((id): id is string => Boolean(id));
      return {
        first,
        home,
        neighbourhoodIds: new Set(withNearby(all, home, DEFAULT_NEARBY_KM)),
        categoryId: request.categoryId,
        age: person?.birthDate ? ageOn(person.birthDate, now) : null,
      };
    });
    const search = (neighbourhoodIds: string[], categoryIds: string[], age: number | null, limit: number) =>
      this.repo.discover({
        now,
        neighbourhoodIds,
        kinds: null,
        excludeKinds: ["PARTICIPATION_PLACE"],
        categoryIds,
        organisationId: null,
        from: null,
        to: null,
        age,
        languages: null,
        terms: [],
        hasPlacesLeft: false,
        order: "SOONEST",
        after: null,
        limit,
      });
    const union = <T>(lists: Iterable<T>[]) => [...new Set(lists.flatMap((l) => [...l]))];
    const categories = union(wanted.map((w) => (w.categoryId ? [w.categoryId] : [])));
    const candidates = await search(union(wanted.map((w) => w.neighbourhoodIds)), categories, wanted.length === 1 ? wanted[0].age : null, wanted.length === 1 ? SUGGESTION_POOL : SUGGESTION_BATCH);
    const fits = (w: (typeof wanted)[number], r: InitiativeRow) =>
      w.categoryId !== null &&
      r.categoryIds.includes(w.categoryId) &&
      w.neighbourhoodIds.has(r.neighbourhoodId) &&
      (w.age === null || ((r.minAge === null || r.minAge <= w.age) && (r.maxAge === null || r.maxAge >= w.age)));
    return Promise.all(
      wanted.map(async (w) => {
        // The shared search is in the same (soonest) order as each request's own; when it was cut
        // short, a request whose pool it does not fill searches on its own.
        let pool = candidates.items.filter((r) => fits(w, r)).slice(0, SUGGESTION_POOL);
        if (candidates.hasNextPage && pool.length < SUGGESTION_POOL) {
          pool = w.categoryId ? (await search([...w.neighbourhoodIds], [w.categoryId], w.age, SUGGESTION_POOL)).items : [];
        }
        const centres = all.filter((n) => w.home.includes(n.id));
        const distance = (r: InitiativeRow) => {
          const n = this.places.neighbourhood(r.neighbourhoodId);
          return n ? Math.min(...centres.map((c) => distanceKm(c, n))) : Infinity;
        };
        return pool
          .map((r, i) => ({ r, i, d: distance(r) }))
          .sort((a, b) => a.d - b.d || a.i - b.i)
          .slice(0, w.first)
          .map((x) => x.r);
      }),
    );
  }

  /** Whether a published initiative should reach an `initiativePublished` subscription with this filter. */
  fitsPublishedFilter(row: InitiativeRow, filter: { neighbourhoodIds?: string[] | null; kinds?: InitiativeKind[] | null }): boolean {
    if (row.status !== "PUBLISHED") return false;
    return this.fitsChangeFilter(row, "RESCHEDULED", filter);
  }

  /**
   * Whether a public change reaches an `initiativePublished` subscriber with this filter. A publication
   * is announced while the initiative is still published; any later change is announced for as long
   * as the initiative is public (a cancellation must reach those who heard of it).
   */
  fitsChangeFilter(row: InitiativeRow, change: InitiativeChangeKind, filter: { neighbourhoodIds?: string[] | null; kinds?: InitiativeKind[] | null }): boolean {
    if (!policy.isPublic(row) || (change === "PUBLISHED" && row.status !== "PUBLISHED")) return false;
    if (filter.neighbourhoodIds?.length && !filter.neighbourhoodIds.includes(row.neighbourhoodId)) return false;
    if (filter.kinds?.length && !filter.kinds.includes(row.kind)) return false;
    return true;
  }

  private async requireCategories(ids: string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    for (const [i, id] of unique.entries()) await this.places.requireCategory(id, `${field}.${i}`);
    return unique;
  }

  /** Validates a schedule and expands it into dates. */
  private schedule(input: z.infer<typeof ScheduleSchema> | null, now: Date, field: string): Schedule {
    if (!input) return { occurrences: [], recurrence: null, firstStartsAt: null, lastEndsAt: null };
    const { startsAt, endsAt, repeat } = input;
    const bad = (path: string, message: string) => badInput(R.INVALID_SCHEDULE, `${field}${path}: ${message}`, `${field}${path}`);
    if (endsAt.getTime() <= startsAt.getTime()) throw bad(".endsAt", "must be after startsAt");
    if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw bad(".endsAt", "one date lasts at most 14 days");
    if (startsAt.getTime() - now.getTime() > MAX_AHEAD_MS) throw bad(".startsAt", "at most two years ahead");
    let rule = null;
    if (repeat) {
      if (repeat.count == null && repeat.until == null) throw bad(".repeat", "give count, until or both");
      if (repeat.until && repeat.until.getTime() < startsAt.getTime()) throw bad(".repeat.until", "must not be before startsAt");
      if (repeat.until && repeat.until.getTime() - startsAt.getTime() > MAX_AHEAD_MS) throw bad(".repeat.until", "at most two years after startsAt");
      rule = { frequency: repeat.frequency, interval: repeat.interval ?? 1, count: repeat.count ?? null, until: repeat.until ?? null };
    }
    const occurrences = expandSchedule({ startsAt, endsAt }, rule);
    if (occurrences.length > MAX_OCCURRENCES) throw bad(".repeat", `at most ${MAX_OCCURRENCES} dates`);
    const last = occurrences[occurrences.length - 1];
    if (last.endsAt.getTime() <= now.getTime()) throw bad("", "every date is in the past");
    return {
      occurrences,
      recurrence: rule ? { ...rule, until: rule.until?.toISOString() ?? null } : null,
      firstStartsAt: occurrences[0].startsAt,
      lastEndsAt: last.endsAt,
    };
  }

  private searchFields(
    kind: InitiativeKind,
    title: string,
    description: string,
    address: string | null,
    neighbourhoodId: string,
    organisationName: string,
    categoryIds: string[],
  ) {
    const categories = categoryIds.flatMap((id) => {
      const c = this.places.category(id);
      return c ? [c.name, c.nameNl] : [];
    });
    const neighbourhood = this.places.neighbourhood(neighbourhoodId)?.name ?? "";
    return {
      searchTitle: normaliseText(title),
      searchText: normaliseText([title, description, address ?? "", neighbourhood, organisationName, kind.replace(/_/g, " "), ...categories].join(" ")),
    };
  }
}
