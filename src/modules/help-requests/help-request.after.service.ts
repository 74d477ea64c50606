import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { DomainError, badInput, conflict, forbidden } from "../../shared/errors.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, requireViewer } from "../../shared/viewer.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import type { FollowUpRow, HelpRequestAfterRepository, HoursRow, MonthMinutes, ThanksRow } from "./help-request.after.repository.js";
import type { MoreNeeded } from "./help-request.after.tables.js";
import { HelpChoiceReason as C } from "./help-request.choice.errors.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
import type { HelpRequestRow } from "./help-request.repository.js";
import type { HelpRequestService } from "./help-request.service.js";

/** Months of volunteer hours follow the city's calendar. */
export const HOURS_ZONE = "Europe/Amsterdam";
/** Bounds of the time recorded for one request: 5 minutes to 12 hours. */
export const MIN_MINUTES = 5;
export const MAX_MINUTES = 720;
const MINUTES = z.number().int().min(MIN_MINUTES, "must be between 5 and 720 minutes").max(MAX_MINUTES, "must be between 5 and 720 minutes");
const YEAR = z.number().int().min(2000, "must be a year from 2000 to 2100").max(2100, "must be a year from 2000 to 2100");

/**
 * Opens a professional case for the person helped when the follow-up says a professional is needed
 * (the escalation module's direct request). Returns the case's id.
 */
export type AskProfessional = (viewer: AuthenticatedViewer, input: { personId: string; reason: "OTHER"; note: string | null }) => Promise<string>;

/** The follow-up as given: did the help happen, and what more is needed. */
export interface FollowUpInput {
  happened: boolean;
  moreNeeded: MoreNeeded;
  note?: string | null;
  /** For NEW_REQUEST: the new request's window; default the old one's length, starting a day from now. */
  windowStart?: Date | null;
  windowEnd?: Date | null;
}

/** A volunteer's hours in one year (Europe/Amsterdam), per month. */
export interface YearHours {
  year: number;
  totalMinutes: number;
  months: MonthMinutes[];
}

/**
 * After the help. On a DONE request: one private thank-you from the asking side to the volunteer (no
 * ratings, nothing public); one structured follow-up by the asking side (did it happen, is more needed:
 * a linked new request, or a professional); and the volunteer's own record of the time spent, counted
 * per month for them and per neighbourhood and month for the statistics.
 */
export class HelpRequestAfterService {
  private askProfessional: AskProfessional | null = null;

  constructor(
    private readonly repo: HelpRequestAfterRepository,
    private readonly requests: HelpRequestService,
    private readonly volunteers: VolunteerService,
    private readonly clock: Clock,
  ) {}

  /** The escalation module's entry point for a professional (it depends on this module, so it is linked after). */
  linkProfessionals(ask: AskProfessional): void {
    this.askProfessional = ask;
  }

  /** The asking side thanks the volunteer, once, privately. */
  async thank(viewer: Viewer, helpRequestId: string, message: string): Promise<ThanksRow> {
    const { v, row } = await this.asAskingSideOfDone(viewer, helpRequestId);
    const thanks: ThanksRow = {
      helpRequestId: row.id,
      thankedById: v.personId,
      volunteerId: row.volunteerId!,
      message: parseInput(text(1, 1000), message, "message"),
      createdAt: this.clock.now(),
    };
    if (!(await this.repo.insertThanks(thanks))) throw conflict(C.ALREADY_THANKED, "The volunteer has already been thanked for this request.");
    return thanks;
  }

  /** The thank-you on a request: for the volunteer thanked and the asking side only. */
  async thanksOn(viewer: Viewer, row: HelpRequestRow): Promise<ThanksRow | null> {
    if (row.status !== "DONE" || viewer.personId === null) return null;
    const thanks = await this.repo.thanksOf(row.id);
    if (!thanks) return null;
    return thanks.volunteerId === viewer.personId || (await this.requests.isAskerSide(viewer, row)) ? thanks : null;
  }

  /** The thanks the volunteer received, newest first. */
  myThanks(viewer: Viewer, limit: number): Promise<ThanksRow[]> {
    const v = requireViewer(viewer);
    return this.repo.thanksTo(v.personId, limit);
  }

  /**
   * The asking side's follow-up, once. "More needed" opens a new request prefilled from this one and
   * linked both ways, or asks a professional team for the person helped (the escalation module's direct
   * request, with its own rules on consent and routing).
   */
  async followUp(viewer: Viewer, helpRequestId: string, input: FollowUpInput): Promise<FollowUpRow> {
    const { v, row } = await this.asAskingSideOfDone(viewer, helpRequestId);
    const moreNeeded = parseInput(z.enum(["NOTHING", "NEW_REQUEST", "PROFESSIONAL"]), input.moreNeeded, "input.moreNeeded");
    const note = parseInput(optionalText(1000), input.note ?? null, "input.note") || null;
    const claim: FollowUpRow = {
      helpRequestId: row.id,
      answeredById: v.personId,
      happened: input.happened,
      moreNeeded,
      linkedRequestId: null,
      escalationId: null,
      note,
      createdAt: this.clock.now(),
    };
    if (!(await this.repo.insertFollowUp(claim))) throw conflict(C.FOLLOW_UP_ALREADY_GIVEN, "The follow-up of this request has already been given.");
    try {
      if (moreNeeded === "NEW_REQUEST") {
        const linked = await this.requests.ask(v, this.prefilled(v, row, input));
        await this.repo.linkFollowUp(row.id, { linkedRequestId: linked.id });
      } else if (moreNeeded === "PROFESSIONAL" && this.askProfessional) {
        const escalationId = await this.askProfessional(v, { personId: row.personHelpedId, reason: "OTHER", note });
        await this.repo.linkFollowUp(row.id, { escalationId });
      }
    } catch (err) {
      // A new request that was refused (a window in the past...) leaves no follow-up: it can be given again.
      if (moreNeeded === "NEW_REQUEST" || !(err instanceof DomainError)) {
        await this.repo.dropFollowUp(row.id);
        throw err;
      }
      // A professional who cannot be asked from here (the trigger is off, or this account may not ask for
      // the person): the flag stays recorded on the follow-up, without a case.
    }
    return (await this.repo.followUpOf(row.id))!;
  }

  /** The follow-up of a request, for its asking side only. */
  async followUpOn(viewer: Viewer, row: HelpRequestRow): Promise<FollowUpRow | null> {
    if (row.status !== "DONE" || !(await this.requests.isAskerSide(viewer, row))) return null;
    return (await this.repo.followUpOf(row.id)) ?? null;
  }

  /** The request a follow-up opened, and the one whose follow-up opened this request: each if visible to the viewer. */
  async linked(viewer: Viewer, row: HelpRequestRow, direction: "next" | "previous"): Promise<HelpRequestRow | null> {
    const id = direction === "next" ? (await this.repo.followUpOf(row.id))?.linkedRequestId : (await this.repo.followUpLinkingTo(row.id))?.helpRequestId;
    return id ? this.requests.findVisible(viewer, id) : null;
  }

  /** The volunteer who gave the help records (or corrects) the time spent on a DONE request. */
  async recordHours(viewer: Viewer, helpRequestId: string, minutes: number | null): Promise<HoursRow> {
    const v = this.volunteers.requireVolunteer(viewer);
    const row = await this.requests.get(v, helpRequestId);
    if (row.volunteerId !== v.personId) throw forbidden(C.NOT_THE_HELPING_VOLUNTEER, "Only the volunteer who gave the help can record its hours.");
    if (row.status !== "DONE") throw conflict(C.HELP_REQUEST_NOT_DONE, "This is possible once the help was given (the request is DONE).");
    const now = this.clock.now();
    const value = minutes === null ? suggestedMinutes(row) : parseInput(MINUTES, minutes, "minutes");
    const saved = await this.repo.saveHours({
      helpRequestId: row.id,
      volunteerId: v.personId,
      neighbourhoodId: row.neighbourhoodId,
      month: DateTime.fromJSDate(row.windowStart, { zone: HOURS_ZONE }).toFormat("yyyy-LL"),
      minutes: value,
      createdAt: now,
      updatedAt: now,
    });
    if (!saved) throw forbidden(C.NOT_THE_HELPING_VOLUNTEER, "Only the volunteer who gave the help can record its hours.");
    return saved;
  }

  /** The hours recorded on a request, for the volunteer who recorded them only. */
  async hoursOn(viewer: Viewer, row: HelpRequestRow): Promise<HoursRow | null> {
    if (viewer.personId === null || row.volunteerId !== viewer.personId) return null;
    const hours = await this.repo.hoursOf(row.id);
    return hours && hours.volunteerId === viewer.personId ? hours : null;
  }

  /** The volunteer's hours in a year (default: the current one), per Europe/Amsterdam month. */
  async myHours(viewer: Viewer, year: number | null): Promise<YearHours> {
    const v = this.volunteers.requireVolunteer(viewer);
    const y = year === null ? DateTime.fromJSDate(this.clock.now(), { zone: HOURS_ZONE }).year : parseInput(YEAR, year, "year");
    const months = await this.repo.minutesByMonth(v.personId, `${y}-01`, `${y}-12`);
    return { year: y, totalMinutes: months.reduce((n, m) => n + m.minutes, 0), months };
  }

  private async asAskingSideOfDone(viewer: Viewer, helpRequestId: string): Promise<{ v: AuthenticatedViewer; row: HelpRequestRow }> {
    const v = requireViewer(viewer);
    const row = await this.requests.get(v, helpRequestId);
    if (!(await this.requests.isAskerSide(v, row))) throw forbidden(R.NOT_THE_REQUESTER, "Only the person helped or whoever asked can do this.");
    if (row.status !== "DONE" || row.volunteerId === null) throw conflict(C.HELP_REQUEST_NOT_DONE, "This is possible once the help was given (the request is DONE).");
    return { v, row };
  }

  /** The new request of a follow-up: the old one's kind, words, place, person and asking side. */
  private prefilled(v: AuthenticatedViewer, row: HelpRequestRow, input: FollowUpInput) {
    const length = row.windowEnd.getTime() - row.windowStart.getTime();
    const start = input.windowStart ?? new Date(this.clock.now().getTime() + 24 * 3600_000);
    const end = input.windowEnd ?? new Date(start.getTime() + length);
    if ((input.windowStart ?? null) === null && (input.windowEnd ?? null) !== null) {
      throw badInput(R.INVALID_TIME_WINDOW, "input.windowStart: give both ends of the new window, or neither", "input.windowStart");
    }
    return {
      categoryId: row.categoryId,
      title: row.title,
      description: row.description,
      neighbourhoodId: row.neighbourhoodId,
      windowStart: start,
      windowEnd: end,
      urgency: row.urgency,
      vogRequired: row.vogRequired,
      // Asking for oneself names nobody; asking on someone's behalf names the same person again.
      personHelpedId: row.personHelpedId === v.personId ? null : row.personHelpedId,
      askingOrganisationId: row.askingOrganisationId,
      contactVia: row.contactVia,
      choiceMode: row.choiceMode,
    };
  }
}

/** What the hours of a request are prefilled with: the length of its window, within the bounds. */
export function suggestedMinutes(row: Pick<HelpRequestRow, "windowStart" | "windowEnd">): number {
  const minutes = Math.round((row.windowEnd.getTime() - row.windowStart.getTime()) / 60_000);
  return Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, minutes));
}
