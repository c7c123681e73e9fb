import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { buildSchema } from "../src/app/schema";
import { OperationCosts } from "../src/graphql/cost";

/**
 * Review of d664eaf (cost verdicts remembered per operation and variable shape). Its cache says it
 * keeps MAX_VERDICTS_PER_OPERATION (256) verdicts per operation, "a few hundred bytes each", on top
 * of the document store's 30 MiB, which does not count them. A document within every limit (2,000
 * tokens, depth, aliases, duplicates) with ~180 `first: $n` fields makes each verdict's key long: 256
 * values of $n must still cost at most ~1 KB per verdict, else 131 such documents (what the store
 * holds) pin hundreds of MiB that no budget counts.
 */
const BYTES_PER_VERDICT = 1_000;
const VERDICTS = 256;

const tenClaims = Array.from({ length: 10 }, () => "claims(first: $n) { totalCount }").join(" ");
const documentText = (tag: number) =>
  `query Q${tag}($n: Int) { ${[
    ...Array.from({ length: 10 }, () => `sources(first: $n) { nodes { ${tenClaims} } }`),
    ...Array.from({ length: 6 }, () => `events(first: $n) { nodes { ${tenClaims} } }`),
  ].join(" ")} }`;

test("the verdicts remembered for one operation stay within a few hundred bytes each", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const schema = buildSchema();
  const costs = new OperationCosts(20_000);
  const documents: DocumentNode[] = Array.from({ length: 8 }, (_, i) => parse(documentText(i), { maxTokens: 2_000 }));
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
  const perVerdict = (process.memoryUsage().heapUsed - before) / (documents.length * VERDICTS);
  expect(refused).toBe(documents.length * VERDICTS); // every verdict was worked out (and kept)
  expect(documents.length).toBe(8); // the documents, keys of the cache, are still alive here
  expect(Math.round(perVerdict)).toBeLessThanOrEqual(BYTES_PER_VERDICT);
});
