import { Extensions, Field, ID, InterfaceType, ObjectType } from "type-graphql";
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
  @Field(() => Boolean, { description: "True when more items follow the last edge." })
  hasNextPage!: boolean;
  @Field(() => Boolean, { description: "True when this page was fetched with a cursor, so items come before it." })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "Cursor of the first edge." })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after` for the next page." })
  endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

/** Builds the Relay connection and edge types for one node type. */
export function connectionTypes<T extends object>(name: string, nodeType: new () => T, dutch: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${dutch} in a page, with its cursor.` })
  class Edge {
    @Field(() => String, { description: "Opaque position of this edge; pass it as `after`." })
    cursor!: string;
    @Field(() => nodeType, { description: "The item." })
    node!: T;
  }
  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${dutch} (Relay cursor connection).` })
  class Connection {
    @Extensions({ maxItems: 100 })
    @Field(() => [Edge], { description: "The items of this page, in order." })
    edges!: Edge[];
    @Field(() => PageInfo, { description: "Paging state." })
    pageInfo!: PageInfo;
  }
  return Connection;
}

/** Maps a repository page onto the Relay shape, converting each item with `toNode`. */
export function toConnection<R, T>(page: Page<R>, toNode: (row: R) => T): ConnectionShape<T> {
  const edges = page.items.map((row) => ({ cursor: page.cursorOf(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
