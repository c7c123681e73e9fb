import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Kind, parse, print, type DocumentNode } from "graphql";
import { LRUCache } from "lru-cache";

/**
 * The response cache's key for a GraphQL request: a SHA-256 digest of what decides its answer — the
 * operation as parsed and printed again (comments, whitespace and commas gone), the operation name,
 * the variables the document declares as canonical JSON (keys sorted), a persisted-query hash, and
 * the headers Apollo reads. Padding (a comment, an unused `extensions` member or variable) neither
 * makes a new entry nor a bigger key, and a key costs 64 characters whatever the request's size.
 */

/** Headers that change Apollo's answer: content negotiation and CSRF prevention. */
const KEYED_HEADERS = ["content-type", "accept", "apollo-require-preflight", "x-apollo-operation-name"] as const;

const SHA256_HEX = /^[0-9a-f]{64}$/i;

interface Operation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/** The request's GraphQL parameters as Apollo reads them: the JSON body of a POST, the search params of a GET. */
function operationOf(method: string, search: URLSearchParams, body: unknown): Operation | null {
  if (method === "POST") return body && typeof body === "object" && !Array.isArray(body) ? (body as Operation) : null;
  const json = (name: string) => {
    const value = search.get(name);
    return value === null ? undefined : JSON.parse(value);
  };
  return { query: search.get("query") ?? undefined, operationName: search.get("operationName") ?? undefined, variables: json("variables"), extensions: json("extensions") };
}

/** What the key needs of a document: a digest of its printed form and the variables it declares. */
interface DocumentKey {
  printed: string;
  variableNames: string[];
}

function documentKeyOf(document: DocumentNode): DocumentKey {
  const variableNames = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? (d.variableDefinitions ?? []).map((v) => v.variable.name.value) : []));
  return { printed: createHash("sha256").update(print(document)).digest("hex"), variableNames };
}

/**
 * Document keys by a digest of the query text, so a repeated query (every cache hit) is not parsed
 * and printed again. Entries are a few hundred bytes whatever the query's size (padding included),
 * and at most 10,000 are kept.
 */
const documentKeys = new LRUCache<string, DocumentKey>({ max: 10_000 });

function documentKey(query: string, maxTokens: number): DocumentKey {
  const id = createHash("sha256").update(query).digest("hex");
  let key = documentKeys.get(id);
  if (!key) documentKeys.set(id, (key = documentKeyOf(parse(query, { maxTokens, noLocation: true }))));
  return key;
}

/** The variables the document declares (graphql-js ignores the others), in canonical JSON. */
function declaredVariables(names: readonly string[], variables: unknown): string | null {
  if (variables === undefined || variables === null) return "{}";
  if (typeof variables !== "object" || Array.isArray(variables)) return null;
  const declared: Record<string, unknown> = {};
  for (const name of names) if (Object.hasOwn(variables, name)) declared[name] = (variables as Record<string, unknown>)[name];
  return canonicalJson(declared);
}

/** JSON with every object's keys sorted, so key order does not make a new entry. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function persistedQueryHash(extensions: unknown): string {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === "string" && SHA256_HEX.test(hash) ? hash.toLowerCase() : "";
}

/**
 * The digest for an anonymous GraphQL read, or null when the request cannot be cached (it carries
 * `Authorization`, or is not well-formed: Apollo answers it with an error, and errors are not cached).
 * `maxTokens` is the parser's own limit, so keying costs no more than Apollo's parse.
 */
export function responseCacheKey(req: IncomingMessage, search: URLSearchParams, body: unknown, maxTokens: number): string | null {
  const method = req.method ?? "";
  if (req.headers.authorization || (method !== "GET" && method !== "POST")) return null;
  try {
    return digestOf(req, method, search, body, maxTokens);
  } catch {
    // A document over the token limit, malformed JSON parameters, variables nested too deep to print:
    // Apollo answers each with an error, and errors are never cached.
    return null;
  }
}

function digestOf(req: IncomingMessage, method: string, search: URLSearchParams, body: unknown, maxTokens: number): string | null {
  const operation = operationOf(method, search, body);
  if (!operation) return null;
  const { query, operationName } = operation;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return null;
  const hash = persistedQueryHash(operation.extensions);
  let printed = "";
  let variables: string | null;
  if (typeof query === "string") {
    const document = documentKey(query, maxTokens);
    printed = document.printed;
    variables = declaredVariables(document.variableNames, operation.variables);
  } else if (query === undefined && hash) {
    // A persisted query sent by its hash alone: the hash stands for the document.
    variables = operation.variables === undefined || operation.variables === null ? "{}" : canonicalJson(operation.variables);
  } else {
    return null;
  }
  if (variables === null) return null;
  const digest = createHash("sha256");
  // Each part length-prefixed, so no two different requests run together into one byte string.
  for (const part of [method, ...KEYED_HEADERS.map((h) => String(req.headers[h] ?? "")), operationName ?? "", hash, printed, variables]) {
    digest.update(`${part.length}:`).update(part);
  }
  return digest.digest("hex");
}
