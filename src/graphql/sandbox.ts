/**
 * What the explorers open with (the offline GraphiQL explorer, src/http/explorer.ts, and the Apollo
 * Sandbox at ?sandbox=apollo): the desk's main operations, ready to run, and an Authorization header
 * to fill in. Left empty, the header sends no key (reads are public).
 */
export const SANDBOX_DOCUMENT = `# Claims by actor and status, newest first: press Run, then pass endCursor as $after for the next page.
# Mutations need an editor key: set the Authorization header below to "Bearer cgk_…"
# (npm run keys -- create --role editor, or apiKeyCreate with the BOOTSTRAP_ADMIN_KEY).
query ClaimsByActor($actor: String = "Pentagon", $after: String) {
  claims(filter: { actor: $actor, status: [UNVERIFIED, IN_REVIEW] }, first: 10, after: $after) {
    totalCount
    edges { cursor node { id text status saidAt source { id name } article { id title } } }
    pageInfo { hasNextPage endCursor }
  }
}

# Sets a verdict; with $expectedStatus (the status you saw) a change made meanwhile is a CONFLICT.
mutation SetStatus($claimId: ID!, $status: VerificationStatus!, $rationale: String, $expectedStatus: VerificationStatus) {
  claimSetStatus(input: { claimId: $claimId, status: $status, rationale: $rationale, expectedStatus: $expectedStatus }) {
    claim { id status history { toStatus rationale changedBy createdAt } }
    userErrors { field message code }
  }
}

# Live: every change to the actor's claims, over WebSocket on the same endpoint.
subscription ClaimChanged($actor: String = "Pentagon") {
  claimChanged(filter: { actor: $actor }) { id status attribution source { id name } }
}
`;

export const SANDBOX_HEADERS = { Authorization: "" };
