import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";
import { describeError } from "../describeError";
import type { z } from "zod";
import { locateQuotes } from "../claim/quote";
import { MAX_SEED_BODY_CHARS, articleBody } from "../validation/fields";
import {
  articleSchema,
  bundleSchema,
  eventsFileSchema,
  sourcesFileSchema,
  type SeedArticle,
  type SeedClaim,
  type SeedEvent,
  type SeedSet,
  type SeedSource,
} from "./seedSchema";

export const FETCH_TIMEOUT_MS = 15_000;
export const FETCH_MAX_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 10;

/** A seed set that could not be loaded; nothing is imported. */
export class SeedLoadError extends Error {
  constructor(
    readonly code: "SEED_INVALID" | "SEED_UNAVAILABLE",
    /** Each as "file: path: reason" (or "url: reason"). */
    readonly problems: string[],
    message: string,
  ) {
    super(message);
  }
}

/** Every problem found in a seed set, each as "file: path: reason". */
export class SeedValidationError extends SeedLoadError {
  constructor(problems: string[]) {
    super("SEED_INVALID", problems, `the seed set has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
  }
}

/** A seed URL that did not deliver a document: the URL and the real cause. */
export class SeedFetchError extends SeedLoadError {
  constructor(url: string, reason: string) {
    super("SEED_UNAVAILABLE", [`${url}: ${reason}`], `cannot fetch the seed set from ${url}: ${reason}`);
  }
}

type Problems = string[];
/** An article as parsed, before the cross-file checks locate its quotes. */
type ParsedArticle = z.infer<typeof articleSchema> & { bodyText: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });
const seedBody = articleBody(MAX_SEED_BODY_CHARS);

/**
 * Bytes to text, refusing what would be stored wrong: invalid UTF-8 (a lenient decoder would write
 * U+FFFD into names and bodies and shift every quote offset) and NUL, which PostgreSQL text cannot hold.
 */
function decodeText(bytes: Uint8Array, file: string, problems: Problems): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const lenient = new TextDecoder("utf-8").decode(bytes);
    problems.push(`${file}: line ${lineOf(lenient, lenient.indexOf("\uFFFD"))}: not valid UTF-8 (save the file as UTF-8)`);
    return null;
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    problems.push(`${file}: line ${lineOf(text, nul)}: contains a NUL byte`);
    return null;
  }
  return text;
}

const lineOf = (text: string, index: number) => text.slice(0, Math.max(0, index)).split("\n").length;

function parseDocument<S extends z.ZodType>(schema: S, raw: string, file: string, problems: Problems): z.infer<S> | null {
  let doc: unknown;
  try {
    // YAML is a superset of JSON, so this reads both. The core schema leaves dates as the strings
    // written: YAML 1.1 timestamps would turn `0099-06-15` into 1999 before any check could see it.
    doc = yaml.load(raw, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    problems.push(`${file}: not valid YAML/JSON: ${(err as Error).message.split("\n")[0]}`);
    return null;
  }
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`${file}: ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  }
  return null;
}

/** Loads a seed set from a directory (sources.yaml, events.yaml, articles/*.yaml) or an http(s) URL. */
export async function loadSeed(from: string, options: { timeoutMs?: number } = {}): Promise<SeedSet> {
  return /^https?:\/\//.test(from) ? loadFromUrl(from, options.timeoutMs ?? FETCH_TIMEOUT_MS) : loadFromDirectory(path.resolve(from));
}

async function loadFromDirectory(dir: string): Promise<SeedSet> {
  const problems: Problems = [];
  const hash = createHash("sha256");
  const read = async (file: string): Promise<string | null> => {
    try {
      const bytes = await readFile(path.join(dir, file));
      hash.update(file).update("\0").update(bytes).update("\0");
      return decodeText(bytes, file, problems);
    } catch (err) {
      problems.push(`${file}: cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return null;
    }
  };
  const sourcesRaw = await read("sources.yaml");
  const eventsRaw = await read("events.yaml");
  const sources = sourcesRaw === null ? null : parseDocument(sourcesFileSchema, sourcesRaw, "sources.yaml", problems);
  const events = eventsRaw === null ? null : parseDocument(eventsFileSchema, eventsRaw, "events.yaml", problems);

  let articleFiles: string[] = [];
  try {
    articleFiles = (await readdir(path.join(dir, "articles"))).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  } catch {
    problems.push("articles/: directory missing");
  }
  if (articleFiles.length === 0 && !problems.some((p) => p.startsWith("articles/"))) {
    problems.push("articles/: no article files (*.yaml)");
  }
  const articles: { article: ParsedArticle; file: string }[] = [];
  for (const name of articleFiles) {
    const file = `articles/${name}`;
    const raw = await read(file);
    const article = raw === null ? null : parseDocument(articleSchema, raw, file, problems);
    if (!article) continue;
    const bodyText = article.bodyText ?? (await read(`articles/${article.body}`));
    if (bodyText !== null) articles.push({ article: { ...article, bodyText }, file });
  }
  return finish(dir, hash.digest("hex"), sources?.sources, events?.events, articles, problems);
}

async function loadFromUrl(url: string, timeoutMs: number): Promise<SeedSet> {
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetchFollowingRedirects(url, signal, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > FETCH_MAX_BYTES) throw new SeedFetchError(url, `larger than ${FETCH_MAX_BYTES} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof SeedFetchError) throw err;
    const why = signal.aborted ? `timed out after ${timeoutMs} ms` : `the connection broke (${networkCause(err)})`;
    throw new SeedFetchError(url, `${why} while reading the body (${size} bytes received)`);
  }
  const bytes = Buffer.concat(chunks);
  const problems: Problems = [];
  const raw = decodeText(bytes, url, problems);
  const bundle = raw === null ? null : parseDocument(bundleSchema, raw, url, problems);
  const articles = (bundle?.articles ?? []).map((article, i) => ({
    article: { ...article, bodyText: article.bodyText ?? "" },
    file: `${url}#articles.${i}`,
  }));
  for (const { article, file } of articles) {
    if (!article.bodyText) problems.push(`${file}: body: a bundle must inline bodyText`);
  }
  return finish(url, createHash("sha256").update(bytes).digest("hex"), bundle?.sources, bundle?.events, articles, problems);
}

/**
 * fetch() with redirects followed here rather than by undici, whose errors all read "fetch failed":
 * each hop is checked, so a loop or a jump to another scheme (file:, ftp:) is named as such.
 */
async function fetchFollowingRedirects(url: string, signal: AbortSignal, timeoutMs: number): Promise<Response> {
  let current = url;
  const visited = new Set<string>();
  for (let hop = 0; ; hop++) {
    visited.add(current);
    const response = await fetch(current, { signal, redirect: "manual" }).catch((err: unknown) => {
      throw new SeedFetchError(url, signal.aborted ? `no answer within ${timeoutMs} ms` : `${networkCause(err)}${current === url ? "" : ` (at ${current})`}`);
    });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || location === null) {
      if (!response.ok) throw new SeedFetchError(url, `HTTP ${response.status}${current === url ? "" : ` from ${current}`}`);
      return response;
    }
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new SeedFetchError(url, `redirected to ${next.href}: only http and https URLs are fetched`);
    }
    if (visited.has(next.href)) throw new SeedFetchError(url, `redirect loop (${current} → ${next.href})`);
    if (hop >= MAX_REDIRECTS) throw new SeedFetchError(url, `more than ${MAX_REDIRECTS} redirects`);
    current = next.href;
  }
}

/** The real reason behind undici's "fetch failed" / "terminated": its cause's code and message. */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const names: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host name lookup failed",
    UND_ERR_SOCKET: "the server closed the connection",
    UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
    UND_ERR_BODY_TIMEOUT: "the body stopped arriving",
  };
  if (cause?.code && names[cause.code]) return `${names[cause.code]} (${cause.code})`;
  if (cause?.message) return cause.code ? `${cause.message} (${cause.code})` : cause.message;
  return describeError(err);
}

/** Cross-file checks: unique keys, known references, quotes found verbatim and exactly once. */
function finish(
  origin: string,
  checksum: string,
  sources: SeedSource[] | undefined,
  events: SeedEvent[] | undefined,
  articles: { article: ParsedArticle; file: string }[],
  problems: Problems,
): SeedSet {
  const sourceSlugs = duplicates(sources ?? [], (s) => s.slug, (s, i) => `sources.yaml: sources.${i}.slug: duplicate slug "${s}"`, problems);
  const eventSlugs = duplicates(events ?? [], (e) => e.slug, (s, i) => `events.yaml: events.${i}.slug: duplicate slug "${s}"`, problems);
  const knownSource = (slug: string) => !sources || sourceSlugs.has(slug);
  const knownEvent = (slug: string) => !events || eventSlugs.has(slug);

  (sources ?? []).forEach((s, i) => {
    if (s.affiliation && !knownSource(s.affiliation)) problems.push(`sources.yaml: sources.${i}.affiliation: unknown source "${s.affiliation}"`);
  });
  affiliationCycles(sources ?? [], problems);
  (events ?? []).forEach((e, i) =>
    e.participants.forEach((p, j) => {
      if (!knownSource(p.source)) problems.push(`events.yaml: events.${i}.participants.${j}.source: unknown source "${p.source}"`);
    }),
  );
  duplicates(articles, (a) => a.article.slug, (s) => `articles: duplicate article slug "${s}"`, problems);
  duplicates(articles, (a) => a.article.url, (s) => `articles: duplicate article url "${s}"`, problems);

  for (const entry of articles) {
    const body = seedBody.safeParse(entry.article.bodyText);
    if (body.success) entry.article.bodyText = body.data;
    else problems.push(`${entry.file}: body: ${body.error.issues[0].message}`);
  }
  for (const { article, file } of articles) {
    article.events.forEach((m, i) => {
      if (!knownEvent(m.event)) problems.push(`${file}: events.${i}.event: unknown event "${m.event}"`);
    });
    duplicates(article.claims, (c) => c.key, (k, i) => `${file}: claims.${i}.key: duplicate key "${k}"`, problems);
    const spans = locateQuotes(article.bodyText, article.claims.map((c) => c.quote ?? c.text));
    article.claims.forEach((claim, i) => {
      const at = `${file}: claims.${i} (${claim.key})`;
      if (!knownSource(claim.source)) problems.push(`${at}.source: unknown source "${claim.source}"`);
      claim.events.forEach((link, j) => {
        if (!knownEvent(link.event)) problems.push(`${at}.events.${j}.event: unknown event "${link.event}"`);
      });
      const exact = claim.quote ?? claim.text;
      const found = spans[i];
      if ("error" in found) {
        problems.push(
          found.error === "NOT_FOUND"
            ? `${at}.${claim.quote ? "quote" : "text"}: not found verbatim in the article body`
            : `${at}.${claim.quote ? "quote" : "text"}: occurs ${found.count} times in the article body; quote more context`,
        );
      } else {
        (claim as SeedClaim).span = { start: found.start, end: found.end };
        // A direct quote's text is the quoted words; a partial quote's text may instead be the sentence
        // that carries its quoted fragment.
        const inside = exact.includes(claim.text);
        if (claim.kind === "DIRECT_QUOTE" && !inside) {
          problems.push(`${at}.text: a quote's text must be the article's exact words (it is not inside the quoted span)`);
        } else if (claim.kind === "PARTIAL_QUOTE" && !inside && !claim.text.includes(exact)) {
          problems.push(`${at}.text: a quote's text must be the article's exact words or contain them (neither is inside the other)`);
        }
      }
    });
  }
  if (problems.length) throw new SeedValidationError(problems);
  // No problems: every claim's quote was found and its span recorded.
  return { origin, checksum, sources: sources!, events: events!, articles: articles.map((a) => a.article as SeedArticle) };
}

/**
 * Affiliations must form a tree: a cycle (of any length) has no parent to store first and no
 * organisation at its top. The seed sets every listed source's affiliation and may only name
 * listed sources, so checking the seed's own graph covers the sources already stored as well.
 */
function affiliationCycles(sources: SeedSource[], problems: Problems) {
  const index = new Map(sources.map((s, i) => [s.slug, i]));
  const state = new Map<string, "visiting" | "done">();
  for (const start of sources) {
    const trail: string[] = [];
    let slug: string | undefined = start.slug;
    while (slug !== undefined && index.has(slug) && !state.has(slug)) {
      state.set(slug, "visiting");
      trail.push(slug);
      slug = sources[index.get(slug)!].affiliation;
    }
    if (slug !== undefined && state.get(slug) === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(slug)), slug];
      problems.push(
        cycle.length === 2
          ? `sources.yaml: sources.${index.get(slug)}.affiliation: a source cannot be affiliated with itself`
          : `sources.yaml: sources.${index.get(slug)}.affiliation: affiliation cycle ${cycle.join(" → ")}`,
      );
    }
    trail.forEach((s) => state.set(s, "done"));
  }
}

function duplicates<T>(items: T[], keyOf: (t: T) => string, message: (key: string, index: number) => string, problems: Problems): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) problems.push(message(key, i));
    seen.add(key);
  });
  return seen;
}
