import { AsyncLocalStorage } from "node:async_hooks";
import type { Language } from "../shared/i18n.js";

/**
 * The language of the HTTP request being answered. Apollo calls `formatError` without the context,
 * so the language follows the request through every await here, as the request id does in
 * observability.ts. The WebSocket path passes the connection's language to the formatter itself.
 */
const scope = new AsyncLocalStorage<Language>();

/** Runs `work` with `language` as the request's language. */
export const inLanguage = <T>(language: Language, work: () => T): T => scope.run(language, work);

/** The language of the request being handled, if it set one. */
export const requestLanguage = (): Language | undefined => scope.getStore();
