import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { createApp } from "../src/http/app";
import { attachLive } from "../src/http/live";
import { createLogger } from "../src/logger";
import { createKey, startServer, type TestServer } from "./support/harness";

// Debian's chromium package (.ci/run installs it); no browser is downloaded.
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
const ACTOR = "Pentagon";
const OPEN = ["UNVERIFIED", "IN_REVIEW"];

/** Serves the desk page and its bundle (Apollo Client, graphql-ws) from an origin of its own. */
async function servePage(): Promise<{ origin: string; close: () => Promise<void> }> {
  const bundle = await build({
    entryPoints: [path.join(__dirname, "browser", "desk.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "warning",
  });
  const html = `<!doctype html><meta charset="utf-8"><title>desk</title><ul id="claims"></ul><article id="article"></article><script src="/desk.js"></script>`;
  const server = http.createServer((req, res) => {
    const js = req.url === "/desk.js";
    res.writeHead(200, { "content-type": js ? "text/javascript" : "text/html; charset=utf-8" }).end(js ? bundle.outputFiles[0].text : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

// Booting the API, bundling the page and starting Chromium take a while on a busy machine.
jest.setTimeout(120_000);

// Outside CI a machine without Debian's chromium skips this file (with a warning); CI installs it, so there it must run.
const missing = !existsSync(CHROMIUM) && !process.env.CI;
if (missing) console.warn(`test/browserDesk.test.ts skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

(missing ? describe.skip : describe)("the desk in a real browser (Apollo Client 4, headless Chromium, another origin)", () => {
  let server: TestServer;
  let page: { origin: string; close: () => Promise<void> };
  let browser: Browser;
  let editor: string;

  beforeAll(async () => {
    page = await servePage();
    // The API allows exactly the page's origin, as a deployment would list its frontend.
    server = await startServer("pglite", { env: { CORS_ORIGINS: page.origin } });
    editor = await createKey(server, "EDITOR", "Browser desk");
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
    await page?.close();
    await server?.close();
  });

  /** A desk in a browser context of its own (no shared cache, storage or socket). */
  async function openDesk(api = server.url, key = editor): Promise<Page> {
    const context = await browser.newContext();
    const desk = await context.newPage();
    await desk.goto(`${page.origin}/?api=${encodeURIComponent(api)}&key=${key}`);
    await desk.waitForSelector("body[data-ready]", { state: "attached" });
    return desk;
  }

  test("lists and pages, highlights quotes, changes a verdict seen live by another desk, and gets CONFLICT for a stale edit", async () => {
    const expected = (await server.gql(`query($f: ClaimFilter) { claims(filter: $f, first: 100) { totalCount nodes { id article { id } } } }`, { f: { actor: ACTOR, status: OPEN } })).body.data.claims;
    expect(expected.totalCount).toBeGreaterThan(2);
    const a = await openDesk();

    // Lists by actor and status, two at a time, and pages to the end: the same claims as the API, in order.
    const first = await a.evaluate(([actor, status]) => (globalThis as any).desk.list(actor, status, 2), [ACTOR, OPEN] as const);
    expect(first).toEqual({ totalCount: expected.totalCount, ids: expected.nodes.slice(0, 2).map((n: any) => n.id) });
    let more = { ids: first.ids, hasNextPage: true };
    while (more.hasNextPage) more = await a.evaluate(() => (globalThis as any).desk.more());
    expect(more.ids).toEqual(expected.nodes.map((n: any) => n.id));
    expect(await a.locator("#claims li").count()).toBe(expected.totalCount);

    // Opens the article and highlights every quote from its offsets: the highlighted text is the quote.
    const articleId = expected.nodes[0].article.id;
    const highlighted = await a.evaluate(async (id) => (globalThis as any).desk.highlights(await (globalThis as any).desk.openArticle(id)), articleId);
    const quotes = (await server.gql(`query($id: ID!) { node(id: $id) { ... on Article { claims { id quote { exact } } } } }`, { id: articleId })).body.data.node.claims;
    expect(highlighted.length).toBe(quotes.length);
    expect(highlighted).toEqual(quotes.map((c: any) => ({ id: c.id, text: c.quote.exact })));

    // A second, independent desk shows the same list and listens for changes.
    const b = await openDesk();
    await b.evaluate(([actor, status]) => (globalThis as any).desk.list(actor, status, 100), [ACTOR, OPEN] as const);
    await b.evaluate((actor) => (globalThis as any).desk.watch(actor), ACTOR);
    while (server.live.watchers < 1) await new Promise((r) => setTimeout(r, 20));

    // Desk A changes a verdict with its editor key; desk B shows it without reloading, within a second.
    const [changed, stale] = expected.nodes.map((n: any) => n.id);
    const result = await a.evaluate(([id]) => (globalThis as any).desk.setStatus(id, "FALSE", "No such attack was documented."), [changed]);
    expect(result).toMatchObject({ claim: { id: changed, status: "FALSE" }, userErrors: [] });
    await b.waitForSelector(`#claims li[data-id="${changed}"][data-status="FALSE"]`, { timeout: 1_000 });

    // Both desks saw the second claim open; A rates it first, so B's edit is stale: CONFLICT, nothing changed.
    await a.evaluate(([id]) => (globalThis as any).desk.setStatus(id, "MISLEADING", "Context left out."), [stale]);
    const conflict = await b.evaluate(([id]) => (globalThis as any).desk.setStatus(id, "TRUE", "Confirmed."), [stale]);
    expect(conflict.userErrors.map((e: any) => e.code)).toEqual(["CONFLICT"]);
    expect(conflict.claim).toMatchObject({ id: stale, status: "MISLEADING" });
    const stored = (await server.gql(`query($id: ID!) { claim(id: $id) { status } }`, { id: stale })).body.data.claim;
    expect(stored.status).toBe("MISLEADING");
  });

  test("the guide's key links: reads go without the key; a revoked key fails the mutation and is dropped", async () => {
    const revoked = await createKey(server, "EDITOR", "Revoked desk");
    await server.db.prisma.apiKey.updateMany({ where: { name: "Revoked desk" }, data: { revokedAt: new Date() } });
    const desk = await openDesk(server.url, revoked);
    // The read is anonymous (the key is not sent), so it is answered without a warning and the key stays.
    expect((await desk.evaluate(([actor, status]) => (globalThis as any).desk.list(actor, status, 2), [ACTOR, OPEN] as const)).totalCount).toBeGreaterThan(0);
    expect(await desk.evaluate(() => (globalThis as any).desk.keyState())).toEqual({ stored: true, rejected: null });
    const claimId = (await desk.evaluate(([actor, status]) => (globalThis as any).desk.list(actor, status, 1), [ACTOR, OPEN] as const)).ids[0];
    const failure = await desk.evaluate(([id]) => (globalThis as any).desk.setStatus(id, "FALSE", "x").then(() => null, (e: any) => e.errors?.[0]?.extensions ?? String(e)), [claimId]);
    expect(failure).toMatchObject({ code: "UNAUTHENTICATED", reason: "REVOKED" });
    expect(await desk.evaluate(() => (globalThis as any).desk.keyState())).toEqual({ stored: false, rejected: "REVOKED" });
    await desk.context().close();
  });

  test("the API restarts while a verdict is made: the desk reconnects by itself and the verdict arrives", async () => {
    // A second API server on the same database and a port of its own, stopped and started again on
    // that port as a deploy would; the verdict goes through the first server while it is down.
    const log = createLogger("silent");
    const boot = async (port: number) => {
      const { server: http, apollo } = await createApp(server.config, server.db, log);
      const live = await attachLive(http, server.db, server.config, log);
      await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
      const stop = async () => {
        await live.close();
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await apollo.stop();
      };
      return { port: (http.address() as AddressInfo).port, live, stop };
    };
    let api = await boot(0);
    const claims = (await server.gql(`query($f: ClaimFilter) { claims(filter: $f, first: 100) { nodes { id } } }`, { f: { actor: ACTOR, status: OPEN } })).body.data.claims.nodes;
    const target = claims[claims.length - 1].id as string;
    const desk = await openDesk(`http://127.0.0.1:${api.port}`);
    await desk.evaluate(([actor, status]) => (globalThis as any).desk.list(actor, status, 100), [ACTOR, OPEN] as const);
    await desk.evaluate((actor) => (globalThis as any).desk.watch(actor), ACTOR);
    while (api.live.watchers < 1) await new Promise((r) => setTimeout(r, 20));

    await api.stop();
    const verdict = await server.gql(
      `mutation($i: ClaimSetStatusInput!) { claimSetStatus(input: $i) { claim { status } } }`,
      { i: { claimId: target, status: "MISLEADING", rationale: "Made while the desk's server restarted." } },
      editor,
    );
    expect(verdict.body.data.claimSetStatus.claim.status).toBe("MISLEADING");
    // Down long enough for the desk's reconnect to fail at least once (connection refused).
    await new Promise((r) => setTimeout(r, 1_500));
    api = await boot(api.port);
    try {
      await desk.waitForSelector(`#claims li[data-id="${target}"][data-status="MISLEADING"]`, { timeout: 30_000 });
    } finally {
      await api.stop();
    }
  });
});
