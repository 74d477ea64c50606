import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext, type ValidationRule } from "graphql";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  introspection: boolean;
}

/** Reports a rejection as a validation error of this operation instead of throwing (which would be a 500 or close a socket). */
const report = (message: string) => (ctx: ValidationContext | null) => ctx?.reportError(new GraphQLError(message));

/**
 * The validation rules every operation passes, on HTTP (Apollo) and on WebSocket (graphql-ws) alike.
 */
export function validationRules(limits: QueryLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: limits.maxDepth,
      propagateOnRejection: false,
      exposeLimits: true,
      onReject: [(ctx) => report(`Query is too deep: at most ${limits.maxDepth} levels are allowed.`)(ctx)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [(ctx) => report(`Too many aliases: at most ${limits.maxAliases} are allowed.`)(ctx)],
    }),
  ];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}
