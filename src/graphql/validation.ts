import type { BaseContext } from "@apollo/server";
import type { RequestHooks, RequestPlugin } from "./plugins.js";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  type DocumentNode,
  GraphQLError,
  Kind,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
  getIntrospectionQuery,
  parse,
} from "graphql";
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from "../shared/pagination.js";
import type { Reason } from "../shared/errors.js";
import type { MessageParams } from "../shared/i18n.js";
import { localizedError } from "./errors.js";
import { QueryCost } from "./cost.js";
import { GraphQLReason } from "./graphql.errors.js";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** Largest query cost (see QueryCost: lists multiply by the most items they can return); 0 turns it off. */
  maxCost?: number;
  introspection: boolean;
}

/** Reports a rejection as a validation error of this operation instead of throwing (which would be a 500 or close a socket). */
const report = (message: string, params: MessageParams, reason?: Reason) => (ctx: ValidationContext | null) =>
  ctx?.reportError(localizedError(message, params, reason ? { extensions: { reason } } : undefined));

/**
 * The validation rules every document passes, on HTTP (Apollo) and on WebSocket (graphql-ws) alike:
 * depth, aliases and (when it is off) introspection. They depend on the document alone, so both
 * transports validate a document once and keep it; the cost, which depends on the variables too, is
 * checked per operation (costCheck).
 */
export function validationRules(_schema: GraphQLSchema, limits: QueryLimits): ValidationRule[] {
  const rules: ValidationRule[] = [
    maxDepthRule({
      n: limits.maxDepth,
      propagateOnRejection: false,
      exposeLimits: true,
      onReject: [(ctx) => report("Query is too deep: at most {max} levels are allowed.", { max: limits.maxDepth }, GraphQLReason.QUERY_TOO_DEEP)(ctx)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [(ctx) => report("Too many aliases: at most {max} are allowed.", { max: limits.maxAliases }, GraphQLReason.TOO_MANY_ALIASES)(ctx)],
    }),
  ];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

/** Refuses an operation whose cost, with the request's variables, is over the limit (null: it may run). */
export type CostCheck = (document: DocumentNode, operation: OperationDefinitionNode, variables?: Record<string, unknown> | null) => GraphQLError | null;

/**
 * The cost check of every operation (see QueryCost), or null when `maxCost` is 0. Throws when a list
 * field of the schema declares no bound (see listBounds), so the server does not start with a cost
 * limit that cannot see a list.
 */
export function costCheck(schema: GraphQLSchema, limits: QueryLimits): CostCheck | null {
  if (!limits.maxCost) return null;
  const cost = new QueryCost(schema, { maxCost: limits.maxCost, maxPageSize: MAX_PAGE_SIZE, defaultPageSize: DEFAULT_PAGE_SIZE });
  // The schema's own full introspection (as GraphiQL and code generators send it) is always admitted:
  // its size follows the schema, which grows with every module, not data anyone can add. Only an
  // operation that asks nothing but introspection gets that allowance, worked out when one first comes.
  let allowance: number | undefined;
  const introspectionAllowance = () =>
    (allowance ??= Math.max(
      limits.maxCost!,
      ...[{}, { descriptions: true, inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }]
        .map((o) => cost.of(parse(getIntrospectionQuery(o))))
        .filter(Number.isFinite),
    ));
  return (document, operation, variables) =>
    introspectionOnly(operation) ? cost.refusal(document, operation, variables, introspectionAllowance()) : cost.refusal(document, operation, variables);
}

/** Whether an operation selects only introspection fields at its root (`__schema`, `__type`, `__typename`). */
function introspectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith("__"));
}

/**
 * Apollo plugin: the cost check over HTTP, once the document is validated and its operation known,
 * with the request's variables (Apollo keeps a validated document and does not validate it again, so a
 * validation rule would see neither the variables nor every request). A refusal is a 400, as a
 * validation error is, and nothing runs.
 */
export function costPlugin(check: CostCheck | null): RequestPlugin<BaseContext> {
  const hooks: RequestHooks<BaseContext> = {
    didResolveOperation({ document, operation, request }) {
      const refused = operation && document ? check!(document, operation, request.variables) : null;
      // The refusal is kept as the original error: the formatter gives its message in the caller's language.
      if (refused) {
        throw new GraphQLError(refused.message, { nodes: refused.nodes, originalError: refused, extensions: { ...refused.extensions, http: { status: 400 } } });
      }
    },
  };
  return () => (check ? hooks : undefined);
}
