import { createHmac, timingSafeEqual } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Clock } from "../../shared/clock.js";
import { SharedReason, badInput, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { PersonalDataExporter } from "./data-export.types.js";
import type { DataExportRepository, DataExportRow } from "./data-export.repository.js";
import { DataRightsReason as R } from "./data-rights.errors.js";

/** The version of the export file's format (docs/data-export.md); raised when a field changes meaning or goes. */
export const DATA_EXPORT_FORMAT_VERSION = 1;

/** How long a running job holds its claim: past it, its instance is taken to have died and the job reads FAILED. */
const LEASE_MS = 5 * 60_000;

export interface DataRightsSettings {
  /** How long a download link works (DATA_EXPORT_LINK_TTL_SECONDS). */
  linkTtlSeconds: number;
  /** How long a finished file may be downloaded (DATA_EXPORT_KEEP_HOURS); the next export replaces it sooner. */
  keepHours: number;
}

/** What data-rights needs of the rest of the app, given by the composition root. */
export interface DataRightsDeps {
  exporters: readonly PersonalDataExporter[];
  /** Whether a person (with or without an account) exists. */
  personExists(id: string): Promise<boolean>;
  /** The access log's record (readerId, subjectId, fields, purpose, objectId). */
  recordRead(readerId: string, subjectId: string, fields: string[], purpose: string, objectId: string | null): Promise<void>;
  /** A key derived from the token secret for signing download links (TokenService.deriveKey). */
  linkKey: Buffer;
  /**
   * Whether a person holds the COORDINATOR role now (read from the database, not a cached viewer): an
   * export made for someone else is theirs to read only while they do. Absent: no one but the subject.
   */
  isCoordinator?(personId: string): Promise<boolean>;
  /** Whether the login session a link was read in is still going (not logged out, the account not disabled). */
  sessionLive?(personId: string, sessionId: string): Promise<boolean>;
}

/** A download of a finished export, or why there is none (an HTTP status). */
export type Download = { ok: true; body: Buffer; filename: string } | { ok: false; status: 403 | 404 | 410; message: string };

/**
 * The rights of access (GDPR art. 15) and portability (art. 20): a person asks for everything the
 * platform holds about them; a coordinator asks on behalf of someone without an account, with a basis
 * written to the access log. One job runs per person; the file is made in one go by asking every
 * module's exporter, then stored with its status in one update. It is fetched through a short-lived
 * link signed for the person who asked, never through the GraphQL response.
 */
export class DataExportService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly repo: DataExportRepository,
    private readonly deps: DataRightsDeps,
    private readonly clock: Clock,
    private readonly settings: DataRightsSettings,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  /** The viewer's own export: a new job, or the one that runs already. */
  async request(viewer: Viewer): Promise<DataExportRow> {
    const v = requireViewer(viewer);
    return this.start(v.personId, v.personId, null);
  }

  /** A coordinator's export of someone else's data, on that person's request (the basis), recorded in the access log. */
  async requestFor(viewer: Viewer, personId: string, basisInput: string): Promise<DataExportRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may export someone else's data.");
    const basis = basisInput.trim();
    if (basis.length < 3 || basis.length > 500)
      throw badInput(SharedReason.INVALID_INPUT, "Give the basis of the request (3 to 500 characters), e.g. who asked at which desk and when.", "basis");
    if (!(await this.deps.personExists(personId))) throw notFound(R.DATA_EXPORT_SUBJECT_NOT_FOUND, "There is no such person.");
    const job = await this.start(personId, v.personId, basis);
    await this.deps.recordRead(v.personId, personId, ["data export"], `data export on the person's request: ${basis}`, job.id);
    return job;
  }

  /**
   * A job the viewer may see: their own, or one they asked for while they are a coordinator (a role
   * taken away takes the exports made with it); NOT_FOUND otherwise (existence is not revealed).
   */
  async find(viewer: Viewer, id: string): Promise<DataExportRow> {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    const mayRead = row && (row.subjectId === v.personId || (row.requestedById === v.personId && hasRole(v, "COORDINATOR")));
    if (!row || !mayRead) throw notFound(R.DATA_EXPORT_NOT_FOUND, "There is no such data export.");
    return this.current({ ...row, content: null });
  }

  /** The viewer's exports and those they asked for others, newest first (the last 20). */
  async mine(viewer: Viewer): Promise<DataExportRow[]> {
    const v = requireViewer(viewer);
    const rows = await this.repo.listFor({ subjectId: v.personId, requestedById: v.personId }, 20);
    const coordinator = hasRole(v, "COORDINATOR");
    return rows.filter((r) => r.subjectId === v.personId || coordinator).map((r) => this.current(r));
  }

  /** A download link for the viewer, valid for linkTtlSeconds; null unless the file is ready. */
  downloadLink(viewer: Viewer, row: DataExportRow): { url: string; expiresAt: Date } | null {
    if (row.status !== "READY" || !viewer.personId) return null;
    const expiresAt = new Date(this.clock.now().getTime() + this.settings.linkTtlSeconds * 1000);
    const exp = expiresAt.getTime().toString(36);
    // The link is bound to the session it was read in: logging out (everywhere) or disabling the account ends it too.
    const sid = viewer.sessionId ?? "-";
    return { url: `/exports/${encodeURIComponent(row.id)}?token=${exp}.${sid}.${this.sign(row.id, viewer.personId, exp, sid)}`, expiresAt };
  }

  /**
   * The file behind a link: the signature must be for this export and for its subject or the one who
   * asked for it, and unexpired; `sameHolder` refuses a request made with another person's credentials. A coordinator's download is written to the access log.
   */
  async download(id: string, token: string | null, sameHolder: (holder: string) => Promise<boolean> = async () => true): Promise<Download> {
    const refused = { ok: false, status: 404, message: "Unknown export or invalid link." } as const;
    const m = token ? /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return refused;
    const row = await this.repo.find(id);
    if (!row) return refused;
    const holder = [...new Set([row.subjectId, row.requestedById])].find((personId) => safeEqual(this.sign(id, personId, m[1], m[2]), m[3]));
    if (!holder) return refused;
    if (parseInt(m[1], 36) <= this.clock.now().getTime()) return { ok: false, status: 410, message: "This link has expired: ask for a new one." };
    if (!(await sameHolder(holder))) return { ok: false, status: 403, message: "This link was given to someone else." };
    if (m[2] !== "-" && this.deps.sessionLive && !(await this.deps.sessionLive(holder, m[2])))
      return { ok: false, status: 410, message: "You signed out since: sign in and ask for a new link." };
    // Someone else's data only while the one who asked for it is still a coordinator.
    if (holder !== row.subjectId && !(await this.deps.isCoordinator?.(holder))) return refused;
    const current = this.current(row);
    if (current.status !== "READY" || !row.content) return { ok: false, status: 410, message: "This export is no longer kept: ask for a new one." };
    if (holder !== row.subjectId) await this.deps.recordRead(holder, row.subjectId, ["data export"], `data export downloaded: ${row.basis ?? ""}`, row.id);
    return { ok: true, body: gunzipSync(Buffer.from(row.content, "base64")), filename: `zorgzaam-data-${row.createdAt.toISOString().slice(0, 10)}-${row.id}.json` };
  }

  /** Sweep: deletes the files kept longer than DATA_EXPORT_KEEP_HOURS, so no copy of a person's data outlives its use. */
  prune(): Promise<number> {
    return this.repo.dropFinishedBefore(new Date(this.clock.now().getTime() - this.settings.keepHours * 3600_000));
  }

  /** Waits for the exports this instance is making (shutdown). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async start(subjectId: string, requestedById: string, basis: string | null): Promise<DataExportRow> {
    const now = this.clock.now();
    const candidate: DataExportRow = {
      id: newId("DataExport"),
      subjectId,
      requestedById,
      basis,
      status: "RUNNING",
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      content: null,
      sizeBytes: null,
      createdAt: now,
      finishedAt: null,
    };
    const { job, created } = await this.repo.claim(candidate, now);
    if (created) {
      const run = this.build(job).finally(() => this.running.delete(run));
      this.running.add(run);
    }
    return this.current({ ...job, content: null });
  }

  /** Asks every exporter for its part and stores the whole file at once; any failure leaves the job FAILED, no file. */
  private async build(job: DataExportRow): Promise<void> {
    try {
      const parts = await Promise.all(this.deps.exporters.map(async (e) => [e.section, await e.export(job.subjectId)] as const));
      const document = {
        formatVersion: DATA_EXPORT_FORMAT_VERSION,
        generatedAt: this.clock.now().toISOString(),
        personId: job.subjectId,
        requestedBy: job.subjectId === job.requestedById ? "SELF" : "COORDINATOR",
        sections: Object.fromEntries(parts),
      };
      const json = Buffer.from(JSON.stringify(document, null, 2));
      await this.repo.finish(job.id, gzipSync(json).toString("base64"), json.length, this.clock.now());
    } catch (err) {
      this.reportError(err, "data export failed");
      await this.repo.fail(job.id, this.clock.now()).catch((e: unknown) => this.reportError(e, "marking a data export failed"));
    }
  }

  /** The row as it stands now: a file past its keeping time reads EXPIRED, a running job past its lease FAILED. */
  private current(row: DataExportRow): DataExportRow {
    const now = this.clock.now().getTime();
    if (row.status === "READY" && row.finishedAt && row.finishedAt.getTime() + this.settings.keepHours * 3600_000 <= now) return { ...row, status: "EXPIRED" };
    if (row.status === "RUNNING" && row.leaseUntil.getTime() <= now) return { ...row, status: "FAILED" };
    return row;
  }

  private sign(id: string, personId: string, exp: string, sessionId: string): string {
    return createHmac("sha256", this.deps.linkKey).update(`data-export\n${id}\n${personId}\n${exp}\n${sessionId}`).digest("base64url");
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
