/**
 * Event-log topics of the offers module. Payloads carry ids only (see src/shared/events.ts): a
 * follower reloads the ask with its own rights.
 */
export const offerTopics = {
  /** An ask was made from an offer, or answered; for the volunteer who offers and the asking side. */
  askChanged: (id: string) => `offer-ask.changed.${id}`,
};

/** What happened to an ask: made (PENDING), accepted or declined. */
export type OfferAskChange = "PENDING" | "ACCEPTED" | "DECLINED";

export const askChangedEvent = (id: string, kind: OfferAskChange) => ({ topic: offerTopics.askChanged(id), id, kind });
