import { DateTime } from "luxon";
import type { Clock } from "../../shared/clock.js";
import { parseInput } from "../../shared/validation.js";
import type { Viewer } from "../../shared/viewer.js";
import { requirePartnerAppCoordinator } from "./api-client.policy.js";
import { z } from "zod";
import type { ApiKeyUsageRepository, ApiKeyUsageRow } from "./api-key-usage.repository.js";

/** How a request made with a key ended, as its usage counts it. */
export type UsageOutcome = "OK" | "ERROR" | "RATE_LIMITED";

/** What one key did on one day, with the key's prefix to recognise it. */
export interface ApiKeyUsageDayRow extends ApiKeyUsageRow {
  keyPrefix: string;
}

const ZONE = "Europe/Amsterdam";
const FLUSH_EVERY_MS = 5_000;
const DaysSchema = z.number().int().min(1, "must be between 1 and 90").max(90, "must be between 1 and 90");

/**
 * Counts what each key does per Europe/Amsterdam day. Counting is a map update in memory, out of the
 * request's way; the counts are added to the database every few seconds (and before a read, and when
 * the server stops), so instances add up and a crash loses at most those seconds.
 */
export class ApiKeyUsage {
  private pending = new Map<string, ApiKeyUsageRow>();
  /** The Amsterdam day counted into, with its start and end (ms): one date computation per day, not per request. */
  private today = { day: "", from: 0, until: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repo: ApiKeyUsageRepository,
    private readonly clock: Clock,
    private readonly reportError: (err: unknown, message: string) => void,
  ) {
    this.timer = setInterval(() => void this.flush().catch((err) => this.reportError(err, "recording API key usage failed")), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  count(keyId: string, outcome: UsageOutcome): void {
    const day = this.dayOf(this.clock.now());
    const id = `${keyId}|${day}`;
    let row = this.pending.get(id);
    if (!row) this.pending.set(id, (row = { keyId, day, requests: 0, errors: 0, rateLimited: 0 }));
    row.requests += 1;
    if (outcome !== "OK") row.errors += 1;
    if (outcome === "RATE_LIMITED") row.rateLimited += 1;
  }

  private dayOf(now: Date): string {
    const ms = now.getTime();
    if (ms < this.today.from || ms >= this.today.until) {
      const start = DateTime.fromMillis(ms, { zone: ZONE }).startOf("day");
      this.today = { day: start.toISODate()!, from: start.toMillis(), until: start.plus({ days: 1 }).toMillis() };
    }
    return this.today.day;
  }

  /** Adds what was counted since the last time; on failure the counts stay to be added next time. */
  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.repo.add(rows);
    } catch (err) {
      for (const row of rows) {
        const id = `${row.keyId}|${row.day}`;
        const now = this.pending.get(id);
        if (now) {
          now.requests += row.requests;
          now.errors += row.errors;
          now.rateLimited += row.rateLimited;
        } else this.pending.set(id, row);
      }
      throw err;
    }
  }

  /** For a coordinator: an app's usage per key and day. */
  async forCoordinator(viewer: Viewer, clientId: string, days: number | null | undefined): Promise<ApiKeyUsageDayRow[]> {
    requirePartnerAppCoordinator(viewer);
    return this.ofClient(clientId, days);
  }

  /** The client's usage per key and day over the last `days` days (today included), oldest first. */
  async ofClient(clientId: string, days: number | null | undefined): Promise<ApiKeyUsageDayRow[]> {
    const n = parseInput(DaysSchema, days ?? 30, "days");
    await this.flush().catch((err) => this.reportError(err, "recording API key usage failed"));
    const today = DateTime.fromJSDate(this.clock.now(), { zone: ZONE });
    return this.repo.ofClient(clientId, today.minus({ days: n - 1 }).toISODate()!, today.toISODate()!);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((err) => this.reportError(err, "recording API key usage failed"));
  }
}
