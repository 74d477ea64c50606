import type { Viewer } from "./viewer.js";

/**
 * What the transports need to know of the partner app a request came through: which app, what its
 * key may reach, and until when. The api-clients module's key (`ClientPrincipal`) is one; the
 * WebSocket server closes a connection whose app loses a scope or whose key expires.
 */
export interface ClientIdentity {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
  readonly expiresAt: Date;
}

/** Who a request is from: the viewer and, when it came through a partner app, that app's key. */
export interface Principal<C extends ClientIdentity = ClientIdentity> {
  viewer: Viewer;
  client: C | null;
}
