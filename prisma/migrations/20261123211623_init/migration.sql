-- CreateEnum
CREATE TYPE "VerificationStatus" AS ENUM ('UNVERIFIED', 'IN_REVIEW', 'TRUE', 'MOSTLY_TRUE', 'MIXED', 'MOSTLY_FALSE', 'FALSE', 'MISLEADING', 'UNSUBSTANTIATED', 'NOT_CHECKABLE');

-- CreateEnum
CREATE TYPE "AttributionStatus" AS ENUM ('UNCHECKED', 'CONFIRMED_PRIMARY', 'CONFIRMED_SECONDARY', 'DISPUTED', 'MISATTRIBUTED');

-- CreateEnum
CREATE TYPE "ReviewOrigin" AS ENUM ('SEED', 'EDITOR');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('PERSON', 'GOVERNMENT', 'GOVERNMENT_AGENCY', 'MILITARY', 'MILITIA', 'POLITICAL_GROUP', 'THINK_TANK', 'MEDIA', 'INTERNATIONAL_ORGANIZATION', 'OTHER');

-- CreateEnum
CREATE TYPE "ClaimKind" AS ENUM ('DIRECT_QUOTE', 'PARTIAL_QUOTE', 'PARAPHRASE', 'ALLEGATION', 'NONVERBAL');

-- CreateEnum
CREATE TYPE "ClaimChannel" AS ENUM ('STATEMENT', 'PRESS_BRIEFING', 'EMAIL', 'SOCIAL_POST', 'INTERVIEW', 'TV', 'NEWSPAPER', 'SPEECH', 'ADVISORY', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ClaimOrigin" AS ENUM ('SEED', 'API');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH', 'YEAR', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "EventKind" AS ENUM ('MILITARY_STRIKE', 'ATTACK', 'PROTEST', 'SANCTIONS', 'POLICY', 'DIPLOMACY', 'APPOINTMENT', 'OTHER');

-- CreateEnum
CREATE TYPE "ClaimEventLinkType" AS ENUM ('ABOUT', 'JUSTIFIES', 'ATTRIBUTES_RESPONSIBILITY', 'THREATENS', 'DENIES', 'PREDICTS', 'ANNOUNCES', 'RESPONDS_TO');

-- CreateEnum
CREATE TYPE "VerdictAspect" AS ENUM ('VERIFICATION', 'ATTRIBUTION');

-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('VIEWER', 'EDITOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "ImportOutcome" AS ENUM ('SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "article" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "publication" TEXT NOT NULL,
    "authors" TEXT[],
    "section" TEXT,
    "brand" TEXT,
    "tags" TEXT[],
    "topic" TEXT,
    "region" TEXT,
    "published_at" TIMESTAMP(3) NOT NULL,
    "body" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "role" TEXT,
    "description" TEXT,
    "wikidata_id" TEXT,
    "affiliation_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "source_alias" (
    "id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "alias" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,

    CONSTRAINT "source_alias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "origin" "ClaimOrigin" NOT NULL DEFAULT 'API',
    "article_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "kind" "ClaimKind" NOT NULL,
    "channel" "ClaimChannel" NOT NULL,
    "said_at" TIMESTAMP(3) NOT NULL,
    "said_at_precision" "DatePrecision" NOT NULL,
    "quote_start" INTEGER NOT NULL,
    "quote_end" INTEGER NOT NULL,
    "quote_exact" TEXT NOT NULL,
    "status" "VerificationStatus" NOT NULL DEFAULT 'UNVERIFIED',
    "status_origin" "ReviewOrigin" NOT NULL DEFAULT 'SEED',
    "attribution" "AttributionStatus" NOT NULL DEFAULT 'UNCHECKED',
    "attribution_origin" "ReviewOrigin" NOT NULL DEFAULT 'SEED',
    "retired_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "kind" "EventKind" NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "occurred_precision" "DatePrecision" NOT NULL,
    "location" TEXT,
    "reference_urls" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_source" (
    "event_id" UUID NOT NULL,
    "source_id" UUID NOT NULL,
    "role" TEXT NOT NULL,

    CONSTRAINT "event_source_pkey" PRIMARY KEY ("event_id","source_id")
);

-- CreateTable
CREATE TABLE "claim_event" (
    "claim_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "link_type" "ClaimEventLinkType" NOT NULL,

    CONSTRAINT "claim_event_pkey" PRIMARY KEY ("claim_id","event_id","link_type")
);

-- CreateTable
CREATE TABLE "article_event" (
    "article_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "date_as_written" TEXT,
    "discrepancy" TEXT,

    CONSTRAINT "article_event_pkey" PRIMARY KEY ("article_id","event_id")
);

-- CreateTable
CREATE TABLE "verdict_change" (
    "id" UUID NOT NULL,
    "claim_id" UUID NOT NULL,
    "aspect" "VerdictAspect" NOT NULL,
    "from_status" "VerificationStatus",
    "to_status" "VerificationStatus",
    "from_attribution" "AttributionStatus",
    "to_attribution" "AttributionStatus",
    "rationale" TEXT,
    "evidence_urls" TEXT[],
    "changed_by" TEXT NOT NULL,
    "api_key_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verdict_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" "ApiKeyRole" NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_run" (
    "id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "checksum" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "retired" INTEGER NOT NULL DEFAULT 0,
    "outcome" "ImportOutcome" NOT NULL,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "article_url_key" ON "article"("url");

-- CreateIndex
CREATE UNIQUE INDEX "article_slug_key" ON "article"("slug");

-- CreateIndex
CREATE INDEX "article_published_at_id_idx" ON "article"("published_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "source_slug_key" ON "source"("slug");

-- CreateIndex
CREATE INDEX "source_name_idx" ON "source"("name");

-- CreateIndex
CREATE INDEX "source_affiliation_id_idx" ON "source"("affiliation_id");

-- CreateIndex
CREATE INDEX "source_alias_normalized_idx" ON "source_alias"("normalized");

-- CreateIndex
CREATE UNIQUE INDEX "source_alias_source_id_normalized_key" ON "source_alias"("source_id", "normalized");

-- CreateIndex
CREATE UNIQUE INDEX "claim_key_key" ON "claim"("key");

-- CreateIndex
CREATE INDEX "claim_source_id_status_said_at_id_idx" ON "claim"("source_id", "status", "said_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "claim_source_id_said_at_id_idx" ON "claim"("source_id", "said_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "claim_status_said_at_id_idx" ON "claim"("status", "said_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "claim_said_at_id_idx" ON "claim"("said_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "claim_article_id_idx" ON "claim"("article_id");

-- CreateIndex
CREATE UNIQUE INDEX "event_slug_key" ON "event"("slug");

-- CreateIndex
CREATE INDEX "event_occurred_at_id_idx" ON "event"("occurred_at", "id");

-- CreateIndex
CREATE INDEX "event_source_source_id_idx" ON "event_source"("source_id");

-- CreateIndex
CREATE INDEX "claim_event_event_id_link_type_idx" ON "claim_event"("event_id", "link_type");

-- CreateIndex
CREATE INDEX "article_event_event_id_idx" ON "article_event"("event_id");

-- CreateIndex
CREATE INDEX "verdict_change_claim_id_created_at_id_idx" ON "verdict_change"("claim_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "import_run_started_at_idx" ON "import_run"("started_at" DESC);

-- AddForeignKey
ALTER TABLE "source" ADD CONSTRAINT "source_affiliation_id_fkey" FOREIGN KEY ("affiliation_id") REFERENCES "source"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "source_alias" ADD CONSTRAINT "source_alias_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim" ADD CONSTRAINT "claim_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_source" ADD CONSTRAINT "event_source_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_source" ADD CONSTRAINT "event_source_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_event" ADD CONSTRAINT "claim_event_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_event" ADD CONSTRAINT "claim_event_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_event" ADD CONSTRAINT "article_event_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "article_event" ADD CONSTRAINT "article_event_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "verdict_change" ADD CONSTRAINT "verdict_change_claim_id_fkey" FOREIGN KEY ("claim_id") REFERENCES "claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
