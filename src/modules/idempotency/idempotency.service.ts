import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import type { IdempotencyRepository, StoredAnswer } from "./idempotency.repository.js";
import type { IdempotentReplay, StoredRecord } from "./idempotency.replay.js";

export type IdempotentOutcome = { kind: "ANSWER"; answer: StoredAnswer; replayed: boolean } | { kind: "KEY_REUSED" } | { kind: "IN_PROGRESS" };

const KEY = /^[\x21-\x7e]{1,200}$/;

/** How long a holder's lease runs before a retry may take the key over; renewed while it works. */
const LEASE_MS = 10_000;

/**
 * `Idempotency-Key` for retried requests: the same key from the same principal is answered from the
 * first attempt instead of acting again; the same key with a different request is refused; two
 * concurrent retries produce one effect (the second waits for the first's answer).
 *
 * What is kept is not the answer: only what the mutation changed (the ids of the objects it returned,
 * see IdempotentReplay), sealed with AES-256-GCM under a key derived from the server's secret. A replay
 * reads those objects again with the caller's current rights, so it shows nothing the caller may no
 * longer see and logs the personal data it shows like any read.
 *
 * The key is held while the first request runs under a lease its process renews; when that process
 * dies, the lease runs out and a retry of the same request takes the key over and runs it. Answers that
 * are faults on our side (5xx, INTERNAL_SERVER_ERROR) are not kept, so a retry runs again.
 */
export class IdempotencyService {
  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly ttlHours: number,
    /** 32 bytes: seals stored records (AES-256-GCM). */
    private readonly sealingKey: Buffer,
    private readonly waitMs = 15_000,
    private readonly leaseMs = LEASE_MS,
  ) {}

  static isValidKey(key: string): boolean {
    return KEY.test(key);
  }

  /** A hash of the request that does not depend on the order of keys in its JSON (variables included). */
  static hashRequest(body: unknown): string {
    return createHash("sha256")
      .update(canonicalJson(body ?? null))
      .digest("hex");
  }

  async run(principal: string, key: string, body: unknown, execute: (body: unknown) => Promise<StoredAnswer>, replay: IdempotentReplay): Promise<IdempotentOutcome> {
    const hash = IdempotencyService.hashRequest(body);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.repo.claim(principal, key, hash, this.clock.now(), new Date(Date.now() + this.leaseMs))) {
        const first = replay.firstRun(body);
        const renewal = setInterval(
          () => {
            this.repo.renew(principal, key, new Date(Date.now() + this.leaseMs)).catch(() => undefined);
          },
          Math.max(100, Math.floor(this.leaseMs / 3)),
        );
        renewal.unref();
        let executed: StoredAnswer;
        try {
          executed = await execute(first.body);
        } catch (err) {
          clearInterval(renewal);
          await this.repo.release(principal, key);
          throw err;
        }
        clearInterval(renewal);
        const { answer, record } = first.record(executed);
        if (answer.status >= 500 || answer.body.includes('"INTERNAL_SERVER_ERROR"')) {
          await this.repo.release(principal, key);
        } else {
          await this.repo.complete(principal, key, answer.status, this.seal(record), this.clock.now());
        }
        return { kind: "ANSWER", answer, replayed: false };
      }
      const row = await this.repo.find(principal, key);
      if (row && row.requestHash !== hash) return { kind: "KEY_REUSED" };
      if (row?.sealed) return { kind: "ANSWER", answer: await replay.replay(body, this.open(row.sealed), execute), replayed: true };
      if (Date.now() > deadline) return { kind: "IN_PROGRESS" };
      // Held by a request still running (or just released, or by a process that died): look again.
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  prune(): Promise<number> {
    return this.repo.pruneBefore(new Date(this.clock.now().getTime() - this.ttlHours * 3600_000));
  }

  private seal(record: StoredRecord): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.sealingKey, iv);
    const text = Buffer.concat([cipher.update(JSON.stringify(record), "utf8"), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), text]).toString("base64")}`;
  }

  private open(sealed: string): StoredRecord {
    const raw = Buffer.from(sealed.slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.sealingKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8")) as StoredRecord;
  }
}

/** JSON with every object's keys sorted, at every depth. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
