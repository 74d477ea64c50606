import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { SharedReason, badInput, forbidden, notFound } from "../../shared/errors.js";
import { type PageArgs, type Page, cursorScope, pageRequest } from "../../shared/pagination.js";
import { localDate, parseInput } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { PersonReason } from "../people/person.errors.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import { VolunteerReason } from "./volunteer.errors.js";
import type { VogReviewRow, VolunteerProfileRow, VolunteerRepository } from "./volunteer.repository.js";
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
  /** A verified VOG whose term has not ended. */
  vogVerified: boolean;
  /** When a verified VOG stops counting (start of its expiry day in Amsterdam); null without one. */
  vogExpiresAt: Date | null;
  /** Weekly slots (Europe/Amsterdam); none stated limits nothing. */
  availability: AvailabilitySlot[];
  /** Languages spoken (ISO 639 codes); none stated limits nothing. */
  languages: string[];
  /** `neighbourhoodIds` and `categoryIds` as sets (see OpenRequestFit). */
  neighbourhoodSet: ReadonlySet<string>;
  categorySet: ReadonlySet<string>;
}

const ZONE = "Europe/Amsterdam";
/** Verified VOGs one sweep pass ends at most per round (it continues until none is due). */
const EXPIRY_BATCH = 200;

/**
 * Told when a volunteer stops holding a verified VOG, with who made the change (null: the sweep) and
 * why, as a sentence for the history: a review (rejected, or replaced by a new declaration that is not
 * yet verified) or the end of its term. The help-request module ends the matches that needed one; the change is answered only after
 * every listener finished. A listener may be told twice about one loss (two instances sweeping at once)
 * and must then act once.
 */
export type VogLostListener = (personId: string, actorId: string | null, why: string) => Promise<unknown>;

/** How long a volunteer's fit may be reused for browsing and live filtering (changes on this instance clear it at once). */
const FIT_TTL_MS = 30_000;

/** A cached fit: the read (and its answer once it came), and when it is read again ahead of its expiry. */
interface FitEntry {
  fit: Promise<VolunteerFit>;
  value?: VolunteerFit;
  refreshAt: number;
  refreshing: boolean;
}

/** When a fit cached now is read again in the background: a random point between half and four fifths of FIT_TTL_MS. */
const refreshPoint = () => Date.now() + FIT_TTL_MS * (0.5 + 0.3 * Math.random());

/** Volunteer profiles (skills, neighbourhoods, languages, availability) and their VOG. */
export class VolunteerService {
  private readonly fits = new LRUCache<string, FitEntry>({ max: 50_000, ttl: FIT_TTL_MS });
  /**
   * Fits asked for in the same tick are read together. A posted request asks for every subscribed
   * volunteer's fit at once, and fits cached at the same moment run out at the same moment: one by
   * one, that was three reads per volunteer in a single event (seconds at 10,000 subscribers).
   */
  private readonly fitLoads = new DataLoader<string, VolunteerFit>(
    async (ids) => {
      const profiles = await this.repo.findMany(ids);
      return ids.map((id) => this.fitFrom(id, profiles.get(id)));
    },
    { cache: false, maxBatchSize: 1000 },
  );

  private readonly vogLost: VogLostListener[] = [];

  constructor(
    private readonly repo: VolunteerRepository,
    private readonly places: PlaceService,
    private readonly people: PersonService,
    private readonly clock: Clock,
    /** A VOG's term from its issue date (VOG_VALID_MONTHS), the same one the reminder before its end counts with. */
    private readonly vogValidMonths = 36,
  ) {}

  /** The day a VOG issued on `issuedOn` stops counting: its issue date plus the term, in Amsterdam's calendar. */
  vogExpiresOn(issuedOn: string): string {
    return DateTime.fromISO(issuedOn, { zone: ZONE }).plus({ months: this.vogValidMonths }).toISODate()!;
  }

  private today(): string {
    return DateTime.fromJSDate(this.clock.now(), { zone: ZONE }).toISODate()!;
  }

  /** The fit as held now; a cached fit whose VOG has since passed its term is not. */
  private current(fit: VolunteerFit | undefined): fit is VolunteerFit {
    return fit !== undefined && !(fit.vogVerified && fit.vogExpiresAt !== null && fit.vogExpiresAt.getTime() <= this.clock.now().getTime());
  }

  /** Registers a listener for volunteers who no longer hold a verified VOG (see VogLostListener). */
  onVogLost(listener: VogLostListener): void {
    this.vogLost.push(listener);
  }

  /** A VOG cannot be issued after today (in Dordrecht's calendar), nor so long ago that its term has ended. */
  private issuedOn(value: string, field: string): string {
    const date = parseInput(localDate, value, field);
    const today = this.today();
    if (date > today) throw badInput(VolunteerReason.VOG_ISSUED_IN_FUTURE, "{field}: a VOG cannot be issued after today ({today})", field, { field, today });
    const expiresOn = this.vogExpiresOn(date);
    if (expiresOn <= today) {
      throw badInput(VolunteerReason.VOG_TERM_ENDED, "{field}: a VOG issued then stopped counting on {expiresOn}; a new one is needed", field, { field, expiresOn });
    }
    return date;
  }

  /** Stores a VOG change; when it ends a verified VOG, the listeners end what needed it before this returns. */
  private async setVog(personId: string, vog: Parameters<VolunteerRepository["setVog"]>[1], actorId: string): Promise<void> {
    const before = await this.repo.find(personId);
    this.fits.delete(personId);
    await this.repo.setVog(personId, vog, this.clock.now());
    this.fits.delete(personId);
    if (before?.vogStatus === "VERIFIED" && vog.vogStatus !== "VERIFIED") {
      for (const listener of this.vogLost) await listener(personId, actorId, "The volunteer's VOG is no longer verified");
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
    await this.setVog(v.personId, { vogStatus: "PENDING", vogIssuedOn: date, vogVerifiedById: null, vogVerifiedAt: null, vogDeclaredAt: this.clock.now() }, v.personId);
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
    const declared = (await this.repo.find(personId))?.vogIssuedOn ?? null;
    // A VOG is verified only within its term; a rejection may name any date (or none).
    const date = issuedOn !== null ? this.issuedOn(issuedOn, "issuedOn") : verified && declared !== null ? this.issuedOn(declared, "issuedOn") : declared;
    await this.setVog(personId, { vogStatus: verified ? "VERIFIED" : "REJECTED", vogIssuedOn: date, vogVerifiedById: v.personId, vogVerifiedAt: this.clock.now() }, v.personId);
    return (await this.repo.find(personId))!;
  }

  /**
   * Coordinators only: the VOGs declared and awaiting review, oldest declaration first (the order in
   * which volunteers have waited longest).
   */
  async reviewQueue(viewer: Viewer, args: PageArgs): Promise<Page<VogReviewRow>> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may see the VOGs awaiting review.");
    const scope = cursorScope("VogReviewQueue");
    return this.repo.reviewQueue(pageRequest(args, scope), scope);
  }

  /** How many VOGs await review (coordinators only, as the queue). */
  async reviewQueueCount(viewer: Viewer): Promise<number> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may see the VOGs awaiting review.");
    return this.repo.countPending();
  }

  /**
   * The sweep's step: every verified VOG whose term has ended becomes EXPIRED, with the same effect as
   * a rejection. The matches that needed it are ended first, each by a conditional update, and only then
   * is the VOG marked, by a conditional update one instance wins: instances sweeping at once end each
   * match once, and a pass cut short between the two is completed by the next. Returns how many VOGs
   * this instance marked.
   */
  async expireEnded(): Promise<number> {
    await this.repo.fillDeclaredAt();
    const today = this.today();
    // Month arithmetic at the end of a month is not symmetric: read a few days more, then decide exactly.
    const through = DateTime.fromISO(today, { zone: ZONE }).minus({ months: this.vogValidMonths }).plus({ days: 3 }).toISODate()!;
    let expired = 0;
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.repo.verifiedIssuedThrough(through, EXPIRY_BATCH)).filter((r) => this.vogExpiresOn(r.issuedOn) <= today && !seen.has(r.personId));
      if (due.length === 0) return expired;
      for (const r of due) {
        seen.add(r.personId);
        this.fits.delete(r.personId);
        for (const listener of this.vogLost) await listener(r.personId, null, "The volunteer's VOG has passed its term");
        if (await this.repo.expire(r.personId, r.issuedOn, this.clock.now())) expired++;
        this.fits.delete(r.personId);
      }
    }
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
    if (cached && (cached.value === undefined || this.current(cached.value))) {
      this.refreshAhead(personId, cached);
      return cached.fit;
    }
    const entry: FitEntry = { fit: this.fitLoads.load(personId), refreshAt: refreshPoint(), refreshing: false };
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
    const entry = this.fits.get(personId);
    const value = entry?.value;
    if (!entry || !this.current(value)) return undefined;
    this.refreshAhead(personId, entry);
    return value;
  }

  /**
   * A fit used past its refresh point (a random moment between half and four fifths of its life) is
   * read again in the background while it still answers; fits asked for in the same tick are read
   * together. Fits cached at one moment (every subscriber's, at the first posted request) thus do not
   * run out together, when the event that found them gone waited for all of them (10,000 reads, most of
   * a second). What is served is never older than FIT_TTL_MS, as before.
   */
  private refreshAhead(personId: string, entry: FitEntry) {
    if (entry.refreshing || entry.value === undefined || Date.now() < entry.refreshAt) return;
    entry.refreshing = true;
    this.fitLoads.load(personId).then(
      (value) => {
        // A change through this instance cleared the entry meanwhile: what replaced it stands.
        if (this.fits.peek(personId) !== entry) return;
        this.fits.set(personId, { fit: Promise.resolve(value), value, refreshAt: refreshPoint(), refreshing: false });
      },
      () => {
        entry.refreshing = false;
      },
    );
  }

  /** A verified VOG counts until its term ends, whether or not the sweep has marked it yet. */
  private fitFrom(personId: string, row: VolunteerProfileRow | undefined): VolunteerFit {
    const expiresOn = row?.vogStatus === "VERIFIED" && row.vogIssuedOn ? this.vogExpiresOn(row.vogIssuedOn) : null;
    const categoryIds = row?.categoryIds ?? [];
    const neighbourhoodIds = row?.neighbourhoodIds ?? [];
    return {
      personId,
      categoryIds,
      neighbourhoodIds,
      categorySet: new Set(categoryIds),
      neighbourhoodSet: new Set(neighbourhoodIds),
      // A VOG verified without an issue date (before dates were asked for) has no term to count.
      vogVerified: row?.vogStatus === "VERIFIED" && (expiresOn === null || this.today() < expiresOn),
      vogExpiresAt: expiresOn === null ? null : DateTime.fromISO(expiresOn, { zone: ZONE }).toJSDate(),
      availability: row?.availability ?? [],
      languages: row?.languages ?? [],
    };
  }

  requireVolunteer(viewer: Viewer): AuthenticatedViewer {
    const v = requireViewer(viewer);
    if (!hasRole(v, "VOLUNTEER")) throw forbidden(VolunteerReason.VOLUNTEER_ONLY, "Only a volunteer may do this.");
    return v;
  }
}
