// A small fact-checking desk, as a frontend would build it with Apollo Client 4: the browser test
// (test/browser.test.ts) bundles it with esbuild and serves it from an origin other than the API's.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, split } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition, relayStylePagination } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import { KEY_STORAGE, dropRejectedKey, sendKeyWhereNeeded } from "./keyLinks";
import { tap } from "rxjs";

const params = new URLSearchParams(location.search);
const api = params.get("api")!;
const key = params.get("key");
const authorization = key ? `Bearer ${key}` : undefined;
if (key) sessionStorage.setItem(KEY_STORAGE, key);
/** Why the server last refused this desk's key, if it did (the key is then forgotten). */
let keyRejected: string | null = null;

// The frontend guide's links: the key only where needed, dropped when the server warns it is not accepted.
const http = ApolloLink.from([dropRejectedKey((reason) => (keyRejected = reason)), sendKeyWhereNeeded, new HttpLink({ uri: `${api}/graphql` })]);
// Reconnects forever (a deploy, a lost network), with exponential backoff and jitter, capped at 30 s.
const ws = new GraphQLWsLink(
  createClient({
    url: `${api.replace(/^http/, "ws")}/graphql`,
    connectionParams: authorization ? { Authorization: authorization } : {},
    retryAttempts: Infinity,
    // graphql-ws retries only close events by default; a server that is down gives an error event.
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** retries) * (0.5 + Math.random()))),
  }),
);
/**
 * Resumes each subscription where it stopped: its variables are its own object, which graphql-ws
 * sends again on every reconnect, and `after` in it follows the cursor of each event received.
 */
const resume = new ApolloLink((operation, forward) => {
  const variables: Record<string, unknown> = { ...operation.variables };
  operation.variables = variables;
  return forward(operation).pipe(
    tap((result) => {
      const cursor = result.extensions?.cursor;
      if (typeof cursor === "string") variables.after = cursor;
    }),
  );
});

const client = new ApolloClient({
  link: split(({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === "OperationDefinition" && definition.operation === "subscription";
  }, resume.concat(ws), http),
  cache: new InMemoryCache({
    possibleTypes: { Node: ["ApiKey", "Article", "Claim", "Event", "Source", "VerdictChange"] },
    typePolicies: { Query: { fields: { claims: relayStylePagination(["filter", "orderBy"]) } } },
  }),
});

const CLAIMS = gql`
  query DeskClaims($filter: ClaimFilter, $first: Int, $after: String) {
    claims(filter: $filter, first: $first, after: $after) {
      totalCount
      edges { cursor node { id text status source { id name } article { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const ARTICLE = gql`
  query DeskArticle($id: ID!) {
    node(id: $id) { id ... on Article { title body claims { id quote { start end exact } } } }
  }`;

const SET_STATUS = gql`
  mutation DeskSetStatus($input: ClaimSetStatusInput!) {
    claimSetStatus(input: $input) { claim { id status } userErrors { field message code } }
  }`;

const LIVE_CURSOR = gql`
  query DeskLiveCursor { liveCursor }`;

const WATCH = gql`
  subscription DeskWatch($filter: ClaimWatchFilter, $after: String) { claimChanged(filter: $filter, after: $after) { id status } }`;

interface ClaimEdge { node: { id: string; text: string; status: string } }
interface ClaimsData { claims: { totalCount: number; edges: ClaimEdge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }

const list = document.getElementById("claims")!;
/** The status each claim had when this editor first saw it: what a verdict is based on. */
const seen = new Map<string, string>();
let query: ReturnType<typeof client.watchQuery<ClaimsData>> | null = null;
let page: ClaimsData["claims"] | null = null;

function render(data: ClaimsData) {
  page = data.claims;
  list.replaceChildren(
    ...data.claims.edges.map(({ node }) => {
      if (!seen.has(node.id)) seen.set(node.id, node.status);
      const item = document.createElement("li");
      item.dataset.id = node.id;
      item.dataset.status = node.status;
      item.textContent = `${node.status}: ${node.text}`;
      return item;
    }),
  );
}

const desk = {
  /** The key's state: whether one is stored, and why the server refused it if it did. */
  keyState: () => ({ stored: sessionStorage.getItem(KEY_STORAGE) !== null, rejected: keyRejected }),
  /** Lists claims by actor and status, `first` at a time; resolves once the first page shows. */
  list(actor: string, status: string[], first: number) {
    query = client.watchQuery<ClaimsData>({ query: CLAIMS, variables: { filter: { actor, status }, first } });
    return new Promise<{ totalCount: number; ids: string[] }>((resolve, reject) => {
      query!.subscribe({
        next: (result) => {
          if (result.error) return reject(result.error);
          if (!result.data || result.dataState !== "complete") return;
          render(result.data as ClaimsData);
          resolve({ totalCount: page!.totalCount, ids: page!.edges.map((e) => e.node.id) });
        },
        error: reject,
      });
    });
  },
  /** Loads the next page into the same list (relayStylePagination appends the edges). */
  async more() {
    await query!.fetchMore({ variables: { after: page!.pageInfo.endCursor } });
    await new Promise((r) => setTimeout(r));
    return { ids: page!.edges.map((e) => e.node.id), hasNextPage: page!.pageInfo.hasNextPage };
  },
  /** Shows an article's body with every claim's quote highlighted from its offsets. */
  async openArticle(id: string) {
    const { data } = await client.query<any>({ query: ARTICLE, variables: { id } });
    const { body, claims } = data.node as { body: string; claims: { id: string; quote: { start: number; end: number } }[] };
    // Quotes may overlap: cut the body at every quote boundary; each piece lists the claims covering it.
    const cuts = [...new Set([0, body.length, ...claims.flatMap((c) => [c.quote.start, c.quote.end])])].sort((a, b) => a - b);
    const article = document.getElementById("article")!;
    article.replaceChildren();
    for (let i = 0; i < cuts.length - 1; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const covering = claims.filter((c) => c.quote.start <= from && to <= c.quote.end).map((c) => c.id);
      const piece = document.createElement(covering.length ? "mark" : "span");
      if (covering.length) piece.dataset.claims = covering.join(" ");
      piece.textContent = body.slice(from, to);
      article.append(piece);
    }
    return claims.map((c) => c.id);
  },
  /** The text highlighted for each claim of the open article, read back from the page. */
  highlights(claimIds: string[]) {
    const marks = [...document.querySelectorAll<HTMLElement>("#article mark")];
    return claimIds.map((id) => ({ id, text: marks.filter((m) => m.dataset.claims!.split(" ").includes(id)).map((m) => m.textContent).join("") }));
  },
  /** Changes a verdict, based on the status this editor saw. */
  async setStatus(claimId: string, status: string, rationale: string) {
    const { data } = await client.mutate<any>({
      mutation: SET_STATUS,
      variables: { input: { claimId, status, rationale, expectedStatus: seen.get(claimId) } },
    });
    return data.claimSetStatus as { claim: { id: string; status: string } | null; userErrors: { code: string; message: string }[] };
  },
  /**
   * Keeps the list live: changes pushed over WebSocket update the normalized cache, so the list
   * re-renders. Starting from the log's position now, so a change made before the first event (or
   * during a reconnect before it) is not missed either.
   */
  async watch(actor: string) {
    const { data } = await client.query<{ liveCursor: string }>({ query: LIVE_CURSOR, fetchPolicy: "network-only" });
    client.subscribe({ query: WATCH, variables: { filter: { actor }, after: data!.liveCursor } }).subscribe({});
  },
};

(window as unknown as { desk: typeof desk }).desk = desk;
document.body.dataset.ready = "true";
