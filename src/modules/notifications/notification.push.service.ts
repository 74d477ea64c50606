import { createECDH, randomBytes } from "node:crypto";
import webpush from "web-push";
import type { Config } from "../../config/env.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError, badInput, notFound } from "../../shared/errors.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import { type PushSettings, type VapidKeys } from "./notification.push.js";
import { allowHosts, ENDPOINT_MAX_LENGTH, endpointProblem } from "./notification.push.endpoint.js";
import type { PushRepository, PushSubscriptionRow } from "./notification.push.repository.js";
import { NotificationReason as R } from "./notifications.errors.js";

/** The parts of the config Web Push reads. */
export type PushConfig = Pick<
  Config,
  "NODE_ENV" | "MAIL_FROM" | "VAPID_PUBLIC_KEY" | "VAPID_PRIVATE_KEY" | "VAPID_SUBJECT" | "PUSH_ENDPOINT_ALLOW_HOSTS" | "PUSH_TTL_SECONDS" | "NOTIFY_LEASE_SECONDS"
>;

/** Subscriptions a person keeps at most: a new browser beyond them replaces the one longest silent. */
export const SUBSCRIPTIONS_PER_PERSON = 10;

/**
 * Whom push services may contact: VAPID_SUBJECT; in development the address of MAIL_FROM. Null: push is
 * off (production and tests without VAPID_SUBJECT), as e-mail is off without SMTP_URL.
 */
function subjectOf(config: PushConfig): string | null {
  if (config.VAPID_SUBJECT) return config.VAPID_SUBJECT;
  if (config.NODE_ENV !== "development") return null;
  const address = /<([^>]+)>\s*$/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  return `mailto:${address.trim()}`;
}

/**
 * Web Push's settings, with the VAPID key pair: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY when set (they
 * must belong together), otherwise the pair stored in the database, made by the first instance that
 * starts. Keys are looked at only when push is on.
 */
export async function loadPushSettings(config: PushConfig, repo: PushRepository, clock: Clock): Promise<PushSettings> {
  const subject = subjectOf(config);
  const common = {
    allowHosts: allowHosts(config.PUSH_ENDPOINT_ALLOW_HOSTS),
    ttlSeconds: config.PUSH_TTL_SECONDS,
    // A send must end well within its claim, or another instance could claim and send it as well.
    timeoutMs: Math.min(30_000, Math.max(1000, (config.NOTIFY_LEASE_SECONDS * 1000) / 3)),
  };
  if (!subject) return { vapid: null, ...common };
  let keys: { publicKey: string; privateKey: string };
  if (config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY) {
    keys = { publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY };
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, "base64url"));
    if (ecdh.getPublicKey("base64url") !== keys.publicKey) {
      throw new Error("Invalid configuration:\n  VAPID_PUBLIC_KEY: is not the public key of VAPID_PRIVATE_KEY");
    }
  } else {
    keys = await repo.sharedVapidKeys(webpush.generateVAPIDKeys(), clock.now());
  }
  const vapid: VapidKeys = { ...keys, subject };
  return { vapid, ...common };
}

/** A subscription as its owner sees it. */
export type PushSubscriptionView = Pick<PushSubscriptionRow, "id" | "endpoint" | "createdAt" | "lastSuccessAt">;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The bytes of a base64url key of exactly `bytes` bytes, or null. */
function keyBytes(value: unknown, bytes: number): Buffer | null {
  // Base64 of n bytes is at most 4 * ceil(n / 3) characters: anything longer is not such a key.
  if (typeof value !== "string" || value.length > Math.ceil(bytes / 3) * 4 || !BASE64URL.test(value)) return null;
  const decoded = Buffer.from(value.replace(/=+$/, ""), "base64url");
  return decoded.length === bytes ? decoded : null;
}

/** Whether 65 bytes are an uncompressed point on P-256 (the browser's key to encrypt to). */
function isP256Point(point: Buffer): boolean {
  if (point[0] !== 0x04) return false;
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    ecdh.computeSecret(point);
    return true;
  } catch {
    return false;
  }
}

/**
 * Browsers' Web Push subscriptions: the public VAPID key a browser subscribes with, and each signed-in
 * person's own subscriptions (add, remove, list). The PUSH channel (notification.push.ts) sends to them.
 */
export class PushService {
  constructor(
    private readonly repo: PushRepository,
    private readonly settings: PushSettings,
    private readonly clock: Clock,
  ) {}

  /** The key a browser passes to `pushManager.subscribe` as `applicationServerKey`; null when push is off. */
  vapidPublicKey(): string | null {
    return this.settings.vapid?.publicKey ?? null;
  }

  /**
   * Subscribes the viewer's browser. The endpoint must be a public https: push service (or a host on
   * PUSH_ENDPOINT_ALLOW_HOSTS) and the keys a P-256 point and a 16-byte secret. An endpoint subscribed
   * before is this browser again: it moves to the viewer with its new keys, even from another person
   * (who no longer uses this browser, and must not see the viewer's messages on it, nor the viewer theirs).
   */
  async subscribe(viewer: Viewer, input: { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } | null }): Promise<PushSubscriptionView> {
    const v = requireViewer(viewer);
    if (!this.settings.vapid) throw new DomainError("CONFLICT", R.PUSH_NOT_AVAILABLE, "Push notifications are not available on this server.");
    const endpoint = typeof input.endpoint === "string" ? input.endpoint : "";
    const problem = endpointProblem(endpoint, this.settings.allowHosts);
    if (problem) throw endpointRefused(problem);
    const p256dh = keyBytes(input.keys?.p256dh, 65);
    if (!p256dh || !isP256Point(p256dh)) throw badInput(R.PUSH_KEYS_INVALID, "keys.p256dh must be the browser's P-256 public key: 65 bytes, base64url.", "input.keys.p256dh");
    const auth = keyBytes(input.keys?.auth, 16);
    if (!auth) throw badInput(R.PUSH_KEYS_INVALID, "keys.auth must be the browser's authentication secret: 16 bytes, base64url.", "input.keys.auth");
    const row = await this.repo.subscribe(
      {
        id: `psh_${randomBytes(12).toString("base64url")}`,
        personId: v.personId,
        endpoint,
        p256dh: p256dh.toString("base64url"),
        auth: auth.toString("base64url"),
        createdAt: this.clock.now(),
        lastSuccessAt: null,
      },
      SUBSCRIPTIONS_PER_PERSON,
    );
    return view(row);
  }

  /** Removes one of the viewer's subscriptions; PUSH_SUBSCRIPTION_NOT_FOUND when the viewer has none with this endpoint. */
  async unsubscribe(viewer: Viewer, endpoint: string): Promise<boolean> {
    const v = requireViewer(viewer);
    if (!(await this.repo.unsubscribe(v.personId, endpoint))) {
      throw notFound(R.PUSH_SUBSCRIPTION_NOT_FOUND, "You have no push subscription with this endpoint.");
    }
    return true;
  }

  /** The viewer's own subscriptions, newest first. */
  async mine(viewer: Viewer): Promise<PushSubscriptionView[]> {
    const v = requireViewer(viewer);
    return (await this.repo.ofPerson(v.personId)).map(view);
  }
}

const view = (r: PushSubscriptionRow): PushSubscriptionView => ({ id: r.id, endpoint: r.endpoint, createdAt: r.createdAt, lastSuccessAt: r.lastSuccessAt });

/**
 * The refusal of an endpoint for the problem endpointProblem names, one translatable template per
 * problem (the English wording is the same as "The endpoint " + problem + ".").
 */
function endpointRefused(problem: string): DomainError {
  const field = "input.endpoint";
  switch (problem) {
    case "must be an absolute URL":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must be an absolute URL.", field);
    case "must be an https: URL":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must be an https: URL.", field);
    case "must not carry a user name or password":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must not carry a user name or password.", field);
    case "must not have a fragment":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must not have a fragment.", field);
    case "must use the standard HTTPS port":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must use the standard HTTPS port.", field);
    case "must be a public push service, not an internal address":
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must be a public push service, not an internal address.", field);
    case `must be at most ${ENDPOINT_MAX_LENGTH} characters`:
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint must be at most {max} characters.", field, { max: ENDPOINT_MAX_LENGTH });
    default:
      // A problem endpointProblem learns later without a case here: still refused, its own words left in English.
      return badInput(R.PUSH_ENDPOINT_NOT_ALLOWED, "The endpoint {problem}.", field, { problem });
  }
}
