import type { SeedSet } from "../src/importer/seedSchema";
import { extractProposals, type RawProposal } from "../src/proposal/extract";

/**
 * Precision and recall of the extractor against curated claims. A proposal counts when its span
 * overlaps a curated quote by at least half of the curated quote and its speaker resolves to the
 * curated source; each curated claim is matched once. `strict` also requires the overlap to be at
 * least half of the proposal (no credit for a span much longer than the quote).
 */
export interface ArticleScore {
  slug: string;
  curated: number;
  proposed: number;
  matched: number;
  matchedStrict: number;
  missed: { key: string; quote: string }[];
  wrong: RawProposal[];
}

export function evaluateSeed(seed: SeedSet): ArticleScore[] {
  const catalogue = seed.sources.map((s) => ({ id: s.slug, name: s.name, kind: s.kind, aliases: s.aliases }));
  return seed.articles.map((article) => {
    const proposals = extractProposals(article.bodyText, catalogue);
    const curated = article.claims.map((c) => ({ key: c.key, source: c.source, ...c.span }));
    const open = new Set(curated);
    const matchedProposals = new Set<RawProposal>();
    let matchedStrict = 0;
    for (const proposal of [...proposals].sort((a, b) => b.confidence - a.confidence)) {
      const overlap = (c: { start: number; end: number }) => Math.min(c.end, proposal.end) - Math.max(c.start, proposal.start);
      const hit = [...open]
        .filter((c) => c.source === proposal.speaker.sourceId && overlap(c) >= 0.5 * (c.end - c.start))
        .sort((a, b) => overlap(b) - overlap(a))[0];
      if (!hit) continue;
      open.delete(hit);
      matchedProposals.add(proposal);
      if (overlap(hit) >= 0.5 * (proposal.end - proposal.start)) matchedStrict++;
    }
    return {
      slug: article.slug,
      curated: curated.length,
      proposed: proposals.length,
      matched: matchedProposals.size,
      matchedStrict,
      missed: [...open].map((c) => ({ key: c.key, quote: article.bodyText.slice(c.start, c.end) })),
      wrong: proposals.filter((p) => !matchedProposals.has(p)),
    };
  });
}
