import { buildSchema, parse, type OperationDefinitionNode } from "graphql";
import { operationCachePolicy } from "../src/graphql/cachePolicy";
import { buildSchema as buildClaimgraphSchema } from "../src/app/schema";

// The hint rules on a small schema of their own, including those claimgraph's schema does not use yet.
const schema = buildSchema(`
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    book: Book
    author: Author
    me: User @cacheControl(scope: PRIVATE)
    count: Int
    pinned: Book @cacheControl(maxAge: 5)
    node: Node
  }
  interface Node { id: ID }
  type Secret implements Node @cacheControl(maxAge: 0, scope: PRIVATE) { id: ID note: String }
  type Book implements Node @cacheControl(maxAge: 300) { id: ID title: String author: Author review: Review }
  type Author @cacheControl(maxAge: 120) { name: String }
  type Review @cacheControl(inheritMaxAge: true) { stars: Int }
  type User { name: String }
`);

function policy(query: string) {
  const document = parse(query);
  return operationCachePolicy(schema, document, document.definitions[0] as OperationDefinitionNode, 60);
}

test.each([
  ["a hinted type", "{ book { title } }", { maxAge: 300, scope: "PUBLIC" }],
  ["the smallest hint wins", "{ book { title author { name } } }", { maxAge: 120, scope: "PUBLIC" }],
  ["a field hint beats its type's", "{ pinned { title } }", { maxAge: 5, scope: "PUBLIC" }],
  ["a scalar root field takes the default", "{ count }", { maxAge: 60, scope: "PUBLIC" }],
  ["an unhinted object takes the default, PRIVATE spreads", "{ book { title } me { name } }", { maxAge: 60, scope: "PRIVATE" }],
  ["inheritMaxAge keeps the parent's", "{ book { review { stars } } }", { maxAge: 300, scope: "PUBLIC" }],
  ["fragments count", "{ ...Q } fragment Q on Query { book { author { ...A } } } fragment A on Author { name }", { maxAge: 120, scope: "PUBLIC" }],
  ["a field that may be skipped still counts", "query($s: Boolean!) { book { title author @skip(if: $s) { name } } }", { maxAge: 120, scope: "PUBLIC" }],
  ["subscriptions are not cacheable", "subscription { book { title } }", { maxAge: 0, scope: "PUBLIC" }],
  ["an inline fragment's type counts", "{ node { id ... on Book { title } } }", { maxAge: 60, scope: "PUBLIC" }],
  ["a private type reached through an inline fragment", "{ node { id ... on Secret { note } } }", { maxAge: 0, scope: "PRIVATE" }],
  ["a private type reached through a named fragment", "{ node { ...S } } fragment S on Secret { note }", { maxAge: 0, scope: "PRIVATE" }],
  ["an abstract type condition counts every possible type", "{ book { ... on Node { id } } }", { maxAge: 0, scope: "PRIVATE" }],
])("%s", (_, query, expected) => {
  expect(policy(query)).toEqual(expected);
});

test("claimgraph's ApiKey reached through node(id:) is private and never stored", () => {
  const real = buildClaimgraphSchema();
  const document = parse(`{ node(id: "x") { id ... on ApiKey { name role } } }`);
  expect(operationCachePolicy(real, document, document.definitions[0] as OperationDefinitionNode, 60)).toEqual({ maxAge: 0, scope: "PRIVATE" });
});
