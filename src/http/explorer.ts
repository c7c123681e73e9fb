import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger";
import { SANDBOX_DOCUMENT, SANDBOX_HEADERS } from "../graphql/sandbox";
import { EXPLORER_DIR, buildExplorer } from "./explorerBundle";

interface Asset {
  type: string;
  body: Buffer;
  etag: string;
}

const ASSETS: Record<string, string> = { "/explorer/app.js": "text/javascript; charset=utf-8", "/explorer/app.css": "text/css; charset=utf-8" };

/** JSON that can sit inside a <script> element: `<` never closes it. */
const inScript = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

/**
 * The explorer at GET /graphql in a browser (when SANDBOX is on): GraphiQL with its explorer plugin,
 * every asset served from here, so it works without internet. `/graphql?sandbox=apollo` still opens
 * the Apollo Sandbox, which loads from Apollo's CDN. A missing bundle is built once on first use where
 * esbuild is installed (development); elsewhere the page says how to build it.
 */
export class Explorer {
  private assets: Promise<Map<string, Asset>> | null = null;

  constructor(
    private readonly log: Logger,
    private readonly dir = EXPLORER_DIR,
  ) {}

  /** A browser asking for /graphql (an HTML page), unless it asked for the Apollo Sandbox. */
  wantsPage(req: IncomingMessage, url: URL): boolean {
    return req.method === "GET" && (req.headers.accept ?? "").includes("text/html") && url.searchParams.get("sandbox") !== "apollo";
  }

  private load(): Promise<Map<string, Asset>> {
    this.assets ??= this.read().catch(async () => {
      this.log.info({ dir: this.dir }, "explorer bundle missing: building it");
      await buildExplorer(this.dir);
      return this.read();
    });
    return this.assets;
  }

  private async read(): Promise<Map<string, Asset>> {
    const assets = new Map<string, Asset>();
    for (const [route, type] of Object.entries(ASSETS)) {
      const body = await readFile(path.join(this.dir, path.basename(route)));
      assets.set(route, { type, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"` });
    }
    return assets;
  }

  async page(res: ServerResponse): Promise<void> {
    const ready = await this.load().then(
      () => null,
      (err: unknown) => {
        this.log.warn({ err }, "the explorer bundle could not be built");
        return "its bundle is not built: run `npm run build` (needs the development dependencies)";
      },
    );
    const html = ready === null ? explorerPage() : unavailablePage(ready);
    res.writeHead(ready === null ? 200 : 503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(html);
  }

  /** GET /explorer/app.js and /explorer/app.css; true when `route` is one of them. */
  async asset(req: IncomingMessage, res: ServerResponse, route: string): Promise<boolean> {
    if (!(route in ASSETS)) return false;
    const asset = (await this.load().catch(() => null))?.get(route);
    if (!asset) {
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("explorer bundle not built: run `npm run build`");
      return true;
    }
    const headers = { "content-type": asset.type, etag: asset.etag, "cache-control": "no-cache" };
    if (req.headers["if-none-match"] === asset.etag) res.writeHead(304, headers).end();
    else res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : asset.body);
    return true;
  }
}

const SANDBOX_LINK = `<a href="/graphql?sandbox=apollo">Apollo Sandbox</a> (loads from Apollo's servers: needs internet)`;

function explorerPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimgraph explorer</title>
<link rel="stylesheet" href="/explorer/app.css">
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { padding: 4px 12px; font-size: 13px; border-bottom: 1px solid #ddd; }
  #explorer { flex: 1; min-height: 0; }
</style>
</head>
<body>
<header>claimgraph explorer (GraphiQL, served by this server; works offline). Also: ${SANDBOX_LINK}.</header>
<div id="explorer"></div>
<script type="application/json" id="explorer-config">${inScript({ document: SANDBOX_DOCUMENT, headers: SANDBOX_HEADERS })}</script>
<script src="/explorer/app.js" defer></script>
</body>
</html>
`;
}

function unavailablePage(reason: string): string {
  return `<!doctype html><meta charset="utf-8"><title>claimgraph explorer</title>
<p>The offline explorer is not available: ${reason}.</p><p>Meanwhile: ${SANDBOX_LINK}.</p>`;
}
