import type { Outbox } from "../../db/outbox.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, forbidden } from "../../shared/errors.js";
import { newSortableId } from "../../shared/ids.js";
import { text } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { Urgency } from "../help-requests/help-request.tables.js";
import type { PersonService } from "../people/person.service.js";
import { AGE_BAND_RANGES, type CaseNorm, type QueueFilter } from "./case-queue.filter.js";
import { CaseWorkReason as C } from "./case-work.errors.js";
import type { CaseRerouteRow, CaseWorkRepository, NormRow } from "./case-work.repository.js";
import { EscalationReason as R } from "./escalation.errors.js";
import type { EscalationRow } from "./escalation.repository.js";
import type { EscalationService } from "./escalation.service.js";
import type { EscalationStatus, EscalationTrigger } from "./escalation.tables.js";

/** Targets per urgency, in hours from a case's creation. */
export interface CaseNormSettings {
  firstContactHours: Record<Urgency, number>;
  closeHours: Record<Urgency, number>;
}

/** How a team did on one norm over a period. */
export interface NormCount {
  met: number;
  missed: number;
  openOverdue: number;
  openInTime: number;
}

/** What narrows a queue, as the API gives it. */
export interface QueueSearch {
  statuses?: EscalationStatus[] | null;
  overdueOnly?: boolean | null;
  triggers?: EscalationTrigger[] | null;
  neighbourhoodIds?: string[] | null;
  overdueFor?: CaseNorm[] | null;
  ageBands?: string[] | null;
  assigneeId?: string | null;
}

const REASON = text(3, 1000);
const HOUR = 3600_000;

/**
 * The norms beyond acknowledging (first contact and closing, per urgency), the queue's search, and
 * re-routing with a reason and the links between open cases of one person. Deadlines run from the
 * case's creation with the targets in force now (docs/decisions.md: case norms), and a re-route does not
 * restart them: the person has been waiting since the case began.
 */
export class CaseNormsService {
  constructor(
    private readonly repo: CaseWorkRepository,
    private readonly escalation: EscalationService,
    private readonly people: PersonService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: CaseNormSettings,
  ) {}

  firstContactBy(row: Pick<EscalationRow, "createdAt" | "urgency">): Date {
    return new Date(row.createdAt.getTime() + this.settings.firstContactHours[row.urgency] * HOUR);
  }

  closeBy(row: Pick<EscalationRow, "createdAt" | "urgency">): Date {
    return new Date(row.createdAt.getTime() + this.settings.closeHours[row.urgency] * HOUR);
  }

  /** Open, without a contact moment, and past its first-contact deadline. */
  firstContactOverdue(row: EscalationRow, firstContactAt: Date | undefined): boolean {
    return row.status !== "CLOSED" && !firstContactAt && this.firstContactBy(row).getTime() < this.clock.now().getTime();
  }

  closeOverdue(row: EscalationRow): boolean {
    return row.status !== "CLOSED" && this.closeBy(row).getTime() < this.clock.now().getTime();
  }

  firstContacts(ids: readonly string[]) {
    return this.repo.firstContacts(ids);
  }

  /** The queue with the search's filters; unknown age bands are refused. */
  queue(viewer: Viewer, teamId: string, args: QueueSearch & { first?: number | null; after?: string | null; last?: number | null; before?: string | null }) {
    const bands = args.ageBands ?? [];
    if (bands.some((b) => !(b in AGE_BAND_RANGES))) throw badInput(C.UNKNOWN_AGE_BAND, "ageBands: not an age band of a case", "ageBands");
    const now = this.clock.now();
    const filter: QueueFilter = {
      triggers: args.triggers ?? undefined,
      neighbourhoodIds: args.neighbourhoodIds ?? undefined,
      assigneeId: args.assigneeId ?? undefined,
      ageBands: bands.length ? { bands, at: now } : undefined,
      overdue: args.overdueFor?.length ? { norms: args.overdueFor, now, ...this.settings } : undefined,
    };
    return this.escalation.queue(viewer, teamId, { ...args, filter });
  }

  /**
   * How a team did per norm on the cases created in [from, to) (as lead or co-team): met, missed, still
   * open past the deadline, still open in time. Counts only: the council figures can take them as they are.
   * A case closed without a contact moment before its first-contact deadline counts for neither.
   */
  async summary(viewer: Viewer, teamId: string, from: Date | null, to: Date | null) {
    const v = requireViewer(viewer);
    const own = hasRole(v, "PROFESSIONAL") ? (await this.people.findById(v.personId))?.teamId : null;
    if (own !== teamId && !hasRole(v, "COORDINATOR")) throw forbidden(R.NOT_A_TEAM_MEMBER, "Only members of this team (or a coordinator) see its queue.");
    const now = this.clock.now();
    const rows = await this.classify(teamId, from ?? new Date(0), to ?? now);
    const firstContact: NormCount = { met: 0, missed: 0, openOverdue: 0, openInTime: 0 };
    const close: NormCount = { met: 0, missed: 0, openOverdue: 0, openInTime: 0 };
    for (const r of rows) {
      if (r.firstContact) firstContact[r.firstContact] += 1;
      close[r.close] += 1;
    }
    return { teamId, from, to: to ?? now, cases: rows.length, firstContact, close };
  }

  /**
   * Each case of a team created in [from, to) (as lead or co-team) with where it stands on each norm now;
   * no authorisation here: `summary` checks the reader, the council report is read by coordinators only.
   */
  async classify(teamId: string, from: Date, to: Date): Promise<{ id: string; firstContact: keyof NormCount | null; close: keyof NormCount }[]> {
    const now = this.clock.now().getTime();
    const rows = await this.repo.teamCases(teamId, from, to);
    const contacts = rows.length ? await this.repo.firstContacts(rows.map((r) => r.id)) : [];
    return rows.map((r: NormRow, i) => {
      const contactBy = this.firstContactBy(r).getTime();
      const contact = contacts[i]?.getTime();
      let firstContact: keyof NormCount | null = null;
      if (contact !== undefined) firstContact = contact <= contactBy ? "met" : "missed";
      else if (r.closedAt) firstContact = r.closedAt.getTime() > contactBy ? "missed" : null;
      else firstContact = now > contactBy ? "openOverdue" : "openInTime";
      const closeBy = this.closeBy(r).getTime();
      const close: keyof NormCount = r.closedAt ? (r.closedAt.getTime() <= closeBy ? "met" : "missed") : now > closeBy ? "openOverdue" : "openInTime";
      return { id: r.id, firstContact, close };
    });
  }

  /**
   * A coordinator sends a case to another team, with a reason: recorded in the audit and kept for the
   * receiving team (`Escalation.reroutes`), in one unit of work with the re-route itself.
   */
  async reroute(viewer: Viewer, id: string, leadTeamId: string, coTeamId: string | null, reason: string | null): Promise<EscalationRow> {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(R.COORDINATOR_ONLY, "Only a coordinator can re-route a case.");
    const why = REASON.safeParse(reason ?? "");
    if (!why.success) throw badInput(C.REROUTE_REASON_REQUIRED, "reason: say why the case goes to another team", "reason");
    const before = await this.escalation.get(v, id);
    return this.outbox.unit(async () => {
      const row = await this.escalation.reroute(v, id, leadTeamId, coTeamId, why.data);
      const record: CaseRerouteRow = {
        id: newSortableId("CaseReroute"),
        escalationId: id,
        fromLeadTeamId: before.leadTeamId,
        fromCoTeamId: before.coTeamId,
        toLeadTeamId: row.leadTeamId,
        toCoTeamId: row.coTeamId,
        reason: why.data,
        byId: v.personId,
        at: this.clock.now(),
      };
      await this.repo.insertReroute(record);
      return row;
    });
  }

  /** The re-routes of a case, for whoever sees the case. */
  reroutes(row: EscalationRow) {
    return this.repo.reroutes(row.id);
  }

  /**
   * The person's other open cases, for whoever sees this one: which team has it and since when; the
   * case itself only when the viewer may see it (its own teams, or a coordinator).
   */
  async knownElsewhere(viewer: Viewer, row: EscalationRow) {
    const others = await this.repo.otherOpenCases(row.subjectId, row.id);
    return Promise.all(others.map(async (o) => ({ ...o, visible: await this.escalation.findVisible(viewer, o.id) })));
  }
}
