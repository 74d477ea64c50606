import type { NotificationKind } from "./notification.kinds.js";
import type { DeliveryRow, NotificationRepository } from "./notification.repository.js";
import type { HelpRequestsForNotifications } from "./notification.sources.js";

/** Why a delivery no longer applies, or null when it still does. */
export type StillApplies = (delivery: DeliveryRow) => Promise<string | null>;

/**
 * Whether a message decided earlier still applies when it is sent. A message can wait: for the end of
 * the recipient's quiet hours, or for another attempt after a failure. In between the recipient may have
 * left the circle or the team, lost the role, or the thing it is about may have moved on (a request
 * taken, a shift handed on, a case acknowledged). Such a message is not sent: nobody hears of a case of a
 * team they no longer work in, nor is reminded of a shift they no longer hold. What each kind needs is
 * read once per sending round, however many deliveries ask.
 */
export class Relevance {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly requests: HelpRequestsForNotifications,
  ) {}

  /** A check for one sending round: its reads are shared by the round's deliveries. */
  round(): StillApplies {
    const memo = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
      let found = memo.get(key) as Promise<T> | undefined;
      if (!found) memo.set(key, (found = read()));
      return found;
    };
    const s = this.repo.subjects;
    const request = (id: string) => once(`request:${id}`, () => this.requests.find(id));
    const members = (circleId: string) => once(`members:${circleId}`, () => s.members(circleId));
    const shift = (id: string) => once(`shift:${id}`, () => s.shift(id));
    const teamCase = (id: string) => once(`case:${id}`, () => s.teamCase(id));
    const professionals = (teamIds: string[]) => once(`professionals:${teamIds.join(",")}`, () => s.professionals(teamIds));
    const coordinators = () => once("coordinators", () => s.coordinators());
    const offerAsk = (id: string) => once(`offer-ask:${id}`, () => this.repo.offers.ask(id));
    const threadShift = (id: string) => once(`thread-shift:${id}`, () => this.repo.threads.threadShift(id));
    const swap = (shiftId: string) => once(`swap:${shiftId}`, () => this.repo.pendingSwap(shiftId));

    const inCircle = async (d: DeliveryRow, coordinating: boolean): Promise<string | null> => {
      const m = (await members(d.subjectId)).find((x) => x.personId === d.recipientId);
      if (!m) return "the recipient left the care circle";
      return coordinating && m.role !== "COORDINATOR" ? "the recipient no longer coordinates the care circle" : null;
    };
    const inCaseTeams = async (d: DeliveryRow, leadOnly: boolean): Promise<string | null> => {
      const c = await teamCase(d.subjectId);
      if (!c) return "the case no longer exists";
      const teams = leadOnly || !c.coTeamId ? [c.leadTeamId] : [c.leadTeamId, c.coTeamId];
      return (await professionals(teams)).includes(d.recipientId) ? null : "the recipient no longer works in the case's team";
    };
    const coordinator = async (d: DeliveryRow) => ((await coordinators()).includes(d.recipientId) ? null : "the recipient is no longer a coordinator");

    const checks: Partial<Record<NotificationKind, (d: DeliveryRow) => Promise<string | null>>> = {
      HELP_REQUEST_NEW: async (d) => ((await request(d.subjectId))?.status === "OPEN" ? null : "the request is no longer open"),
      HELD_REQUEST_STARTING_SOON: async (d) => {
        const r = await request(d.subjectId);
        return r?.status === "MATCHED" && r.volunteerId === d.recipientId ? null : "the request was started or is no longer held by the recipient";
      },
      CARE_SWAP_PROPOSED: async (d) =>
        (await inCircle(d, false)) ?? (d.params.shiftId && (await swap(d.params.shiftId))?.toId !== d.recipientId ? "the swap was answered or withdrawn" : null),
      CARE_SHIFT_RELEASED: (d) => openShift(d),
      CARE_COVER_REQUESTED: (d) => openShift(d),
      CARE_GAP_POSTED: (d) => inCircle(d, true),
      CARE_GAP_COVERED: (d) => inCircle(d, true),
      CARE_SHIFT_TOMORROW: async (d) => {
        const found = d.params.shiftId ? await shift(d.params.shiftId) : undefined;
        if (d.params.shiftId && (found?.status !== "COVERED" || found.assigneeId !== d.recipientId)) return "the recipient no longer holds the shift";
        return inCircle(d, false);
      },
      TEAM_CASE_NEW: async (d) => ((await teamCase(d.subjectId))?.status === "CLOSED" ? "the case is closed" : inCaseTeams(d, false)),
      TEAM_CONSENT_GIVEN: (d) => inCaseTeams(d, false),
      TEAM_CONSENT_WITHDRAWN: (d) => inCaseTeams(d, false),
      ESCALATION_OVERDUE: async (d) => ((await teamCase(d.subjectId))?.status !== "NEW" ? "the case was acknowledged" : inCaseTeams(d, true)),
      CARE_INVITATION: async (d) => {
        const inv = await once(`invitation:${d.subjectId}`, () => s.invitation(d.subjectId));
        // Expiry is not checked here (the round has no clock): accepting a late one says it expired.
        return !inv || inv.used || inv.inviteePersonId !== d.recipientId ? "the invitation was used" : null;
      },
      // Answered (or the offer handed on) while the message waited: nothing left to answer.
      OFFER_ASKED: async (d) => {
        const a = await offerAsk(d.subjectId);
        return a?.status === "PENDING" && a.volunteerId === d.recipientId ? null : "the ask was answered";
      },
      // A member of the circle now, or the volunteer still covering the shift whose thread it is.
      CARE_MESSAGE_POSTED: async (d) => {
        const found = d.params.shiftId ? await threadShift(d.params.shiftId) : undefined;
        if (found?.coveringVolunteerId === d.recipientId) return null;
        const circleId = found?.circleId ?? d.subjectId;
        return (await members(circleId)).some((m) => m.personId === d.recipientId) ? null : "the recipient left the care circle or no longer covers the shift";
      },
      // Acknowledged meanwhile, or the recipient no longer coordinates the programme: nothing to act on.
      BUDDY_CHECKIN_MISSED: async (d) => {
        const sig = d.params.signalId ? await once(`buddy-signal:${d.params.signalId}`, () => this.repo.buddies.signal(d.params.signalId!)) : undefined;
        if (d.params.signalId && (!sig || sig.acknowledged)) return "the signal was acknowledged";
        const coordinating = await once(`buddy-coordinators:${d.subjectId}`, () => this.repo.buddies.programmeCoordinators(d.subjectId));
        return coordinating.includes(d.recipientId) ? null : "the recipient no longer coordinates the programme";
      },
      VOG_REVIEWS_WAITING: coordinator,
      WEBHOOK_ENDPOINT_DISABLED: coordinator,
    };

    /** A shift given back or whose cover was asked: still open to take, not started, and the recipient still in the circle. */
    async function openShift(d: DeliveryRow): Promise<string | null> {
      const found = d.params.shiftId ? await shift(d.params.shiftId) : undefined;
      if (d.params.shiftId && (!found || found.status !== "OPEN" || found.assigneeId !== null)) return "the shift was taken";
      return inCircle(d, false);
    }

    return (d) => checks[d.kind]?.(d) ?? Promise.resolve(null);
  }
}
