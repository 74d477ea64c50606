import type { Clock } from "../../shared/clock.js";
import { forbidden } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { AccessLogReason } from "./access-log.errors.js";
import type { AccessLogRepository, AccessLogRow } from "./access-log.repository.js";

/**
 * Records who read whose personal data, what and why (GDPR art. 9 data needs this trail), and lets a
 * person see who read theirs. Reading one's own data is not logged.
 */
export class AccessLogService {
  constructor(
    private readonly repo: AccessLogRepository,
    private readonly clock: Clock,
  ) {}

  async record(readerId: string, subjectId: string, fields: string[], purpose: string, objectId: string | null): Promise<void> {
    if (readerId === subjectId) return;
    await this.repo.append({ id: newId("AccessLogEntry"), readerId, subjectId, fields, purpose, objectId, at: this.clock.now() });
  }

  /** One entry, for a coordinator or the person whose data was read (node lookups); null otherwise. */
  async findVisible(viewer: Viewer, id: string): Promise<AccessLogRow | null> {
    if (!viewer.personId) return null;
    const row = await this.repo.find(id);
    return row && (row.subjectId === viewer.personId || hasRole(viewer, "COORDINATOR")) ? row : null;
  }

  /** Coordinators see every entry (filtered); anyone else sees the reads of their own data. */
  async list(viewer: Viewer, filter: { subjectId?: string | null; readerId?: string | null }, args: PageArgs) {
    const v = requireViewer(viewer);
    const scope = cursorScope("AccessLog", { subjectId: filter.subjectId, readerId: filter.readerId });
    const page = pageRequest(args, scope);
    if (hasRole(v, "COORDINATOR")) {
      return this.repo.list({ subjectId: filter.subjectId ?? undefined, readerId: filter.readerId ?? undefined }, page, scope);
    }
    if (filter.subjectId && filter.subjectId !== v.personId) {
      throw forbidden(AccessLogReason.ACCESS_LOG_OF_OTHERS, "You can only see who read your own data.");
    }
    return this.repo.list({ subjectId: v.personId, readerId: filter.readerId ?? undefined }, page, scope);
  }
}
