// The key links of the README's frontend guide, verbatim: the browser desk (desk.ts) uses them.
import { ApolloLink } from "@apollo/client";
import { OperationTypeNode } from "graphql";
import { tap } from "rxjs";

/** Where the frontend keeps the editor's key (reads need none). */
export const KEY_STORAGE = "claimgraph-key";

/**
 * Sends the key on mutations only (and on a query that asks for it with `context: { withKey: true }`,
 * such as `apiKeys`): reads stay anonymous, so editors share the server's response cache.
 */
export const sendKeyWhereNeeded = new ApolloLink((operation, forward) => {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key && (operation.operationType === OperationTypeNode.MUTATION || operation.getContext().withKey)) {
    operation.setContext(({ headers }) => ({ headers: { ...headers, authorization: `Bearer ${key}` } }));
  }
  return forward(operation);
});

/**
 * A key the server did not accept (malformed, unknown or revoked) comes back as
 * `extensions.warnings: [{ code: "INVALID_CREDENTIALS", reason }]`: forget it and ask for a new one.
 */
export const dropRejectedKey = (onRejected: (reason: string) => void) =>
  new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap((result) => {
        const warnings = (result.extensions?.warnings ?? []) as { code: string; reason: string }[];
        const rejected = warnings.find((w) => w.code === "INVALID_CREDENTIALS");
        if (!rejected) return;
        sessionStorage.removeItem(KEY_STORAGE);
        onRejected(rejected.reason);
      }),
    ),
  );
