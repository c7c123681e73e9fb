import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import yaml from "js-yaml";
import { FETCH_MAX_BYTES, SeedValidationError, loadSeed } from "../src/importer/loadSeed";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { spawnCli } from "./support/cli";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

/** The project's seed set as the single document a URL serves. */
function bundle(): string {
  const read = (file: string) => yaml.load(readFileSync(path.join(DEFAULT_SEED_DIR, file), "utf8")) as Record<string, any>;
  const article = read("articles/soleimani-strike-push.yaml");
  const bodyText = readFileSync(path.join(DEFAULT_SEED_DIR, "articles", article.body), "utf8");
  delete article.body;
  return JSON.stringify({ ...read("sources.yaml"), ...read("events.yaml"), articles: [{ ...article, bodyText }] });
}

describe("seed sets from a URL", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const doc = bundle();
    server = http.createServer((req, res) => {
      if (req.url === "/seed.json") return void res.end(doc);
      if (req.url === "/huge") return void res.end("x".repeat(FETCH_MAX_BYTES + 10));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test("a bundle document loads like the directory, with the same content", async () => {
    const fromUrl = await loadSeed(`${base}/seed.json`);
    const fromDir = await loadSeed(DEFAULT_SEED_DIR);
    expect(fromUrl.origin).toBe(`${base}/seed.json`);
    expect(fromUrl.articles[0].claims).toEqual(fromDir.articles[0].claims);
    expect(fromUrl.articles[0].bodyText).toBe(fromDir.articles[0].bodyText);
  });

  test.each([
    ["/missing", /HTTP 404/],
    ["/huge", /larger than/],
  ])("%s fails with a clear message", async (route, message) => {
    const error = await loadSeed(`${base}${route}`).catch((e) => e);
    expect(error).toBeInstanceOf(SeedValidationError);
    expect(error.problems[0]).toMatch(message);
  });
});

describe("scheduled refreshes", () => {
  test("--cron keeps running, refreshes on schedule, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cron-"));
    const { child, done } = spawnCli("src/importer/cli.ts", ["--cron", "*/2 * * * * *"], { PGLITE_DATA_DIR: dataDir, LOG_LEVEL: "info" });
    try {
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      for (const deadline = Date.now() + 40_000; (output.match(/wrote \d+ row/g) ?? []).length < 2 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toMatch(/refreshing from .* on schedule "\*\/2 \* \* \* \* \*"/);
      const runs = output.match(/wrote (\d+) row/g) ?? [];
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.at(-1)).toBe("wrote 0 row");
      child.kill("SIGTERM");
      expect((await done).code).toBe(0);
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
