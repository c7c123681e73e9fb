import {
  GraphQLError,
  Kind,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type InputValueDefinitionNode,
} from "graphql";
import { loneSurrogate } from "../validation/fields";

/**
 * Caps on input sizes, declared in the SDL with `@listCap(max: N)` on list arguments and input
 * fields and `@stringCap(max: N)` on string ones (for a list of strings, each string), read here
 * from the schema's AST and printed into the descriptions by `npm run generate` (sdl.ts), so the
 * contract shows exactly the number the server enforces. test/schema.test.ts requires a cap on every
 * list input and every string input outside mutation payloads.
 *
 * Which layer is the authority: these directives for GraphQL arguments and filter inputs; for the
 * text fields of mutation payloads (names, quotes, rationales…) the field rules in
 * src/validation/fields.ts, which also serve the seed importer (test/fieldRules.test.ts keeps any cap
 * declared on a mutation input equal to its field rule's).
 */
export interface InputCaps {
  /** `Type.field.argument` or `InputType.field` → the most values a list may hold. */
  lists: Map<string, number>;
  /** The same coordinates → the most characters a string may hold. */
  strings: Map<string, number>;
}

export const LIST_CAP = "listCap";
export const STRING_CAP = "stringCap";
/** What a list input without a declared cap may hold; the schema test keeps this from being used. */
export const UNDECLARED_LIST_CAP = 100;
/**
 * Every ID input, declared once: global IDs are base64url of `Type:uuid` (under 100 characters, a
 * proposal's with its span included), so a longer one is refused before it is decoded.
 */
export const ID_CAP = 200;

/** The `max` of a cap directive on an argument or input field definition, if it has one. */
export function declaredCap(node: InputValueDefinitionNode | undefined | null, directive: typeof LIST_CAP | typeof STRING_CAP): number | undefined {
  const applied = node?.directives?.find((d) => d.name.value === directive);
  const max = applied?.arguments?.find((a) => a.name.value === "max")?.value;
  return max?.kind === Kind.INT ? Number(max.value) : undefined;
}

const cache = new WeakMap<GraphQLSchema, InputCaps>();

export function inputCaps(schema: GraphQLSchema): InputCaps {
  let caps = cache.get(schema);
  if (caps) return caps;
  caps = { lists: new Map(), strings: new Map() };
  const note = (coordinate: string, input: GraphQLArgument | GraphQLInputField) => {
    const list = declaredCap(input.astNode, LIST_CAP);
    if (list !== undefined) caps!.lists.set(coordinate, list);
    const string = declaredCap(input.astNode, STRING_CAP) ?? (getNamedType(input.type).name === "ID" ? ID_CAP : undefined);
    if (string !== undefined) caps!.strings.set(coordinate, string);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) note(`${type.name}.${field.name}.${arg.name}`, arg);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) note(`${type.name}.${field.name}`, field);
    }
  }
  cache.set(schema, caps);
  return caps;
}

function refuse(coordinate: string, message: string): never {
  throw new GraphQLError(`${coordinate}: ${message}`, { extensions: { code: "BAD_USER_INPUT", argument: coordinate, http: { status: 400 } } });
}

/** Checks a coerced input value against the caps; throws BAD_USER_INPUT naming the argument. */
export function checkInputs(value: unknown, type: GraphQLInputType, coordinate: string, caps: InputCaps): void {
  if (value === null || value === undefined) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    const cap = caps.lists.get(coordinate) ?? UNDECLARED_LIST_CAP;
    if (items.length > cap) refuse(coordinate, `at most ${cap} values are accepted, got ${items.length}`);
    for (const item of items) checkInputs(item, inner.ofType, coordinate, caps);
  } else if (isInputObjectType(inner)) {
    const fields = inner.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) checkInputs(fieldValue, field.type, `${inner.name}.${name}`, caps);
    }
  } else if (typeof value === "string") {
    checkString(value, coordinate, caps.strings.get(coordinate));
  } else if (isScalarType(inner) && !isEnumType(inner) && typeof value === "object") {
    checkJson(value, coordinate);
  }
}

function checkString(value: string, coordinate: string, cap: number | undefined) {
  if (cap !== undefined && value.length > cap) refuse(coordinate, `at most ${cap} characters are accepted, got ${value.length}`);
  if (value.includes("\u0000")) refuse(coordinate, "must not contain NUL (U+0000) characters");
  const surrogate = loneSurrogate(value);
  if (surrogate) refuse(coordinate, surrogate);
}

/** Strings anywhere inside a JSON-valued scalar (JSONObject): no NUL characters either. */
function checkJson(value: unknown, coordinate: string): void {
  if (typeof value === "string") checkString(value, coordinate, undefined);
  else if (Array.isArray(value)) value.forEach((item) => checkJson(item, coordinate));
  else if (value && typeof value === "object" && !(value instanceof URL) && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      checkString(key, coordinate, undefined);
      checkJson(item, coordinate);
    }
  }
}
