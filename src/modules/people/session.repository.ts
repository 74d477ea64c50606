import DataLoader from "dataloader";
import { and, desc, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { type Database, prepareRead } from "../../db/client.js";
import type { PersonTables } from "./person.tables.js";

export interface SessionRow {
  id: string;
  personId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  userAgent: string | null;
  address: string | null;
}

/** What one request needs to know about its token's account and session, read in one query. */
export interface SessionState {
  disabledAt: Date | null;
  tokensValidAfter: Date | null;
  session: Pick<SessionRow, "endedAt" | "lastSeenAt" | "personId"> | null;
}

/** A session state from the account's flags and the session found (none: no session, or not found). */
function stateOf(
  account: { disabledAt: Date | null; tokensValidAfter: Date | null },
  session: { endedAt: Date | null; lastSeenAt: Date; personId: string } | undefined,
): SessionState {
  return {
    disabledAt: account.disabledAt,
    tokensValidAfter: account.tokensValidAfter,
    session: session ? { endedAt: session.endedAt, lastSeenAt: session.lastSeenAt, personId: session.personId } : null,
  };
}

/** How many tokens' session states are remembered at most (least recently used forgotten first). */
const RECENT_STATES = 50_000;

/** Sessions (one per login) and the account flags that end them. */
export class SessionRepository {
  constructor(private readonly db: Database<PersonTables>) {}

  async insert(row: SessionRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.db.tables.sessions).values(row);
    });
  }

  /**
   * The account's flags and the session's state by primary keys, in one round trip (a left join):
   * undefined when the account does not exist.
   */
  async state(personId: string, sessionId: string | undefined): Promise<SessionState | undefined> {
    // Every authenticated request asks this. Where the database tells whether anything was committed
    // since (SQLite: asking costs a quarter of the query), an answer is reused until something was,
    // then read again: a logout, a disabled account or an ended session counts from the next request,
    // on every instance, as without the reuse.
    const version = this.db.committedVersion();
    const key = `${personId}\u0000${sessionId ?? ""}`;
    if (version !== null) {
      const known = this.recent.get(key);
      if (known && known.version === version) return known.state;
    }
    const state = await this.stateLoads.load(key);
    if (version !== null) {
      this.recent.set(key, { version, state });
    }
    return state;
  }

  /** Answers of `state` with the database's committed version they were read at (see state). */
  private readonly recent = new LRUCache<string, { version: number; state: SessionState | undefined }>({ max: RECENT_STATES });

  /**
   * Reads of `state` asked for in the same tick, answered together: the periodic credential checks of
   * thousands of sockets ask for hundreds at once, and one read of all their people and one of all
   * their sessions cost a fraction of as many single reads. One alone runs the prepared statement.
   */
  private readonly stateLoads = new DataLoader<string, SessionState | undefined>((keys) => this.readStates(keys), { cache: false, maxBatchSize: 500 });

  private async readStates(keys: readonly string[]): Promise<(SessionState | undefined)[]> {
    const asked = keys.map((key) => {
      const at = key.indexOf("\u0000");
      return { personId: key.slice(0, at), sessionId: key.slice(at + 1) };
    });
    if (asked.length === 1) {
      this.stateQuery ??= this.prepareState();
      const [r] = await this.stateQuery(asked[0]);
      return [r ? stateOf(r, r.sessionPersonId && r.lastSeenAt ? { endedAt: r.endedAt, lastSeenAt: r.lastSeenAt, personId: r.sessionPersonId } : undefined) : undefined];
    }
    const t = this.db.tables;
    const personIds = [...new Set(asked.map((a) => a.personId))];
    const sessionIds = [...new Set(asked.map((a) => a.sessionId).filter((id) => id !== ""))];
    const [people, sessions] = await Promise.all([
      this.db.read.select({ id: t.people.id, disabledAt: t.people.disabledAt, tokensValidAfter: t.people.tokensValidAfter }).from(t.people).where(inArray(t.people.id, personIds)),
      sessionIds.length === 0
        ? []
        : this.db.read
            .select({ id: t.sessions.id, endedAt: t.sessions.endedAt, lastSeenAt: t.sessions.lastSeenAt, personId: t.sessions.personId })
            .from(t.sessions)
            .where(inArray(t.sessions.id, sessionIds)),
    ]);
    const person = new Map(people.map((p) => [p.id, p]));
    const session = new Map(sessions.map((r) => [r.id, r]));
    return asked.map(({ personId, sessionId }) => {
      const p = person.get(personId);
      return p ? stateOf(p, sessionId === "" ? undefined : session.get(sessionId)) : undefined;
    });
  }

  /** The statement of `state` for one token, built once: every authenticated request runs it. */
  private stateQuery: ReturnType<SessionRepository["prepareState"]> | undefined;

  private prepareState() {
    const t = this.db.tables;
    const columns = {
      disabledAt: t.people.disabledAt,
      tokensValidAfter: t.people.tokensValidAfter,
      endedAt: t.sessions.endedAt,
      lastSeenAt: t.sessions.lastSeenAt,
      sessionPersonId: t.sessions.personId,
    };
    const query = this.db.read
      .select(columns)
      .from(t.people)
      .leftJoin(t.sessions, eq(t.sessions.id, sql.placeholder("sessionId")))
      .where(eq(t.people.id, sql.placeholder("personId")));
    return prepareRead<{ disabledAt: Date | null; tokensValidAfter: Date | null; endedAt: Date | null; lastSeenAt: Date | null; sessionPersonId: string | null }>(
      this.db,
      "session_state",
      query,
      columns,
    );
  }

  /** Moves last-seen forward, only when it is older than `before` (so at most one write per interval wins). */
  async touch(sessionId: string, at: Date, before: Date): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx
        .update(t.sessions)
        .set({ lastSeenAt: at })
        .where(and(eq(t.sessions.id, sessionId), lt(t.sessions.lastSeenAt, before), isNull(t.sessions.endedAt)));
    });
  }

  /** The person's sessions that are open and not expired, newest first. */
  async active(personId: string, now: Date, limit: number): Promise<SessionRow[]> {
    const t = this.db.tables;
    return this.db.read
      .select()
      .from(t.sessions)
      .where(and(eq(t.sessions.personId, personId), isNull(t.sessions.endedAt), gt(t.sessions.expiresAt, now)))
      .orderBy(desc(t.sessions.createdAt), desc(t.sessions.id))
      .limit(limit);
  }

  /** Ends one of the person's sessions; false when it is not theirs or already ended. */
  async end(personId: string, sessionId: string, at: Date): Promise<boolean> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const r = await tx
        .update(t.sessions)
        .set({ endedAt: at })
        .where(and(eq(t.sessions.id, sessionId), eq(t.sessions.personId, personId), isNull(t.sessions.endedAt)))
        .returning({ id: t.sessions.id });
      return r.length > 0;
    });
  }

  /**
   * Ends every open session of the person but `keep` (the one asking, when it stays), refuses
   * session-less tokens issued until now and spends login challenges still waiting for a code. Returns
   * how many sessions ended.
   */
  async endAll(personId: string, at: Date, keep?: string): Promise<number> {
    const t = this.db.tables;
    return this.db.transaction(async (tx) => {
      const open = and(eq(t.sessions.personId, personId), isNull(t.sessions.endedAt));
      const r = await tx
        .update(t.sessions)
        .set({ endedAt: at })
        .where(keep ? and(open, ne(t.sessions.id, keep)) : open)
        .returning({ id: t.sessions.id });
      await tx.update(t.people).set({ tokensValidAfter: at }).where(eq(t.people.id, personId));
      // A login waiting for its second step was begun with what may be the old password: it ends too.
      await tx
        .update(t.loginChallenges)
        .set({ usedAt: at })
        .where(and(eq(t.loginChallenges.personId, personId), isNull(t.loginChallenges.usedAt)));
      return r.length;
    });
  }

  /** Disables (a date) or enables (null) an account. */
  async setDisabled(personId: string, at: Date | null, byId: string | null): Promise<void> {
    const t = this.db.tables;
    await this.db.transaction(async (tx) => {
      await tx.update(t.people).set({ disabledAt: at, disabledById: byId }).where(eq(t.people.id, personId));
    });
  }
}
