/** claimgraph's core query as the benchmarks ask it: claims by actor and status, newest first, 20 per page. */
export const CORE_PAGE = `query($s: ID!, $st: [VerificationStatus!], $after: String) { claims(filter: { sourceId: $s, status: $st }, first: 20, after: $after) { edges { node { text saidAt source { name } article { title } } } pageInfo { hasNextPage endCursor } } }`;
