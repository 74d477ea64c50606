import { type Decider, type Decision, NOTHING, notTheActor } from "./notification.decision.js";
import type { LogEntry } from "./notification.repository.js";
import type { OffersForNotifications } from "./notification.sources.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** offer.events.ts `offerTopics.askChanged`: the event's id is the ask, its kind the status it reached. */
const ASK_TOPIC_PREFIX = "offer-ask.changed.";

/**
 * Offers. An ask made from an offer is told to the volunteer who offers it, while it still waits for
 * their answer; the message names its category, neighbourhood and time, never who asked nor what they
 * wrote. The answer (accepted or declined) is told to whoever asked (with the first name of the person
 * they asked for, when it was on someone's behalf), with the status the ask has when it
 * is decided. Nobody is told of what they did themselves.
 */
export class OfferDecider implements Decider {
  constructor(private readonly offers: OffersForNotifications) {}

  reads(event: LogEntry): boolean {
    return event.topic.startsWith(ASK_TOPIC_PREFIX) && (event.kind === "PENDING" || event.kind === "ACCEPTED" || event.kind === "DECLINED");
  }

  async decide(event: LogEntry): Promise<Decision> {
    const ask = await this.offers.ask(event.id);
    if (!ask) return NOTHING;
    const params: DeliveryParams = { categoryId: ask.categoryId, neighbourhoodId: ask.neighbourhoodId, windowStart: ask.windowStart.getTime() };
    if (event.kind === "PENDING") {
      // Answered in between: nothing left to answer.
      if (ask.status !== "PENDING") return NOTHING;
      return { subjectId: event.id, urgent: false, list: notTheActor([{ personId: ask.volunteerId, kind: "OFFER_ASKED", params }], ask.askedById) };
    }
    if (ask.status !== event.kind) return NOTHING;
    const list = [
      {
        personId: ask.askedById,
        kind: "OFFER_ASK_ANSWERED" as const,
        params: { ...params, status: ask.status, ...(ask.personHelpedId !== ask.askedById ? { forName: ask.helpedFirstName } : {}) },
      },
    ];
    return { subjectId: event.id, urgent: false, list: notTheActor(list, ask.volunteerId) };
  }
}
