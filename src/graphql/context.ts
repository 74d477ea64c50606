import type DataLoader from "dataloader";
import type { PersonRow } from "../modules/people/person.repository.js";
import type { Viewer } from "../shared/viewer.js";
import type { Services } from "../app.services.js";
import type { Logger } from "pino";
import type { ClientPrincipal } from "../modules/api-clients/api-client.service.js";

/** Per-request batching caches: each entity is loaded at most once per request, in one query per kind. */
export interface Loaders {
  personById: DataLoader<string, PersonRow | undefined>;
  /** A per-request loader for any kind of row, created on first use under `name`. */
  of<V>(name: string, batch: (ids: readonly string[]) => Promise<(V | undefined)[]>): DataLoader<string, V | undefined>;
}

/**
 * What a resolver knows about the request. `services` is the app's singleton service set: the
 * subscription `subscribe` functions are static, so they reach the services through the context.
 */
export interface Context {
  viewer: Viewer;
  /** The partner app's key the request came with (its scopes, limits), or null. */
  client: ClientPrincipal | null;
  requestId: string;
  /** The client's network address over HTTP (login throttling); undefined where the transport does not say. */
  address?: string;
  /** The request's logger: it carries the request id. */
  log: Logger;
  loaders: Loaders;
  services: Services;
}
