import type { IdempotencyHook } from "../../graphql/http.js";
import { IdempotentReplay } from "./idempotency.replay.js";
import { IdempotencyService } from "./idempotency.service.js";

/**
 * The HTTP handler's `Idempotency-Key` hook. Keys are kept per caller: a person (per app when they
 * come through one), or an app's key. Anonymous callers have no identity to keep them for, and are
 * refused the header. `replay` re-reads a kept outcome with the caller's current rights.
 */
export function idempotencyHook(service: IdempotencyService, replay: IdempotentReplay): IdempotencyHook {
  return {
    isValidKey: (key) => IdempotencyService.isValidKey(key),
    principal: (ctx) =>
      ctx.viewer.personId ? `person:${ctx.viewer.personId}${ctx.client ? `@client:${ctx.client.clientId}` : ""}` : ctx.client ? `client:${ctx.client.clientId}` : null,
    hasDocument: (body) => IdempotentReplay.hasDocument(body),
    run: (principal, key, body, execute) => service.run(principal, key, body, execute, replay),
  };
}
