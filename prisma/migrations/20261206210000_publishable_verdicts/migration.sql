-- A verdict's public explanation (what ClaimReview's ratingExplanation shows), kept apart from the
-- editor's internal rationale, which is never published.
ALTER TABLE "verdict_change" ADD COLUMN "public_explanation" TEXT;

-- The ClaimReview DataFeed pages through the claims with a published verdict by (updated_at, id):
-- a partial index holds only those, so a page is an index range scan however many claims are still
-- unverified. Not expressible in prisma/schema.prisma (see the comment on Claim.updatedAt).
CREATE INDEX "claim_published_updated_at_id_idx" ON "claim"("updated_at", "id")
  WHERE "status" NOT IN ('UNVERIFIED', 'IN_REVIEW') AND "retired_at" IS NULL;
