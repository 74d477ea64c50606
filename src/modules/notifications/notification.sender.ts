import { randomUUID } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import { type Channel, PermanentFailure, recipientOf } from "./notification.channel.js";
import { languageOf, quietHoursOf, switchesByPerson } from "./notification.preferences.js";
import { Relevance, type StillApplies } from "./notification.relevance.js";
import type { NotificationRenderer } from "./notification.render.js";
import type { DeliveryRow, FinishedDelivery, NotificationRepository, RecipientRow } from "./notification.repository.js";
import type { HelpRequestsForNotifications } from "./notification.sources.js";
import { releaseTime } from "./notification.time.js";
import type { UnsubscribeLinks } from "./notification.unsubscribe.js";
import type { NotificationChannel } from "./notification.kinds.js";

export interface SendSettings {
  /** Attempts before a delivery is DEAD. */
  maxAttempts: number;
  /** The wait after the first failed attempt; it doubles with each further one, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claim holds; a sender that has not finished by then is presumed dead and the delivery is claimed again. */
  leaseMs: number;
}

export interface SendReport {
  sent: number;
  failed: number;
  dead: number;
  skipped: number;
}

/** Deliveries claimed per round, and sent at once. */
const BATCH = 50;
const CONCURRENCY = 8;
/** Rounds per pass at most, so one pass ends even while new work keeps arriving. */
const MAX_ROUNDS = 200;
const ERROR_LENGTH = 500;

/**
 * Sends what is due. Each round claims due deliveries with one conditional update (status and lease),
 * so however many instances send at once each delivery is claimed by one; the claim carries a token
 * and only that claim can record the outcome. A sender that dies mid-send leaves its claim to run out,
 * after which another claims it again. A failed attempt is retried after an exponential backoff with
 * jitter (never into the recipient's quiet hours, unless urgent) until `maxAttempts`, then the
 * delivery is DEAD for a coordinator to see and retry. Before sending, a delivery is checked against
 * the present: a kind switched off since, an address gone, or what it is about no longer applying (a
 * new request taken, a recipient who left the circle or the team: notification.relevance.ts) are SKIPPED.
 */
export class NotificationSender {
  private readonly channels: Map<NotificationChannel, Channel>;
  private readonly relevance: Relevance;

  constructor(
    private readonly repo: NotificationRepository,
    channels: readonly Channel[],
    private readonly renderer: NotificationRenderer,
    requests: HelpRequestsForNotifications,
    private readonly unsubscribe: UnsubscribeLinks,
    private readonly clock: Clock,
    private readonly settings: SendSettings,
    private readonly reportError: (err: unknown, context: string) => void,
  ) {
    this.channels = new Map(channels.map((c) => [c.name, c]));
    this.relevance = new Relevance(repo, requests);
  }

  async sendDue(): Promise<SendReport> {
    const report: SendReport = { sent: 0, failed: 0, dead: 0, skipped: 0 };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const due = await this.repo.dueIds(now, BATCH);
      if (due.length === 0) break;
      const claimed = await this.repo.claim(due, now, new Date(now.getTime() + this.settings.leaseMs), randomUUID());
      await this.sendAll(claimed, report);
    }
    return report;
  }

  private async sendAll(claimed: DeliveryRow[], report: SendReport): Promise<void> {
    if (claimed.length === 0) return;
    const ids = [...new Set(claimed.map((d) => d.recipientId))];
    const [people, switchRows] = await Promise.all([this.repo.recipients(ids), this.repo.switches(ids)]);
    const byId = new Map(people.map((p) => [p.id, p]));
    const switchesOf = switchesByPerson(switchRows);
    // Whether each still applies: what it is about, read once per round (a new request goes to many volunteers at once).
    const stillApplies = this.relevance.round();
    // Outcomes are recorded together once the round is sent: one commit per round, not per message.
    const finished: FinishedDelivery[] = [];
    const sent: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const d = claimed[next++];
        const person = byId.get(d.recipientId);
        const result = await this.sendOne(d, person, person ? switchesOf(person.id).isOn(d.kind, d.channel) : false, stillApplies).catch((err: unknown) => {
          this.reportError(err, `sending notification ${d.id}`);
          return null;
        });
        if (!result) {
          report.failed++;
          continue;
        }
        report[result.report]++;
        finished.push({ id: d.id, token: d.claimToken!, outcome: result.outcome });
        if (result.report === "sent") sent.push(d.id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, worker));
    let lost: Set<string>;
    try {
      lost = await this.repo.finishAll(finished);
    } catch (err) {
      // Unrecorded, the claims run out and the deliveries are sent again (with the same Message-ID).
      this.reportError(err, `recording the outcome of ${finished.length} notification(s)`);
      return;
    }
    for (const id of sent) {
      // The claim ran out while the channel was still working and another sender took it over.
      if (lost.has(id)) this.reportError(new Error("claim lost during send"), `notification ${id} was sent after its lease ran out`);
    }
  }

  /** Sends one claimed delivery, or decides it is skipped; what is to be recorded of it (finishAll). */
  private async sendOne(
    d: DeliveryRow,
    person: RecipientRow | undefined,
    switchedOn: boolean,
    stillApplies: StillApplies,
  ): Promise<{ report: keyof SendReport; outcome: FinishedDelivery["outcome"] }> {
    const channel = this.channels.get(d.channel);
    const to = person ? recipientOf(person) : undefined;
    const skip = (why: string) => ({ report: "skipped" as const, outcome: { status: "SKIPPED" as const, at: this.clock.now(), lastError: why } });
    if (!person || !to) return skip("the recipient no longer exists");
    if (!channel?.enabled) return skip(`the ${d.channel} channel is off`);
    if (!switchedOn) return skip("switched off by the recipient");
    if (!channel.reaches(to)) return skip(`no ${d.channel} address`);
    const gone = await stillApplies(d);
    if (gone) return skip(gone);
    const language = languageOf(person);
    const unsubscribeUrl = await this.unsubscribe.url(person.id, d.kind, d.channel);
    const message = this.renderer.render(d, { firstName: person.firstName, language }, unsubscribeUrl);
    try {
      await channel.send({
        id: d.id,
        to,
        language,
        subject: message.subject,
        text: message.text,
        html: message.html,
        unsubscribeUrl,
        summary: message.summary,
        link: message.link,
        urgent: d.urgent,
      });
    } catch (err) {
      const at = this.clock.now();
      const error = describe(err);
      if (err instanceof PermanentFailure || d.attempts >= this.settings.maxAttempts) {
        this.reportError(err, `notification ${d.id} is dead after ${d.attempts} attempt(s)`);
        return { report: "dead", outcome: { status: "DEAD", at, lastError: error } };
      }
      const retryAt = releaseTime(new Date(at.getTime() + this.backoff(d.attempts)), quietHoursOf(person), d.urgent);
      return { report: "failed", outcome: { status: "FAILED", at, nextAttemptAt: retryAt, lastError: error } };
    }
    const at = this.clock.now();
    return { report: "sent", outcome: { status: "SENT", at, sentAt: at, lastError: null } };
  }

  /** The wait after `attempts` failed attempts: exponential, capped, half of it random (jitter). */
  private backoff(attempts: number): number {
    const full = Math.min(this.settings.retryMaxMs, this.settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return full / 2 + Math.random() * (full / 2);
  }
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > ERROR_LENGTH ? `${text.slice(0, ERROR_LENGTH - 1)}…` : text;
}
