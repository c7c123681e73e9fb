// The module object itself, not an ES-module namespace copy of it (tsx and esbuild wrap a namespace
// import in getters, which cannot be assigned and would not reach graphql-js's own calls anyway).
import values = require("graphql/execution/values");

/**
 * graphql-js 16 builds two fresh null-prototype dictionaries (the coerced values and a map of the
 * field's argument nodes) for every field it resolves, on every object of every list, even when the
 * field takes no arguments ("TODO: find a way to memoize" in its executeField). On a large screen
 * that is most of the fields: the event timeline's 1,050 claims resolve `text`, `source` and
 * `name` each, and `getArgumentValues` was its largest JavaScript function (7.6% of busy time, one
 * client at 1M claims) besides the garbage collection its dictionaries fed (bench/README.md,
 * "Quiet-machine baseline"). A field without arguments gets one shared, frozen, empty
 * null-prototype object instead: the same value graphql-js would compute (it only reads the
 * definitions' arguments; validation has refused any other), without the allocations. Frozen, so
 * a resolver writing into its arguments fails loudly rather than leaking into other fields.
 *
 * Execution reads the function through the module's exports on every call (CommonJS), so replacing
 * the export reaches it; test/noArguments.test.ts fails if a graphql upgrade moves it out of reach.
 */
export const NO_ARGUMENTS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null));

const coerce = values.getArgumentValues;

(values as { getArgumentValues: typeof coerce }).getArgumentValues = (def, node, variableValues) =>
  def.args.length === 0 ? (NO_ARGUMENTS as { [argument: string]: unknown }) : coerce(def, node, variableValues);
