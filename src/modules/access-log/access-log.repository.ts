import { type SQL, and, desc, eq } from "drizzle-orm";
import { afterKey } from "../../db/keyset.js";
import type { Database } from "../../db/client.js";
import type { AccessLogTables } from "./access-log.tables.js";
import { type CursorKey, type Page, encodeCursor } from "../../shared/pagination.js";

export interface AccessLogRow {
  id: string;
  readerId: string;
  subjectId: string;
  fields: string[];
  purpose: string;
  objectId: string | null;
  at: Date;
}

/** Append-only log of reads of personal data. There is no update or delete here on purpose. */
export class AccessLogRepository {
  constructor(private readonly db: Database<AccessLogTables>) {}

  async append(row: AccessLogRow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(this.db.tables.accessLog).values(row);
    });
  }

  async find(id: string): Promise<AccessLogRow | undefined> {
    const a = this.db.tables.accessLog;
    const rows = await this.db.read.select().from(a).where(eq(a.id, id)).limit(1);
    return rows[0] as AccessLogRow | undefined;
  }

  async list(filter: { subjectId?: string; readerId?: string }, after: CursorKey | null, limit: number, cursorScope = ""): Promise<Page<AccessLogRow>> {
    const a = this.db.tables.accessLog;
    const conds: SQL[] = [];
    if (filter.subjectId) conds.push(eq(a.subjectId, filter.subjectId));
    if (filter.readerId) conds.push(eq(a.readerId, filter.readerId));
    if (after) {
      conds.push(afterKey(a.at, a.id, after, "desc"));
    }
    const rows = await this.db.read
      .select()
      .from(a)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(a.at), desc(a.id))
      .limit(limit + 1);
    return {
      items: rows.slice(0, limit),
      hasNextPage: rows.length > limit,
      hasPreviousPage: after !== null,
      cursorOf: (r) => encodeCursor({ sort: r.at.getTime(), id: r.id }, cursorScope),
    };
  }
}
