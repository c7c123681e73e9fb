import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  buildSchema as parseSdl,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
  type InputValueDefinitionNode,
} from "graphql";
import { ID_CAP, declaredCap, inputCaps } from "../src/graphql/inputCaps";
import { PROJECT_ROOT } from "../src/paths";
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

  describe("input caps are declared (@listCap, @stringCap), enforced and printed", () => {
    const schema = buildSchema();
    const caps = inputCaps(schema);
    const inputs: { coordinate: string; type: GraphQLInputType; node: InputValueDefinitionNode | undefined | null; description: string; file: string; mutationPayload: boolean }[] = [];
    const payloadTypes = mutationPayloadTypes(schema);
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type)) continue;
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) {
            inputs.push({ coordinate: `${type.name}.${field.name}.${arg.name}`, type: arg.type, node: arg.astNode, description: arg.description ?? "", file: sdlFileOf(type.name, field.name), mutationPayload: false });
          }
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          inputs.push({ coordinate: `${type.name}.${field.name}`, type: field.type, node: field.astNode, description: field.description ?? "", file: sdlFileOf(type.name, field.name), mutationPayload: payloadTypes.has(type.name) });
        }
      }
    }

    test("every list input declares @listCap(max: N)", () => {
      const missing = inputs
        .filter((i) => isListType(isNonNullType(i.type) ? i.type.ofType : i.type) && declaredCap(i.node, "listCap") === undefined)
        .map((i) => `${i.coordinate} (${i.file}): add @listCap(max: N) after its type, N = the most values it may hold, then run \`npm run generate\``);
      expect(missing).toEqual([]);
    });

    test("every String input outside mutation payloads declares @stringCap(max: N) (each string, for a list)", () => {
      // Mutation payloads' text fields are capped by their field rules in src/validation/fields.ts;
      // IDs by ID_CAP; other scalars (DateTime, URL, JSONObject) by their own parsing.
      const missing = inputs
        .filter((i) => getNamedType(i.type).name === "String" && !i.mutationPayload && declaredCap(i.node, "stringCap") === undefined)
        .map((i) => `${i.coordinate} (${i.file}): add @stringCap(max: N) after its type, N = the most characters it may hold, then run \`npm run generate\``);
      expect(missing).toEqual([]);
    });

    test("the server reads the declared numbers, and every ID input is capped", () => {
      expect(caps.lists.get("Query.nodes.ids")).toBe(100);
      expect(caps.strings.get("ClaimFilter.search")).toBe(200);
      expect(caps.lists.get("SourceCreateInput.aliases")).toBe(50);
      for (const i of inputs.filter((i) => getNamedType(i.type).name === "ID")) expect([i.coordinate, caps.strings.get(i.coordinate)]).toEqual([i.coordinate, ID_CAP]);
    });

    test("each declared cap is printed into its description, which states no other cap", () => {
      for (const { coordinate, node, description } of inputs) {
        const list = declaredCap(node, "listCap");
        const string = declaredCap(node, "stringCap");
        const stated = description.match(/\bAt most \d[^.]*\./gi) ?? [];
        const expected =
          list !== undefined && string !== undefined ? [`At most ${list} values, each at most ${string} characters.`]
          : list !== undefined ? [`At most ${list} values.`]
          : string !== undefined ? [`At most ${string} characters.`]
          : [];
        expect([coordinate, stated]).toEqual([coordinate, expected]);
      }
    });
  });
});

/** Input object types reachable from a mutation's arguments (their fields are mutation payload fields). */
function mutationPayloadTypes(schema: GraphQLSchema): Set<string> {
  const found = new Set<string>();
  const visit = (type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || found.has(named.name)) return;
    found.add(named.name);
    for (const field of Object.values(named.getFields())) visit(field.type);
  };
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) field.args.forEach((arg) => visit(arg.type));
  return found;
}

/** The module SDL file that defines a type's field, for the failure messages. */
function sdlFileOf(typeName: string, fieldName: string): string {
  const root = path.join(PROJECT_ROOT, "src");
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".graphql")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const sdl = readFileSync(file, "utf8");
    if (new RegExp(`^(type|input|extend type) ${typeName}\\b`, "m").test(sdl) && new RegExp(`^\\s+${fieldName}\\s*[(:]`, "m").test(sdl)) {
      return path.relative(PROJECT_ROOT, file);
    }
  }
  return "src/**/*.graphql";
}
