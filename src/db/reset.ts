import type { Database } from "./client.js";

/** Deletes all domain data (children first) but keeps app settings such as the token secret. */
export async function deleteAllData(db: Database): Promise<void> {
  const t = db.tables;
  const order = [
    t.apiRateLimits,
    t.apiClientOperations,
    t.apiKeys,
    t.apiClients,
    t.eventLog,
    t.idempotencyKeys,
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
    t.careRespites,
    t.careLoadSignals,
    t.careCheckins,
    t.careSwaps,
    t.careShifts,
    t.careTasks,
    t.careInvitations,
    t.careMembers,
    t.careCircles,
    t.accessLog,
    t.helpRequestEvents,
    t.helpRequests,
    t.volunteerNeighbourhoods,
    t.volunteerCategories,
    t.volunteerProfiles,
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
