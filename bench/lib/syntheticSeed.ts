import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";

export interface SyntheticSeedOptions {
  articles: number;
  claimsPerArticle: number;
  sources: number;
  /** Changes every claim's wording, so an import of it has something to write. */
  variant?: string;
  /** How many claims each article has, when they differ (the refresh bench's one big article). */
  claimsOf?: (article: number) => number;
  /**
   * The wording of only some claims changes with `variant`: those for which this says so (a 10%
   * change of one article). A changed claim moves every later quote of its article.
   */
  changes?: (article: number, claim: number) => boolean;
  /**
   * Prefixes every slug (sources, events, articles) and article URL, so the set can be imported into
   * a database that already holds rows named like its own (the refresh bench inside a 1M-claim one).
   */
  prefix?: string;
}

const KINDS = ["DIRECT_QUOTE", "PARAPHRASE", "ALLEGATION"] as const;

/**
 * Writes a seed set in the project's format with made-up but well-formed content: each article body
 * is one numbered quote per claim, so every quote is found exactly once.
 */
export function writeSyntheticSeed(dir: string, options: SyntheticSeedOptions): { claims: number } {
  const { articles, claimsPerArticle, sources, variant = "", claimsOf = () => claimsPerArticle, changes = () => true, prefix = "" } = options;
  let total = 0;
  mkdirSync(path.join(dir, "articles"), { recursive: true });
  writeFileSync(
    path.join(dir, "sources.yaml"),
    yaml.dump({
      sources: Array.from({ length: sources }, (_, i) => ({
        slug: `${prefix}actor-${i}`,
        name: `Actor ${i}`,
        kind: i % 5 === 0 ? "GOVERNMENT_AGENCY" : "PERSON",
        aliases: [`A${i}`],
        ...(i % 5 !== 0 ? { affiliation: `${prefix}actor-${i - (i % 5)}` } : {}),
      })),
    }),
  );
  writeFileSync(
    path.join(dir, "events.yaml"),
    yaml.dump({
      events: Array.from({ length: 10 }, (_, i) => ({
        slug: `${prefix}event-${i}`,
        title: `Event ${i}`,
        description: `Synthetic event ${i}.`,
        kind: "OTHER",
        occurredAt: `2019-${String((i % 12) + 1).padStart(2, "0")}-15`,
        precision: "DAY",
      })),
    }),
  );
  for (let a = 0; a < articles; a++) {
    total += claimsOf(a);
    const claims = Array.from({ length: claimsOf(a) }, (_, c) => ({
      key: `claim-${c}`,
      source: `${prefix}actor-${(a * 7 + c * 13) % sources}`,
      kind: KINDS[c % KINDS.length],
      channel: "STATEMENT",
      text: `Statement ${a}.${c}${changes(a, c) ? variant : ""}: district ${c % 97}, ${(a * 31 + c) % 1000} units.`,
      saidAt: `2020-01-${String((c % 28) + 1).padStart(2, "0")}`,
      saidAtPrecision: "DAY",
      events: [{ event: `${prefix}event-${c % 10}`, link: "ABOUT" }],
    }));
    // Quotes only, one per line: a 20,000-claim article stays under the seed's body cap (MAX_SEED_BODY_CHARS).
    const body = claims.map((c) => `“${c.text}”`).join("\n");
    writeFileSync(path.join(dir, "articles", `article-${a}.txt`), body);
    writeFileSync(
      path.join(dir, "articles", `article-${a}.yaml`),
      yaml.dump({
        url: `https://news.example.org/${prefix}article-${a}`,
        slug: `${prefix}article-${a}`,
        title: `Synthetic article ${a}`,
        publication: "Example News",
        authors: ["A. Reporter"],
        publishedAt: "2020-02-01",
        body: `article-${a}.txt`,
        events: [{ event: `${prefix}event-0` }],
        claims,
      }),
    );
  }
  return { claims: total };
}
