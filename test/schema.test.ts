import { buildSchema as parseSdl, isEnumType, isInputObjectType, isInterfaceType, isListType, isNonNullType, isObjectType, isScalarType, isSpecifiedScalarType, isIntrospectionType } from "graphql";
import { inputCaps } from "../src/graphql/inputCaps";
import { buildSchema } from "../src/app/schema";
import { mergeModuleSdl, readSchemaFile } from "../src/graphql/sdl";

describe("the schema contract", () => {
  test("schema.graphql is the merge of the module SDL files (run `npm run generate` after editing them)", () => {
    expect(readSchemaFile()).toBe(mergeModuleSdl());
  });

  test("resolvers match the schema", () => {
    expect(() => buildSchema()).not.toThrow();
  });

  test("every type, field, argument and enum value has a description", () => {
    const schema = parseSdl(readSchemaFile());
    const missing: string[] = [];
    const need = (what: string, description: string | null | undefined) => {
      if (!description?.trim()) missing.push(what);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      need(type.name, type.description);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          need(`${type.name}.${field.name}`, field.description);
          for (const arg of field.args) need(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) need(`${type.name}.${field.name}`, field.description);
      } else if (isEnumType(type)) {
        for (const value of type.getValues()) need(`${type.name}.${value.name}`, value.description);
      } else if (isScalarType(type)) {
        need(type.name, type.description);
      }
    }
    expect(missing).toEqual([]);
  });

  test("enums are SCREAMING_CASE and connections cap first at 100 in their descriptions", () => {
    const schema = parseSdl(readSchemaFile());
    for (const type of Object.values(schema.getTypeMap())) {
      if (isEnumType(type) && !isIntrospectionType(type)) {
        for (const value of type.getValues()) expect(value.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      }
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          const first = field.args.find((a) => a.name === "first");
          if (first) expect(first.description).toMatch(/0 to 100/);
        }
      }
    }
  });

  test("every list argument and list input field documents its cap, which the server enforces", () => {
    const schema = buildSchema();
    const caps = inputCaps(schema);
    const uncapped: string[] = [];
    const check = (coordinate: string, type: Parameters<typeof isNonNullType>[0]) => {
      const inner = isNonNullType(type) ? type.ofType : type;
      if (isListType(inner) && !caps.lists.has(coordinate)) uncapped.push(coordinate);
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type)) for (const field of Object.values(type.getFields())) for (const arg of field.args) check(`${type.name}.${field.name}.${arg.name}`, arg.type);
      if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.type);
    }
    expect(uncapped).toEqual([]);
    expect(caps.lists.get("Query.nodes.ids")).toBe(100);
    expect(caps.strings.get("ClaimFilter.search")).toBe(200);
  });
});
