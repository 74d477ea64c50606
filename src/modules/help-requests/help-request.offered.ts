import type { Clock } from "../../shared/clock.js";
import type { Outbox } from "../../db/outbox.js";
import { changedEvent } from "./help-request.events.js";
import type { HelpRequestRepository, HelpRequestRow } from "./help-request.repository.js";

/** What the offers module gives for a request asked from an offer and accepted by its volunteer. */
export type OfferedAsk = Pick<
  HelpRequestRow,
  | "id"
  | "askedById"
  | "personHelpedId"
  | "categoryId"
  | "neighbourhoodId"
  | "title"
  | "description"
  | "urgency"
  | "vogRequired"
  | "windowStart"
  | "windowEnd"
  | "contactVia"
  | "language"
>;

/**
 * Requests that begin matched: asked from a volunteer's offer and accepted by them. The offers module
 * checks its own rules (who offers, who asks, where, the VOG); here the request is recorded MATCHED to
 * that volunteer at once, never open to others, and from then on the usual lifecycle of the
 * help-request service runs (start, complete, release, outcome).
 */
export class OfferedHelpRequests {
  constructor(
    private readonly repo: HelpRequestRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly changed: (row: HelpRequestRow) => Promise<HelpRequestRow>,
  ) {}

  /** Records the matched request; idempotent by the reserved id (asking again changes nothing). */
  async createMatched(input: OfferedAsk, volunteerId: string): Promise<HelpRequestRow> {
    const now = this.clock.now();
    const row = { ...input, status: "MATCHED" as const, volunteerId, organisationId: null, releaseCount: 0, createdAt: now, updatedAt: now };
    const inserted = await this.outbox.unit(async () => {
      const done = await this.repo.insert(row);
      // Not posted to volunteers: it was never open. Those involved follow it from MATCHED on.
      if (done) await this.outbox.emit([changedEvent(row.id, "MATCHED")]);
      return done;
    });
    const stored = (await this.repo.findById(input.id))!;
    return inserted ? this.changed(stored) : stored;
  }
}
