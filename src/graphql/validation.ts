import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type GraphQLSchema, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from "graphql";
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "../shared/pagination.js";
import type { Reason } from "../shared/errors.js";
import { costRule } from "./cost.js";
import { GraphQLReason } from "./graphql.errors.js";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** Largest query cost (see costRule: lists multiply by the most items they can return); 0 turns it off. */
  maxCost?: number;
  introspection: boolean;
}

/** Reports a rejection as a validation error of this operation instead of throwing (which would be a 500 or close a socket). */
const report = (message: string, reason?: Reason) => (ctx: ValidationContext | null) =>
  ctx?.reportError(new GraphQLError(message, reason ? { extensions: { reason } } : undefined));

/**
 * The validation rules every operation passes, on HTTP (Apollo) and on WebSocket (graphql-ws) alike.
 * Throws when a list field of the schema declares no bound (see listBounds), so the server does
 * not start with a cost limit that cannot see a list.
 */
export function validationRules(schema: GraphQLSchema, limits: QueryLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: limits.maxDepth,
      propagateOnRejection: false,
      exposeLimits: true,
      onReject: [(ctx) => report(`Query is too deep: at most ${limits.maxDepth} levels are allowed.`, GraphQLReason.QUERY_TOO_DEEP)(ctx)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [(ctx) => report(`Too many aliases: at most ${limits.maxAliases} are allowed.`, GraphQLReason.TOO_MANY_ALIASES)(ctx)],
    }),
  ];
  if (limits.maxCost) rules.push(costRule(schema, { maxCost: limits.maxCost, maxPageSize: MAX_PAGE_SIZE, defaultPageSize: DEFAULT_PAGE_SIZE }));
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}
