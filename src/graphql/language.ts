import type { Language } from "../shared/i18n.js";
import { currentRequest } from "./observability.js";

/**
 * The language of the HTTP request being answered. Apollo calls `formatError` without the context,
 * so the language travels with the request's scope (observability.ts), as the request id does. The
 * WebSocket path passes the connection's language to the formatter itself.
 */
export const requestLanguage = (): Language | undefined => currentRequest()?.language;
