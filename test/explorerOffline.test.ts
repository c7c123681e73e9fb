import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { SANDBOX_DOCUMENT } from "../src/graphql/sandbox";
import { buildExplorer } from "../src/http/explorerBundle";
import { startServer, type TestServer } from "./support/harness";

// Debian's chromium package (.ci/run installs it); no browser is downloaded.
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
const QUERY = `{ claims(first: 2) { totalCount nodes { id text } } }`;

// Bundling the explorer, booting the API and starting Chromium take a while on a busy machine.
jest.setTimeout(120_000);

let server: TestServer;
beforeAll(async () => {
  server = await startServer("pglite");
});
afterAll(() => server?.close());

// Outside CI a machine without Debian's chromium skips the browser part (with a warning); CI installs it, so there it must run.
const missing = !existsSync(CHROMIUM) && !process.env.CI;
if (missing) console.warn(`test/explorerOffline.test.ts: browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe("the explorer's routes", () => {
  test("a browser gets the explorer page, ?sandbox=apollo the Apollo Sandbox, GraphQL clients GraphQL", async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect(html).toContain(`<script src="/explorer/app.js" defer></script>`);
    expect(html).toContain(`href="/graphql?sandbox=apollo"`);
    // Everything the page loads is a path on this server.
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).every((u) => u.startsWith("/"))).toBe(true);
    const sandbox = await (await fetch(`${server.url}/graphql?sandbox=apollo`, { headers: { accept: "text/html" } })).text();
    expect(sandbox).toMatch(/embeddable-sandbox|EmbeddedSandbox/);
    const api = await fetch(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, { headers: { accept: "application/json", "apollo-require-preflight": "true" } });
    expect(await api.json()).toEqual({ data: { __typename: "Query" } });
  });

  test("without SANDBOX there is no explorer", async () => {
    const off = await startServer("pglite", { seed: false, env: { SANDBOX: "false" } });
    try {
      expect((await fetch(`${off.url}/explorer/app.js`)).status).toBe(404);
      expect(await (await fetch(`${off.url}/graphql`, { headers: { accept: "text/html" } })).text()).not.toContain("/explorer/app.js");
    } finally {
      await off.close();
    }
  });
});

(missing ? describe.skip : describe)("the explorer offline (headless Chromium, every other host blocked)", () => {
  let browser: Browser;
  beforeAll(async () => {
    await buildExplorer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("loads from the server alone, opens with the desk's operations and an empty Authorization header, and runs a query", async () => {
    const context = await browser.newContext();
    const own = new URL(server.url).host;
    const blocked: string[] = [];
    // As in a room without internet: any request to another host fails.
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.host === own) return route.continue();
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    await page.goto(`${server.url}/graphql`);
    await page.waitForSelector(".graphiql-query-editor .CodeMirror");

    const editorText = (selector: string) => page.evaluate((s) => (globalThis as any).document.querySelector(s).CodeMirror.getValue() as string, selector);
    expect(await editorText(".graphiql-query-editor .CodeMirror")).toBe(SANDBOX_DOCUMENT);
    const headers = page.locator(".graphiql-editor-tool .CodeMirror").last();
    await headers.waitFor();
    expect(JSON.parse(await headers.evaluate((el: any) => el.CodeMirror.getValue()))).toEqual({ Authorization: "" });
    // The explorer plugin is in the sidebar.
    expect(await page.locator(".graphiql-sidebar button[aria-label*='Explorer']").count()).toBeGreaterThan(0);

    await page.evaluate((q) => (globalThis as any).document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(q), QUERY);
    // The document had three operations (the button was a menu of them); once GraphiQL has parsed the
    // new one, the button runs it.
    await page.waitForSelector(".graphiql-execute-button:not([aria-haspopup])");
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => ((globalThis as any).document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror.getValue() ?? "").includes("totalCount"));
    const shown = JSON.parse(await editorText(".graphiql-response .CodeMirror"));
    const expected = (await server.gql(QUERY)).body;
    expect(shown).toEqual(expected);
    // The empty Authorization header was not sent (it would have drawn a malformed-key warning).
    expect(shown.extensions).toBeUndefined();

    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
