import type { ApolloServerPlugin } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isConstValueNode,
  isUnionType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Config } from "../config";

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
    maxDepthRule({ n: options.MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: options.MAX_ALIASES, ...report }),
    maxDirectivesRule({ n: options.MAX_DIRECTIVES, ...report }),
  ];
}

/**
 * Estimated work of an operation: each field costs 1, and a field's children cost once per item
 * it may return (`first`, or the length of `ids`). Argument values are read after variable
 * coercion, so `first: $n` counts exactly like `first: 100`.
 */
function operationCost(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      const type = fragment && schema.getType(fragment.typeCondition.name.value);
      if (fragment && isCompositeType(type)) cost += operationCost(schema, fragment.selectionSet, type, fragments, variables);
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
      if (isCompositeType(type)) cost += operationCost(schema, selection.selectionSet, type, fragments, variables);
      continue;
    }
    cost += 1;
    const field = isUnionType(parentType) ? undefined : parentType.getFields()[selection.name.value];
    if (!selection.selectionSet || !field) continue;
    const items = itemCount(field, selection, variables);
    const childType = getNamedType(field.type);
    if (isCompositeType(childType)) {
      cost += Math.max(items, 1) * operationCost(schema, selection.selectionSet, childType, fragments, variables);
    }
  }
  return cost;
}

/**
 * How many items a field may return: its `first`, or the length of its `ids`. Only those two
 * arguments are read (a filter object is not worth coercing here); a value that is not valid
 * counts as 1 and is reported by execution with its own precise error.
 */
function itemCount(field: GraphQLField<unknown, unknown>, selection: FieldNode, variables: Variables): number {
  for (const argument of field.args) {
    if (argument.name !== "first" && argument.name !== "ids") continue;
    const node = selection.arguments?.find((a) => a.name.value === argument.name);
    if (node && !isConstValueNode(node.value)) variables.read = true;
    const value = node ? valueFromAST(node.value, argument.type, variables.values) : argument.defaultValue;
    if (argument.name === "first" && typeof value === "number") return value;
    if (argument.name === "ids" && Array.isArray(value)) return value.length;
  }
  return 1;
}

/** The request's variables, and whether a cost-relevant argument read one. */
interface Variables {
  values: Record<string, unknown>;
  read: boolean;
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  // Apollo reuses the parsed document of a repeated query: a cost that no variable can change is
  // computed once per operation.
  const fixedCosts = new WeakMap<OperationDefinitionNode, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request }) {
          if (!operation) return;
          const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
          if (!root) return;
          let cost = fixedCosts.get(operation);
          if (cost === undefined) {
            const fragments = Object.fromEntries(
              document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
            ) as Record<string, FragmentDefinitionNode>;
            const variables: Variables = { values: request.variables ?? {}, read: false };
            cost = operationCost(schema, operation.selectionSet, root, fragments, variables);
            if (!variables.read) fixedCosts.set(operation, cost);
          }
          if (cost > maxCost) {
            throw new GraphQLError(`query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items per page or fewer nested lists`, {
              extensions: { code: "QUERY_COST_LIMIT_EXCEEDED", cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
