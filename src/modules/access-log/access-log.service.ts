import type { Clock } from "../../shared/clock.js";
import { forbidden } from "../../shared/errors.js";
import { newId, typeOfId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import { currentRequest } from "../../graphql/observability.js";
import { AccessLogReason } from "./access-log.errors.js";
import type { ChainReport } from "./access-log.chain.js";
import type { AccessLogRepository, AccessLogRow } from "./access-log.repository.js";

/** Who a reader is, as the log keeps it: roles, team and organisations by name, never more. */
export interface ReaderContext {
  roles: string[];
  team: string | null;
  organisations: string[];
}

/** What a call site of `record` knows beyond the read itself; all optional. */
export interface RecordOptions {
  /** The viewer who read: the roles they acted in are taken from it (else from their stored roles). */
  viewer?: Viewer;
  /** GRANTED (the default) or REFUSED. */
  result?: "GRANTED" | "REFUSED";
  /** The kind of object read through, when its id does not say it. */
  objectType?: string;
}

/**
 * Records who read whose personal data, what and why (GDPR art. 9 data needs this trail; the fields of
 * BIO 8.15 / NEN 7513), in a hash chain an auditor can verify, and lets a person see who read theirs by
 * role and team. Reading one's own data is not logged.
 */
export class AccessLogService {
  constructor(
    private readonly repo: AccessLogRepository,
    private readonly clock: Clock,
    private readonly describeReader: (personId: string) => Promise<ReaderContext> = async () => ({ roles: [], team: null, organisations: [] }),
  ) {}

  /**
   * Records one read, before the data is handed out: if recording fails the read fails. Where from
   * (address, partner app, request id) comes from the request being handled.
   */
  async record(readerId: string, subjectId: string, fields: string[], purpose: string, objectId: string | null, options: RecordOptions = {}): Promise<void> {
    if (readerId === subjectId) return;
    const described = await this.describeReader(readerId);
    const viewerRoles = options.viewer?.personId === readerId ? [...options.viewer.roles] : null;
    const request = currentRequest();
    await this.repo.append({
      id: newId("AccessLogEntry"),
      readerId,
      readerRoles: [...(viewerRoles ?? described.roles)].sort(),
      readerTeam: described.team,
      readerOrganisations: [...described.organisations].sort(),
      subjectId,
      objectType: options.objectType ?? (objectId ? (typeOfId(objectId) ?? null) : null),
      objectId,
      fields,
      purpose,
      result: options.result ?? "GRANTED",
      clientAddress: request?.address ?? null,
      apiClientId: request?.clientId ?? null,
      requestId: request?.requestId ?? null,
      at: this.clock.now(),
    });
  }

  /** Walks the chain and reports the first broken link; coordinators only. */
  async verify(viewer: Viewer): Promise<ChainReport> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(AccessLogReason.ACCESS_LOG_VERIFY_COORDINATOR_ONLY, "Only a coordinator can verify the access log.");
    return this.repo.verify();
  }

  /** Walks the chain without a viewer: for the operators' `npm run verify-access-log`. */
  verifyAsOperator(): Promise<ChainReport> {
    return this.repo.verify();
  }

  /** Retention: deletes entries older than `before` and moves the chain's anchor past them. */
  pruneBefore(before: Date): Promise<number> {
    return this.repo.pruneBefore(before, this.clock.now());
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
