import type DataLoader from "dataloader";
import type { Logger } from "pino";
import type { Outbox } from "../db/outbox.js";
import type { ClientIdentity } from "../shared/principal.js";
import type { Language } from "../shared/i18n.js";
import type { Viewer } from "../shared/viewer.js";

/**
 * Per-request batching caches: each entity is loaded at most once per request, in one query per kind.
 * A module whose rows many resolvers load adds a named loader by declaration merging (the people
 * module adds `personById` in person.module.ts); the app builds it.
 */
export interface Loaders {
  /** A per-request loader for any kind of row, created on first use under `name`. */
  of<V>(name: string, batch: (ids: readonly string[]) => Promise<(V | undefined)[]>): DataLoader<string, V | undefined>;
}

/**
 * The app's singleton services, as far as the subscription `subscribe` functions need them: those
 * functions are static, so they reach services through the context. Every stream reads the event
 * log; a module adds the services its streams use by declaration merging (see ContextExtensions).
 */
export interface ContextServices {
  readonly outbox: Outbox;
}

/**
 * What modules add to the context, by declaration merging, as they add reasons to ReasonRegistry
 * (shared/errors.ts). The api-clients module gives `client` its own key type:
 *
 *   declare module "../../graphql/context.js" { interface ContextExtensions { client: ClientPrincipal | null } }
 *
 * so graphql/ names no module, yet a module's resolvers see the module's own types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ContextExtensions {}

/** What a resolver knows about the request, whichever modules the app is made of. */
export interface BaseContext {
  viewer: Viewer;
  /** The partner app's key the request came with (its scopes, limits), or null. */
  client: ClientIdentity | null;
  requestId: string;
  /**
   * The language the caller reads messages and labels in: over HTTP from Accept-Language, on a socket
   * from connection_init's `language` or the upgrade request's Accept-Language; else DEFAULT_LANGUAGE.
   * A person's notification language does not change it (docs/i18n.md).
   */
  language: Language;
  /** The client's network address over HTTP (login throttling); undefined where the transport does not say. */
  address?: string;
  /** The client's User-Agent over HTTP (kept with a new login session so its owner recognises it). */
  userAgent?: string;
  /** The request's logger: it carries the request id. */
  log: Logger;
  loaders: Loaders;
  services: ContextServices;
}

/** What a resolver knows about the request: the base and what the app's modules add to it. */
export type Context = BaseContext & ContextExtensions;
