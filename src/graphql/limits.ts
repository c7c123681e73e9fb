import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from "graphql";
import { validationAbortedError } from "graphql/validation/validationAbortedError";
import type { Config } from "../config";
import { saturate } from "./cost";

export type LimitOptions = Pick<Config, "MAX_DEPTH" | "MAX_ALIASES" | "MAX_DIRECTIVES" | "MAX_COST">;

/** Shape limits, checked once per distinct document during validation (Apollo caches the result). */
export function limitRules(options: LimitOptions): ValidationRule[] {
  // Report, don't throw: a thrown error escapes validation and becomes an HTTP 500.
  const report = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    fieldDuplicationGuard,
    maxDepthRule({ n: options.MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: options.MAX_ALIASES, ...report }),
    maxDirectivesRule(options.MAX_DIRECTIVES),
  ];
}

/** How often one response key may occur in a selection set, its fragments included: a leaf field, and a field with its own selection. */
export const MAX_DUPLICATE_FIELDS = { leaf: 30, withSelection: 10 };

/**
 * graphql-js's OverlappingFieldsCanBeMerged rule compares every pair of fields sharing a response
 * key, and compares their whole sub-selections for each pair: `{ claims { totalCount } ×400 }` (1,600
 * tokens) blocked validation for over a second, 30 fragments each selecting `claims { … }` for a
 * quarter of one. This check counts each selection set's response keys, through fragments (each
 * fragment counted once and memoised, so it is linear), and refuses a document over
 * MAX_DUPLICATE_FIELDS before the traversal reaches any selection set: it reports its error on entering
 * the document and aborts validation the way graphql's own rules do (its `validationAbortedError`,
 * which validate() catches; any other throw would become an HTTP 500 in Apollo).
 */
const fieldDuplicationGuard: ValidationRule = (context) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentKeys = new Map<string, Map<string, number>>();
  // Keys of fields with a selection of their own carry a "{" suffix, so both limits come from one map.
  const keysOf = (set: SelectionSetNode, into = new Map<string, number>(), times = 1): Map<string, number> => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = (selection.alias?.value ?? selection.name.value) + (selection.selectionSet ? "{" : "");
        into.set(key, saturate((into.get(key) ?? 0) + times));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        keysOf(selection.selectionSet, into, times);
      } else {
        for (const [key, count] of fragmentKeysOf(selection.name.value)) into.set(key, saturate((into.get(key) ?? 0) + count * times));
      }
    }
    return into;
  };
  const fragmentKeysOf = (name: string): Map<string, number> => {
    let keys = fragmentKeys.get(name);
    if (keys) return keys;
    fragmentKeys.set(name, new Map()); // a cycle is reported by graphql's own NoFragmentCycles rule
    const fragment = fragments.get(name);
    keys = fragment ? keysOf(fragment.selectionSet) : new Map<string, number>();
    fragmentKeys.set(name, keys);
    return keys;
  };
  const check = (set: SelectionSetNode): GraphQLError | undefined => {
    for (const [key, count] of keysOf(set)) {
      const withSelection = key.endsWith("{");
      const max = withSelection ? MAX_DUPLICATE_FIELDS.withSelection : MAX_DUPLICATE_FIELDS.leaf;
      if (count > max) {
        const field = withSelection ? key.slice(0, -1) : key;
        return new GraphQLError(`the field "${field}" is selected ${count} times in one selection set; at most ${max} are allowed`, { nodes: [set] });
      }
    }
    return undefined;
  };
  const visit = (set: SelectionSetNode): GraphQLError | undefined => {
    const error = check(set);
    if (error) return error;
    for (const selection of set.selections) {
      const nested = selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet ? visit(selection.selectionSet) : undefined;
      if (nested) return nested;
    }
    return undefined;
  };
  return {
    Document(document) {
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
        const error = visit(definition.selectionSet);
        if (!error) continue;
        context.reportError(error);
        throw validationAbortedError;
      }
    },
  };
};

/**
 * Counts every directive an operation carries, each fragment's once per spread. graphql-armor's rule
 * drops the directives on the second spread of a fragment, so `...F @skip(if: false)` repeated
 * slipped past it. Fragments are counted once each and memoised, so the work is linear.
 */
function maxDirectivesRule(max: number): ValidationRule {
  return (context) => {
    const counts = new Map<string, number>();
    const fragmentCount = (name: string): number => {
      let count = counts.get(name);
      if (count !== undefined) return count;
      counts.set(name, 0); // a cycle is reported by graphql's own NoFragmentCycles rule
      const fragment = context.getFragment(name);
      count = fragment ? (fragment.directives?.length ?? 0) + selectionCount(fragment.selectionSet) : 0;
      counts.set(name, count);
      return count;
    };
    const selectionCount = (set: SelectionSetNode): number => {
      let count = 0;
      for (const selection of set.selections) {
        count += selection.directives?.length ?? 0;
        if (selection.kind === Kind.FRAGMENT_SPREAD) count = saturate(count + fragmentCount(selection.name.value));
        else if (selection.selectionSet) count = saturate(count + selectionCount(selection.selectionSet));
      }
      return count;
    };
    return {
      OperationDefinition(operation) {
        const count = saturate((operation.directives?.length ?? 0) + selectionCount(operation.selectionSet));
        if (count > max) context.reportError(new GraphQLError(`Directives limit of ${max} exceeded, found ${count}.`, { nodes: [operation] }));
      },
    };
  };
}
