import type { AuthenticatedViewer } from "../../shared/viewer.js";
import type { HelpRequestEventRow, HelpRequestRow } from "../help-requests/help-request.repository.js";
import type { HelpRequestService } from "../help-requests/help-request.service.js";
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
}

export function helpRequestsForNotifications(helpRequests: HelpRequestService): HelpRequestsForNotifications {
  return {
    find: (id) => helpRequests.findRow(id),
    transitions: (id) => helpRequests.historyRows(id),
    fitsVolunteer: (personId, request) => {
      // Candidates come from volunteers' profiles and hold the VOLUNTEER role (NotificationRepository.volunteersCovering).
      const viewer: AuthenticatedViewer = { personId, roles: new Set(["VOLUNTEER"]), tokenExpiresAt: null };
      return helpRequests.fit.fitsSubscriber(viewer, request, {});
    },
  };
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
