/**
 * The offline explorer: GraphiQL with its explorer plugin, bundled by esbuild (src/http/explorerBundle.ts)
 * and served by claimgraph itself, so it needs no network beyond the API. It opens with what the page
 * passes in #explorer-config (the desk's ready-made operations and an empty Authorization header).
 */
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";

interface ExplorerConfig {
  document: string;
  headers: Record<string, string>;
}

const config = JSON.parse(document.getElementById("explorer-config")!.textContent!) as ExplorerConfig;
const endpoint = new URL("/graphql", location.href);
const socket = new URL(endpoint);
socket.protocol = location.protocol === "https:" ? "wss:" : "ws:";

/** Headers left empty in the editor are not sent: an empty Authorization means "no key", not a malformed one. */
const withoutEmptyHeaders: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  for (const [name, value] of [...headers]) if (value.trim() === "") headers.delete(name);
  return fetch(input, { ...init, headers });
};

const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: socket.href, fetch: withoutEmptyHeaders });
const plugins = [explorerPlugin()];

createRoot(document.getElementById("explorer")!).render(
  createElement(GraphiQL, {
    fetcher,
    plugins,
    defaultQuery: config.document,
    defaultHeaders: JSON.stringify(config.headers, null, 2),
    defaultEditorToolsVisibility: "headers",
  }),
);
