-- Article intake: claims keep a text-quote selector and an anchoring state, re-anchorings are
-- recorded in the verdict history, and dismissed claim proposals are remembered.

-- AlterEnum
ALTER TYPE "VerdictAspect" ADD VALUE 'ANCHORING';

-- CreateEnum
CREATE TYPE "AnchoringState" AS ENUM ('EXACT', 'FUZZY', 'ORPHANED');

-- AlterTable
ALTER TABLE "claim" ADD COLUMN     "anchor_score" DOUBLE PRECISION,
ADD COLUMN     "anchoring" "AnchoringState" NOT NULL DEFAULT 'EXACT',
ADD COLUMN     "quote_prefix" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "quote_suffix" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "verdict_change" ADD COLUMN     "anchor_score" DOUBLE PRECISION,
ADD COLUMN     "from_anchoring" "AnchoringState",
ADD COLUMN     "to_anchoring" "AnchoringState";

-- CreateTable
CREATE TABLE "proposal_dismissal" (
    "id" UUID NOT NULL,
    "article_id" UUID NOT NULL,
    "quote_exact" TEXT NOT NULL,
    "speaker" TEXT NOT NULL,
    "reason" TEXT,
    "dismissed_by" TEXT NOT NULL,
    "api_key_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proposal_dismissal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "proposal_dismissal_article_id_quote_exact_key" ON "proposal_dismissal"("article_id", "quote_exact");

-- CreateIndex
CREATE INDEX "claim_anchoring_idx" ON "claim"("anchoring");

-- AddForeignKey
ALTER TABLE "proposal_dismissal" ADD CONSTRAINT "proposal_dismissal_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill the selector context of existing claims from their article bodies (32 characters each side).
UPDATE "claim" c
SET "quote_prefix" = substr(a."body", greatest(1, c."quote_start" - 31), least(c."quote_start", 32)),
    "quote_suffix" = substr(a."body", c."quote_end" + 1, 32)
FROM "article" a
WHERE a."id" = c."article_id";
