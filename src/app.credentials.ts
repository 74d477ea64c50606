import type { Logger } from "pino";
import type { Outbox } from "./db/outbox.js";
import type { EventBus } from "./shared/events.js";
import type { ApiClientService } from "./modules/api-clients/api-client.service.js";
import type { PersonService } from "./modules/people/person.service.js";

/** The topic on which instances tell each other of changed credentials. */
export const CREDENTIALS_TOPIC = "credentials.changed";

/**
 * Tells every instance of a change to someone's credentials made on one of them: a role or team taken
 * away, a session ended, an account disabled, a key revoked, an app disabled. Each such change, once
 * made, is published on the event bus (Redis between instances; topic `credentials.changed`, id: the
 * person or the app, kind PERSON or CLIENT) as a signal outside the event log: it carries nothing to
 * keep, replay or export. Every instance follows the topic: it forgets what it cached of them and
 * checks their open WebSockets again at once, as the instance that made the change does. Without it
 * another instance would go on serving an open socket until its next periodic look
 * (CREDENTIAL_RECHECK_SECONDS); that look stays, for a signal lost on the way.
 */
export function shareCredentialChanges(deps: { outbox: Outbox; bus: EventBus; people: PersonService; apiClients: ApiClientService; log: Logger }): { close(): Promise<void> } {
  const { outbox, bus, people, apiClients, log } = deps;
  const tell = (id: string, kind: "PERSON" | "CLIENT") => {
    try {
      bus.publish(CREDENTIALS_TOPIC, { id, kind });
    } catch (err) {
      log.error({ err }, "telling other instances of changed credentials failed");
    }
  };
  people.onRightsChanged((personId, here) => here && tell(personId, "PERSON"));
  apiClients.onKeysChanged((clientId, here) => here && tell(clientId, "CLIENT"));
  const events = outbox.live(CREDENTIALS_TOPIC)[Symbol.asyncIterator]();
  const following = (async () => {
    for (;;) {
      const next = await events.next();
      if (next.done) return;
      const { id, kind } = next.value;
      if (kind === "PERSON") people.rightsChangedElsewhere(id);
      else if (kind === "CLIENT") apiClients.clientChanged(id, false);
    }
  })().catch((err: unknown) => log.error({ err }, "following changed credentials stopped"));
  return {
    close: async () => {
      await events.return?.();
      await following;
    },
  };
}
