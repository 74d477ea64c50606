import { Extensions, Field, ID, Int, InterfaceType, ObjectType } from "type-graphql";
import type { Page } from "../shared/pagination.js";
import { typeOfId } from "../shared/ids.js";

/** The concrete type of a Node, from its id: synchronous, as graphql-jit requires. */
export const resolveNodeType = (value: { id: string }) => typeOfId(value.id);

@InterfaceType("Node", {
  description: "An object with a stable, opaque, globally unique id (Relay). Fetch any of them with `node(id)`.",
  resolveType: resolveNodeType,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque global id; never parse it." })
  id!: string;
}

@ObjectType("PageInfo", { simpleResolvers: true, description: "Where a page of a connection stands (Relay cursor connections)." })
export class PageInfo {
  @Field(() => Boolean, {
    description: "Paging forward (`first`): true when more items follow the last edge. Paging backward (`last`): true when the page was fetched `before` a cursor.",
  })
  hasNextPage!: boolean;
  @Field(() => Boolean, {
    description: "Paging forward (`first`): true when the page was fetched `after` a cursor. Paging backward (`last`): true when more items come before the first edge.",
  })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "Cursor of the first edge; pass it as `before` for the previous page." })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after` for the next page." })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** Counts the whole list; called only when `totalCount` is selected (see assembleSchema). */
  totalCount?: () => Promise<number>;
}

/** The descriptions shared by every connection's paging arguments. */
export const PAGE_ARG = {
  first: "Page forward: this many items, 1-100 (default 20). Not with `last` or `before`.",
  after: "Page forward from this cursor (an edge's `cursor`, or `pageInfo.endCursor`).",
  last: "Page backward: the last this many items (before `before`, if given), 1-100. Not with `first` or `after`.",
  before: "Page backward from this cursor (an edge's `cursor`, or `pageInfo.startCursor`).",
} as const;

/**
 * Builds the Relay connection and edge types for one node type. `totalCount`, when given, adds a
 * `totalCount` field with that description: only for lists counted by one indexed COUNT, and counted
 * only when selected.
 */
export function connectionTypes<T extends object>(name: string, nodeType: new () => T, dutch: string, options: { totalCount?: string; nullableCount?: boolean } = {}) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${dutch} in a page, with its cursor.` })
  class Edge {
    @Field(() => String, { description: "Opaque position of this edge; pass it as `after` or `before`." })
    cursor!: string;
    @Field(() => nodeType, { description: "The item." })
    node!: T;
  }
  // The fields every connection shares; never in the schema itself (only reachable types are).
  @ObjectType(`${name}ConnectionFields`)
  abstract class Paged {
    @Extensions({ maxItems: 100 })
    @Field(() => [Edge], { description: "The items of this page, in order." })
    edges!: Edge[];
    @Field(() => PageInfo, { description: "Paging state." })
    pageInfo!: PageInfo;
  }
  const described = { simpleResolvers: true, description: `A page of ${dutch} (Relay cursor connection).` };
  if (!options.totalCount) {
    @ObjectType(`${name}Connection`, described)
    class Connection extends Paged {}
    return Connection;
  }
  @ObjectType(`${name}Connection`, described)
  class CountedConnection extends Paged {
    @Field(() => Int, { description: options.totalCount, nullable: options.nullableCount ?? false })
    totalCount!: number | null;
  }
  return CountedConnection;
}

/**
 * Maps a repository page onto the Relay shape, converting each item with `toNode`; `count` counts the
 * whole list, for a connection with `totalCount`.
 */
export function toConnection<R, T>(page: Page<R>, toNode: (row: R) => T, count?: () => Promise<number>): ConnectionShape<T> {
  const edges = page.items.map((row) => ({ cursor: page.cursorOf(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    ...(count ? { totalCount: count } : {}),
  };
}
