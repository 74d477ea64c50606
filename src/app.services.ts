import type { Logger } from "pino";
import type { Database } from "./db/client.js";
import { AccessLogRepository } from "./modules/access-log/access-log.repository.js";
import { AccessLogService } from "./modules/access-log/access-log.service.js";
import { HelpRequestRepository } from "./modules/help-requests/help-request.repository.js";
import { HelpRequestService } from "./modules/help-requests/help-request.service.js";
import { TokenService } from "./modules/people/auth.tokens.js";
import { PersonRepository } from "./modules/people/person.repository.js";
import { PersonService } from "./modules/people/person.service.js";
import { PlaceRepository } from "./modules/places/place.repository.js";
import { PlaceService } from "./modules/places/place.service.js";
import { VolunteerRepository } from "./modules/volunteers/volunteer.repository.js";
import { VolunteerService } from "./modules/volunteers/volunteer.service.js";
import type { Clock } from "./shared/clock.js";
import type { EventBus } from "./shared/events.js";

/** The singleton services of one running app; seeds and tests call them directly. */
export interface Services {
  db: Database;
  clock: Clock;
  events: EventBus;
  tokens: TokenService;
  places: PlaceService;
  people: PersonService;
  volunteers: VolunteerService;
  accessLog: AccessLogService;
  helpRequests: HelpRequestService;
}

/** Wires repositories into services by hand (no reflection: see docs/decisions.md). */
export async function createServices(
  db: Database,
  events: EventBus,
  clock: Clock,
  auth: { jwtSecret?: string; tokenTtlSeconds: number },
  log?: Logger,
): Promise<Services> {
  const reportError = (err: unknown, context: string) => log?.error({ err }, context);
  const tokens = await TokenService.create(db, auth.jwtSecret, auth.tokenTtlSeconds);
  const places = new PlaceService(new PlaceRepository(db));
  await places.reload();
  const people = new PersonService(new PersonRepository(db), places, tokens, clock);
  const volunteers = new VolunteerService(new VolunteerRepository(db), places, people, clock);
  const accessLog = new AccessLogService(new AccessLogRepository(db), clock);
  const helpRequests = new HelpRequestService(
    new HelpRequestRepository(db),
    places,
    people,
    volunteers,
    accessLog,
    events,
    clock,
    reportError,
  );
  return { db, clock, events, tokens, places, people, volunteers, accessLog, helpRequests };
}
