import { isInputObjectType, isListType, isNonNullType, type GraphQLInputField, type GraphQLInputType } from "graphql";
import type { z } from "zod";
import { declaredCap, inputCaps } from "../src/graphql/inputCaps";
import { buildSchema } from "../src/app/schema";
import * as fields from "../src/validation/fields";

/** Every capped field of a mutation input (all are lists so far), with the field rule the service checks it with and a valid item. */
const RULES: Record<string, { rule: z.ZodType; item: string }> = {
  "SourceCreateInput.aliases": { rule: fields.aliases, item: "Hook" },
  "SourceUpdateInput.aliases": { rule: fields.aliases, item: "Hook" },
  "EventCreateInput.referenceUrls": { rule: fields.referenceUrls, item: "https://example.org/record" },
  "ClaimSetStatusInput.evidenceUrls": { rule: fields.evidenceUrls, item: "https://example.org/evidence" },
  "ClaimSetAttributionInput.evidenceUrls": { rule: fields.evidenceUrls, item: "https://example.org/evidence" },
  "ArticleCreateInput.authors": { rule: fields.authors, item: "Jane Doe" },
  "ArticleUpdateInput.authors": { rule: fields.authors, item: "Jane Doe" },
  "ArticleCreateInput.tags": { rule: fields.tags, item: "Iran" },
  "ArticleUpdateInput.tags": { rule: fields.tags, item: "Iran" },
};

/** `Type.field` of every input object field a mutation takes, however deeply nested. */
function mutationInputFields(): Map<string, GraphQLInputField> {
  const schema = buildSchema();
  const found = new Map<string, GraphQLInputField>();
  const visit = (type: GraphQLInputType) => {
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return visit(inner.ofType);
    if (!isInputObjectType(inner)) return;
    for (const field of Object.values(inner.getFields())) {
      const coordinate = `${inner.name}.${field.name}`;
      if (found.has(coordinate)) continue;
      found.set(coordinate, field);
      visit(field.type);
    }
  };
  for (const field of Object.values(schema.getMutationType()!.getFields())) field.args.forEach((arg) => visit(arg.type));
  return found;
}

describe("the caps a mutation input documents are the field rules' caps", () => {
  const caps = inputCaps(buildSchema());
  const inputs = mutationInputFields();

  test("every capped mutation input field has its field rule listed here", () => {
    // Declared in the SDL (@listCap, @stringCap); ID inputs' common cap is no field rule's business.
    const capped = [...inputs].filter(([, field]) => declaredCap(field.astNode, "listCap") !== undefined || declaredCap(field.astNode, "stringCap") !== undefined).map(([c]) => c);
    expect(capped.sort()).toEqual(Object.keys(RULES).sort());
  });

  test.each(Object.entries(RULES))("%s: the rule accepts exactly the documented cap", (coordinate, { rule, item }) => {
    const cap = caps.lists.get(coordinate)!;
    expect(rule.safeParse(Array(cap).fill(item)).success).toBe(true);
    expect(rule.safeParse(Array(cap + 1).fill(item)).success).toBe(false);
  });
});
