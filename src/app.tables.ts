import type { Database } from "./db/client.js";
import type { Kit } from "./db/kit.js";
import { defineDbTables } from "./db/tables.js";
import { defineAccessLogTables } from "./modules/access-log/access-log.tables.js";
import { defineApiClientTables } from "./modules/api-clients/api-client.tables.js";
import { defineCareTables } from "./modules/care/care.tables.js";
import { defineEscalationTables } from "./modules/escalation/escalation.tables.js";
import { defineHelpRequestTables } from "./modules/help-requests/help-request.tables.js";
import { defineHelpRequestAfterTables } from "./modules/help-requests/help-request.after.tables.js";
import { defineHelpRequestChoiceTables } from "./modules/help-requests/help-request.choice.tables.js";
import { defineIdempotencyTables } from "./modules/idempotency/idempotency.tables.js";
import { defineInitiativeTables } from "./modules/initiatives/initiative.tables.js";
import { definePersonTables } from "./modules/people/person.tables.js";
import { definePlaceTables } from "./modules/places/place.tables.js";
import { defineVolunteerTables } from "./modules/volunteers/volunteer.tables.js";
import { defineNotificationTables } from "./modules/notifications/notifications.tables.js";
import { defineDataRightsTables } from "./modules/data-rights/data-rights.tables.js";
import { defineWebhookTables } from "./modules/webhooks/webhooks.tables.js";
import { defineOfferTables } from "./modules/offers/offer.tables.js";
import { defineBuddyTables } from "./modules/buddies/buddies.tables.js";
import { defineStatsTables } from "./modules/stats/stats.tables.js";

/**
 * Every table of Zorgzaam, for one SQL dialect: the database seam's own (event log, settings) and
 * each module's, each module given the tables its foreign keys point at. `openDatabase` builds them
 * for its dialect; drizzle-kit reads them through app.tables.sqlite.ts and app.tables.pg.ts. This file
 * imports only `*.tables.ts` files, so drizzle-kit never loads a resolver or a service.
 */
export function defineTables(k: Kit) {
  const places = definePlaceTables(k);
  const people = definePersonTables(k, places);
  const placesAndPeople = { ...places, ...people };
  const helpRequests = defineHelpRequestTables(k, placesAndPeople);
  const apiClients = defineApiClientTables(k, people);
  return {
    ...defineDbTables(k),
    ...places,
    ...people,
    ...defineVolunteerTables(k, placesAndPeople),
    ...helpRequests,
    ...defineHelpRequestChoiceTables(k, { ...people, ...helpRequests }),
    ...defineHelpRequestAfterTables(k, { ...placesAndPeople, ...helpRequests }),
    ...defineAccessLogTables(k),
    ...defineCareTables(k, placesAndPeople),
    ...defineEscalationTables(k, { ...placesAndPeople, ...helpRequests }),
    ...defineIdempotencyTables(k),
    ...defineInitiativeTables(k, placesAndPeople),
    ...apiClients,
    ...defineNotificationTables(k, people),
    ...defineDataRightsTables(k),
    ...defineWebhookTables(k, apiClients),
    ...defineOfferTables(k, placesAndPeople),
    ...defineBuddyTables(k, placesAndPeople),
    ...defineStatsTables(k),
  };
}

export type Tables = ReturnType<typeof defineTables>;

/** The app's database: the seam typed with every table. */
export type AppDatabase = Database<Tables>;

/** Deletes all domain data (children first) but keeps app settings such as the token secret. */
export async function deleteAllData(db: AppDatabase): Promise<void> {
  const t = db.tables;
  const order = [
    t.buddyEvaluations,
    t.buddySignals,
    t.buddyCheckins,
    t.buddyMatches,
    t.buddyVolunteers,
    t.buddyParticipants,
    t.buddyProgrammeCoordinators,
    t.buddyProgrammes,
    t.statsCells,
    t.statsState,
    t.dataRestrictions,
    t.dataErasures,
    t.dataExports,
    t.webhookAttempts,
    t.webhookDeliveries,
    t.webhookEndpoints,
    t.webhookCursors,
    t.notificationDigestItems,
    t.notificationDeliveries,
    t.notificationPushSubscriptions,
    t.notificationSwitches,
    t.notificationPreferences,
    t.notificationCursors,
    t.apiRateLimits,
    t.apiClientOperations,
    t.apiSandboxes,
    t.apiClientOrganisations,
    t.apiKeyUsage,
    t.apiKeys,
    t.apiClients,
    t.eventLog,
    t.idempotencyKeys,
    t.caseReroutes,
    t.caseDocuments,
    t.caseNotes,
    t.consents,
    t.escalationAudit,
    t.escalations,
    t.participationPlacements,
    t.initiativeSignups,
    t.initiativeLanguages,
    t.initiativeCategories,
    t.initiativeOccurrences,
    t.initiatives,
    t.organisationMembers,
    t.organisations,
    t.careMessages,
    t.careRespites,
    t.careLoadSignals,
    t.careCheckins,
    t.careSwaps,
    t.careShifts,
    t.careTasks,
    t.careInvitations,
    t.careMembers,
    t.careCircles,
    t.offerAsks,
    t.offers,
    t.accessLogChain,
    t.accessLog,
    t.volunteerHours,
    t.helpRequestFollowUps,
    t.helpRequestThanks,
    t.helpRequestOffers,
    t.helpRequestEvents,
    t.helpRequests,
    t.volunteerNeighbourhoods,
    t.volunteerCategories,
    t.volunteerProfiles,
    t.loginChallenges,
    t.recoveryCodes,
    t.totpSecrets,
    t.passwordResets,
    t.sessions,
    t.personRoles,
    t.people,
    t.teams,
    t.neighbourhoods,
    t.helpCategories,
    t.areas,
  ];
  await db.transaction(async (tx) => {
    for (const table of order) await tx.delete(table);
  });
}
