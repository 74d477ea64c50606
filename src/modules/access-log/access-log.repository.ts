import { type SQL, and, asc, count, eq, gt, gte, isNull, lt, lte } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database, Db } from "../../db/client.js";
import type { AccessLogTables } from "./access-log.tables.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";
import { type ChainReport, type ChainedContent, GENESIS_HASH, entryHash, walkChain } from "./access-log.chain.js";

/** An entry as stored; the chain columns are null on entries written before the chain began. */
export interface AccessLogRow {
  id: string;
  readerId: string;
  subjectId: string;
  fields: string[];
  purpose: string;
  objectId: string | null;
  at: Date;
  readerRoles: string[] | null;
  readerTeam: string | null;
  readerOrganisations: string[] | null;
  objectType: string | null;
  result: string | null;
  clientAddress: string | null;
  apiClientId: string | null;
  requestId: string | null;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
}

/** What a new entry says; the repository gives it its place and hashes in the chain. */
export type NewAccessLogEntry = Omit<ChainedContent, "seq" | "prevHash">;

const CHAIN = "chain";
const LOCK = "access-log-chain";
const BATCH = 1000;

/**
 * Append-only, hash-chained log of reads of personal data. There is no update here; the only delete
 * is `pruneBefore` (retention), which moves the chain's anchor past what it deletes.
 */
export class AccessLogRepository {
  constructor(private readonly db: Database<AccessLogTables>) {}

  /**
   * Appends in the caller's transaction if there is one (so the entry commits or rolls back with the
   * read's other writes), else in its own. The chain head is taken under a transaction lock (PostgreSQL
   * advisory lock; SQLite has one writer) and moved conditionally, so two instances never link two
   * entries to the same predecessor.
   */
  async append(entry: NewAccessLogEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, LOCK);
      const head = await this.head(tx, entry.at);
      const seq = head.headSeq + 1;
      const content: ChainedContent = { ...entry, seq, prevHash: head.headHash };
      const hash = entryHash(content);
      await tx.insert(this.db.tables.accessLog).values({ ...content, hash });
      const c = this.db.tables.accessLogChain;
      const moved = await tx
        .update(c)
        .set({ headSeq: seq, headHash: hash })
        .where(and(eq(c.id, CHAIN), eq(c.headSeq, head.headSeq)))
        .returning({ id: c.id });
      // Only reachable if the lock did not hold; rolling back keeps the chain whole.
      if (moved.length !== 1) throw new Error("access log chain head moved concurrently");
    });
  }

  /** The chain row, created at the genesis on first use. */
  private async head(tx: Db, now: Date) {
    const c = this.db.tables.accessLogChain;
    const rows = await tx.select().from(c).where(eq(c.id, CHAIN)).limit(1);
    if (rows[0]) return rows[0];
    const genesis = { id: CHAIN, anchorSeq: 0, anchorHash: GENESIS_HASH, headSeq: 0, headHash: GENESIS_HASH, startedAt: now, prunedAt: null };
    await tx.insert(c).values(genesis);
    return genesis;
  }

  /**
   * Deletes entries older than `before` (retention) and moves the anchor to the last chained entry
   * deleted, in one transaction, so the rest of the chain still verifies from its new start. Only a
   * prefix is ever deleted: entries stop at the first one not older than `before`.
   */
  async pruneBefore(before: Date, now: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      await this.db.lockKey(tx, LOCK);
      const a = this.db.tables.accessLog;
      const c = this.db.tables.accessLogChain;
      const legacy = await tx
        .delete(a)
        .where(and(isNull(a.seq), lt(a.at, before)))
        .returning({ id: a.id });
      const chain = (await tx.select().from(c).where(eq(c.id, CHAIN)).limit(1))[0];
      if (!chain) return legacy.length;
      // The prefix: chained entries up to the first one that is not yet old enough.
      const firstKept = (
        await tx
          .select({ seq: a.seq })
          .from(a)
          .where(and(gt(a.seq, chain.anchorSeq), gte(a.at, before)))
          .orderBy(asc(a.seq))
          .limit(1)
      )[0]?.seq;
      const lastPruned = firstKept === undefined ? chain.headSeq : Number(firstKept) - 1;
      if (lastPruned <= chain.anchorSeq) return legacy.length;
      const last = (await tx.select({ hash: a.hash }).from(a).where(eq(a.seq, lastPruned)).limit(1))[0];
      if (!last?.hash) throw new Error(`access log entry at seq ${lastPruned} is missing: verify the chain before pruning`);
      const gone = await tx
        .delete(a)
        .where(and(gt(a.seq, chain.anchorSeq), lte(a.seq, lastPruned)))
        .returning({ id: a.id });
      await tx.update(c).set({ anchorSeq: lastPruned, anchorHash: last.hash, prunedAt: now }).where(eq(c.id, CHAIN));
      return legacy.length + gone.length;
    });
  }

  /** Walks the whole chain from its anchor (see walkChain). */
  async verify(): Promise<ChainReport> {
    const a = this.db.tables.accessLog;
    const c = this.db.tables.accessLogChain;
    const chain = (await this.db.read.select().from(c).where(eq(c.id, CHAIN)).limit(1))[0];
    const unchained = Number((await this.db.read.select({ n: count() }).from(a).where(isNull(a.seq)))[0]?.n ?? 0);
    const anchor = chain
      ? { seq: Number(chain.anchorSeq), hash: chain.anchorHash, headSeq: Number(chain.headSeq), headHash: chain.headHash }
      : { seq: 0, hash: GENESIS_HASH, headSeq: 0, headHash: GENESIS_HASH };
    return walkChain(
      anchor,
      async (after) => {
        const rows = await this.db.read.select().from(a).where(gt(a.seq, after)).orderBy(asc(a.seq)).limit(BATCH);
        return rows.map((r) => ({ ...r, seq: Number(r.seq), prevHash: r.prevHash ?? "" }));
      },
      unchained,
    );
  }

  async find(id: string): Promise<AccessLogRow | undefined> {
    const a = this.db.tables.accessLog;
    const rows = await this.db.read.select().from(a).where(eq(a.id, id)).limit(1);
    return rows[0] as AccessLogRow | undefined;
  }

  async list(filter: { subjectId?: string; readerId?: string }, page: PageRequest, cursorScope = ""): Promise<Page<AccessLogRow>> {
    const a = this.db.tables.accessLog;
    const conds: SQL[] = [];
    if (filter.subjectId) conds.push(eq(a.subjectId, filter.subjectId));
    if (filter.readerId) conds.push(eq(a.readerId, filter.readerId));
    const keyset = keysetPage(a.at, a.id, page, "desc");
    if (keyset.where) conds.push(keyset.where);
    const rows = await this.db.read
      .select()
      .from(a)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(...keyset.orderBy)
      .limit(page.limit + 1);
    return pageOf(rows as AccessLogRow[], page, (r) => r.at.getTime(), cursorScope);
  }
}
