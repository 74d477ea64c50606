import { type Decider, type Decision, NOTHING, type Wanted } from "./notification.decision.js";
import type { NotificationKind } from "./notification.kinds.js";
import type { LogEntry, NotificationRepository } from "./notification.repository.js";
import type { InitiativesForNotifications } from "./notification.sources.js";
import type { DeliveryParams } from "./notifications.tables.js";

/** The event-log topics of initiatives (initiative.events.ts). */
const SIGNUP_TOPIC = "initiative.signup-changed";
const INITIATIVE_TOPIC = "initiative.published";
/** What a participant hears of a sign-up event's kind (SignupChangeKind); their own cancelling is not told. */
const SIGNUP_KINDS: Record<string, NotificationKind | undefined> = {
  CONFIRMED: "INITIATIVE_SIGNUP_CONFIRMED",
  WAITLISTED: "INITIATIVE_SIGNUP_WAITLISTED",
  PROMOTED: "INITIATIVE_SIGNUP_PROMOTED",
  INITIATIVE_CANCELLED: "INITIATIVE_CANCELLED",
};

/** Initiatives: where a sign-up stands, new dates, a cancellation. */
export class InitiativeDecider implements Decider {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly initiatives: InitiativesForNotifications,
  ) {}

  reads(event: LogEntry): boolean {
    return event.topic === SIGNUP_TOPIC || (event.topic === INITIATIVE_TOPIC && event.kind === "RESCHEDULED");
  }

  decide(event: LogEntry): Promise<Decision> {
    return event.topic === SIGNUP_TOPIC ? this.signupChanged(event) : this.rescheduled(event);
  }

  /**
   * A sign-up confirmed, put on the waiting list, promoted, or ended by the initiative's cancellation: the
   * participant and whoever signed them up. The one who signed up is told too (a confirmation to keep,
   * with the date); a participant's own cancelling is not.
   */
  private async signupChanged(event: LogEntry): Promise<Decision> {
    const kind = SIGNUP_KINDS[event.kind];
    const signup = kind ? await this.initiatives.signup(event.id) : undefined;
    const initiative = signup ? await this.initiatives.initiative(signup.initiativeId) : undefined;
    if (!kind || !signup || !initiative) return NOTHING;
    const next = kind === "INITIATIVE_CANCELLED" ? null : await this.initiatives.nextDate(initiative);
    const params = initiativeParams(initiative.kind, initiative.neighbourhoodId, next);
    const list: Wanted[] = [{ personId: signup.personId, kind, params }];
    if (signup.signedUpById !== signup.personId) list.push({ personId: signup.signedUpById, kind, params: { ...params, forName: signup.personFirstName } });
    return { subjectId: initiative.id, urgent: false, list };
  }

  /** New dates: everyone signed up (confirmed or waiting), and whoever signed them up. */
  private async rescheduled(event: LogEntry): Promise<Decision> {
    const initiative = await this.initiatives.initiative(event.id);
    if (!initiative) return NOTHING;
    const [next, signups] = await Promise.all([this.initiatives.nextDate(initiative), this.repo.activeSignups(initiative.id)]);
    const names = new Map((await this.repo.recipients(signups.map((s) => s.personId))).map((p) => [p.id, p.firstName]));
    const params = initiativeParams(initiative.kind, initiative.neighbourhoodId, next);
    const list = signups.flatMap((s): Wanted[] => [
      { personId: s.personId, kind: "INITIATIVE_RESCHEDULED", params },
      ...(s.signedUpById !== s.personId
        ? [{ personId: s.signedUpById, kind: "INITIATIVE_RESCHEDULED" as const, params: { ...params, forName: names.get(s.personId) ?? "" } }]
        : []),
    ]);
    return { subjectId: initiative.id, urgent: false, list };
  }
}

function initiativeParams(kind: string, neighbourhoodId: string, next: Date | null): DeliveryParams {
  return { initiativeKind: kind, neighbourhoodId, ...(next ? { startsAt: next.getTime() } : {}) };
}
