import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";
import type { z } from "zod";
import { locateQuote } from "../claim/quote";
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

/** Every problem found in a seed set, each as "file: path: reason". Nothing is imported. */
export class SeedValidationError extends Error {
  readonly code = "SEED_INVALID";
  constructor(readonly problems: string[]) {
    super(`the seed set has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
  }
}

type Problems = string[];
/** An article as parsed, before the cross-file checks locate its quotes. */
type ParsedArticle = z.infer<typeof articleSchema> & { bodyText: string };

function parseDocument<S extends z.ZodType>(schema: S, raw: string, file: string, problems: Problems): z.infer<S> | null {
  let doc: unknown;
  try {
    doc = yaml.load(raw); // YAML is a superset of JSON, so this reads both
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
export async function loadSeed(from: string): Promise<SeedSet> {
  return /^https?:\/\//.test(from) ? loadFromUrl(from) : loadFromDirectory(path.resolve(from));
}

async function loadFromDirectory(dir: string): Promise<SeedSet> {
  const problems: Problems = [];
  const hash = createHash("sha256");
  const read = async (file: string): Promise<string | null> => {
    try {
      const content = await readFile(path.join(dir, file), "utf8");
      hash.update(file).update("\0").update(content).update("\0");
      return content;
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

async function loadFromUrl(url: string): Promise<SeedSet> {
  const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: "follow" }).catch(
    (err: Error) => {
      throw new SeedValidationError([`${url}: fetch failed: ${err.name === "TimeoutError" ? `no answer within ${FETCH_TIMEOUT_MS} ms` : err.message}`]);
    },
  );
  if (!response.ok) throw new SeedValidationError([`${url}: HTTP ${response.status}`]);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > FETCH_MAX_BYTES) throw new SeedValidationError([`${url}: larger than ${FETCH_MAX_BYTES} bytes`]);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  const problems: Problems = [];
  const bundle = parseDocument(bundleSchema, raw, url, problems);
  const articles = (bundle?.articles ?? []).map((article, i) => ({
    article: { ...article, bodyText: article.bodyText ?? "" },
    file: `${url}#articles.${i}`,
  }));
  for (const { article, file } of articles) {
    if (!article.bodyText) problems.push(`${file}: body: a bundle must inline bodyText`);
  }
  return finish(url, createHash("sha256").update(raw).digest("hex"), bundle?.sources, bundle?.events, articles, problems);
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
    if (s.affiliation === s.slug) problems.push(`sources.yaml: sources.${i}.affiliation: a source cannot be affiliated with itself`);
  });
  (events ?? []).forEach((e, i) =>
    e.participants.forEach((p, j) => {
      if (!knownSource(p.source)) problems.push(`events.yaml: events.${i}.participants.${j}.source: unknown source "${p.source}"`);
    }),
  );
  duplicates(articles, (a) => a.article.slug, (s) => `articles: duplicate article slug "${s}"`, problems);
  duplicates(articles, (a) => a.article.url, (s) => `articles: duplicate article url "${s}"`, problems);

  for (const { article, file } of articles) {
    article.events.forEach((m, i) => {
      if (!knownEvent(m.event)) problems.push(`${file}: events.${i}.event: unknown event "${m.event}"`);
    });
    duplicates(article.claims, (c) => c.key, (k, i) => `${file}: claims.${i}.key: duplicate key "${k}"`, problems);
    article.claims.forEach((claim, i) => {
      const at = `${file}: claims.${i} (${claim.key})`;
      if (!knownSource(claim.source)) problems.push(`${at}.source: unknown source "${claim.source}"`);
      claim.events.forEach((link, j) => {
        if (!knownEvent(link.event)) problems.push(`${at}.events.${j}.event: unknown event "${link.event}"`);
      });
      const exact = claim.quote ?? claim.text;
      const found = locateQuote(article.bodyText, exact);
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

function duplicates<T>(items: T[], keyOf: (t: T) => string, message: (key: string, index: number) => string, problems: Problems): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) problems.push(message(key, i));
    seen.add(key);
  });
  return seen;
}
