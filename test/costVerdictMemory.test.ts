import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { buildSchema } from "../src/app/schema";
import { OperationCosts } from "../src/graphql/cost";

/**
 * Cost verdicts are remembered per operation and variable shape (src/graphql/cost.ts), outside the
 * document store's budget. A document within every limit (2,000 tokens, depth, aliases, duplicates)
 * with ~180 `first: $n` fields makes each verdict's key long; many such documents × many values of
 * $n must stay within the cache's own bound (4 MiB of keys and entries), however long the keys.
 * Before the bound counted bytes: 13.6 KB per verdict (a rope of small strings and an error object
 * each), hundreds of MiB for the documents the store holds.
 */
const DOCUMENTS = 16;
const VERDICTS = 256;
const MAX_GROWTH_MB = 5;

const tenClaims = Array.from({ length: 10 }, () => "claims(first: $n) { totalCount }").join(" ");
const documentText = (tag: number) =>
  `query Q${tag}($n: Int) { ${[
    ...Array.from({ length: 10 }, () => `sources(first: $n) { nodes { ${tenClaims} } }`),
    ...Array.from({ length: 6 }, () => `events(first: $n) { nodes { ${tenClaims} } }`),
  ].join(" ")} }`;

test("the verdicts remembered for many long operations stay within the cache's bound", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const schema = buildSchema();
  const costs = new OperationCosts(20_000);
  const documents: DocumentNode[] = Array.from({ length: DOCUMENTS }, (_, i) => parse(documentText(i), { maxTokens: 2_000 }));
  gc();
  const before = process.memoryUsage().heapUsed;
  let refused = 0;
  for (const document of documents) {
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    for (let i = 0; i < VERDICTS; i++) {
      try {
        costs.check(schema, document, operation, { n: 1_000_000_000 + i });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        refused++;
      }
    }
  }
  gc();
  const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  expect(refused).toBe(DOCUMENTS * VERDICTS); // every verdict was worked out
  expect(documents.length).toBe(DOCUMENTS); // the documents, keys of the plans, are still alive here
  expect(grownMb).toBeLessThan(MAX_GROWTH_MB);
});
