import type { ApolloServerPlugin } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isUnionType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { getArgumentValues, getVariableValues } from "graphql/execution/values";
import { validationAbortedError } from "graphql/validation/validationAbortedError";
import type { Config } from "../config";
import { DEFAULT_PAGE_SIZE } from "../db/paging";
import { checkInputs, inputCaps, type InputCaps } from "./inputCaps";

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

/** Sums that could grow without bound (2^n spreads) stop at a value far over any limit. */
const saturate = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);

/**
 * Fields whose resolver does CPU work far beyond a read, with their price in cost units on top of
 * the usual. Claim proposals run the extractor over up to 60,000 characters (about 0.5–4 s of a
 * worker's CPU on a miss): at 1,000 a request holds at most MAX_COST / 1,000 of them (20 by default)
 * and the in-flight budget admits few at once, while a cheap read still fits beside them.
 */
export const FIELD_WORK: Readonly<Record<string, number>> = { "Article.claimProposals": 1_000 };

/**
 * Estimated work of an operation: each field costs 1 (plus its FIELD_WORK), and a field's children cost once per item
 * it may return (`first`, or the length of `ids`). Argument values are read after variable
 * coercion (defaults and nulls included), so `first: $n` counts exactly like the same value written
 * inline. Each fragment is analysed once and its cost reused for every spread, so the analysis is
 * linear in the document even when the cost it finds is exponential.
 *
 * The same pass checks every argument against the caps of `inputCaps`: list lengths, string
 * lengths, and no NUL characters (PostgreSQL cannot store them).
 */
class OperationAnalysis {
  private readonly fragmentCosts = new Map<string, number>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly caps: InputCaps,
  ) {}

  cost(selectionSet: SelectionSetNode, parentType: GraphQLCompositeType): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        cost = saturate(cost + this.fragmentCost(selection.name.value));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        if (isCompositeType(type)) cost = saturate(cost + this.cost(selection.selectionSet, type));
      } else {
        cost = saturate(cost + this.fieldCost(selection, parentType));
      }
    }
    return cost;
  }

  private fragmentCost(name: string): number {
    let cost = this.fragmentCosts.get(name);
    if (cost !== undefined) return cost;
    this.fragmentCosts.set(name, 0); // cycles are refused by validation before this runs
    const fragment = this.fragments.get(name);
    const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
    cost = fragment && isCompositeType(type) ? this.cost(fragment.selectionSet, type) : 0;
    this.fragmentCosts.set(name, cost);
    return cost;
  }

  private fieldCost(selection: FieldNode, parentType: GraphQLCompositeType): number {
    const field = isUnionType(parentType) ? undefined : parentType.getFields()[selection.name.value];
    if (!field) return 1;
    const args = field.args.length ? this.argumentValues(field, selection, parentType) : {};
    const own = 1 + (FIELD_WORK[`${parentType.name}.${field.name}`] ?? 0);
    const childType = getNamedType(field.type);
    if (!selection.selectionSet || !isCompositeType(childType)) return own;
    return saturate(own + itemCount(field, args) * this.cost(selection.selectionSet, childType));
  }

  /** The field's coerced arguments, checked against the caps; {} when they do not coerce (execution reports why). */
  private argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, parentType: GraphQLCompositeType): Record<string, unknown> {
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(field, node, this.variables);
    } catch {
      return {};
    }
    for (const arg of field.args) {
      if (values[arg.name] !== undefined) checkInputs(values[arg.name], arg.type, `${parentType.name}.${field.name}.${arg.name}`, this.caps);
    }
    return values;
  }
}

/** How many items a field may return: its `first` (the default page size when unset or null), or the length of its `ids`. */
function itemCount(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (Array.isArray(args.ids)) return Math.max(args.ids.length, 1);
  if (field.args.some((a) => a.name === "first")) return typeof args.first === "number" && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
  return 1;
}

/**
 * The cost of an operation, checked against the cost limit and the input caps; throws the
 * GraphQLError to answer with. Shared by HTTP requests (the plugin below) and any other transport.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  maxCost: number,
): number {
  const root =
    operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  // Variables that do not coerce are refused by execution with its own message, before any work.
  if (coerced.errors) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const cost = new OperationAnalysis(schema, fragments, coerced.coerced, inputCaps(schema)).cost(operation.selectionSet, root);
  if (cost > maxCost) {
    throw new GraphQLError(`query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items per page or fewer nested lists`, {
      extensions: { code: "QUERY_COST_LIMIT_EXCEEDED", cost, maxCost, http: { status: 400 } },
    });
  }
  return cost;
}

/** The admitted cost of each request, for later plugins (admission by cost in flight). */
const requestCosts = new WeakMap<object, number>();

export function costOfRequest(request: object): number {
  return requestCosts.get(request) ?? 0;
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  // Apollo reuses the parsed document of a repeated query: the verdict on an operation that has no
  // variables cannot change, so it is worked out once.
  const fixed = new WeakMap<OperationDefinitionNode, GraphQLError | number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request }) {
          if (!operation) return;
          const constant = !operation.variableDefinitions?.length;
          let verdict = constant ? fixed.get(operation) : undefined;
          if (verdict === undefined) {
            try {
              verdict = checkOperation(schema, document, operation, request.variables, maxCost);
            } catch (error) {
              if (!(error instanceof GraphQLError)) throw error;
              verdict = error;
            }
            if (constant) fixed.set(operation, verdict);
          }
          if (verdict instanceof GraphQLError) throw verdict;
          requestCosts.set(request, verdict);
        },
      };
    },
  };
}
