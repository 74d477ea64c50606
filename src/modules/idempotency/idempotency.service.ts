import { createHash } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import type { IdempotencyRepository, StoredAnswer } from "./idempotency.repository.js";

export type IdempotentOutcome =
  | { kind: "ANSWER"; answer: StoredAnswer; replayed: boolean }
  | { kind: "KEY_REUSED" }
  | { kind: "IN_PROGRESS" };

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` for retried requests: the same key from the same principal replays the stored
 * answer instead of acting again; the same key with a different request is refused; two concurrent
 * retries produce one effect (the second waits for the first's answer). Answers that are faults on our
 * side (5xx, INTERNAL_SERVER_ERROR) are not stored, so a retry runs again.
 */
export class IdempotencyService {
  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly ttlHours: number,
    private readonly waitMs = 15_000,
  ) {}

  static isValidKey(key: string): boolean {
    return KEY.test(key);
  }

  static hashRequest(body: unknown): string {
    return createHash("sha256").update(JSON.stringify(body ?? null)).digest("hex");
  }

  async run(principal: string, key: string, body: unknown, execute: () => Promise<StoredAnswer>): Promise<IdempotentOutcome> {
    const hash = IdempotencyService.hashRequest(body);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (await this.repo.claim(principal, key, hash, this.clock.now())) {
        let answer: StoredAnswer;
        try {
          answer = await execute();
        } catch (err) {
          await this.repo.release(principal, key);
          throw err;
        }
        if (answer.status >= 500 || answer.body.includes('"INTERNAL_SERVER_ERROR"')) {
          await this.repo.release(principal, key);
        } else {
          await this.repo.complete(principal, key, answer, this.clock.now());
        }
        return { kind: "ANSWER", answer, replayed: false };
      }
      const row = await this.repo.find(principal, key);
      if (row && row.requestHash !== hash) return { kind: "KEY_REUSED" };
      if (row?.answer) return { kind: "ANSWER", answer: row.answer, replayed: true };
      if (Date.now() > deadline) return { kind: "IN_PROGRESS" };
      // Held by a request still running (or just released): wait and look again.
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  prune(): Promise<number> {
    return this.repo.pruneBefore(new Date(this.clock.now().getTime() - this.ttlHours * 3600_000));
  }
}
