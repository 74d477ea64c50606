import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { SharedReason, badInput, forbidden, notFound } from "../../shared/errors.js";
import { localDate, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { PersonReason } from "../people/person.errors.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { VolunteerReason } from "./volunteer.errors.js";
import type { VolunteerProfileRow, VolunteerRepository } from "./volunteer.repository.js";
import type { AvailabilitySlot } from "./volunteer.tables.js";

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM");

const ProfileSchema = z.object({
  categoryIds: z.array(z.string().min(1)).max(50, "at most 50 categories"),
  neighbourhoodIds: z.array(z.string().min(1)).max(100, "at most 100 neighbourhoods"),
  languages: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z]{2,3}$/, "must be a language code such as nl, en, ar, tr, pl"),
    )
    .max(20, "at most 20 languages"),
  availability: z
    .array(
      z
        .object({
          weekday: z.number().int().min(1, "must be 1 (Monday) to 7 (Sunday)").max(7, "must be 1 (Monday) to 7 (Sunday)"),
          from: time,
          to: time,
        })
        .refine((s) => s.from < s.to, { message: "must end after it starts", path: ["to"] }),
    )
    .max(50, "at most 50 slots"),
});

/** What decides which requests a volunteer is shown. */
export interface VolunteerFit {
  personId: string;
  categoryIds: string[];
  neighbourhoodIds: string[];
  vogVerified: boolean;
  /** Weekly slots (Europe/Amsterdam); none stated limits nothing. */
  availability: AvailabilitySlot[];
  /** Languages spoken (ISO 639 codes); none stated limits nothing. */
  languages: string[];
}

/**
 * Told when a volunteer stops holding a verified VOG (rejected, or replaced by a new declaration that
 * is not yet verified), with who made the change. The help-request module ends the matches that
 * needed one; the change is answered only after every listener finished.
 */
export type VogLostListener = (personId: string, actorId: string) => Promise<unknown>;

/** How long a volunteer's fit may be reused for browsing and live filtering (changes on this instance clear it at once). */
const FIT_TTL_MS = 30_000;

/** Volunteer profiles (skills, neighbourhoods, languages, availability) and their VOG. */
export class VolunteerService {
  private readonly fits = new LRUCache<string, { fit: Promise<VolunteerFit>; value?: VolunteerFit }>({ max: 50_000, ttl: FIT_TTL_MS });
  /**
   * Fits asked for in the same tick are read together. A posted request asks for every subscribed
   * volunteer's fit at once, and fits cached at the same moment run out at the same moment: one by
   * one, that was three reads per volunteer in a single event (seconds at 10,000 subscribers).
   */
  private readonly fitLoads = new DataLoader<string, VolunteerFit>(
    async (ids) => {
      const profiles = await this.repo.findMany(ids);
      return ids.map((id) => fitFrom(id, profiles.get(id)));
    },
    { cache: false, maxBatchSize: 1000 },
  );

  private readonly vogLost: VogLostListener[] = [];

  constructor(
    private readonly repo: VolunteerRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly clock: Clock,
  ) {}

  /** Registers a listener for volunteers who no longer hold a verified VOG (see VogLostListener). */
  onVogLost(listener: VogLostListener): void {
    this.vogLost.push(listener);
  }

  /** A VOG cannot be issued after today (in Dordrecht's calendar). */
  private issuedOn(value: string, field: string): string {
    const date = parseInput(localDate, value, field);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(this.clock.now());
    if (date > today) throw badInput(VolunteerReason.VOG_ISSUED_IN_FUTURE, "{field}: a VOG cannot be issued after today ({today})", field, { field, today });
    return date;
  }

  /** Stores a VOG change; when it ends a verified VOG, the listeners end what needed it before this returns. */
  private async setVog(personId: string, vog: Parameters<VolunteerRepository["setVog"]>[1], actorId: string): Promise<void> {
    const before = await this.repo.find(personId);
    this.fits.delete(personId);
    await this.repo.setVog(personId, vog, this.clock.now());
    this.fits.delete(personId);
    if (before?.vogStatus === "VERIFIED" && vog.vogStatus !== "VERIFIED") {
      for (const listener of this.vogLost) await listener(personId, actorId);
    }
  }

  async myProfile(viewer: Viewer): Promise<VolunteerProfileRow | null> {
    const v = requireViewer(viewer);
    return (await this.repo.find(v.personId)) ?? null;
  }

  async updateMyProfile(viewer: Viewer, input: unknown): Promise<VolunteerProfileRow> {
    const v = this.requireVolunteer(viewer);
    const data = parseInput(ProfileSchema, input);
    const categoryIds = [...new Set(data.categoryIds)];
    const neighbourhoodIds = [...new Set(data.neighbourhoodIds)];
    for (const [i, id] of categoryIds.entries()) await this.places.requireCategory(id, `input.categoryIds.${i}`);
    for (const [i, id] of neighbourhoodIds.entries()) await this.places.requireNeighbourhood(id, `input.neighbourhoodIds.${i}`);
    this.fits.delete(v.personId);
    await this.repo.save(v.personId, { categoryIds, neighbourhoodIds, languages: [...new Set(data.languages)], availability: data.availability }, this.clock.now());
    return (await this.repo.find(v.personId))!;
  }

  /** The volunteer says they hold a VOG issued on a date; a coordinator still has to verify it. */
  async declareVog(viewer: Viewer, issuedOn: string): Promise<VolunteerProfileRow> {
    const v = this.requireVolunteer(viewer);
    const date = this.issuedOn(issuedOn, "issuedOn");
    await this.setVog(v.personId, { vogStatus: "PENDING", vogIssuedOn: date, vogVerifiedById: null, vogVerifiedAt: null }, v.personId);
    return (await this.repo.find(v.personId))!;
  }

  /**
   * A coordinator records that they saw the VOG (verified) or that it was not valid (rejected). Without
   * an issue date the declared one stays. A rejection ends the matches that needed a VOG.
   */
  async reviewVog(viewer: Viewer, personId: string, verified: boolean, issuedOn: string | null): Promise<VolunteerProfileRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may verify a VOG.");
    const person = await this.people.findById(personId);
    if (!person) throw notFound(PersonReason.PERSON_NOT_FOUND, "No person has this id.");
    const date = issuedOn === null ? ((await this.repo.find(personId))?.vogIssuedOn ?? null) : this.issuedOn(issuedOn, "issuedOn");
    await this.setVog(personId, { vogStatus: verified ? "VERIFIED" : "REJECTED", vogIssuedOn: date, vogVerifiedById: v.personId, vogVerifiedAt: this.clock.now() }, v.personId);
    return (await this.repo.find(personId))!;
  }

  /** The volunteer's fit as stored now. Reads asked for in the same tick share one query; nothing is cached. */
  fitOf(personId: string): Promise<VolunteerFit> {
    return this.fitLoads.load(personId);
  }

  /**
   * `fitOf`, reused for up to 30 seconds: browsing and live filtering ask for it on every request
   * and for every subscriber of every posted request. A change made through this instance clears it
   * at once, one made through another instance shows within the 30 seconds (as roles do). Decisions
   * that must be exact (accepting a request that needs a VOG) call `fitOf`.
   */
  recentFitOf(personId: string): Promise<VolunteerFit> {
    const cached = this.fits.get(personId);
    if (cached) return cached.fit;
    const entry: { fit: Promise<VolunteerFit>; value?: VolunteerFit } = { fit: this.fitLoads.load(personId) };
    this.fits.set(personId, entry);
    entry.fit.then(
      (value) => (entry.value = value),
      () => {
        if (this.fits.peek(personId) === entry) this.fits.delete(personId);
      },
    );
    return entry.fit;
  }

  /** `recentFitOf` when it is at hand without waiting (cached and loaded), else undefined. */
  recentFitNow(personId: string): VolunteerFit | undefined {
    return this.fits.get(personId)?.value;
  }

  requireVolunteer(viewer: Viewer): AuthenticatedViewer {
    const v = requireViewer(viewer);
    if (!hasRole(v, "VOLUNTEER")) throw forbidden(VolunteerReason.VOLUNTEER_ONLY, "Only a volunteer may do this.");
    return v;
  }
}

function fitFrom(personId: string, row: VolunteerProfileRow | undefined): VolunteerFit {
  return {
    personId,
    categoryIds: row?.categoryIds ?? [],
    neighbourhoodIds: row?.neighbourhoodIds ?? [],
    vogVerified: row?.vogStatus === "VERIFIED",
    availability: row?.availability ?? [],
    languages: row?.languages ?? [],
  };
}
