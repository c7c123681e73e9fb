import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import yaml from "js-yaml";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { FETCH_MAX_BYTES, SeedFetchError, loadSeed } from "../src/importer/loadSeed";
import { createLogger } from "../src/logger";
import { DEFAULT_SEED_DIR } from "../src/paths";
import { spawnCli } from "./support/cli";

/** The project's seed set as the single document a URL serves. */
function bundle(): string {
  const read = (file: string) => yaml.load(readFileSync(path.join(DEFAULT_SEED_DIR, file), "utf8")) as Record<string, any>;
  const article = read("articles/soleimani-strike-push.yaml");
  const bodyText = readFileSync(path.join(DEFAULT_SEED_DIR, "articles", article.body), "utf8");
  delete article.body;
  return JSON.stringify({ ...read("sources.yaml"), ...read("events.yaml"), articles: [{ ...article, bodyText }] });
}

/** Serves the seed bundle and the ways a server can fail; `/flaky` trickles, then cuts off, then answers. */
function seedServer(doc: string) {
  let flaky = 0;
  const trickle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(doc.length) });
    let at = 0;
    const timer = setInterval(() => res.write(doc[at++]), 50);
    req.on("close", () => clearInterval(timer));
  };
  const cutOff = (res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": String(doc.length) });
    res.write(doc.slice(0, 1000), () => res.socket?.destroy());
  };
  return http.createServer((req, res) => {
    if (req.url === "/seed.json") return void res.end(doc);
    if (req.url === "/huge") return void res.end("x".repeat(FETCH_MAX_BYTES + 10));
    if (req.url === "/loop") return void res.writeHead(302, { location: "/loop-back" }).end();
    if (req.url === "/loop-back") return void res.writeHead(302, { location: "/loop" }).end();
    if (req.url === "/to-file") return void res.writeHead(302, { location: "file:///etc/passwd" }).end();
    if (req.url === "/trickle") return trickle(req, res);
    if (req.url === "/cut") return cutOff(res);
    if (req.url === "/flaky") {
      flaky++;
      if (flaky === 1) return trickle(req, res);
      if (flaky === 2) return cutOff(res);
      return void res.end(doc);
    }
    res.writeHead(404).end();
  });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("seed sets from a URL", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = seedServer(bundle());
    base = await listen(server);
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  test("a bundle document loads like the directory, with the same content", async () => {
    const fromUrl = await loadSeed(`${base}/seed.json`);
    const fromDir = await loadSeed(DEFAULT_SEED_DIR);
    expect(fromUrl.origin).toBe(`${base}/seed.json`);
    expect(fromUrl.articles[0].claims).toEqual(fromDir.articles[0].claims);
    expect(fromUrl.articles[0].bodyText).toBe(fromDir.articles[0].bodyText);
  });

  test.each([
    ["/missing", /: HTTP 404$/],
    ["/huge", /: larger than \d+ bytes$/],
    ["/loop", /: redirect loop \(http:\/\/127\.0\.0\.1:\d+\/loop-back → http:\/\/127\.0\.0\.1:\d+\/loop\)$/],
    ["/to-file", /: redirected to file:\/\/\/etc\/passwd: only http and https URLs are fetched$/],
    ["/trickle", /: timed out after 300 ms while reading the body \(\d+ bytes received\)$/],
    ["/cut", /: the connection broke \(.+\) while reading the body \(\d+ bytes received\)$/],
  ])("%s fails with the URL and the real cause", async (route, message) => {
    const error = await loadSeed(`${base}${route}`, route === "/trickle" ? { timeoutMs: 300 } : {}).catch((e) => e);
    expect(error).toBeInstanceOf(SeedFetchError);
    expect(error.problems).toEqual([expect.stringMatching(message)]);
    expect(error.problems[0].startsWith(`${base}${route}: `)).toBe(true);
  });

  test("a closed port is 'connection refused'", async () => {
    const closed = http.createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = await loadSeed(`${url}/seed.json`).catch((e) => e);
    expect(error.message).toBe(`cannot fetch the seed set from ${url}/seed.json: connection refused (ECONNREFUSED)`);
  });
});

describe("scheduled refreshes", () => {
  test("a --cron tick that fails (trickled body, cut-off body) is logged and recorded, and the next tick runs", async () => {
    const server = seedServer(bundle());
    const url = `${await listen(server)}/flaky`;
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cron-"));
    const { child, done, waitFor } = spawnCli("src/importer/cli.ts", ["--from", url, "--cron", "* * * * * *"], {
      PGLITE_DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      SEED_FETCH_TIMEOUT_MS: "2000",
    });
    try {
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      await waitFor(/wrote \d+ row/);
      const failures = output
        .split("\n")
        .filter((line) => line.includes('"seed refresh failed'))
        .map((line) => JSON.parse(line));
      expect(failures).toEqual([
        expect.objectContaining({ level: 50, source: url, code: "SEED_UNAVAILABLE", reason: expect.stringMatching(/timed out after 2000 ms while reading the body/) }),
        expect.objectContaining({ level: 50, source: url, code: "SEED_UNAVAILABLE", reason: expect.stringMatching(/the connection broke \(.+\) while reading the body/) }),
      ]);
      child.kill("SIGTERM");
      expect((await done).code).toBe(0);

      const db = await openDatabase(loadConfig({ PGLITE_DATA_DIR: dataDir, LOG_LEVEL: "silent" }), createLogger("silent"));
      try {
        const runs = await db.prisma.importRun.findMany({ orderBy: { startedAt: "asc" } });
        expect(runs.slice(0, 3).map((r) => [r.source, r.outcome])).toEqual([
          [url, "FAILED"],
          [url, "FAILED"],
          [url, "SUCCEEDED"],
        ]);
        expect(runs[0].error).toMatch(/^SEED_UNAVAILABLE: .*timed out/);
      } finally {
        await db.close();
      }
    } finally {
      child.kill("SIGKILL");
      server.closeAllConnections();
      server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  test("--cron keeps running, refreshes on schedule, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "claimgraph-cron-"));
    const { child, done, waitFor } = spawnCli("src/importer/cli.ts", ["--cron", "*/2 * * * * *"], { PGLITE_DATA_DIR: dataDir, LOG_LEVEL: "info" });
    try {
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      await waitFor(/wrote \d+ row[^]*wrote \d+ row/);
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
  }, 180_000);
});
