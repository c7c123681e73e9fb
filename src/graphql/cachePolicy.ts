import type { ApolloServerPlugin } from "@apollo/server";
import {
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isUnionType,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export interface CachePolicy {
  maxAge: number;
  scope: "PUBLIC" | "PRIVATE";
}

interface Hint {
  maxAge?: number;
  scope?: "PUBLIC" | "PRIVATE";
  inheritMaxAge?: boolean;
}

function hintOf(directives: readonly DirectiveNode[] | undefined): Hint {
  const directive = directives?.find((d) => d.name.value === "cacheControl");
  const hint: Hint = {};
  for (const arg of directive?.arguments ?? []) {
    if (arg.name.value === "maxAge" && arg.value.kind === Kind.INT) hint.maxAge = Number(arg.value.value);
    if (arg.name.value === "scope" && arg.value.kind === Kind.ENUM) hint.scope = arg.value.value as Hint["scope"];
    if (arg.name.value === "inheritMaxAge" && arg.value.kind === Kind.BOOLEAN) hint.inheritMaxAge = arg.value.value;
  }
  return hint;
}

const typeHint = (type: GraphQLNamedType) => hintOf(type.astNode?.directives);
const fieldHint = (field: GraphQLField<unknown, unknown>) => hintOf(field.astNode?.directives);

/**
 * The cache policy of an operation from the schema's @cacheControl hints, with Apollo's rules: a
 * field's hint wins over its type's; root fields, and fields returning objects without a hint or
 * inheritMaxAge, get the default max-age; scalars inherit their parent's; the answer gets the smallest max-age and is
 * PRIVATE if any part is. Every hint is static (no resolver sets one), so the policy depends only
 * on the document: computed once per document instead of once per resolved field, which cost a
 * fifth of the server's time per request (bench/README.md). Fields that may not run (under @skip,
 * or below a null) still count, so the policy can only be stricter than the per-field one.
 */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  defaultMaxAge: number,
): CachePolicy {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const policy: CachePolicy = { maxAge: Infinity, scope: "PUBLIC" };
  const restrict = (hint: Hint) => {
    if (hint.maxAge !== undefined) policy.maxAge = Math.min(policy.maxAge, hint.maxAge);
    if (hint.scope === "PRIVATE") policy.scope = "PRIVATE";
  };
  const visited = new Set<string>();
  // A type condition reaches its type's data even where the field's own type is an interface
  // (`node(id:) { ... on ApiKey { … } }`): its hint counts, and for an abstract condition every possible type's.
  const enter = (type: GraphQLCompositeType) => {
    restrict(typeHint(type));
    if (isAbstractType(type)) for (const possible of schema.getPossibleTypes(type)) restrict(typeHint(possible));
  };

  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, isRoot: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        // A fragment's hints are the same wherever it is spread (root fragments aside).
        const key = `${selection.name.value}:${isRoot}`;
        if (fragment && isCompositeType(type) && !visited.has(key)) {
          visited.add(key);
          enter(type);
          walk(fragment.selectionSet, type, isRoot);
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (isCompositeType(type)) {
          if (selection.typeCondition) enter(type);
          walk(selection.selectionSet, type, isRoot);
        }
        continue;
      }
      const field = isUnionType(parentType) ? undefined : parentType.getFields()[selection.name.value];
      if (!field) continue; // __typename and introspection fields carry no hint
      const target = getNamedType(field.type);
      const hint: Hint = { ...(isCompositeType(target) ? typeHint(target) : {}), ...fieldHint(field) };
      if (hint.maxAge === undefined && ((isCompositeType(target) && !hint.inheritMaxAge) || isRoot)) hint.maxAge = defaultMaxAge;
      restrict(hint);
      if (selection.selectionSet && isCompositeType(target)) walk(selection.selectionSet, target, false);
    }
  };

  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "query" ? schema.getQueryType() : null;
  if (!root) return { maxAge: 0, scope: "PUBLIC" };
  walk(operation.selectionSet, root, true);
  return { maxAge: policy.maxAge === Infinity ? defaultMaxAge : policy.maxAge, scope: policy.scope };
}

/**
 * Sets Cache-Control from the operation's cache policy, like Apollo's cache-control plugin (which
 * must be disabled alongside): `max-age=N, public|private` for a cacheable answer to a query without
 * errors; `no-store` for mutations, answers with errors and any request carrying Authorization (its
 * answer is the key holder's alone). Apollo reuses the parsed document of a repeated query, so the
 * policy is cached per document object.
 */
export function cachePolicyPlugin(defaultMaxAge: number): ApolloServerPlugin {
  const policies = new WeakMap<DocumentNode, Map<OperationDefinitionNode, CachePolicy>>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ schema, document, operation, response, request }) {
          let header = "no-store";
          const cacheable =
            operation?.operation === "query" && !request.http?.headers.get("authorization") && response.body.kind === "single" && !response.body.singleResult.errors;
          if (document && operation && cacheable) {
            let perOperation = policies.get(document);
            if (!perOperation) policies.set(document, (perOperation = new Map()));
            let policy = perOperation.get(operation);
            if (!policy) perOperation.set(operation, (policy = operationCachePolicy(schema, document, operation, defaultMaxAge)));
            if (policy.maxAge > 0) header = `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}`;
          }
          response.http.headers.set("cache-control", header);
        },
      };
    },
  };
}
