import type { HelpRequestEventRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestStatus } from "../help-requests/help-request.tables.js";
import { type Decider, type Decision, NOTHING, type Wanted, notTheActor } from "./notification.decision.js";
import type { NotificationKind } from "./notification.kinds.js";
import type { LogEntry, NotificationRepository } from "./notification.repository.js";
import type { HelpRequestsForNotifications } from "./notification.sources.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** The event-log topics of help requests (help-request.events.ts). */
const POSTED_TOPIC = "help-request.posted";
const CHANGED_TOPIC_PREFIX = "help-request.changed.";
/** A volunteer holds a request in these states; a change from them concerns the volunteer. */
const HELD: readonly HelpRequestStatus[] = ["MATCHED", "IN_PROGRESS"];

/** Help requests: the volunteers a request open to them fits, and the people involved in each change of status. */
export class HelpRequestDecider implements Decider {
  /** Requests asked in the batch being decided: their first status (OPEN) concerns nobody, so it is not looked up. */
  private asked = new Set<string>();

  constructor(
    private readonly repo: NotificationRepository,
    private readonly requests: HelpRequestsForNotifications,
  ) {}

  reads(event: LogEntry): boolean {
    return event.topic === POSTED_TOPIC || event.topic.startsWith(CHANGED_TOPIC_PREFIX);
  }

  begin(events: readonly LogEntry[]): void {
    this.asked = new Set(events.filter((e) => e.topic === POSTED_TOPIC && e.kind === "POSTED").map((e) => e.id));
  }

  decide(event: LogEntry): Promise<Decision> {
    if (event.topic === POSTED_TOPIC) return this.posted(event);
    if (event.kind === "OPEN" && this.asked.has(event.id)) return Promise.resolve(NOTHING);
    return this.changed(event);
  }

  /** A request open to volunteers (new, or open again): the volunteers it fits, by the help-request module's rule. */
  private async posted(event: LogEntry): Promise<Decision> {
    const request = await this.requests.find(event.id);
    // Taken or withdrawn before we got to it: nobody needs to hear of it any more.
    if (!request || request.status !== "OPEN") return NOTHING;
    // The volunteer who just gave it back does not need to hear that it is open.
    const actor = event.kind === "REOPENED" ? (await this.transition(request.id, "OPEN", event.at))?.actorId : undefined;
    const candidates = (await this.repo.volunteersCovering(request.neighbourhoodId, request.categoryId)).filter((id) => id !== actor);
    const fits = await Promise.all(candidates.map((id) => this.requests.fitsVolunteer(id, request)));
    const params: DeliveryParams = {
      categoryId: request.categoryId,
      neighbourhoodId: request.neighbourhoodId,
      urgency: request.urgency,
      windowStart: request.windowStart.getTime(),
    };
    const list = candidates.filter((_, i) => fits[i]).map((personId): Wanted => ({ personId, kind: "HELP_REQUEST_NEW", params }));
    return { subjectId: request.id, urgent: request.urgency === "URGENT", list };
  }

  /** A status change: whoever asked (and the person helped, with an account) and the volunteer who held it. */
  private async changed(event: LogEntry): Promise<Decision> {
    const request = await this.requests.find(event.id);
    if (!request) return NOTHING;
    const to = event.kind as HelpRequestStatus;
    const step = await this.transition(request.id, to, event.at);
    const from = step?.fromStatus ?? null;
    const requesterKind = requesterKindOf(to, from);
    const volunteerKind = from !== null && HELD.includes(from) && request.volunteerId ? volunteerKindOf(to) : undefined;
    const base: DeliveryParams = { categoryId: request.categoryId, urgency: request.urgency };
    const list: Wanted[] = [];
    if (requesterKind) {
      list.push({
        personId: request.askedById,
        kind: requesterKind,
        params: request.personHelpedId === request.askedById ? base : { ...base, forName: request.personHelpedFirstName },
      });
      if (request.personHelpedId !== request.askedById) list.push({ personId: request.personHelpedId, kind: requesterKind, params: base });
    }
    if (volunteerKind) list.push({ personId: request.volunteerId!, kind: volunteerKind, params: base });
    if (to === "MATCHED" && from === "OPEN" && request.choiceMode && request.volunteerId)
      list.push(...(await this.choice(request.id, request.volunteerId, step?.at, event.at, base)));
    return { subjectId: request.id, urgent: request.urgency === "URGENT", list: notTheActor(list, step?.actorId) };
  }

  /**
   * Choice mode: the volunteer picked hears they were chosen; those whose offers the pick released hear,
   * kindly, that someone else was chosen (the pick released them in the same unit of work as the match).
   */
  private async choice(id: string, picked: string, matchedAt: Date | undefined, at: Date, params: DeliveryParams): Promise<Wanted[]> {
    const from = (matchedAt ?? at).getTime() - 1000;
    const released = (await this.requests.releasedOffers(id)).filter((o) => o.at.getTime() >= from && o.at.getTime() <= at.getTime() + 1000);
    return [{ personId: picked, kind: "HELP_OFFER_CHOSEN", params }, ...released.map((o): Wanted => ({ personId: o.volunteerId, kind: "HELP_OFFER_NOT_CHOSEN", params }))];
  }

  /**
   * The history entry an event reports: the request's latest move to `to` at or before the event was
   * recorded (both are stamped in one unit of work, the history entry first).
   */
  private async transition(id: string, to: HelpRequestStatus, at: Date): Promise<HelpRequestEventRow | undefined> {
    const steps = (await this.requests.transitions(id)).filter((e) => e.toStatus === to && e.at.getTime() <= at.getTime());
    return steps.reduce<HelpRequestEventRow | undefined>((latest, e) => (!latest || e.at.getTime() >= latest.at.getTime() ? e : latest), undefined);
  }
}

/** What whoever asked hears of a move from `from` to `to`, if anything. */
function requesterKindOf(to: HelpRequestStatus, from: HelpRequestStatus | null): NotificationKind | undefined {
  switch (to) {
    case "MATCHED":
      // From MATCHED: an organisation handed it to another of its volunteers, which changes nothing for them.
      return from === "MATCHED" ? undefined : "HELP_REQUEST_MATCHED";
    case "IN_PROGRESS":
      return "HELP_REQUEST_STARTED";
    case "DONE":
      return "HELP_REQUEST_DONE";
    case "OPEN":
      return from !== null && HELD.includes(from) ? "HELP_REQUEST_RELEASED" : undefined;
    case "ESCALATED":
      return "HELP_REQUEST_ESCALATED";
    default:
      return undefined;
  }
}

/** What the volunteer who held a request hears when it moves to `to`. */
function volunteerKindOf(to: HelpRequestStatus): NotificationKind | undefined {
  if (to === "CANCELLED") return "HELD_REQUEST_CANCELLED";
  if (to === "ESCALATED") return "HELD_REQUEST_CHANGED";
  return undefined;
}
