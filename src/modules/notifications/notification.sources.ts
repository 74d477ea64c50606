import type { AuthenticatedViewer } from "../../shared/viewer.js";
import type { BuddySignalKind } from "../buddies/buddies.tables.js";
import type { CircleRole, ShiftStatus } from "../care/care.tables.js";
import type { AuditKind, EscalationStatus } from "../escalation/escalation.tables.js";
import type { HelpRequestEventRow, HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
import type { OfferAskStatus } from "../offers/offer.tables.js";
import type { InitiativeRow } from "../initiatives/initiative-rows.repository.js";
import type { InitiativeService } from "../initiatives/initiative.service.js";
import type { SignupRow } from "../initiatives/signup.repository.js";
import type { SignupService } from "../initiatives/signup.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { Language } from "./notification.kinds.js";
import type { PlaceNames } from "./notification.render.js";

/**
 * What notifications need of help requests, and no more: the request as stored, its transitions (who
 * moved it from what), and the help-request module's own rule for whether an open request fits a
 * volunteer, the one that browsing and the live `helpRequestPosted` feed apply.
 */
export interface HelpRequestsForNotifications {
  find(id: string): Promise<HelpRequestRow | undefined>;
  transitions(id: string): Promise<HelpRequestEventRow[]>;
  fitsVolunteer(personId: string, request: HelpRequestRow): Promise<boolean>;
  /** Choice mode: the volunteers whose offers on the request were released, and when. */
  releasedOffers(id: string): Promise<{ volunteerId: string; at: Date }[]>;
}

export function helpRequestsForNotifications(
  helpRequests: HelpRequestService,
  releasedOffers: HelpRequestsForNotifications["releasedOffers"] = async () => [],
): HelpRequestsForNotifications {
  return {
    releasedOffers,
    find: (id) => helpRequests.findRow(id),
    transitions: (id) => helpRequests.historyRows(id),
    fitsVolunteer: (personId, request) => {
      // Candidates come from volunteers' profiles and hold the VOLUNTEER role (NotificationRepository.volunteersCovering).
      const viewer: AuthenticatedViewer = { personId, roles: new Set(["VOLUNTEER"]), tokenExpiresAt: null };
      return helpRequests.fit.fitsSubscriber(viewer, request, {});
    },
  };
}

/**
 * What notifications need of initiatives: a sign-up as stored, its initiative, and the initiative's next
 * date. Who is signed up to an initiative is read by NotificationRepository.activeSignups.
 */
export interface InitiativesForNotifications {
  signup(id: string): Promise<SignupRow | undefined>;
  initiative(id: string): Promise<InitiativeRow | undefined>;
  nextDate(initiative: InitiativeRow): Promise<Date | null>;
}

export function initiativesForNotifications(initiatives: InitiativeService, signups: SignupService): InitiativesForNotifications {
  return {
    signup: (id) => signups.findRow(id),
    initiative: (id) => initiatives.findRow(id),
    nextDate: async (initiative) => (await initiatives.dates(initiative, null, 1))[0]?.startsAt ?? null,
  };
}

/** A care shift as deciding needs it: when, where it stands, who holds it and who last gave it back; never its title or care notes. */
export interface CareShiftState {
  circleId: string;
  startsAt: Date;
  endsAt: Date;
  status: ShiftStatus;
  assigneeId: string | null;
  releasedById: string | null;
}

/** An e-mailed care invitation as deciding needs it: the circle, the account addressed, whether it can still be used; never its code. */
export interface CareInvitationState {
  circleId: string;
  inviteePersonId: string | null;
  /** The inviter's first name: all the message says of who invites. */
  inviterFirstName: string;
  expiresAt: Date;
  /** Used, or withdrawn by a coordinator of the circle: either way it can no longer be used. */
  used: boolean;
}

/**
 * What notifications need of care circles beyond swaps and coordinators (NotificationRepository): a
 * shift's state, who is in the circle now, and who could not take a shift because they hold another then.
 * Read from the care tables by NotificationRepository.subjects.
 */
export interface CareForNotifications {
  shift(id: string): Promise<CareShiftState | undefined>;
  invitation(id: string): Promise<CareInvitationState | undefined>;
  members(circleId: string): Promise<{ personId: string; role: CircleRole }[]>;
  holdingBetween(ids: readonly string[], from: Date, to: Date): Promise<Set<string>>;
}

/** A team case as deciding needs it: its teams, who is assigned, whether it is open or a safety case. Nothing about the person. */
export interface TeamCaseState {
  leadTeamId: string;
  coTeamId: string | null;
  assigneeId: string | null;
  status: EscalationStatus;
  /** Raised or upgraded with a SAFETY flag (details shared on the recorded legal basis). */
  safety: boolean;
}

/**
 * What notifications need of professional teams: a case's state, who took a step on it (its audit trail),
 * and who works in a team now (the PROFESSIONAL role and the team on their record). Read from the
 * escalation and people tables by NotificationRepository.subjects.
 */
export interface TeamsForNotifications {
  teamCase(id: string): Promise<TeamCaseState | undefined>;
  caseActor(id: string, kind: AuditKind, at: Date): Promise<string | null>;
  professionals(teamIds: readonly string[]): Promise<string[]>;
}

/** A partner app's webhook endpoint as deciding needs it: its app, who manages the app, whether it is disabled. */
export interface WebhookEndpointState {
  clientId: string;
  /** The coordinator who registered the partner app (who manages its webhooks). */
  ownerId: string;
  status: string;
}

/** What notifications need of partner apps: an endpoint's state, and who coordinates now. */
export interface PartnersForNotifications {
  webhookEndpoint(id: string): Promise<WebhookEndpointState | undefined>;
  coordinators(): Promise<string[]>;
}

/** An ask from an offer as deciding needs it: who offers, who asked, where it stands; never its title or description. */
export interface OfferAskState {
  volunteerId: string;
  askedById: string;
  personHelpedId: string;
  /** The first name of the person helped: told only to whoever asked on their behalf. */
  helpedFirstName: string;
  status: OfferAskStatus;
  categoryId: string;
  neighbourhoodId: string;
  windowStart: Date;
}

/** What notifications need of offers: one ask's state (notification.offer-reads.ts). */
export interface OffersForNotifications {
  ask(id: string): Promise<OfferAskState | undefined>;
}

/** A shift as a thread's message needs it: its circle, its time, and the volunteer covering it through its help request, if one does now. */
export interface ThreadShiftState {
  circleId: string;
  startsAt: Date;
  coveringVolunteerId: string | null;
}

/** What notifications need of care circles' threads (notification.thread-reads.ts), besides who is in the circle. */
export interface CareThreadsForNotifications {
  /** The author of the thread's latest message at `at` (the message the event is about). */
  latestAuthor(circleId: string, shiftId: string | null, at: Date): Promise<string | null>;
  threadShift(id: string): Promise<ThreadShiftState | undefined>;
}

/** A buddy programme's signal as deciding needs it: its programme, kind and due moment; nothing of the match's people. */
export interface BuddySignalState {
  programmeId: string;
  kind: BuddySignalKind;
  dueAt: Date;
  acknowledged: boolean;
}

/** What notifications need of buddy programmes (notification.buddy-reads.ts). */
export interface BuddiesForNotifications {
  signal(id: string): Promise<BuddySignalState | undefined>;
  programmeCoordinators(programmeId: string): Promise<string[]>;
}

export function placeNames(places: PlaceService): PlaceNames {
  return {
    categoryName: (id: string, language: Language) => {
      const c = places.category(id);
      return c ? (language === "nl" ? c.nameNl : c.name) : undefined;
    },
    neighbourhoodName: (id: string) => places.neighbourhood(id)?.name,
  };
}
