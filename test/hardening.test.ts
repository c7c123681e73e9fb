import { serverAudits } from "graphql-http";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";

interface Case {
  name: string;
  request: () => { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  status: number;
  code?: string;
  message?: RegExp;
}

const json = { "content-type": "application/json" };
const post = (body: unknown) => ({ method: "POST", headers: json, body: JSON.stringify(body) });
const nested = (depth: number): string => (depth === 0 ? "name" : `affiliation { ${nested(depth - 1)} }`);

const CASES: Case[] = [
  { name: "syntax error", request: () => post({ query: "{ claims { " }), status: 400, code: "GRAPHQL_PARSE_FAILED" },
  {
    name: "too many tokens",
    request: () => post({ query: `{ ${Array.from({ length: 1_200 }, (_, i) => `a${i}: __typename`).join(" ")} }` }),
    status: 400,
    code: "GRAPHQL_PARSE_FAILED",
    message: /more that 2000 tokens/,
  },
  { name: "unknown field, without schema hints", request: () => post({ query: "{ claimz { totalCount } }" }), status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
  {
    name: "depth over the limit",
    request: () => post({ query: `{ sources { nodes { ${nested(10)} } } }` }),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    message: /depth limit of 10/,
  },
  {
    name: "alias flood",
    request: () => post({ query: `{ ${Array.from({ length: 40 }, (_, i) => `c${i}: claims(first: 1) { totalCount }`).join(" ")} }` }),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    message: /Aliases limit of 30/,
  },
  {
    name: "directive flood",
    request: () => post({ query: `{ claims { totalCount ${"@include(if: true) ".repeat(60)} } }` }),
    status: 400,
    code: "GRAPHQL_VALIDATION_FAILED",
    message: /Directives limit of 50/,
  },
  { name: "first: 101 inline", request: () => post({ query: "{ claims(first: 101) { totalCount } }" }), status: 200, code: "BAD_USER_INPUT" },
  {
    name: "first: 101 through a variable",
    request: () => post({ query: "query($n: Int) { claims(first: $n) { totalCount } }", variables: { n: 101 } }),
    status: 200,
    code: "BAD_USER_INPUT",
  },
  {
    name: "cost over the limit through variables",
    request: () =>
      post({
        query: "query($n: Int, $m: Int) { sources(first: $n) { nodes { claims(first: $m) { nodes { events { event { claims(first: $m) { totalCount } } } } } } } }",
        variables: { n: 100, m: 100 },
      }),
    status: 400,
    code: "QUERY_COST_LIMIT_EXCEEDED",
  },
  { name: "batched array", request: () => post([{ query: "{ claims { totalCount } }" }, { query: "{ claims { totalCount } }" }]), status: 400, code: "BAD_REQUEST" },
  {
    name: "text/plain POST (CSRF)",
    request: () => ({ method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "{ claims { totalCount } }" }) }),
    status: 400,
    code: "BAD_REQUEST",
  },
  { name: "GET without a preflight header (CSRF)", request: () => ({ method: "GET", path: "/graphql?query=%7Bclaims%7BtotalCount%7D%7D" }), status: 400, code: "BAD_REQUEST" },
  {
    name: "mutation over GET",
    request: () => ({
      method: "GET",
      path: `/graphql?query=${encodeURIComponent('mutation { claimRetire(input: { claimId: "x" }) { claim { id } } }')}`,
      headers: { "apollo-require-preflight": "true" },
    }),
    status: 405,
  },
  {
    name: "wrong variable type",
    request: () => post({ query: "query($n: Int) { claims(first: $n) { totalCount } }", variables: { n: "twenty" } }),
    status: 400,
    code: "BAD_USER_INPUT",
  },
  { name: "malformed JSON", request: () => ({ method: "POST", headers: json, body: '{"query": "{ claims' }), status: 400, code: "BAD_REQUEST" },
  {
    name: "oversize body",
    request: () => post({ query: "{ claims { totalCount } }", padding: "x".repeat(200_000) }),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
];

describe.each(databaseKinds())("hostile and careless requests on %s (production mode)", (kind) => {
  let server: TestServer;
  let viewer: string;
  beforeAll(async () => {
    server = await startServer(kind, { env: { NODE_ENV: "production" } });
    viewer = await createKey(server, "VIEWER");
  });
  afterAll(() => server?.close());

  test.each(CASES)("$name → HTTP $status $code", async ({ request, status, code, message }) => {
    const { method = "POST", path = "/graphql", headers, body } = request();
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    expect(res.status).toBe(status);
    const text = await res.text();
    if (code) {
      const payload = JSON.parse(text);
      expect(payload.errors[0].extensions.code).toBe(code);
      if (message) expect(payload.errors[0].message).toMatch(message);
    }
    expect(text).not.toMatch(/Did you mean|prisma|stacktrace/i);
  });

  test("a sane query under the limits still works", async () => {
    const { body } = await server.gql(`query($n: Int) { claims(first: $n) { totalCount nodes { source { name } events { event { title } } } } }`, { n: 100 });
    expect(body.errors).toBeUndefined();
  });

  test("mutations without a key / with a viewer key", async () => {
    const q = `mutation { claimRetire(input: { claimId: "x" }) { userErrors { code } } }`;
    expect((await server.gql(q)).body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await server.gql(q, undefined, viewer)).body.errors[0].extensions.code).toBe("FORBIDDEN");
  });

  test("introspection is off in production unless configured", async () => {
    const { body } = await server.gql(`{ __schema { queryType { name } } }`);
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  test("the graphql-http server audits pass (with introspection on, as for a public explorer)", async () => {
    const explorer = await startServer(kind, { seed: false, env: { NODE_ENV: "production", INTROSPECTION: "true" } });
    try {
      const results = await Promise.all(serverAudits({ url: `${explorer.url}/graphql`, fetchFn: fetch }).map((audit) => audit.fn()));
      const errors = results.filter((r) => r.status === "error").map((r) => `${r.id}: ${r.name}: ${"reason" in r ? r.reason : ""}`);
      expect(errors).toEqual([]);
    } finally {
      await explorer.close();
    }
  });
});

describe.each(databaseKinds())("a database failure inside a resolver on %s", (kind) => {
  test("reaches the client masked, with the request id to find it in the log", async () => {
    const server = await startServer(kind, { env: { NODE_ENV: "production" } });
    try {
      await server.db.prisma.$executeRawUnsafe(`ALTER TABLE claim RENAME TO claim_gone`);
      const res = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { ...json, "x-request-id": "trace-me" },
        body: JSON.stringify({ query: "{ claims { totalCount nodes { text } } }" }),
      });
      const text = await res.text();
      const error = JSON.parse(text).errors[0];
      expect(error).toEqual({
        message: "Internal server error. Quote request id trace-me when reporting it.",
        path: ["claims"],
        locations: expect.any(Array),
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "trace-me" },
      });
      expect(text).not.toMatch(/claim_gone|prisma|relation|127\.0\.0\.1|postgres/i);
    } finally {
      await server.close();
    }
  });
});
