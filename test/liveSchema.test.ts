import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, parse, printSchema, validate } from "graphql";
import { SANDBOX_DOCUMENT } from "../src/graphql/sandbox";
import { readSchemaFile } from "../src/graphql/sdl";
import { startServer, type TestServer } from "./support/harness";

describe("the served schema", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { seed: false });
  });
  afterAll(() => server?.close());

  test("introspected over HTTP, it prints exactly as the committed schema.graphql", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    const { body } = await server.gql(query);
    expect(body.errors).toBeUndefined();
    const served = printSchema(lexicographicSortSchema(buildClientSchema(body.data)));
    // Applied directives (@cacheControl hints) are not part of introspection, so both sides print without them.
    const committed = printSchema(lexicographicSortSchema(buildSchema(readSchemaFile())));
    expect(served).toBe(committed);
  });

  test("URL is described as what it accepts, and no scalar claims a foreign specification", async () => {
    const { body } = await server.gql(`{ url: __type(name: "URL") { description specifiedByURL } json: __type(name: "JSONObject") { description specifiedByURL } }`);
    expect(body.data.url).toEqual({ description: "An absolute http(s) URL.", specifiedByURL: null });
    expect(body.data.url.description).not.toMatch(/RFC/);
    expect(body.data.json.specifiedByURL).toBeNull();
  });

  test("the Sandbox opens with example operations that are valid against the schema, and an Authorization header to fill in", async () => {
    expect(validate(buildSchema(readSchemaFile()), parse(SANDBOX_DOCUMENT))).toEqual([]);
    const page = await (await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } })).text();
    expect(page).toContain("query ClaimsByActor");
    expect(page).toContain("subscription ClaimChanged");
    expect(page).toMatch(/Authorization/);
  });
});
