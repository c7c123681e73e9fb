import pg from "pg";
import { applyMigrations } from "../src/db/migrations";

/** One of these words is in every claim's text (each in 5% of claims): the search workload's common terms. */
export const TOPICS = [
  "missile", "drone", "sanction", "embassy", "militia", "airstrike", "pipeline", "tanker", "convoy", "refinery",
  "ceasefire", "blockade", "warship", "uranium", "border", "election", "protest", "hostage", "cyberattack", "satellite",
];

export interface DataShape {
  claims: number;
  actors: number;
  articles: number;
  events: number;
}

/**
 * Creates (or re-creates) a PostgreSQL database with claimgraph's schema and synthetic data of a
 * realistic shape: each claim's text names a topic and carries six md5 words (each
 * in at most six claims: rare search terms); actors' claim counts follow a steep power law (median ~350, the busiest ~2% of
 * all claims at 1M), 70% of claims UNVERIFIED, the rest spread over the verdicts with a history row
 * each. Rows are generated inside PostgreSQL with set-based INSERT … SELECT, so 1M claims take
 * about a minute rather than hours of client round trips.
 */
export async function generateDatabase(adminUrl: string, name: string, shape: DataShape, log: (msg: string) => void): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    await client.query(sql, params);
    log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  await applyMigrations({
    exec: async (sql) => void (await client.query(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
  });
  await step(
    `${shape.actors} actors`,
    `INSERT INTO source (id, slug, name, kind, role, created_at, updated_at)
     SELECT gen_random_uuid(), 'actor-' || i, 'Actor ' || i, CASE WHEN i % 10 = 0 THEN 'GOVERNMENT_AGENCY' ELSE 'PERSON' END::"SourceKind",
            'Spokesperson ' || i, now(), now()
     FROM generate_series(0, $1 - 1) i`,
    [shape.actors],
  );
  // Every actor is found by its name and by an alias ("Bureau 7"), as the actor filter matches both.
  await step(
    "aliases",
    `INSERT INTO source_alias (id, source_id, alias, normalized)
     SELECT gen_random_uuid(), id, name, lower(name) FROM source
     UNION ALL SELECT gen_random_uuid(), id, 'Bureau ' || substr(slug, 7), 'bureau ' || substr(slug, 7) FROM source`,
  );
  await step(
    `${shape.articles} articles`,
    `INSERT INTO article (id, url, slug, title, publication, authors, tags, published_at, body, content_hash, created_at, updated_at)
     SELECT gen_random_uuid(), 'https://bench.example.org/a/' || i, 'article-' || i, 'Article ' || i || ' on regional security',
            'Bench Times', ARRAY['Reporter ' || (i % 50)], ARRAY['bench'], timestamp '2015-01-01' + i * interval '90 minutes',
            repeat('Body text. ', 60), md5(i::text), now(), now()
     FROM generate_series(0, $1 - 1) i`,
    [shape.articles],
  );
  await step(
    `${shape.events} events`,
    `INSERT INTO event (id, slug, title, description, kind, occurred_at, occurred_precision, reference_urls, created_at, updated_at)
     SELECT gen_random_uuid(), 'event-' || i, 'Event ' || i, 'Synthetic event.', 'OTHER', timestamp '2015-01-01' + i * interval '7 days',
            'DAY', ARRAY[]::text[], now(), now()
     FROM generate_series(0, $1 - 1) i`,
    [shape.events],
  );
  await client.query(`CREATE TEMP TABLE actor_n AS SELECT row_number() OVER (ORDER BY slug) - 1 AS n, id FROM source`);
  await client.query(`CREATE TEMP TABLE article_n AS SELECT row_number() OVER (ORDER BY slug) - 1 AS n, id FROM article`);
  await client.query(`CREATE INDEX ON actor_n (n); CREATE INDEX ON article_n (n)`);
  // Indexes are built once after the bulk insert (much faster than maintaining them row by row, the
  // GIN index over the search vector above all), from their own definitions.
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.tablename = 'claim' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
  );
  for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  await step(
    `${shape.claims} claims`,
    `INSERT INTO claim (id, key, origin, article_id, source_id, text, kind, channel, said_at, said_at_precision,
                        quote_start, quote_end, quote_exact, status, status_origin, attribution, attribution_origin, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench/' || x.g, 'SEED', an.id, sn.id,
            'Claim ' || x.g || ' about ' || ($4::text[])[1 + x.g % 20] || ': ' || md5(x.g::text) || ' ' || md5((x.g + 1)::text) || ' ' || md5((x.g + 2)::text) || ' '
              || md5((x.g + 3)::text) || ' ' || md5((x.g + 4)::text) || ' ' || md5((x.g + 5)::text),
            (ARRAY['DIRECT_QUOTE', 'PARAPHRASE', 'ALLEGATION', 'PARTIAL_QUOTE'])[1 + x.g % 4]::"ClaimKind", 'STATEMENT',
            date_trunc('milliseconds', timestamp '2015-01-01' + x.r2 * interval '3650 days'), 'DAY', 0, 10, 'Body text.',
            CASE WHEN x.r < 0.7 THEN 'UNVERIFIED'
                 ELSE (ARRAY['IN_REVIEW', 'TRUE', 'MOSTLY_TRUE', 'MIXED', 'MOSTLY_FALSE', 'FALSE', 'MISLEADING', 'UNSUBSTANTIATED', 'NOT_CHECKABLE'])[1 + floor((x.r - 0.7) / 0.3 * 9)::int]
            END::"VerificationStatus",
            CASE WHEN x.r < 0.7 THEN 'SEED' ELSE 'EDITOR' END::"ReviewOrigin", 'UNCHECKED', 'SEED', now(), now()
     FROM (SELECT g, floor($2 * power(random(), 2))::int AS actor, floor($3 * random())::int AS article, random() AS r, random() AS r2
           FROM generate_series(1, $1) g) x
     JOIN actor_n sn ON sn.n = x.actor
     JOIN article_n an ON an.n = x.article`,
    [shape.claims, shape.actors, shape.articles, TOPICS],
  );
  await step(`${indexes.length} claim indexes`, indexes.map((i) => `${i.indexdef};`).join("\n"));
  await step(
    "verdict history",
    `INSERT INTO verdict_change (id, claim_id, aspect, from_status, to_status, rationale, evidence_urls, changed_by, created_at)
     SELECT gen_random_uuid(), id, 'VERIFICATION', 'UNVERIFIED', status, 'Checked against the record.', ARRAY['https://example.org/e'], 'bench desk', now()
     FROM claim WHERE status <> 'UNVERIFIED'`,
  );
  await step(
    "claim-event links",
    `INSERT INTO claim_event (claim_id, event_id, link_type)
     SELECT c.id, e.id, 'ABOUT' FROM claim c JOIN (SELECT row_number() OVER (ORDER BY slug) - 1 AS n, id FROM event) e
       ON e.n = abs(hashtext(c.id::text)) % $1
     WHERE abs(hashtext(c.id::text)) % 3 = 0`,
    [shape.events],
  );
  await step("VACUUM ANALYZE", "VACUUM ANALYZE");
  await client.end();
  return url.href;
}
