-- AlterEnum
ALTER TYPE "ClaimChannel" ADD VALUE 'REMARKS_TO_REPORTERS';

-- AlterTable
ALTER TABLE "article" ADD COLUMN     "url_note" TEXT,
ADD COLUMN     "url_verified" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "claim" ADD COLUMN     "note" TEXT;
