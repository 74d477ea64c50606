import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  isObjectType,
  parse,
  print,
  visit,
} from "graphql";
import type { StoredAnswer } from "./idempotency.repository.js";

/**
 * What is kept of a first answer. Never the objects a mutation returned: only their ids, so a replay
 * reads them again with the caller's rights at that moment (and the access log records what it shows).
 * - RERUN: the request acts on nothing (a query, or a document that does not parse or name an
 *   operation): a replay simply runs it again.
 * - ERRORS: the mutation answered with errors and no data (nothing it returned to keep).
 * - OUTCOME: per root field of the mutation, the id(s) of the object(s) it returned, or its value when
 *   the field's type has no identity (a Boolean, a date, a small report); and the errors.
 */
export type StoredRecord =
  | { mode: "RERUN" }
  | { mode: "ERRORS"; status: number; headers: [string, string][]; body: string }
  | {
      mode: "OUTCOME";
      status: number;
      headers: [string, string][];
      fields: [string, { ref: string | null } | { refs: (string | null)[] } | { value: unknown }][];
      errors?: unknown[];
    };

/** How one request is run the first time and what is kept of it. */
export interface FirstRun {
  /** The request to execute (a mutation's document asks for the ids it needs to keep). */
  body: unknown;
  /** Splits the answer into what the caller gets and the record that is kept. */
  record(answer: StoredAnswer): { answer: StoredAnswer; record: StoredRecord };
}

/** The alias under which a mutation's document also asks for each returned object's id. */
const REF = "_idempotencyRef";

interface Parsed {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
}

/**
 * Plans idempotent requests against the schema: which root fields return objects that can be read
 * again by id (types implementing Node), how to keep the first answer minimal, and how to answer a
 * replay by reading those objects through `node`/`nodes` with the original selection.
 */
export class IdempotentReplay {
  constructor(private readonly schema: GraphQLSchema) {}

  /** Whether a body carries the document itself (an idempotent request must: its replay re-reads it). */
  static hasDocument(body: unknown): boolean {
    return typeof (body as { query?: unknown } | null)?.query === "string";
  }

  firstRun(body: unknown): FirstRun {
    const parsed = this.parse(body);
    if (!parsed || parsed.operation.operation !== "mutation") {
      return { body, record: (answer) => ({ answer, record: { mode: "RERUN" } }) };
    }
    const nodeFields = this.nodeFields(parsed.operation);
    const withRefs = visit(parsed.document, {
      Field: {
        enter: (field) => {
          // Only the root fields of this operation whose type is a Node (the very nodes found above) get the extra id.
          if (!nodeFields.has(field) || !field.selectionSet) return undefined;
          const ref: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: REF }, name: { kind: Kind.NAME, value: "id" } };
          return { ...field, selectionSet: { ...field.selectionSet, selections: [...field.selectionSet.selections, ref] } };
        },
      },
    });
    const { extensions, ...rest } = body as { extensions?: Record<string, unknown> };
    // The document changes, so an automatic persisted query's hash no longer matches it.
    const { persistedQuery: _hash, ...otherExtensions } = extensions ?? {};
    const executed = { ...rest, query: print(withRefs), ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) };
    return {
      body: executed,
      record: (answer) => {
        let json: { data?: Record<string, unknown> | null; errors?: unknown[]; extensions?: unknown };
        try {
          json = JSON.parse(answer.body);
        } catch {
          return { answer, record: { mode: "ERRORS", status: answer.status, headers: keep(answer.headers), body: answer.body } };
        }
        if (!json.data) return { answer, record: { mode: "ERRORS", status: answer.status, headers: keep(answer.headers), body: answer.body } };
        const fields: Extract<StoredRecord, { mode: "OUTCOME" }>["fields"] = [];
        const byKey = new Map<string, FieldNode>();
        for (const selection of parsed.operation.selectionSet.selections) {
          if (selection.kind !== Kind.FIELD) continue;
          const key = selection.alias?.value ?? selection.name.value;
          if (!byKey.has(key)) byKey.set(key, selection);
        }
        // In the answer's order. A key that came from a fragment at the root is kept as it was answered.
        for (const [key, value] of Object.entries(json.data)) {
          const selection = byKey.get(key);
          const ref = Array.isArray(value) ? value.map((v) => refOf(v)) : refOf(value);
          if (!selection || !nodeFields.has(selection) || value === null) fields.push([key, { value }]);
          else if (Array.isArray(ref)) fields.push([key, { refs: ref }]);
          else fields.push([key, { ref }]);
        }
        const clean = { ...json, data: stripRefs(json.data) as Record<string, unknown> };
        const text = JSON.stringify(clean);
        return {
          answer: { ...answer, headers: keep(answer.headers), body: text },
          record: { mode: "OUTCOME", status: answer.status, headers: keep(answer.headers), fields, ...(json.errors ? { errors: json.errors } : {}) },
        };
      },
    };
  }

  /**
   * Answers a replay from its record: runs the request again (RERUN), repeats its errors (ERRORS), or
   * reads what the mutation returned again, by id, with the original selection and the caller's
   * current rights (OUTCOME): what the caller may no longer see comes back null or refused.
   */
  async replay(body: unknown, record: StoredRecord, execute: (body: unknown) => Promise<StoredAnswer>): Promise<StoredAnswer> {
    if (record.mode === "RERUN") return execute(body);
    if (record.mode === "ERRORS") return { status: record.status, headers: record.headers, body: record.body };
    const parsed = this.parse(body);
    const reads = new Map<string, unknown>();
    const errors: unknown[] = [...(record.errors ?? [])];
    const toRead = record.fields.filter(([, f]) => !("value" in f));
    if (parsed && toRead.length > 0) {
      const query = this.readDocument(parsed, new Map(toRead));
      const answer = await execute({
        query: print(query),
        variables: (body as { variables?: unknown }).variables,
        ...(parsed.operation.name ? { operationName: parsed.operation.name.value } : {}),
      });
      const json = JSON.parse(answer.body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
      for (const [key] of toRead) reads.set(key, json.data?.[key] ?? null);
      errors.push(...(json.errors ?? []));
    }
    const data: Record<string, unknown> = {};
    for (const [key, f] of record.fields) data[key] = "value" in f ? f.value : (reads.get(key) ?? null);
    return { status: record.status, headers: record.headers, body: JSON.stringify({ ...(errors.length ? { errors } : {}), data }) };
  }

  private parse(body: unknown): Parsed | null {
    const b = body as { query?: unknown; operationName?: unknown } | null;
    if (typeof b?.query !== "string") return null;
    let document: DocumentNode;
    try {
      document = parse(b.query);
    } catch {
      return null;
    }
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const name = typeof b.operationName === "string" ? b.operationName : null;
    const operation = name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
    if (!operation) return null;
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    return { document, operation, fragments };
  }

  /** The root fields of a mutation whose type (or list item type) is an object type with a global id. */
  private nodeFields(operation: OperationDefinitionNode): Set<FieldNode> {
    const fields = this.schema.getMutationType()?.getFields() ?? {};
    const out = new Set<FieldNode>();
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const def = fields[selection.name.value];
      if (!def) continue;
      const type = getNamedType(def.type);
      if (isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node")) out.add(selection);
    }
    return out;
  }

  /** `query { key: node(id: "…") { ... on Type { original selection } } … }` with the fragments and variables it uses. */
  private readDocument(parsed: Parsed, toRead: Map<string, { ref: string | null } | { refs: (string | null)[] } | { value: unknown }>): DocumentNode {
    const fields = this.schema.getMutationType()!.getFields();
    const selections: FieldNode[] = [];
    const done = new Set<string>();
    for (const selection of parsed.operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const key = selection.alias?.value ?? selection.name.value;
      const f = toRead.get(key);
      if (!f || done.has(key) || !selection.selectionSet) continue;
      done.add(key);
      const typeName = getNamedType(fields[selection.name.value].type).name;
      const typed: SelectionSetNode = {
        kind: Kind.SELECTION_SET,
        selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } }, selectionSet: selection.selectionSet }],
      };
      const str = (v: string | null) => ({ kind: Kind.STRING, value: v ?? "" }) as const;
      selections.push(
        "ref" in f
          ? {
              kind: Kind.FIELD,
              alias: { kind: Kind.NAME, value: key },
              name: { kind: Kind.NAME, value: "node" },
              arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "id" }, value: str(f.ref) }],
              selectionSet: typed,
            }
          : {
              kind: Kind.FIELD,
              alias: { kind: Kind.NAME, value: key },
              name: { kind: Kind.NAME, value: "nodes" },
              arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: "ids" }, value: { kind: Kind.LIST, values: (f as { refs: (string | null)[] }).refs.map(str) } }],
              selectionSet: typed,
            },
      );
    }
    // The fragments reachable from these selections, and the variables any of them use.
    const fragmentNames = new Set<string>();
    const variableNames = new Set<string>();
    const walk = (node: unknown) =>
      visit(node as DocumentNode, {
        FragmentSpread: (spread) => {
          if (fragmentNames.has(spread.name.value)) return;
          fragmentNames.add(spread.name.value);
          const fragment = parsed.fragments.get(spread.name.value);
          if (fragment) walk(fragment);
        },
        Variable: (v) => {
          variableNames.add(v.name.value);
        },
      });
    for (const s of selections) walk(s);
    const operation: OperationDefinitionNode = {
      kind: Kind.OPERATION_DEFINITION,
      operation: "query" as OperationDefinitionNode["operation"],
      name: parsed.operation.name,
      variableDefinitions: (parsed.operation.variableDefinitions ?? []).filter((d) => variableNames.has(d.variable.name.value)),
      selectionSet: { kind: Kind.SELECTION_SET, selections },
    };
    return { kind: Kind.DOCUMENT, definitions: [operation, ...[...fragmentNames].flatMap((n) => parsed.fragments.get(n) ?? [])] };
  }
}

const refOf = (value: unknown): string | null => {
  const id = (value as Record<string, unknown> | null)?.[REF];
  return typeof id === "string" ? id : null;
};

/** Removes the ids the document asked for on our behalf, so the caller gets exactly what it asked. */
function stripRefs(value: unknown, depth = 0): unknown {
  if (depth > 1 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => stripRefs(v, depth));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!(depth === 1 && k === REF)) out[k] = stripRefs(v, depth + 1);
  return out;
}

/** Headers worth repeating: the length is recomputed, and nothing else describes the body. */
const keep = (headers: [string, string][]): [string, string][] => headers.filter(([name]) => name.toLowerCase() !== "content-length");
