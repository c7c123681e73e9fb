import {
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { loneSurrogate } from "../validation/fields";

/**
 * Caps on input sizes, read from the schema itself: the description of every list argument or
 * input field says "At most N values", and of a capped string "At most N characters". The
 * contract documents the cap and the server enforces exactly that number (test/schema.test.ts
 * requires a cap on every list input).
 */
export interface InputCaps {
  /** `Type.field.argument` or `InputType.field` → the most values a list may hold. */
  lists: Map<string, number>;
  /** The same coordinates → the most characters a string may hold. */
  strings: Map<string, number>;
}

const LIST_CAP = /\bAt most ([\d,]+) (?:values|ids|URLs|aliases|tags|authors|items)\b/i;
const STRING_CAP = /\bAt most ([\d,]+) characters\b/i;
/** What a list input without a documented cap may hold; the schema test keeps this from being used. */
export const UNDOCUMENTED_LIST_CAP = 100;

const cache = new WeakMap<GraphQLSchema, InputCaps>();

export function inputCaps(schema: GraphQLSchema): InputCaps {
  let caps = cache.get(schema);
  if (caps) return caps;
  caps = { lists: new Map(), strings: new Map() };
  const note = (coordinate: string, description: string | null | undefined, type: GraphQLInputType) => {
    const list = description?.match(LIST_CAP);
    if (list && isListType(isNonNullType(type) ? type.ofType : type)) caps!.lists.set(coordinate, Number(list[1].replace(/,/g, "")));
    const string = description?.match(STRING_CAP);
    if (string) caps!.strings.set(coordinate, Number(string[1].replace(/,/g, "")));
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) note(`${type.name}.${field.name}.${arg.name}`, arg.description, arg.type);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) note(`${type.name}.${field.name}`, field.description, field.type);
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
    const cap = caps.lists.get(coordinate) ?? UNDOCUMENTED_LIST_CAP;
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
