import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import {
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  Kind,
  type GraphQLSchema,
  TypeInfo,
  ValidationContext,
  type ValidationRule,
  visit,
  visitWithTypeInfo,
} from "graphql";

export interface CostLimits {
  maxCost: number;
  /** Assumed for a `first`/`last` given as a variable: the largest page a connection serves. */
  maxPageSize: number;
  /** Assumed for a connection whose `first` is left out: the page it then serves. */
  defaultPageSize: number;
}

/**
 * The query cost limit: graphql-armor's cost-limit rule, where a list field's cost is multiplied by
 * its `first` (or `last`). That rule only reads page sizes written in the document, so it runs on a
 * worst-case copy: a page size given as a variable counts as the largest page (validation results
 * are cached per document, so they cannot depend on variables), and a connection without one counts
 * as its default page. Rejections are reported as validation errors of the operation (a 400 over
 * HTTP, an error message on a WebSocket), never thrown.
 */
export function costRule(limits: CostLimits): ValidationRule {
  return (context) => ({
    // On leave, so that cheaper findings (depth, aliases) are reported first.
    Document: {
      leave(document) {
        const schema = context.getSchema();
        const worstCase = withWorstCasePageSizes(schema, document, limits);
        const inner = new ValidationContext(schema, worstCase, new TypeInfo(schema), () => undefined);
        visit(
          worstCase,
          costLimitRule({
            maxCost: limits.maxCost,
            // Each object costs 2 and each scalar 1, times the page sizes of the lists around it, so
            // the cost is about the number of fields the server would resolve; depth has its own limit.
            objectCost: 2,
            scalarCost: 1,
            depthCostFactor: 1,
            propagateOnRejection: false,
            exposeLimits: true,
            onReject: [
              (_ctx, err) => {
                const found = Number(/found ([^\s]+?)\.?$/.exec(err.message)?.[1]);
                const cost = Number.isFinite(found) ? Math.ceil(found) : undefined;
                context.reportError(
                  new GraphQLError(
                    `Query is too expensive: its cost${cost !== undefined ? ` is ${cost}` : ""}, at most ${limits.maxCost} is allowed (lists multiply the cost of what they contain by their page size; ask for smaller pages or fewer fields).`,
                    { extensions: { reason: "QUERY_TOO_COMPLEX", ...(cost !== undefined ? { cost } : {}), maxCost: limits.maxCost } },
                  ),
                );
              },
            ],
          })(inner),
        );
      },
    },
  });
}

/** A copy of the document in which every field taking `first` has a literal one (see costRule). */
export function withWorstCasePageSizes(schema: GraphQLSchema, document: DocumentNode, limits: CostLimits): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const literal = (name: string, n: number): ArgumentNode => ({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: name },
    value: { kind: Kind.INT, value: String(n) },
  });
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node: FieldNode) {
          const def = typeInfo.getFieldDef();
          if (!def) return undefined;
          const args = node.arguments ?? [];
          const given = args.find((a) => a.name.value === "first" || a.name.value === "last");
          if (given?.value.kind === Kind.INT) return undefined;
          const takesFirst = def.args.find((a) => a.name === "first");
          if (!given && !takesFirst) return undefined;
          const size = given
            ? limits.maxPageSize
            : typeof takesFirst?.defaultValue === "number"
              ? takesFirst.defaultValue
              : limits.defaultPageSize;
          const name = given?.name.value ?? "first";
          return { ...node, arguments: [...args.filter((a) => a !== given), literal(name, size)] };
        },
      },
    }),
  );
}
