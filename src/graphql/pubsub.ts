import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "@graphql-yoga/subscription";
import { Redis } from "ioredis";
import type { EventBus, EventPayload } from "../shared/events.js";

/**
 * In-process pub/sub by default; with REDIS_URL every instance publishes to and listens on Redis, so a
 * change made through one instance reaches subscribers connected to any other.
 *
 * Redis pub/sub channels belong to the whole server, not to a database number: every deployment on
 * one Redis would hear every other's announcements. Each channel name therefore starts with
 * `channelPrefix` (REDIS_CHANNEL_PREFIX), the same for all instances of one deployment.
 */
export function createEventBus(redisUrl?: string, channelPrefix = "zorgzaam:"): EventBus {
  if (!redisUrl) {
    const pubSub = createPubSub();
    return {
      publish: (topic, payload) => pubSub.publish(topic, payload),
      subscribe: (topic) => pubSub.subscribe(topic) as AsyncIterable<EventPayload>,
      close: async () => undefined,
    };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const pubSub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  return {
    publish: (topic, payload) => pubSub.publish(channelPrefix + topic, payload),
    subscribe: (topic) => pubSub.subscribe(channelPrefix + topic) as AsyncIterable<EventPayload>,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

/**
 * The channel prefix when REDIS_CHANNEL_PREFIX is not set: "zorgzaam:" and the database's name (the
 * PostgreSQL database name, or the SQLite file), so instances that share a database share channels
 * and deployments on differently named databases do not. Deployments whose databases have the same
 * name on different servers must set REDIS_CHANNEL_PREFIX.
 */
export function defaultChannelPrefix(databaseUrl: string): string {
  let name = databaseUrl;
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    try {
      name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, "")) || "postgres";
    } catch {
      // an unparsable URL fails at connect time; the prefix then hardly matters
    }
  }
  return `zorgzaam:${name.replace(/[^\x21-\x7e]/g, "_")}:`;
}
