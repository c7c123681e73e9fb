import type { ApolloServerPlugin } from "@apollo/server";
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
  type ValueNode,
} from "graphql";
import { getArgumentValues, getVariableValues } from "graphql/execution/values";
import { LRUCache } from "lru-cache";
import { DEFAULT_PAGE_SIZE } from "../db/paging";
import { checkInputs, inputCaps, type InputCaps } from "./inputCaps";

/** Sums that could grow without bound (2^n spreads) stop at a value far over any limit. */
export const saturate = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);

/**
 * Fields whose resolver does CPU work far beyond a read, with their price in cost units on top of
 * the usual. Claim proposals run the extractor over up to 60,000 characters (about 0.5–4 s of a
 * worker's CPU on a miss): at 1,000 a request holds at most MAX_COST / 1,000 of them (20 by default)
 * and the in-flight budget admits few at once, while a cheap read still fits beside them.
 */
export const FIELD_WORK: Readonly<Record<string, number>> = { "Article.claimProposals": 1_000 };

/**
 * A field with arguments, met by the analysis in its order (each fragment once): the fields whose
 * arguments read a variable are what a cached verdict must re-check per request; `count`, its
 * item count this time (null: the field has no selection to multiply).
 */
interface ArgumentSite {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  parentType: GraphQLCompositeType;
  multiplies: boolean;
  /** Reads no variable: checked once, its item count fixed. */
  constant: boolean;
}

/**
 * Estimated work of an operation: each field costs 1 (plus its FIELD_WORK), and a field's children cost once per item
 * it may return (`first`, or the length of `ids`). Argument values are read after variable
 * coercion (defaults and nulls included), so `first: $n` counts exactly like the same value written
 * inline. Each fragment is analysed once and its cost reused for every spread, so the analysis is
 * linear in the document even when the cost it finds is exponential.
 *
 * The same pass checks every argument against the caps of `inputCaps`: list lengths, string
 * lengths, and no NUL characters (PostgreSQL cannot store them). `sites` records each field with
 * arguments it met, in order, with the item count it used (for the per-operation plan below).
 */
class OperationAnalysis {
  private readonly fragmentCosts = new Map<string, number>();
  readonly sites: { site: ArgumentSite; count: number | null }[] = [];

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
    const childType = getNamedType(field.type);
    const multiplies = !!selection.selectionSet && isCompositeType(childType);
    let count: number | null = null;
    if (field.args.length) {
      const site: ArgumentSite = { field, node: selection, parentType, multiplies, constant: !readsVariables(selection) };
      const entry: { site: ArgumentSite; count: number | null } = { site, count };
      this.sites.push(entry);
      const args = checkedArguments(site, this.variables, this.caps);
      if (multiplies) entry.count = count = itemCount(field, args);
    }
    const own = 1 + (FIELD_WORK[`${parentType.name}.${field.name}`] ?? 0);
    if (!multiplies) return own;
    return saturate(own + (count ?? 1) * this.cost(selection.selectionSet!, childType as GraphQLCompositeType));
  }
}

/** Whether any argument of the field reads a variable (at any depth of an input literal). */
function readsVariables(node: FieldNode): boolean {
  const reads = (value: ValueNode): boolean =>
    value.kind === Kind.VARIABLE ||
    (value.kind === Kind.LIST && value.values.some(reads)) ||
    (value.kind === Kind.OBJECT && value.fields.some((f) => reads(f.value)));
  return (node.arguments ?? []).some((a) => reads(a.value));
}

/** The field's coerced arguments, checked against the caps; {} when they do not coerce (execution reports why). */
function checkedArguments({ field, node, parentType }: ArgumentSite, variables: Record<string, unknown>, caps: InputCaps): Record<string, unknown> {
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, node, variables);
  } catch {
    return {};
  }
  for (const arg of field.args) {
    if (values[arg.name] !== undefined) checkInputs(values[arg.name], arg.type, `${parentType.name}.${field.name}.${arg.name}`, caps);
  }
  return values;
}

/** How many items a field may return: its `first` (the default page size when unset or null), or the length of its `ids`. */
function itemCount(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (Array.isArray(args.ids)) return Math.max(args.ids.length, 1);
  if (field.args.some((a) => a.name === "first")) return typeof args.first === "number" && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
  return 1;
}

const rootType = (schema: GraphQLSchema, operation: OperationDefinitionNode) =>
  operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();

function analysis(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return new OperationAnalysis(schema, fragments, variables, inputCaps(schema));
}

function verdictOf(cost: number, maxCost: number): number | GraphQLError {
  if (cost <= maxCost) return cost;
  return new GraphQLError(`query cost ${cost} exceeds the limit of ${maxCost}; ask for fewer items per page or fewer nested lists`, {
    extensions: { code: "QUERY_COST_LIMIT_EXCEEDED", cost, maxCost, http: { status: 400 } },
  });
}

/** The operation's variables as execution will see them; null when they do not coerce (execution refuses them with its own message, before any work). */
function coercedVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, raw: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!operation.variableDefinitions?.length) return {};
  const coerced = getVariableValues(schema, operation.variableDefinitions, raw ?? {}, { maxErrors: 1 });
  return coerced.errors ? null : coerced.coerced;
}

/**
 * The cost of an operation, checked against the cost limit and the input caps; throws the
 * GraphQLError to answer with. For a document seen once (a subscription); HTTP requests go through
 * OperationCosts, which remembers the verdict.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  maxCost: number,
): number {
  const root = rootType(schema, operation);
  const variables = root && coercedVariables(schema, operation, rawVariables);
  if (!root || !variables) return 0;
  const verdict = verdictOf(analysis(schema, document, variables).cost(operation.selectionSet, root), maxCost);
  if (verdict instanceof GraphQLError) throw verdict;
  return verdict;
}

/**
 * What a repeated operation's verdict depends on (Apollo reuses the parsed document, so its
 * operation node is the key): the cost is fixed by the document and by the item counts of the
 * fields whose arguments read variables, and only those fields' arguments need the caps checked
 * again. `steps` are those fields in the analysis's order, with a field that always fails the caps
 * kept as its error at its place (nothing after it is reached); `id` prefixes its verdicts' keys.
 */
interface OperationPlan {
  id: number;
  steps: (ArgumentSite | GraphQLError)[];
}

/**
 * Costs of all operations, by plan id and item counts: one bound for the process, in entries and in
 * bytes, however many documents and counts come. Only the number is kept (the error over the limit
 * is made again when needed) and keys are flat joined strings, so an entry's bytes are its key's.
 */
const MAX_VERDICTS = 10_000;
const MAX_VERDICT_BYTES = 4 * 1024 * 1024;
/** What an entry costs beyond its key's characters (two bytes each at most): the LRU's node and indexes. */
const VERDICT_OVERHEAD_BYTES = 128;

/**
 * The cost-limit and input-cap verdict, cached per operation and variable shape: a repeated
 * operation re-reads only the arguments that read variables (with the same checks, in the same
 * order, so the same error wins) instead of walking the document and every field's arguments
 * (the whole check took 3.4% of a cheap request's busy CPU, now 2.3%: bench/README.md).
 */
export class OperationCosts {
  private readonly plans = new WeakMap<OperationDefinitionNode, OperationPlan>();
  private readonly costs = new LRUCache<string, number>({
    max: MAX_VERDICTS,
    maxSize: MAX_VERDICT_BYTES,
    sizeCalculation: (_, key) => VERDICT_OVERHEAD_BYTES + 2 * key.length,
  });
  private nextPlan = 0;

  constructor(private readonly maxCost: number) {}

  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown> | undefined): number {
    const root = rootType(schema, operation);
    const variables = root && coercedVariables(schema, operation, rawVariables);
    if (!root || !variables) return 0;
    const plan = this.plans.get(operation);
    let cost: number | undefined;
    if (plan) {
      const key = this.replay(plan, schema, variables);
      cost = this.costs.get(key);
      if (cost === undefined) {
        cost = analysis(schema, document, variables).cost(operation.selectionSet, root);
        this.costs.set(key, cost);
      }
    } else {
      cost = this.firstAnalysis(schema, document, operation, root, variables);
    }
    const verdict = verdictOf(cost, this.maxCost);
    if (verdict instanceof GraphQLError) throw verdict;
    return verdict;
  }

  /** Checks the arguments that read variables; returns their item counts as the verdict's key. */
  private replay(plan: OperationPlan, schema: GraphQLSchema, variables: Record<string, unknown>): string {
    const caps = inputCaps(schema);
    const counts: number[] = [];
    for (const step of plan.steps) {
      if (step instanceof GraphQLError) throw step;
      const args = checkedArguments(step, variables, caps);
      if (step.multiplies) counts.push(itemCount(step.field, args));
    }
    return `${plan.id}:${counts.join(",")}`;
  }

  /** The full analysis, which also records the plan (unless a variable's value failed the caps: the plan would be cut short). */
  private firstAnalysis(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, root: GraphQLCompositeType, variables: Record<string, unknown>) {
    const run = analysis(schema, document, variables);
    const steps = () => run.sites.filter((s) => !s.site.constant).map((s) => s.site);
    let cost: number;
    try {
      cost = run.cost(operation.selectionSet, root);
    } catch (error) {
      // The caps' refusal comes from the last field met; a field without variables refuses every time.
      const last = run.sites.at(-1)?.site;
      if (error instanceof GraphQLError && last?.constant) this.plans.set(operation, { id: this.nextPlan++, steps: [...steps(), error] });
      throw error;
    }
    const plan = { id: this.nextPlan++, steps: steps() };
    const counts = run.sites.filter(({ site }) => !site.constant && site.multiplies).map(({ count }) => count);
    this.plans.set(operation, plan);
    this.costs.set(`${plan.id}:${counts.join(",")}`, cost);
    return cost;
  }
}

/** The admitted cost of each request, for later plugins (admission by cost in flight). */
const requestCosts = new WeakMap<object, number>();

export function costOfRequest(request: object): number {
  return requestCosts.get(request) ?? 0;
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const costs = new OperationCosts(maxCost);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request }) {
          if (!operation) return;
          requestCosts.set(request, costs.check(schema, document, operation, request.variables));
        },
      };
    },
  };
}
