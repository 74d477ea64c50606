import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { SharedReason, badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { checkEndpointUrl } from "./webhook.address.js";
import { WEBHOOK_CURSOR, type WebhookDispatcher } from "./webhook.dispatcher.js";
import { WEBHOOK_EVENT_TYPE_NAMES, isWebhookEventType } from "./webhook.events.js";
import type { AttemptRow, DeliveryRow, EndpointRow, WebhookRepository } from "./webhook.repository.js";
import type { WebhookSendSettings, WebhookSender } from "./webhook.sender.js";
import { ApiClientReason } from "../api-clients/api-client.errors.js";
import { WebhookReason } from "./webhooks.errors.js";

export interface WebhookSettings extends WebhookSendSettings {
  /** How long the previous secret still signs after a rotation. */
  rotationGraceMs: number;
  /** How long finished deliveries and their attempts are kept. */
  retentionMs: number;
  /** Endpoints per partner app at most. */
  maxEndpointsPerClient: number;
  /** Events one replay reads at most. */
  replayLimit: number;
}

const RegisterInput = z.object({
  clientId: z.string().min(1).max(100),
  url: z.string().min(1).max(2000),
  description: z.string().trim().max(500).default(""),
  eventTypes: z.array(z.string().max(100)).min(1).max(WEBHOOK_EVENT_TYPE_NAMES.length),
  sandbox: z.boolean().default(false),
});
const UpdateInput = z.object({
  url: z.string().min(1).max(2000).optional(),
  description: z.string().trim().max(500).optional(),
  eventTypes: z.array(z.string().max(100)).min(1).max(WEBHOOK_EVENT_TYPE_NAMES.length).optional(),
});

/** A new signing secret: `whsec_` and 24 random bytes in base64, as the Standard Webhooks specification describes. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** What one pass decided and sent. */
export interface PassReport {
  decided: number;
  succeeded: number;
  failed: number;
  dead: number;
}

/** The delay between a commit and the pass it wakes: the commits of a burst share one pass. */
const WAKE_DELAY_MS = 50;

/** A delivery with its attempts, as its owner reads it. */
export type DeliveryView = DeliveryRow & { attemptLog: AttemptRow[] };

/**
 * Partner webhooks. An endpoint belongs to a partner app; who registered the app (a coordinator)
 * manages its endpoints and alone reads their secrets' existence, deliveries and attempts: another
 * app's owner gets NOT_FOUND, as if it did not exist. `run` decides and sends; `start` places the
 * dispatcher's cursor.
 */
export class WebhookService {
  private current: Promise<PassReport> | null = null;
  private following: Promise<PassReport> | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private awake = false;
  private closed = false;

  constructor(
    private readonly repo: WebhookRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    /** How far the event log has been pruned (Outbox.prunedThrough): a replay from before it is refused. */
    private readonly prunedThrough: () => Promise<number> = async () => 0,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  /**
   * Starts following the event log: the cursor is created at its end if there is none, and from then on
   * every commit that recorded events wakes a pass shortly after (`onCommit`, the database's listener).
   */
  async start(onCommit?: (listener: () => void) => void): Promise<void> {
    await this.dispatcher.start();
    if (this.awake || !onCommit) return;
    this.awake = true;
    onCommit(() => this.wake());
  }

  /** Asks for a pass soon; the commits of a burst share one. */
  wake(): void {
    if (this.closed || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      void this.run();
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  /**
   * One pass: decide what the event log brought, then send what is due. Called while a pass runs, it
   * waits for one that starts after it, so what was committed before the call is decided when it
   * resolves. Failures are reported, not thrown.
   */
  run(): Promise<PassReport> {
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

  /** Stops waking and waits for a pass in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.following;
    await this.current;
  }

  private async pass(): Promise<PassReport> {
    let decided = 0;
    try {
      decided = await this.dispatcher.dispatch();
    } catch (err) {
      this.reportError(err, "deciding webhooks");
    }
    try {
      return { decided, ...(await this.sender.sendDue()) };
    } catch (err) {
      this.reportError(err, "sending webhooks");
      return { decided, succeeded: 0, failed: 0, dead: 0 };
    }
  }

  prune(): Promise<number> {
    return this.repo.prune(new Date(this.clock.now().getTime() - this.settings.retentionMs));
  }

  /** Registers an endpoint; the answer carries its signing secret, shown this once. */
  async register(viewer: Viewer, input: unknown): Promise<{ endpoint: EndpointRow; secret: string }> {
    const v = await this.requireOwner(viewer, parse(RegisterInput, input).clientId);
    const i = parse(RegisterInput, input);
    checkEndpointUrl(i.url, this.settings.address);
    const eventTypes = checkTypes(i.eventTypes);
    if ((await this.repo.countEndpoints(i.clientId)) >= this.settings.maxEndpointsPerClient) {
      throw conflict(WebhookReason.WEBHOOK_TOO_MANY_ENDPOINTS, "A partner app has at most {max} webhook endpoints.", {
        max: this.settings.maxEndpointsPerClient,
      });
    }
    const now = this.clock.now();
    const secret = newSigningSecret();
    const endpoint = await this.repo.insertEndpoint({
      id: newId("WebhookEndpoint"),
      clientId: i.clientId,
      sandbox: i.sandbox,
      url: i.url,
      description: i.description,
      eventTypes,
      secret,
      previousSecret: null,
      previousSecretUntil: null,
      status: "ENABLED",
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdById: v.personId,
      createdAt: now,
      updatedAt: now,
    });
    return { endpoint, secret };
  }

  async update(viewer: Viewer, id: string, input: unknown): Promise<EndpointRow> {
    const endpoint = await this.ownEndpoint(viewer, id);
    const i = parse(UpdateInput, input);
    if (i.url !== undefined) checkEndpointUrl(i.url, this.settings.address);
    const set = { ...i, ...(i.eventTypes ? { eventTypes: checkTypes(i.eventTypes) } : {}), updatedAt: this.clock.now() };
    return (await this.repo.updateEndpoint(endpoint.id, set)) ?? endpoint;
  }

  /** A new secret, shown once; the old one keeps signing beside it for the grace period. */
  async rotateSecret(viewer: Viewer, id: string): Promise<{ endpoint: EndpointRow; secret: string }> {
    const endpoint = await this.ownEndpoint(viewer, id);
    const now = this.clock.now();
    const secret = newSigningSecret();
    const updated = await this.repo.updateEndpoint(endpoint.id, {
      secret,
      previousSecret: endpoint.secret,
      previousSecretUntil: new Date(now.getTime() + this.settings.rotationGraceMs),
      updatedAt: now,
    });
    return { endpoint: updated ?? endpoint, secret };
  }

  /** Disables (with the owner's reason) or enables an endpoint; enabling starts its count of failures afresh. */
  async setEnabled(viewer: Viewer, id: string, enabled: boolean): Promise<EndpointRow> {
    const endpoint = await this.ownEndpoint(viewer, id);
    const now = this.clock.now();
    const set = enabled
      ? { status: "ENABLED" as const, disabledAt: null, disabledReason: null, failingSince: null, updatedAt: now }
      : { status: "DISABLED" as const, disabledAt: now, disabledReason: "Disabled by its owner.", updatedAt: now };
    const updated = (await this.repo.updateEndpoint(endpoint.id, set)) ?? endpoint;
    if (enabled) this.wake();
    return updated;
  }

  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const endpoint = await this.ownEndpoint(viewer, id);
    await this.repo.deleteEndpoint(endpoint.id);
    return true;
  }

  async endpointsOf(viewer: Viewer, clientId: string): Promise<EndpointRow[]> {
    await this.requireOwner(viewer, clientId);
    return this.repo.endpointsOf(clientId);
  }

  async endpoint(viewer: Viewer, id: string): Promise<EndpointRow> {
    return this.ownEndpoint(viewer, id);
  }

  /** `node(id)`: the endpoint for its owner, null for anyone else. */
  async findVisibleEndpoint(viewer: Viewer, id: string): Promise<EndpointRow | null> {
    const endpoint = await this.repo.endpoint(id);
    return endpoint && (await this.owns(viewer, endpoint.clientId)) ? endpoint : null;
  }

  /** `node(id)`: the delivery for its endpoint's owner, null for anyone else. */
  async findVisibleDelivery(viewer: Viewer, id: string): Promise<DeliveryRow | null> {
    const delivery = await this.repo.delivery(id);
    if (!delivery) return null;
    return (await this.findVisibleEndpoint(viewer, delivery.endpointId)) ? delivery : null;
  }

  /** An endpoint's delivery log, newest first. */
  async deliveries(viewer: Viewer, endpointId: string, first: number | null | undefined): Promise<DeliveryRow[]> {
    const endpoint = await this.ownEndpoint(viewer, endpointId);
    const limit = first ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badInput(SharedReason.INVALID_PAGE_SIZE, "first: 1 to 100", "first");
    return this.repo.deliveriesOf(endpoint.id, limit);
  }

  attempts(deliveryIds: readonly string[]): Promise<AttemptRow[]> {
    return this.repo.attemptsOf(deliveryIds);
  }

  /**
   * Sends a delivery again as a new delivery with the same payload and `webhook-id` (so a receiver
   * that processed it already can tell), now, with a fresh count of attempts.
   */
  async redeliver(viewer: Viewer, deliveryId: string): Promise<DeliveryRow> {
    const delivery = await this.findVisibleDelivery(viewer, deliveryId);
    if (!delivery) throw notFound(WebhookReason.WEBHOOK_DELIVERY_NOT_FOUND, "No such webhook delivery among your endpoints.");
    const now = this.clock.now();
    const copy: DeliveryRow = {
      ...delivery,
      id: newId("WebhookDelivery"),
      origin: `redeliver:${newId("WebhookDelivery")}`,
      status: "PENDING",
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      claimToken: null,
      lastStatusCode: null,
      lastError: null,
      lastDurationMs: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insertDeliveries([copy]);
    this.wake();
    return copy;
  }

  /**
   * Queues again, for one endpoint, the events after `fromCursor` that it would have received, up to
   * where live delivery has decided and at most `replayLimit` events; a cursor older than the event
   * log keeps is refused (EVENTS_PRUNED). Returns the deliveries queued and the cursor to continue from.
   */
  async replay(viewer: Viewer, endpointId: string, fromCursor: string): Promise<{ queued: number; nextCursor: string; complete: boolean }> {
    const endpoint = await this.ownEndpoint(viewer, endpointId);
    if (!/^\d{1,16}$/.test(fromCursor)) throw badInput(SharedReason.INVALID_CURSOR, "fromCursor: not an event cursor this server handed out", "fromCursor");
    const from = Number(fromCursor);
    if (from < (await this.prunedThrough())) throw badInput(SharedReason.EVENTS_PRUNED, "fromCursor: events after it are older than the event log keeps", "fromCursor");
    const through = (await this.repo.cursor(WEBHOOK_CURSOR)) ?? 0;
    const origin = `replay:${newId("WebhookDelivery")}`;
    const { deliveries, lastSeq } = await this.dispatcher.replay(endpoint, from, through, this.settings.replayLimit, origin);
    await this.repo.insertDeliveries(deliveries);
    this.wake();
    return { queued: deliveries.length, nextCursor: String(Math.max(from, lastSeq)), complete: lastSeq >= through || lastSeq === from };
  }

  private async ownEndpoint(viewer: Viewer, id: string): Promise<EndpointRow> {
    requireViewer(viewer);
    const endpoint = await this.findVisibleEndpoint(viewer, id);
    if (!endpoint) throw notFound(WebhookReason.WEBHOOK_ENDPOINT_NOT_FOUND, "No such webhook endpoint among your partner apps.");
    return endpoint;
  }

  /** Who registered a partner app, while a coordinator, owns its endpoints. */
  private async owns(viewer: Viewer, clientId: string): Promise<boolean> {
    if (!viewer.personId || !hasRole(viewer, "COORDINATOR")) return false;
    return (await this.repo.clientOwner(clientId)) === viewer.personId;
  }

  private async requireOwner(viewer: Viewer, clientId: string): Promise<AuthenticatedViewer> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only the coordinator who registered a partner app manages its webhooks.");
    const owner = await this.repo.clientOwner(clientId);
    if (owner === undefined) throw notFound(ApiClientReason.API_CLIENT_NOT_FOUND, "No such partner app.");
    if (owner !== v.personId) throw forbidden(WebhookReason.WEBHOOK_NOT_CLIENT_OWNER, "Only the coordinator who registered this partner app manages its webhooks.");
    return v;
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(SharedReason.INVALID_INPUT, "{field}: {problem}", `input.${issue.path.join(".")}`, {
      field: issue.path.join(".") || "input",
      problem: issue.message,
    });
  }
  return parsed.data;
}

function checkTypes(types: string[]): string[] {
  const unknown = types.find((t) => !isWebhookEventType(t));
  if (unknown !== undefined)
    throw badInput(WebhookReason.WEBHOOK_UNKNOWN_EVENT_TYPE, "eventTypes: {value} is not a webhook event type", "input.eventTypes", {
      value: JSON.stringify(unknown.slice(0, 100)),
    });
  return [...new Set(types)];
}
