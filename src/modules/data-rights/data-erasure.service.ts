import type { Clock } from "../../shared/clock.js";
import { DomainError, SharedReason, badInput, forbidden, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { DataErasureRepository, DataErasureRow } from "./data-erasure.repository.js";
import type { ErasureBlocker, ErasureSection, PersonalDataEraser } from "./data-erasure.types.js";
import { DataRightsReason as R } from "./data-rights.errors.js";

/** How long a running erasure holds its claim: past it, its instance is taken to have died and the job reads FAILED. */
const LEASE_MS = 5 * 60_000;

/** How long a request waits for its erasure to be carried out before answering RUNNING. */
const ANSWER_WAIT_MS = 10_000;

/** What the erasure needs of the rest of the app, given by the composition root. */
export interface DataErasureDeps {
  erasers: readonly PersonalDataEraser[];
  /** Whether a person (with or without an account) exists and is not erased already. */
  personExists(id: string): Promise<boolean>;
  /** The access log's record (readerId, subjectId, fields, purpose, objectId). */
  recordRead(readerId: string, subjectId: string, fields: string[], purpose: string, objectId: string | null): Promise<void>;
  /** Whether a person holds the COORDINATOR role now (read from the database, not a cached viewer). */
  isCoordinator(personId: string): Promise<boolean>;
}

/**
 * The rights to erasure (GDPR art. 17) and restriction (art. 18). A person asks for their own; a
 * coordinator asks on behalf of someone without an account, with a basis written to the access log.
 * First every module says what blocks (an open match, request or case, a circle left without its
 * coordinator): then nothing changes and the answer lists why. Otherwise one job runs per person and
 * asks every module's eraser in ONE transaction that also writes the record, so a crash leaves all of
 * it done or nothing. The record says per module what went and what is kept restricted, and why.
 */
export class DataErasureService {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly repo: DataErasureRepository,
    private readonly deps: DataErasureDeps,
    private readonly clock: Clock,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {}

  /** The viewer's own erasure: a new job, the one that runs already, or a refusal naming what blocks. */
  async request(viewer: Viewer): Promise<DataErasureRow> {
    const v = requireViewer(viewer);
    return this.start(v.personId, v.personId, null);
  }

  /** A coordinator's erasure of someone else's data, on that person's request (the basis), recorded in the access log. */
  async requestFor(viewer: Viewer, personId: string, basisInput: string): Promise<DataErasureRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may erase someone else's data.");
    const basis = basisInput.trim();
    if (basis.length < 3 || basis.length > 500)
      throw badInput(SharedReason.INVALID_INPUT, "Give the basis of the request (3 to 500 characters), e.g. who asked at which desk and when.", "basis");
    if (!(await this.deps.personExists(personId))) throw notFound(R.ERASURE_SUBJECT_NOT_FOUND, "There is no such person.");
    const job = await this.start(personId, v.personId, basis);
    await this.deps.recordRead(v.personId, personId, ["erasure"], `erasure on the person's request: ${basis}`, job.id);
    return job;
  }

  /** A job the viewer may see: their own, or one they asked for while they are a coordinator; NOT_FOUND otherwise. */
  async find(viewer: Viewer, id: string): Promise<DataErasureRow> {
    const v = requireViewer(viewer);
    const row = await this.repo.find(id);
    const mayRead = row && (row.subjectId === v.personId || (row.requestedById === v.personId && hasRole(v, "COORDINATOR")));
    if (!row || !mayRead) throw notFound(R.ERASURE_NOT_FOUND, "There is no such erasure.");
    return this.current(row);
  }

  /** The erasures the viewer asked for on others' behalf (while a coordinator), newest first (the last 20). */
  async mine(viewer: Viewer): Promise<DataErasureRow[]> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) return [];
    return (await this.repo.listFor({ requestedById: v.personId }, 20)).map((r) => this.current(r));
  }

  /** The legal duty a kept object (a case) is restricted under, or null: its module shows it then only to those who keep it. */
  async restrictionOf(objectId: string): Promise<{ legalBasis: string; keptFor: string; since: Date } | null> {
    const r = await this.repo.restrictionOf(objectId);
    return r ? { legalBasis: r.legalBasis, keptFor: r.keptFor, since: r.createdAt } : null;
  }

  /** Waits for the erasures this instance is carrying out (shutdown, tests). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /** Every module's blockers for the person, most telling first; empty when the erasure may go ahead. */
  async blockers(personId: string): Promise<ErasureBlocker[]> {
    const all = await Promise.all(this.deps.erasers.map((e) => e.blockers?.(personId) ?? Promise.resolve([])));
    return all.flat().filter((b) => b.count > 0);
  }

  private async start(subjectId: string, requestedById: string, basis: string | null): Promise<DataErasureRow> {
    const now = this.clock.now();
    const candidate: DataErasureRow = {
      id: newId("DataErasure"),
      subjectId,
      requestedById,
      basis,
      status: "RUNNING",
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      record: null,
      createdAt: now,
      finishedAt: null,
    };
    // A running job is answered as it is, before anything else is asked: its blockers were checked.
    const running = (await this.repo.listFor({ subjectId }, 1)).find((r) => this.current(r).status === "RUNNING");
    if (running) return running;
    const blockers = await this.blockers(subjectId);
    if (blockers.length > 0) throw blocked(blockers);
    const { job, created } = await this.repo.claim(candidate, now);
    if (!created) return this.current(job);
    const run = this.carryOut(job).finally(() => this.running.delete(run));
    this.running.add(run);
    // The person loses their login with it: wait (briefly) so the answer itself can carry the record.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([run, new Promise((resolve) => (timer = setTimeout(resolve, ANSWER_WAIT_MS)))]).finally(() => clearTimeout(timer));
    return this.current((await this.repo.find(job.id)) ?? job);
  }

  /**
   * Asks every eraser in one transaction with the record; blockers are asked again inside it (an open
   * match taken since the request would otherwise be broken), and any of them fails the job, nothing changed.
   * Once it has committed, each eraser's `afterErasure` runs (credentials dropped from caches).
   */
  private async carryOut(job: DataErasureRow): Promise<void> {
    try {
      await this.repo.runAndFinish(
        job.id,
        job.subjectId,
        async () => {
          const blockers = await this.blockers(job.subjectId);
          if (blockers.length > 0) throw blocked(blockers);
          const record: Record<string, ErasureSection> = {};
          // One after another: they share one transaction (one connection).
          for (const e of this.deps.erasers) record[e.section] = await e.erase(job.subjectId);
          return record;
        },
        () => this.clock.now(),
      );
    } catch (err) {
      if (!(err instanceof DomainError)) this.reportError(err, "erasure failed");
      await this.repo.fail(job.id, this.clock.now()).catch((e: unknown) => this.reportError(e, "marking an erasure failed"));
      return;
    }
    for (const e of this.deps.erasers) {
      await e.afterErasure?.(job.subjectId).catch((err: unknown) => this.reportError(err, "completing an erasure failed"));
    }
  }

  /** The row as it stands now: a running job past its lease reads FAILED. */
  private current(row: DataErasureRow): DataErasureRow {
    if (row.status === "RUNNING" && row.leaseUntil.getTime() <= this.clock.now().getTime()) return { ...row, status: "FAILED" };
    return row;
  }
}

/** The refusal listing what must happen first, as stable reasons in `extensions.blockers`. */
function blocked(blockers: ErasureBlocker[]): DomainError {
  return new DomainError("CONFLICT", R.ERASURE_BLOCKED, "This data cannot be erased yet: what the blockers name must be settled first.", undefined, {
    blockers: blockers.map((b) => ({ reason: b.reason, count: b.count })),
  });
}
