import { type SQL, and, eq } from "drizzle-orm";
import { keysetPage } from "../../db/keyset.js";
import type { Database } from "../../db/client.js";
import type { AccessLogTables } from "./access-log.tables.js";
import { type Page, type PageRequest, pageOf } from "../../shared/pagination.js";

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
    return pageOf(rows, page, (r) => r.at.getTime(), cursorScope);
  }
}
