import type { ApolloServerOptions } from "@apollo/server";
import type { DocumentNode } from "graphql";
import { LRUCache } from "lru-cache";

type DocumentStore = NonNullable<ApolloServerOptions<never>["documentStore"]>;

/** Apollo's own default budget for parsed and validated documents. */
const DOCUMENT_STORE_BYTES = 30 * 2 ** 20;

/**
 * What a stored document holds: its AST (about twice its JSON) and, through every node's location,
 * the whole source text it was parsed from, comments and padding included (two bytes per character,
 * V8's widest strings). Apollo's default store counts only the JSON, whose locations print as two
 * numbers, so a padded document was charged ~300 bytes while keeping 100 KB alive.
 */
export function documentBytes(document: DocumentNode): number {
  return 2 * JSON.stringify(document).length + 2 * (document.loc?.source.body.length ?? 0);
}

/** Apollo's cache of parsed and validated documents, keyed by the query's hash, bounded in bytes. */
export function boundedDocumentStore(maxBytes = DOCUMENT_STORE_BYTES): DocumentStore {
  const documents = new LRUCache<string, DocumentNode>({ maxSize: maxBytes, sizeCalculation: documentBytes });
  return {
    async get(key) {
      return documents.get(key);
    },
    async set(key, value) {
      documents.set(key, value);
    },
    async delete(key) {
      return documents.delete(key);
    },
  };
}
