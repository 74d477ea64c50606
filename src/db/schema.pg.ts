import { pgKit } from "./kit.js";
import { defineTables } from "./tables.js";

/** The PostgreSQL tables; drizzle-kit reads this file to generate drizzle/pg migrations. */
export const tables = defineTables(pgKit);
export const {
  appSettings,
  areas,
  neighbourhoods,
  helpCategories,
  teams,
  people,
  personRoles,
  volunteerProfiles,
  volunteerCategories,
  volunteerNeighbourhoods,
  helpRequests,
  helpRequestEvents,
  accessLog,
  organisations,
  organisationMembers,
  initiatives,
  initiativeOccurrences,
  initiativeCategories,
  initiativeLanguages,
  initiativeSignups,
  participationPlacements,
  careCircles,
  careMembers,
  careInvitations,
  careTasks,
  careShifts,
  careSwaps,
  careCheckins,
  careLoadSignals,
  escalations,
  escalationAudit,
  consents,
} = tables;
