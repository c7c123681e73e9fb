import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from "graphql";
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
});
