import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import { optionalText, parseInput } from "../../shared/validation.js";
import type { Viewer } from "../../shared/viewer.js";
import type { HelpRequestRow } from "../help-requests/help-request.repository.js";
import { MAX_WINDOW_MS, type HelpRequestService } from "../help-requests/help-request.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { CareCircleService } from "./care-circle.service.js";
import { visibleLoad } from "./care-load.policy.js";
import type { CareLoadRepository } from "./care-load.repository.js";
import type { CareScheduleService } from "./care-schedule.service.js";
import { CareReason as R } from "./care.errors.js";
import { emitCareEvents } from "./care.events.js";
import type { RespiteRow } from "./care.rows.js";
import type { CareSettings } from "./care.settings.js";
import type { LoadReason, Strain } from "./care.tables.js";
import { CARE_ZONE, weekOf } from "./recurrence.js";

/** SCP: intensive informal care is more than 8 hours a week for more than three months. */
export const INTENSIVE_HOURS_PER_WEEK = 8;
export const INTENSIVE_WEEKS = 13;

const HOUR = 3600_000;

export interface MemberLoad {
  personId: string;
  weeks: { weekStart: string; hours: number }[];
  averageHours: number;
  intensive: boolean;
  latestStrain: Strain | null;
  signals: { reason: LoadReason; since: Date; sustained: boolean; detail: string }[];
}

/**
 * Load: members' check-ins and hours of care, the overload and missed-shift signals stored for the
 * escalation module, and respite (respijtzorg) the coordinator asks volunteers for.
 */
export class CareLoadService {
  constructor(
    private readonly repo: CareLoadRepository,
    private readonly circles: CareCircleService,
    private readonly schedule: CareScheduleService,
    private readonly places: PlaceService,
    private readonly helpRequests: HelpRequestService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: Pick<CareSettings, "sustainedOverloadDays" | "missedShiftsLimit" | "missedShiftsDays">,
  ) {}

  async checkIn(viewer: Viewer, circleId: string, strain: Strain, note: string | null) {
    const { me } = await this.circles.getCircle(viewer, circleId);
    const s = parseInput(z.enum(["LOW", "MODERATE", "HIGH"]), strain, "strain");
    const n = note === null || note === undefined ? null : parseInput(optionalText(1000), note, "note");
    await this.repo.insertCheckin({ id: newId("CareCheckin"), circleId, personId: me.personId, strain: s, note: n, at: this.clock.now() });
    await this.evaluateLoad(circleId);
    return true;
  }

  /** The circle's load as the viewer may see it (care-load.policy.ts): through every path that shows it. */
  async loadFor(viewer: Viewer, circleId: string, weeks = 4): Promise<MemberLoad[]> {
    const { me } = await this.circles.getCircle(viewer, circleId);
    const members = new Map((await this.circles.members(circleId)).map((m) => [m.personId, m]));
    const out: MemberLoad[] = [];
    for (const l of await this.load(circleId, weeks)) {
      const subject = members.get(l.personId);
      const shown = subject && visibleLoad(me, subject, l);
      if (shown) out.push(shown);
    }
    return out;
  }

  /**
   * Hours per member per week from the shifts they hold, over the last `weeks` weeks (this one
   * included). The hours shown are this circle's part only; whether a member's care is intensive is
   * judged on their hours in all their circles together, as SCP counts a person's care.
   */
  async load(circleId: string, weeks = 4): Promise<MemberLoad[]> {
    const members = await this.circles.members(circleId);
    const now = this.clock.now();
    const thisWeek = DateTime.fromJSDate(now, { zone: CARE_ZONE }).startOf("week");
    const span = Math.max(weeks, INTENSIVE_WEEKS + 1);
    const from = thisWeek.minus({ weeks: span - 1 }).toJSDate();
    const to = thisWeek.plus({ weeks: 1 }).toJSDate();
    const [checkins, signals] = await Promise.all([this.repo.latestCheckins(circleId), this.repo.openSignals({ circleId, reasons: ["INTENSIVE_HOURS", "HIGH_STRAIN"] })]);
    const sustainedBefore = now.getTime() - this.settings.sustainedOverloadDays * 24 * HOUR;
    const out: MemberLoad[] = [];
    for (const m of members) {
      const held = await this.schedule.heldShifts(m.personId, from, to);
      const here = new Map<string, number>();
      const everywhere = new Map<string, number>();
      for (let i = 0; i < span; i++) {
        here.set(thisWeek.minus({ weeks: i }).toISODate()!, 0);
        everywhere.set(thisWeek.minus({ weeks: i }).toISODate()!, 0);
      }
      for (const s of held) {
        const w = weekOf(s.startsAt);
        if (!everywhere.has(w)) continue;
        const hours = (s.endsAt.getTime() - s.startsAt.getTime()) / HOUR;
        everywhere.set(w, everywhere.get(w)! + hours);
        if (s.circleId === circleId) here.set(w, here.get(w)! + hours);
      }
      const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
      // Full weeks before this one decide "intensive": more than 8 hours in each of the last 13, in all circles.
      const past = sorted(everywhere).slice(-INTENSIVE_WEEKS - 1, -1);
      const shown = sorted(here)
        .slice(-weeks)
        .map(([weekStart, hours]) => ({ weekStart, hours: round(hours) }));
      out.push({
        personId: m.personId,
        weeks: shown,
        averageHours: round(shown.reduce((a, w) => a + w.hours, 0) / Math.max(1, shown.length)),
        intensive: past.length === INTENSIVE_WEEKS && past.every(([, h]) => h > INTENSIVE_HOURS_PER_WEEK),
        latestStrain: checkins.find((c) => c.personId === m.personId)?.strain ?? null,
        signals: signals
          .filter((s) => s.personId === m.personId)
          .map((s) => ({ reason: s.reason, since: s.since, detail: s.detail, sustained: s.since.getTime() <= sustainedBefore })),
      });
    }
    return out;
  }

  /** Opens or resolves the load signals of a circle's members (stored for the escalation module). */
  async evaluateLoad(circleId: string): Promise<void> {
    const now = this.clock.now();
    const loads = await this.load(circleId, 1);
    let raised = false;
    for (const l of loads) {
      if (l.intensive) {
        // One signal per person, however many circles they care in: it stays in the circle that raised it.
        const [open] = await this.repo.openSignals({ personId: l.personId, reasons: ["INTENSIVE_HOURS"] });
        await this.repo.raiseSignal(
          open?.circleId ?? circleId,
          l.personId,
          "INTENSIVE_HOURS",
          `More than ${INTENSIVE_HOURS_PER_WEEK} hours of care a week for ${INTENSIVE_WEEKS} weeks, over all their care circles`,
          now,
        );
        raised ||= !open;
      } else {
        await this.repo.resolveSignalEverywhere(l.personId, "INTENSIVE_HOURS", now);
      }
      if (l.latestStrain === "HIGH") {
        const had = l.signals.some((s) => s.reason === "HIGH_STRAIN");
        await this.repo.raiseSignal(circleId, l.personId, "HIGH_STRAIN", "Reported high strain in the check-in", now);
        raised ||= !had;
      } else {
        await this.repo.resolveSignal(circleId, l.personId, "HIGH_STRAIN", now);
      }
    }
    if (raised) await emitCareEvents(this.outbox, [[circleId, "LOAD_SIGNAL"]]);
  }

  /** Evaluates the load of every circle (the sweep). */
  async evaluateAllLoads(): Promise<void> {
    for (const circleId of await this.circles.allCircleIds()) await this.evaluateLoad(circleId);
  }

  /** Open overload signals older than the sustained threshold, for the escalation module. */
  sustainedOverload() {
    return this.repo.openSignals({
      reasons: ["INTENSIVE_HOURS", "HIGH_STRAIN"],
      sinceBefore: new Date(this.clock.now().getTime() - this.settings.sustainedOverloadDays * 24 * HOUR),
    });
  }

  /**
   * Missed shifts are the clearest sign of a circle in trouble: `missedShiftsLimit` of them within
   * `missedShiftsDays` days open a MISSED_SHIFTS signal for the circle (its person is the care
   * receiver), which the escalation module turns into one case; fewer resolve it.
   */
  async evaluateMissed(now: Date): Promise<void> {
    const counts = await this.repo.missedCounts(new Date(now.getTime() - this.settings.missedShiftsDays * 24 * HOUR), now);
    const open = await this.repo.openSignals({ reasons: ["MISSED_SHIFTS"] });
    for (const [circleId, count] of counts) {
      if (count < this.settings.missedShiftsLimit) continue;
      const circle = await this.circles.findCircleRow(circleId);
      if (!circle) continue;
      const detail = `${count} missed shifts in the last ${this.settings.missedShiftsDays} days`;
      const isNew = !open.some((g) => g.circleId === circleId);
      await this.repo.raiseSignal(circleId, circle.careReceiverId, "MISSED_SHIFTS", detail, now);
      if (isNew) await emitCareEvents(this.outbox, [[circleId, "LOAD_SIGNAL"]]);
    }
    for (const g of open) {
      if ((counts.get(g.circleId) ?? 0) < this.settings.missedShiftsLimit) await this.repo.resolveSignal(g.circleId, g.personId, "MISSED_SHIFTS", now);
    }
  }

  /** Open MISSED_SHIFTS signals, for the escalation module. */
  missedShiftSignals() {
    return this.repo.openSignals({ reasons: ["MISSED_SHIFTS"] });
  }

  /** The coordinator asks for respite care: a RESPITE help request for the care receiver. */
  async askForRespite(viewer: Viewer, circleId: string, input: { windowStart: Date; windowEnd: Date; description?: string | null }) {
    const { circle, v } = await this.circles.requireCoordinator(viewer, circleId);
    const respite = this.places.categoryByCode("RESPITE");
    if (!respite) throw notFound(R.UNKNOWN_CATEGORY, "The RESPITE category is not configured.");
    const description =
      parseInput(optionalText(2000), input.description ?? null, "input.description") ?? "Respijtzorg: iemand neemt de zorg even over zodat de mantelzorger kan rusten.";
    const now = this.clock.now();
    if (input.windowEnd.getTime() <= input.windowStart.getTime() || input.windowEnd.getTime() <= now.getTime()) {
      throw badInput(R.INVALID_TIME_WINDOW, "input.windowEnd: must be after windowStart and in the future", "input.windowEnd");
    }
    // The limits of any help request: a respite window is a request to volunteers like the others.
    if (input.windowEnd.getTime() - input.windowStart.getTime() > MAX_WINDOW_MS) {
      throw badInput(R.INVALID_TIME_WINDOW, "input.windowEnd: a window spans at most {days} days", "input.windowEnd", { days: MAX_WINDOW_MS / (24 * HOUR) });
    }
    const id = newId("HelpRequest");
    const row = await this.helpRequests.createInternal({
      id,
      askedById: v.personId,
      personHelpedId: circle.careReceiverId,
      categoryId: respite.id,
      neighbourhoodId: circle.neighbourhoodId,
      title: `Respijtzorg voor ${circle.name}`,
      description,
      urgency: "NORMAL",
      vogRequired: false,
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
    });
    // It shows in the circle's schedule, next to the shifts.
    await this.repo.insertRespite({ id: newId("CareRespite"), circleId, helpRequestId: id, windowStart: input.windowStart, windowEnd: input.windowEnd, createdAt: now });
    await emitCareEvents(this.outbox, [[circleId, "SHIFTS_CHANGED"]]);
    return row;
  }

  /** The circle's respite from `from` (default now) on, with the state of each request, for its members. */
  async respite(viewer: Viewer, circleId: string, from?: Date | null): Promise<(RespiteRow & { status: HelpRequestRow["status"]; volunteerId: string | null })[]> {
    await this.circles.getCircle(viewer, circleId);
    const rows = await this.repo.respites(circleId, from ?? this.clock.now());
    const out = [];
    for (const r of rows) {
      const request = await this.helpRequests.findRow(r.helpRequestId);
      out.push({ ...r, status: request?.status ?? "CANCELLED", volunteerId: request?.volunteerId ?? null });
    }
    return out;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
