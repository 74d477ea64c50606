import type { Clock } from "../../shared/clock.js";
import type { Channel } from "./notification.channel.js";
import { type ReminderSettings, amsterdamDay, reminderDeliveries, wallClock } from "./notification.reminders.js";
import type { ReminderRepository, WaitingItem } from "./notification.reminders.repository.js";
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

  /** Writes the digests due now; returns how many people got one. Reads are batched over everyone due. */
  async sweep(): Promise<number> {
    if (!this.channels.some((c) => c.enabled)) return 0;
    const now = this.clock.now();
    const today = amsterdamDay(now);
    const day = today.toISODate()!;
    const keyOf = (personId: string) => `HELP_REQUEST_DIGEST:${day}:${personId}`;
    // Those whose digest time today has come, and whose digest of today is not written yet.
    const slots = new Map<string, Date>();
    for (const p of await this.reminders.digestPeople()) {
      const at = wallClock(today, p.digestTime ?? this.settings.digestTime);
      if (now >= at) slots.set(p.personId, at);
    }
    const known = await this.reminders.existingKeys([...slots.keys()].flatMap((id) => this.channels.map((c) => `${keyOf(id)}:${c.name}`)));
    const due = [...slots.keys()].filter((id) => !this.channels.some((c) => known.has(`${keyOf(id)}:${c.name}`)));
    if (due.length === 0) return 0;
    // What arrived after a person's digest time today waits for tomorrow's.
    const latest = new Date(Math.max(...due.map((id) => slots.get(id)!.getTime())));
    const items = (await this.reminders.waitingItems(due, latest)).filter((i) => i.createdAt < slots.get(i.personId)!);
    const open = await this.reminders.openRequests([...new Set(items.map((i) => i.requestId))]);
    const byPerson = new Map<string, WaitingItem[]>();
    for (const i of items) byPerson.set(i.personId, [...(byPerson.get(i.personId) ?? []), i]);
    let written = 0;
    for (const [personId, own] of byPerson) {
      const listed = own.filter((i) => open.has(i.requestId));
      const deliveries =
        listed.length === 0
          ? []
          : await reminderDeliveries(
              this.repo,
              this.channels,
              [
                {
                  personId,
                  kind: "HELP_REQUEST_DIGEST",
                  subjectId: "open",
                  params: {
                    count: listed.length,
                    items: listed
                      .slice(0, MAX_LISTED)
                      .map((i) => ({ categoryId: i.params.categoryId ?? "", neighbourhoodId: i.params.neighbourhoodId ?? "", urgency: i.params.urgency })),
                  },
                  urgent: false,
                  key: keyOf(personId),
                },
              ],
              now,
            );
      if (
        await this.reminders.commitDigest(
          personId,
          day,
          own.map((i) => i.requestId),
          deliveries,
        )
      )
        written += deliveries.length > 0 ? 1 : 0;
    }
    return written;
  }
}
