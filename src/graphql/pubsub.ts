import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub } from "@graphql-yoga/subscription";
import { Redis } from "ioredis";
import type { EventBus, EventPayload } from "../shared/events.js";

/**
 * In-process pub/sub by default; with REDIS_URL every instance publishes to and listens on Redis, so a
 * change made through one instance reaches subscribers connected to any other.
 */
export function createEventBus(redisUrl?: string): EventBus {
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
    publish: (topic, payload) => pubSub.publish(topic, payload),
    subscribe: (topic) => pubSub.subscribe(topic) as AsyncIterable<EventPayload>,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
