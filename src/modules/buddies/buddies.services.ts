import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { OrganisationService } from "../initiatives/organisation.service.js";
import type { PersonService } from "../people/person.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { VolunteerService } from "../volunteers/volunteer.service.js";
import type { BuddyTables } from "./buddies.tables.js";
import { BuddyMatchService, type BuddyMatchSettings, defaultBuddyMatchSettings } from "./buddy-match.service.js";
import { BuddyRepository } from "./buddy.repository.js";
import { BuddyService } from "./buddy.service.js";

/** The buddy-programme module's services: programmes and their people, and the matches between them. */
export interface Buddies {
  programmes: BuddyService;
  matches: BuddyMatchService;
}

/** Builds the module's services from the ones it uses (wired by hand, as every module). */
export function createBuddies(
  db: Database<BuddyTables>,
  deps: { organisations: OrganisationService; people: PersonService; volunteers: VolunteerService; places: PlaceService; accessLog: AccessLogService; clock: Clock },
  settings: BuddyMatchSettings = defaultBuddyMatchSettings,
): Buddies {
  const repo = new BuddyRepository(db);
  const programmes = new BuddyService(repo, deps.organisations, deps.people, deps.volunteers, deps.places, deps.accessLog, deps.clock);
  return { programmes, matches: new BuddyMatchService(repo, programmes, deps.clock, settings) };
}

declare module "../../app.services.js" {
  /** Buddy (maatje) programmes: participants, buddies, matches, check-ins, signals and figures. */
  interface Services {
    buddies: Buddies;
  }
}
