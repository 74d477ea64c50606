import { type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from "graphql";

/** What a resolver needs of its info to see what was selected beneath it. */
export interface SelectionInfo {
  fieldNodes: readonly FieldNode[];
  fragments: Record<string, FragmentDefinitionNode>;
}

/**
 * Per field node, the answers for each set of field nodes it was merged with: one fragment's field can be
 * alone in one operation of a document and merged with another's field in the next, which selects more.
 */
const cache = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; perPath: Map<string, ReadonlySet<string>> }[]>();

/**
 * The names of the fields selected at `path` beneath the resolver's field (e.g. ["edges", "node"]),
 * through inline fragments and fragment spreads, whatever their type condition. `@include`/`@skip`
 * are not evaluated: a field they might leave out is counted as selected, so the set is never too
 * small. Worked out once per field of a parsed document (documents are parsed once and kept), so a
 * resolver can read only the columns an operation asks for at no cost per request.
 */
export function selectedFields(info: SelectionInfo, path: readonly string[]): ReadonlySet<string> {
  const first = info.fieldNodes[0];
  const key = path.join(".");
  const merged = first ? cache.get(first) : undefined;
  let perPath = merged?.find((m) => sameNodes(m.nodes, info.fieldNodes))?.perPath;
  const known = perPath?.get(key);
  if (known) return known;
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const name of path) level = fieldsNamed(level, info.fragments, name).flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  const names = new Set<string>();
  for (const set of level) collect(set, info.fragments, (f) => names.add(f.name.value), new Set());
  if (first) {
    if (!perPath) {
      perPath = new Map();
      cache.set(first, [...(merged ?? []), { nodes: info.fieldNodes, perPath }]);
    }
    perPath.set(key, names);
  }
  return names;
}

function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function fieldsNamed(sets: SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>, name: string): FieldNode[] {
  const out: FieldNode[] = [];
  for (const set of sets) collect(set, fragments, (f) => f.name.value === name && out.push(f), new Set());
  return out;
}

function collect(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, visit: (f: FieldNode) => unknown, seen: Set<string>): void {
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) visit(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet, fragments, visit, seen);
    else if (!seen.has(s.name.value)) {
      // A fragment spread twice (or, in an invalid document, in a cycle) is walked once.
      seen.add(s.name.value);
      const fragment = fragments[s.name.value];
      if (fragment) collect(fragment.selectionSet, fragments, visit, seen);
    }
  }
}
