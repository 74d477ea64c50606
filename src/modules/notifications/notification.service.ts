import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { SharedReason, conflict, forbidden, notFound } from "../../shared/errors.js";
import { type Page, cursorScope, decodeCursor, pageSize } from "../../shared/pagination.js";
import { parseInput } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { Channel } from "./notification.channel.js";
import { DigestSweep } from "./notification.digest.js";
import { NotificationDispatcher } from "./notification.dispatcher.js";
import { Messages } from "./notification.i18n.js";
import {
  DEFAULT_LANGUAGE,
  LANGUAGES,
  type Language,
  NEW_REQUEST_MODES,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NewRequestMode,
  type NotificationChannel,
  type NotificationKind,
} from "./notification.kinds.js";
import { Switches, languageOf } from "./notification.preferences.js";
import { NotificationRenderer, type PlaceNames, notificationLinks } from "./notification.render.js";
import { ReminderSweep, type ReminderSettings } from "./notification.reminders.js";
import type { ReminderRepository } from "./notification.reminders.repository.js";
import type { DeliveryRow, NotificationRepository } from "./notification.repository.js";
import { NotificationSender, type SendReport } from "./notification.sender.js";
import type { HelpRequestsForNotifications, InitiativesForNotifications } from "./notification.sources.js";
import type { QuietHours } from "./notification.time.js";
import { type CapabilitySigner, UnsubscribeLinks, type UnsubscribeTarget, type Unsubscriber } from "./notification.unsubscribe.js";
import { NotificationReason as R } from "./notifications.errors.js";

export interface NotificationSettings {
  /** At most this many messages about new requests per volunteer per day (NOTIFY_NEW_REQUESTS_PER_DAY). */
  newRequestsPerDay: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  leaseMs: number;
  /** How long finished deliveries (SENT, SKIPPED, DEAD) are kept. */
  retentionMs: number;
  /** Where people read the rest after signing in (links in messages). */
  appUrl: string;
  /** This server as the outside world reaches it (the unsubscribe link). */
  publicUrl: string;
  /** The time-driven notifications and the daily digest (NOTIFY_* settings in src/config/env.ts). */
  reminders: ReminderSettings;
}

/** A person's notification preferences with the defaults filled in. */
export interface PreferencesView {
  language: Language;
  quietHours: QuietHours | null;
  switches: { kind: NotificationKind; channel: NotificationChannel; enabled: boolean; chosen: boolean }[];
  newRequestsPerDay: number;
  /** How new fitting requests reach the person: each at once, or in one daily digest. */
  newRequestMode: NewRequestMode;
  /** When the daily digest goes out (Europe/Amsterdam wall clock, HH:MM). */
  digestTime: string;
}

const TIME = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time as HH:MM (Europe/Amsterdam)");

const PreferencesInput = z.object({
  language: z.enum(LANGUAGES).nullish(),
  quietHours: z
    .object({ start: TIME, end: TIME })
    .refine((q) => q.start !== q.end, { message: "must end at another time than it starts", path: ["end"] })
    .nullish(),
  switches: z
    .array(z.object({ kind: z.enum(NOTIFICATION_KINDS), channel: z.enum(NOTIFICATION_CHANNELS), enabled: z.boolean() }))
    .max(NOTIFICATION_KINDS.length * NOTIFICATION_CHANNELS.length, "at most one entry per kind and channel")
    .nullish(),
  newRequestMode: z.enum(NEW_REQUEST_MODES).nullish(),
  // null: back to the platform's default time.
  digestTime: TIME.nullish(),
});

/**
 * The delay between a commit and the pass it wakes: the commits of a burst share one pass (its reads and
 * its one write), which keeps what a pass costs per mutation small; an e-mail waits that much longer.
 */
const WAKE_DELAY_MS = 50;
/** A digest item older than this is dropped: a request that old is no news for a digest. */
const DIGEST_ITEM_DAYS = 14;

/**
 * Notifications: deciding who is told what from the event log (NotificationDispatcher), sending it
 * (NotificationSender), each person's preferences and history, the coordinators' dead letters, and the
 * one-click unsubscribe. A pass (decide, then send) runs with the sweeps and shortly after every commit
 * that recorded events, outside that commit's transaction: the mutation that causes a notification pays
 * for a timer, not for the sending.
 */
export class NotificationService implements Unsubscriber {
  private readonly dispatcher: NotificationDispatcher;
  private readonly sender: NotificationSender;
  private readonly renderer: NotificationRenderer;
  private readonly unsubscribeLinks: UnsubscribeLinks;
  private readonly links: ReturnType<typeof notificationLinks>;
  private readonly reminderSweep: ReminderSweep | null;
  private readonly digestSweep: DigestSweep | null;
  private current: Promise<SendReport> | null = null;
  private following: Promise<SendReport> | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private awake = false;
  private closed = false;

  constructor(
    private readonly repo: NotificationRepository,
    requests: HelpRequestsForNotifications,
    initiatives: InitiativesForNotifications,
    places: PlaceNames,
    signer: CapabilitySigner,
    private readonly channels: readonly Channel[],
    private readonly log: { onCommit(listener: () => void): void; prunedThrough(): Promise<number> },
    private readonly clock: Clock,
    private readonly settings: NotificationSettings,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
    private readonly reminders?: ReminderRepository,
  ) {
    this.reminderSweep = reminders ? new ReminderSweep(reminders, repo, channels, clock, settings.reminders) : null;
    this.digestSweep = reminders ? new DigestSweep(reminders, repo, channels, clock, settings.reminders) : null;
    this.links = notificationLinks(settings.appUrl);
    this.renderer = new NotificationRenderer(new Messages(), places, this.links, settings.newRequestsPerDay);
    this.unsubscribeLinks = new UnsubscribeLinks(signer, settings.publicUrl);
    this.dispatcher = new NotificationDispatcher(repo, requests, initiatives, channels, clock, settings, () => log.prunedThrough(), reportError);
    this.sender = new NotificationSender(repo, channels, this.renderer, requests, this.unsubscribeLinks, clock, settings, reportError);
  }

  /**
   * Starts following the event log: its cursor is created at the log's end if there is none, and from
   * now on every commit that recorded events wakes a pass (when a channel is on).
   */
  async start(): Promise<void> {
    await this.dispatcher.start();
    if (this.awake) return;
    this.awake = true;
    if (this.channels.some((c) => c.enabled)) this.log.onCommit(() => this.wake());
  }

  /** Asks for a pass soon; passes asked for while one runs are served by one more pass after it. */
  wake(): void {
    if (this.closed || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.run();
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  /**
   * One pass: decide what the event log holds after the cursor, then send what is due. Called while a
   * pass runs, it waits for one that starts after the current one, so what was committed before the
   * call is decided (and sent, if due) when it resolves. Failures are reported, not thrown.
   */
  run(): Promise<SendReport> {
    if (this.current) {
      this.following ??= this.current.then(() => {
        this.following = null;
        return this.run();
      });
      return this.following;
    }
    const pass = this.pass().finally(() => {
      if (this.current === pass) this.current = null;
    });
    this.current = pass;
    return pass;
  }

  /**
   * The sweep's step: decides the reminders and digests due by the clock (notification.reminders.ts,
   * notification.digest.ts), then runs a pass that decides the event log and sends what is due. Every
   * instance may run it at once: each reminder and digest is written once by its dedupe key.
   */
  async sweep(): Promise<SendReport> {
    try {
      await this.reminderSweep?.sweep();
    } catch (err) {
      this.reportError(err, "deciding reminders");
    }
    try {
      await this.digestSweep?.sweep();
    } catch (err) {
      this.reportError(err, "deciding daily digests");
    }
    return this.run();
  }

  private async pass(): Promise<SendReport> {
    try {
      await this.dispatcher.dispatch();
    } catch (err) {
      this.reportError(err, "deciding notifications");
    }
    try {
      return await this.sender.sendDue();
    } catch (err) {
      this.reportError(err, "sending notifications");
      return { sent: 0, failed: 0, dead: 0, skipped: 0 };
    }
  }

  /**
   * Forgets finished deliveries older than the retention (NOTIFY_RETENTION_DAYS): who was told what is
   * kept for its owner to read, not for ever. Waiting and failing ones stay until they finish.
   */
  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.settings.retentionMs);
    // Digest items of a volunteer who went back to IMMEDIATE would otherwise wait for ever.
    const items = (await this.reminders?.pruneDigestItems(new Date(this.clock.now().getTime() - DIGEST_ITEM_DAYS * 86_400_000))) ?? 0;
    return (await this.repo.pruneFinished(before)) + items;
  }

  /** Stops waking and waits for a pass in progress; closes the channels. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.following;
    await this.current;
    for (const channel of this.channels) await channel.close();
  }

  // -- preferences -----------------------------------------------------------------------------------

  async preferences(viewer: Viewer): Promise<PreferencesView> {
    return this.preferencesOf(requireViewer(viewer).personId);
  }

  /**
   * Changes what is given: `language`, `quietHours` (null: none) and single switches; what is absent
   * stays. Applies to messages decided from now on; those waiting are checked against the switches
   * again when they are sent.
   */
  async updatePreferences(viewer: Viewer, input: unknown): Promise<PreferencesView> {
    const v = requireViewer(viewer);
    const data = parseInput(PreferencesInput, input);
    const current = await this.preferencesOf(v.personId);
    const quiet = data.quietHours === undefined ? current.quietHours : data.quietHours;
    await this.repo.savePreferences(
      v.personId,
      {
        language: data.language ?? current.language,
        quietStart: quiet?.start ?? null,
        quietEnd: quiet?.end ?? null,
        ...(data.newRequestMode ? { newRequestMode: data.newRequestMode } : {}),
        ...(data.digestTime !== undefined ? { digestTime: data.digestTime } : {}),
      },
      data.switches ?? [],
      this.clock.now(),
    );
    return this.preferencesOf(v.personId);
  }

  private async preferencesOf(personId: string): Promise<PreferencesView> {
    const [row, switchRows] = await Promise.all([this.repo.preferences(personId), this.repo.switches([personId])]);
    const switches = new Switches(switchRows);
    return {
      language: row?.language ?? DEFAULT_LANGUAGE,
      quietHours: row?.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
      switches: NOTIFICATION_KINDS.flatMap((kind) =>
        NOTIFICATION_CHANNELS.map((channel) => ({ kind, channel, enabled: switches.isOn(kind, channel), chosen: switches.isChosen(kind, channel) })),
      ),
      newRequestsPerDay: this.settings.newRequestsPerDay,
      newRequestMode: row?.newRequestMode ?? "IMMEDIATE",
      digestTime: row?.digestTime ?? this.settings.reminders.digestTime,
    };
  }

  // -- history and dead letters ----------------------------------------------------------------------

  /** The viewer's own deliveries, newest first: who was told what is readable by whom it was told. */
  mine(viewer: Viewer, first?: number | null, after?: string | null): Promise<Page<DeliveryRow>> {
    const v = requireViewer(viewer);
    const limit = pageSize(first);
    const scope = cursorScope("MyNotifications");
    return this.repo.listForRecipient(v.personId, after ? decodeCursor(after, "after", scope) : null, limit, scope);
  }

  /** Coordinators: deliveries given up on (DEAD), newest first. */
  dead(viewer: Viewer, first?: number | null, after?: string | null): Promise<Page<DeliveryRow>> {
    this.requireCoordinator(viewer);
    const limit = pageSize(first);
    const scope = cursorScope("DeadNotifications");
    return this.repo.listInStatus("DEAD", after ? decodeCursor(after, "after", scope) : null, limit, scope);
  }

  /** Coordinators: a DEAD delivery is tried again now, with a fresh count of attempts. */
  async retry(viewer: Viewer, id: string): Promise<DeliveryRow> {
    this.requireCoordinator(viewer);
    const row = await this.repo.find(id);
    if (!row) throw notFound(R.NOTIFICATION_NOT_FOUND, "No notification has this id.");
    const revived = await this.repo.revive(id, this.clock.now());
    if (!revived) throw conflict(R.NOTIFICATION_NOT_DEAD, "This notification is {status}; only a DEAD one can be retried.", { status: row.status });
    this.wake();
    return revived;
  }

  /** One delivery for `node(id)`: its recipient's, and a coordinator's while it is DEAD. */
  async findVisible(viewer: Viewer, id: string): Promise<DeliveryRow | null> {
    if (!viewer.personId) return null;
    const row = await this.repo.find(id);
    if (!row) return null;
    return row.recipientId === viewer.personId || (row.status === "DEAD" && hasRole(viewer, "COORDINATOR")) ? row : null;
  }

  /** Where the person reads what a delivery is about. */
  linkOf(row: DeliveryRow): string {
    return this.links.subject(row.kind, row.subjectId);
  }

  private requireCoordinator(viewer: Viewer): void {
    if (!hasRole(requireViewer(viewer), "COORDINATOR")) {
      throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may see or retry notifications that could not be delivered.");
    }
  }

  // -- one-click unsubscribe -------------------------------------------------------------------------

  async unsubscribeTarget(token: string): Promise<(UnsubscribeTarget & { language: Language }) | null> {
    const target = await this.unsubscribeLinks.verify(token);
    if (!target) return null;
    const [person] = await this.repo.recipients([target.personId]);
    return person ? { ...target, language: languageOf(person) } : null;
  }

  async unsubscribe(token: string): Promise<(UnsubscribeTarget & { language: Language }) | null> {
    const target = await this.unsubscribeTarget(token);
    if (!target) return null;
    await this.repo.setSwitch(target.personId, { kind: target.kind, channel: target.channel, enabled: false }, this.clock.now());
    return target;
  }

  pageText(language: Language, key: "title" | "question" | "button" | "done" | "invalid", values: Record<string, string> = {}): string {
    return this.renderer.pageText(language, key, values);
  }

  kindLabel(kind: NotificationKind, language: Language): string {
    return this.renderer.kindLabel(kind, language);
  }
}
