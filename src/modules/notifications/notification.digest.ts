import type { Clock } from "../../shared/clock.js";
import type { Channel } from "./notification.channel.js";
import { type ReminderSettings, amsterdamDay, reminderDeliveries, wallClock } from "./notification.reminders.js";
import type { ReminderRepository } from "./notification.reminders.repository.js";
import type { NotificationRepository } from "./notification.repository.js";

/** Requests named in one digest at most; the count says how many there are in all. */
const MAX_LISTED = 20;

/**
 * The daily digest of new fitting requests, for volunteers who chose it (`newRequestMode` DIGEST):
 * the dispatcher keeps such a request as a digest item instead of sending it; from the person's digest
 * time (Europe/Amsterdam wall clock) each day, one digest lists the items kept before that time that
 * are still OPEN. Items no longer open are dropped with it. The digest's dedupe key (person and day)
 * and the items' marking are written in one transaction, so two instances write one digest and a
 * crash writes none (the next sweep does). A day with nothing open sends nothing.
 */
export class DigestSweep {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly repo: NotificationRepository,
    private readonly channels: readonly Channel[],
    private readonly clock: Clock,
    private readonly settings: Pick<ReminderSettings, "digestTime">,
  ) {}

  /** Writes the digests due now; returns how many people got one. */
  async sweep(): Promise<number> {
    if (!this.channels.some((c) => c.enabled)) return 0;
    const now = this.clock.now();
    const today = amsterdamDay(now);
    const day = today.toISODate()!;
    let written = 0;
    for (const person of await this.reminders.digestPeople()) {
      const at = wallClock(today, person.digestTime ?? this.settings.digestTime);
      if (now < at) continue;
      const key = `HELP_REQUEST_DIGEST:${day}:${person.personId}`;
      const known = await this.reminders.existingKeys(this.channels.map((c) => `${key}:${c.name}`));
      if (known.size > 0) continue;
      // What arrived after today's digest time waits for tomorrow's.
      const items = await this.reminders.waitingItems(person.personId, at);
      if (items.length === 0) continue;
      const open = await this.reminders.openRequests(items.map((i) => i.requestId));
      const listed = items.filter((i) => open.has(i.requestId));
      const deliveries =
        listed.length === 0
          ? []
          : await reminderDeliveries(
              this.repo,
              this.channels,
              [
                {
                  personId: person.personId,
                  kind: "HELP_REQUEST_DIGEST",
                  subjectId: "open",
                  params: {
                    count: listed.length,
                    items: listed
                      .slice(0, MAX_LISTED)
                      .map((i) => ({ categoryId: i.params.categoryId ?? "", neighbourhoodId: i.params.neighbourhoodId ?? "", urgency: i.params.urgency })),
                  },
                  urgent: false,
                  key,
                },
              ],
              now,
            );
      if (
        await this.reminders.commitDigest(
          person.personId,
          day,
          items.map((i) => i.requestId),
          deliveries,
        )
      )
        written += deliveries.length > 0 ? 1 : 0;
    }
    return written;
  }
}
