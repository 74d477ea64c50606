import { sqliteKit } from "./kit.js";
import { defineTables } from "./tables.js";

/** The SQLite tables; drizzle-kit reads this file to generate drizzle/sqlite migrations. */
export const tables = defineTables(sqliteKit);
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
