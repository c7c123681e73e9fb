import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { runImport } from "../src/importer/importer";
import { loadSeed } from "../src/importer/loadSeed";
import { toGlobalId } from "../src/graphql/globalId";
import { createKey, databaseKinds, startServer, type TestServer } from "./support/harness";
import { copySeed } from "./support/seedFiles";

// Offsets computed against an article's body are stored under the lock its correction takes, and a
// correction re-anchors the claims as they are when it writes them. Before: claimCreate/claimUpdate
// read the body without the lock (the old body while a correction ran) and stored its offsets; the
// correction's re-anchoring wrote back offsets of quotes it had read earlier over an editor's change.
// Invariant checked throughout, on the stored rows: every claim's offsets hold its stored words in the
// article's CURRENT body. The deterministic races hold a transaction open from a second connection, so
// they need PostgreSQL; the embedded database runs transactions one at a time, and there the mutations
// sent together check that the locks neither deadlock nor corrupt (on main they seldom interleave there).

const SENTENCES = Array.from({ length: 40 }, (_, i) => `Officer number ${i} told reporters that patrol ${i * 7} had seen nothing unusual at dawn.`);
const MINISTER = "The minister said the plan was sound";
const BODY = `${SENTENCES.join(" ")} ${MINISTER} and would go ahead.`;
/** The correction: a note on top moves every offset, and a word changes in every officer's sentence. */
const CORRECTED = `Editor's note: this story was updated on Tuesday.\n\n${SENTENCES.map((s) => s.replace("nothing", "little")).join(" ")} ${MINISTER} and would go ahead.`;

const ARTICLE_CREATE = `mutation($i: ArticleCreateInput!) { articleCreate(input: $i) { article { id } userErrors { code } } }`;
const ARTICLE_UPDATE = `mutation($i: ArticleUpdateInput!) { articleUpdate(input: $i) { reanchoring { exact fuzzy orphaned } userErrors { code } } }`;
const CLAIM_CREATE = `mutation($i: ClaimCreateInput!) { claimCreate(input: $i) { claim { id } userErrors { code message } } }`;
const CLAIM_UPDATE = `mutation($i: ClaimUpdateInput!) { claimUpdate(input: $i) { claim { id text } userErrors { code message } } }`;

const opening = (i: number) => `Officer number ${i} told reporters that`;
const dbId = (globalId: string) => Buffer.from(globalId, "base64url").toString().split(":")[1]!;
const hash = (body: string) => createHash("sha256").update(body).digest("hex");

describe.each(databaseKinds())("claim writes racing a body correction (%s)", (kind) => {
  let server: TestServer;
  let editor: string;
  let sourceId: string;
  let articles = 0;
  beforeAll(async () => {
    server = await startServer(kind, { env: { RESPONSE_CACHE_MB: "0" } });
    editor = await createKey(server, "EDITOR", "Race desk");
    sourceId = (await server.gql(`{ sources(first: 1) { nodes { id } } }`)).body.data.sources.nodes[0].id;
  });
  afterAll(() => server?.close());

  const gql = async (query: string, i: Record<string, unknown>) => {
    const { body } = await server.gql(query, { i }, editor);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data)[0] as any;
  };
  /** A new article of BODY with a claim on each of the first `claims` officers' sentences, quoting its opening (the correction keeps it). */
  async function article(claims: number) {
    const n = ++articles;
    const { article } = await gql(ARTICLE_CREATE, { url: `https://example.org/race/${n}`, title: `Race ${n}`, publication: "P", authors: ["A"], publishedAt: "2026-01-01T00:00:00Z", body: BODY });
    const ids: string[] = [];
    for (const [i, text] of SENTENCES.slice(0, claims).entries()) {
      ids.push((await gql(CLAIM_CREATE, { articleId: article.id, sourceId, kind: "PARAPHRASE", text, quote: opening(i) })).claim.id);
    }
    return { id: article.id as string, claims: ids };
  }
  /**
   * The article's claims by (global) id, after checking the stored rows: the body is `body`, and every
   * claim's stored words are at its offsets in it (the API's `quote.exact` is read from the body).
   */
  async function checked(articleId: string, body: string) {
    const article = await server.db.prisma.article.findUniqueOrThrow({ where: { id: dbId(articleId) }, include: { claims: true } });
    expect(article.body).toBe(body);
    for (const c of article.claims) {
      expect(c.anchoring).toBe("EXACT");
      expect({ id: c.id, there: body.slice(c.quoteStart, c.quoteEnd) }).toEqual({ id: c.id, there: c.quoteExact });
    }
    return new Map(article.claims.map((c) => [toGlobalId("Claim", c.id), { text: c.text, quote: { start: c.quoteStart, exact: c.quoteExact } }]));
  }

  test("claimCreate, claimUpdate and articleUpdate sent together, many times: every claim holds its quote in the current body", async () => {
    for (let round = 0; round < 8; round++) {
      const { id, claims } = await article(3);
      const [update, created, fixed, moved] = await Promise.all([
        gql(ARTICLE_UPDATE, { articleId: id, body: CORRECTED }),
        gql(CLAIM_CREATE, { articleId: id, sourceId, kind: "PARAPHRASE", text: MINISTER }),
        gql(CLAIM_UPDATE, { claimId: claims[0], text: SENTENCES[30], quote: SENTENCES[30]!.slice(0, 30) }),
        gql(CLAIM_UPDATE, { claimId: claims[1], text: "Number 31 saw nothing", quote: "Officer number 31 told reporters" }),
      ]);
      for (const payload of [update, created, fixed, moved]) expect(payload.userErrors).toEqual([]);
      const stored = await checked(id, CORRECTED);
      expect(stored.get(created.claim.id)!.quote).toMatchObject({ exact: MINISTER, start: CORRECTED.indexOf(MINISTER) });
      // What claimUpdate answered is what is stored: the re-anchoring did not write its old quote back.
      expect(stored.get(claims[0]!)).toMatchObject({ text: SENTENCES[30], quote: { exact: SENTENCES[30]!.slice(0, 30) } });
      expect(stored.get(claims[1]!)).toMatchObject({ text: "Number 31 saw nothing", quote: { exact: "Officer number 31 told reporters" } });
    }
  }, 120_000);

  test("claimCreate during a seed refresh that changes the body: the new claims hold their quotes in the refreshed body", async () => {
    const seed = copySeed();
    try {
      const file = path.join(seed.dir, "articles/soleimani-strike-push.txt");
      const original = readFileSync(file, "utf8");
      writeFileSync(file, `Editor's note: this story was corrected.\n\n${original}`);
      const refreshed = await loadSeed(seed.dir);
      const { id } = (await server.gql(`{ article(slug: "soleimani-strike-push") { id } }`)).body.data.article;
      // Windows of the body that occur once, to quote.
      const windows: string[] = [];
      for (let at = 200; at < original.length - 60 && windows.length < 12; at += 397) {
        const w = original.slice(at, at + 40).trim();
        if (original.indexOf(w) === original.lastIndexOf(w) && !w.includes("\n")) windows.push(w);
      }
      const [result, ...created] = await Promise.all([
        runImport(server.db.prisma, refreshed, { dryRun: false }),
        ...windows.map((text) => gql(CLAIM_CREATE, { articleId: id, sourceId, kind: "PARAPHRASE", text })),
      ]);
      expect(result.byEntity.article.updated).toBe(1);
      for (const c of created) expect(c.userErrors).toEqual([]);
      const stored = await checked(id, refreshed.articles.find((a) => a.slug === "soleimani-strike-push")!.bodyText);
      for (const [i, c] of created.entries()) expect(stored.get(c.claim.id)!.quote.exact).toBe(windows[i]);
    } finally {
      seed.remove();
    }
  }, 120_000);

  // A correction held open at a chosen point from a second connection: PGlite has one connection.
  const pgOnly = kind === "postgres" ? test : test.skip;

  /** A second connection's transaction, and a way to wait until a request queues behind its locks. */
  async function heldOpen() {
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    await client.query("BEGIN");
    return {
      query: (sql: string, params: unknown[]) => client.query(sql, params),
      /** Until a request's statement waits for this transaction, or `request` has answered (it did not wait): bounded by count, not time. */
      async waiter(request: Promise<unknown>) {
        let answered = false;
        void request.then(() => (answered = true), () => (answered = true));
        for (let i = 0; i < 6_000 && !answered; i++) {
          // Blocked by this transaction (pg_stat_activity's query text may still be the statement before).
          const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`);
          if (rows[0].n > 0) return true;
          await new Promise((r) => setTimeout(r, 5));
        }
        return false;
      },
      async commit() {
        await client.query("COMMIT");
        await client.end();
      },
    };
  }
  /** What a correction has done when claims are read: the article row locked and its body replaced. */
  async function correcting(articleId: string, body = CORRECTED) {
    const tx = await heldOpen();
    await tx.query(`SELECT id FROM article WHERE id = $1 FOR UPDATE`, [dbId(articleId)]);
    await tx.query(`UPDATE article SET body = $2, content_hash = $3 WHERE id = $1`, [dbId(articleId), body, hash(body)]);
    return tx;
  }

  pgOnly("claimCreate while a correction holds the article waits for it, then quotes the corrected body", async () => {
    const { id } = await article(0);
    const correction = await correcting(id);
    const create = gql(CLAIM_CREATE, { articleId: id, sourceId, kind: "PARAPHRASE", text: MINISTER });
    expect(await correction.waiter(create)).toBe(true);
    await correction.commit();
    const { claim } = await create;
    // Before: offsets from the old body, 11 characters short of the words.
    expect((await checked(id, CORRECTED)).get(claim.id)!.quote).toMatchObject({ exact: MINISTER, start: CORRECTED.indexOf(MINISTER) });
  });

  pgOnly("claimUpdate while a correction holds the article and its claims quotes the corrected body", async () => {
    const { id, claims } = await article(1);
    const correction = await correcting(id);
    // The correction's re-anchoring of that claim: its quote at its new place.
    const moved = CORRECTED.indexOf(opening(0));
    await correction.query(`UPDATE claim SET quote_start = $2, quote_end = $3 WHERE id = $1`, [dbId(claims[0]!), moved, moved + opening(0).length]);
    const fix = gql(CLAIM_UPDATE, { claimId: claims[0], text: MINISTER, quote: MINISTER });
    expect(await correction.waiter(fix)).toBe(true);
    await correction.commit();
    expect((await fix).userErrors).toEqual([]);
    // Before: the new quote at the old body's offsets.
    expect((await checked(id, CORRECTED)).get(claims[0]!)).toMatchObject({ text: MINISTER, quote: { exact: MINISTER, start: CORRECTED.indexOf(MINISTER) } });
  });

  pgOnly("a correction re-anchors a claim changed while it ran as it is now, not as it was first read", async () => {
    const { id, claims } = await article(1);
    // A write to the claim's quote in flight (no article lock: re-anchoring must not rely on writers taking it).
    const editing = await heldOpen();
    const before = BODY.indexOf(MINISTER);
    await editing.query(`UPDATE claim SET quote_exact = $2, quote_start = $3, quote_end = $4, quote_prefix = '', quote_suffix = '' WHERE id = $1`, [
      dbId(claims[0]!),
      MINISTER,
      before,
      before + MINISTER.length,
    ]);
    const correction = gql(ARTICLE_UPDATE, { articleId: id, body: CORRECTED });
    expect(await editing.waiter(correction)).toBe(true);
    await editing.commit();
    expect((await correction).userErrors).toEqual([]);
    // Before: the offsets of the officer's sentence it had read, under the minister's words.
    expect((await checked(id, CORRECTED)).get(claims[0]!)!.quote).toMatchObject({ exact: MINISTER, start: CORRECTED.indexOf(MINISTER) });
  });

  pgOnly("claimProposalAccept while a correction holds the article: the proposal found in the old body is gone, no claim at its old offsets", async () => {
    const said = "“The bridge will reopen in May,” said Lena Okafor, the city's transport director.";
    const { article } = await gql(ARTICLE_CREATE, { url: "https://example.org/race/accept", title: "Race accept", publication: "P", authors: ["A"], publishedAt: "2026-01-01T00:00:00Z", body: said });
    const [proposal] = (await server.gql(`query($id: ID!) { article(id: $id) { claimProposals { id } } }`, { id: article.id }, editor)).body.data.article.claimProposals;
    const corrected = `Editor's note: a date was corrected.\n\n${said}`;
    const correction = await correcting(article.id, corrected);
    const accept = gql(`mutation($i: ClaimProposalAcceptInput!) { claimProposalAccept(input: $i) { claim { id } userErrors { code } } }`, { proposalId: proposal.id });
    expect(await correction.waiter(accept)).toBe(true);
    await correction.commit();
    // Before: a claim at the old body's offsets (its words now 38 characters on).
    expect(await accept).toEqual({ claim: null, userErrors: [{ code: "NOT_FOUND" }] });
    expect((await checked(article.id, corrected)).size).toBe(0);
  });

  pgOnly("a correction committed while a seed refresh runs: the refresh's claims commit with the body they were placed in", async () => {
    const seed = copySeed();
    try {
      const slug = "soleimani-strike-push";
      await runImport(server.db.prisma, await loadSeed(seed.dir), { dryRun: false });
      const { id } = (await server.gql(`query($slug: String!) { article(slug: $slug) { id } }`, { slug })).body.data.article;
      // The refresh drops one event mention of the article: a delete this transaction holds up, after the article was read.
      seed.edit("articles/soleimani-strike-push.yaml", (doc) => void doc.events.shift());
      const refreshed = await loadSeed(seed.dir);
      const mention = await heldOpen();
      await mention.query(`SELECT 1 FROM article_event ae JOIN event e ON e.id = ae.event_id WHERE ae.article_id = $1 AND e.slug = 'us-invasion-of-iraq' FOR UPDATE`, [dbId(id)]);
      const refresh = runImport(server.db.prisma, refreshed, { dryRun: false });
      expect(await mention.waiter(refresh)).toBe(true);
      const seedBody = refreshed.articles.find((a) => a.slug === slug)!.bodyText;
      expect((await gql(ARTICLE_UPDATE, { articleId: id, body: `Editor's note: corrected.\n\n${seedBody}` })).userErrors).toEqual([]);
      await mention.commit();
      await refresh;
      // Before: the seed's claims at the seed body's offsets, in the editor's body (every quote 27 characters off).
      const now = (await server.db.prisma.article.findUniqueOrThrow({ where: { id: dbId(id) } })).body;
      await checked(id, now);
      // The seed's body is written back, as the next refresh would (README: seed refresh).
      expect(now).toBe(seedBody);
    } finally {
      seed.remove();
    }
  });
});
