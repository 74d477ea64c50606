import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLRequestContext,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestContextWillSendResponse,
  GraphQLRequestListener,
} from "@apollo/server";

/**
 * What one of our request plugins does: the hooks Apollo calls once per request. Unlike Apollo's own
 * plugin type a hook may be synchronous (a refusal is thrown), so a request that needs no waiting
 * makes no promise for it.
 */
export interface RequestHooks<C extends BaseContext> {
  didResolveOperation?: (rc: GraphQLRequestContextDidResolveOperation<C>) => void | Promise<void>;
  willSendResponse?: (rc: GraphQLRequestContextWillSendResponse<C>) => void | Promise<void>;
}

/** A request plugin of ours: its hooks for one request, or nothing for a request it has no part in. */
export type RequestPlugin<C extends BaseContext> = (rc: GraphQLRequestContext<C>) => RequestHooks<C> | undefined;

/**
 * Our request plugins as one Apollo plugin. Apollo runs each hook of each plugin through a
 * `Promise.all` over its whole plugin list, several times per request, and every promise is also
 * followed by the request's async context: with four plugins that was some fifty promises per request
 * spent calling hooks that mostly had nothing to do. Here each hook is one call that runs the plugins'
 * hooks in order.
 *
 * It keeps what Apollo's `Promise.all` gave: every plugin's hook runs even when an earlier one refused
 * (a refusal from the cost check still leaves the operation's name for the request log), and the
 * refusal Apollo gets is the first in plugin order. It also takes over Apollo's DisableSuggestions
 * plugin (with `hideSchemaDetailsFromClientErrors` off): validation errors lose their "Did you mean"
 * hints, which name fields of the schema a client did not ask for.
 */
export function requestPlugins<C extends BaseContext>(...plugins: RequestPlugin<C>[]): ApolloServerPlugin<C> {
  const listener = (parts: RequestHooks<C>[]): GraphQLRequestListener<C> => ({
    didResolveOperation: parts.some((p) => p.didResolveOperation) ? (rc) => all(parts, "didResolveOperation", rc) : undefined,
    willSendResponse: parts.some((p) => p.willSendResponse) ? (rc) => all(parts, "willSendResponse", rc) : undefined,
    // Runs only when a document is not in Apollo's document cache yet.
    validationDidStart: async () => async (errors?: readonly Error[]) => {
      for (const error of errors ?? []) error.message = error.message.replace(/ ?Did you mean(.+?)\?$/, "");
    },
  });
  return {
    async requestDidStart(rc) {
      const parts: RequestHooks<C>[] = [];
      for (const plugin of plugins) {
        const hooks = plugin(rc);
        if (hooks) parts.push(hooks);
      }
      return listener(parts);
    },
  };
}

/**
 * Calls `name` on every part in order. Returns nothing when all were synchronous and none refused;
 * throws the first refusal; or a promise when some hook has to be waited for (settled in order).
 */
function all<C extends BaseContext>(parts: RequestHooks<C>[], name: keyof RequestHooks<C>, rc: GraphQLRequestContext<C>): Promise<void> {
  type AnyHook = (rc: GraphQLRequestContext<C>) => void | Promise<void>;
  let refusal: { error: unknown } | null = null;
  let waiting: (Promise<void> | { error: unknown } | undefined)[] | null = null;
  for (const part of parts) {
    const hook = part[name] as AnyHook | undefined;
    if (!hook) continue;
    let outcome: Promise<void> | { error: unknown } | undefined;
    try {
      const r = hook(rc);
      outcome = r instanceof Promise ? r : undefined;
    } catch (error) {
      outcome = { error };
    }
    if (outcome instanceof Promise || waiting) (waiting ??= []).push(outcome);
    else if (outcome && !refusal) refusal = outcome;
  }
  if (waiting) {
    const earlier = refusal;
    const pending = waiting;
    return (async () => {
      let first = earlier;
      for (const w of pending) {
        if (w instanceof Promise) {
          try {
            await w;
          } catch (error) {
            first ??= { error };
          }
        } else if (w) first ??= w;
      }
      if (first) throw first.error;
    })();
  }
  if (refusal) throw refusal.error;
  // Apollo awaits whatever a hook returns; nothing to wait for is nothing.
  return undefined as unknown as Promise<void>;
}
