-- A published ClaimReview shows its article's headline, address, date, authors and publication, and
-- its source's name, kind, description, role and Wikidata id. The DataFeed dates each item by the
-- claim's updated_at ("dateModified") and serves `since` from it, so a change to any of those must
-- date the claims that show it, or a reader polling with `since` never sees the corrected review.
-- Only claims with a published verdict are touched (the predicate of
-- claim_published_updated_at_id_idx): renaming a source with 20,000 unverified claims writes none.
-- updated_at holds UTC without a zone, as Prisma writes it.
-- The touch is not a change of the claims themselves: it must not reach live subscribers as one
-- claim event each (a headline corrected on an article with 8,000 published claims closed every
-- subscriber as a slow consumer). A transaction-local setting tells the claim notification trigger,
-- which fires at the end of the UPDATE below, to leave these rows out of the change log.
CREATE FUNCTION "claimgraph_date_published_reviews"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('claimgraph.dating_reviews', 'on', true);
  IF TG_TABLE_NAME = 'article' THEN
    UPDATE "claim" SET "updated_at" = now() AT TIME ZONE 'UTC'
      WHERE "article_id" = NEW."id" AND "status" NOT IN ('UNVERIFIED', 'IN_REVIEW') AND "retired_at" IS NULL;
  ELSE
    UPDATE "claim" SET "updated_at" = now() AT TIME ZONE 'UTC'
      WHERE "source_id" = NEW."id" AND "status" NOT IN ('UNVERIFIED', 'IN_REVIEW') AND "retired_at" IS NULL;
  END IF;
  PERFORM set_config('claimgraph.dating_reviews', 'off', true);
  RETURN NULL;
END $$;

-- 20261206200000_claim_change_log's notification trigger, leaving out the statements above.
CREATE OR REPLACE FUNCTION "claimgraph_notify_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF current_setting('claimgraph.dating_reviews', true) = 'on' THEN
    RETURN NULL;
  END IF;
  FOR ids IN
    SELECT array_agg("id")
    FROM (SELECT "id", (row_number() OVER () - 1) / 100 AS chunk FROM changed) AS numbered
    GROUP BY chunk
  LOOP
    INSERT INTO "claim_change" ("claim_ids") VALUES (ids);
    PERFORM pg_notify('claimgraph_claims', json_build_object('claims', ids)::text);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE TRIGGER "article_dates_published_reviews" AFTER UPDATE ON "article" FOR EACH ROW
  WHEN ((OLD."title", OLD."url", OLD."url_verified", OLD."published_at", OLD."authors", OLD."publication")
    IS DISTINCT FROM (NEW."title", NEW."url", NEW."url_verified", NEW."published_at", NEW."authors", NEW."publication"))
  EXECUTE FUNCTION "claimgraph_date_published_reviews"();

CREATE TRIGGER "source_dates_published_reviews" AFTER UPDATE ON "source" FOR EACH ROW
  WHEN ((OLD."name", OLD."kind", OLD."description", OLD."role", OLD."wikidata_id")
    IS DISTINCT FROM (NEW."name", NEW."kind", NEW."description", NEW."role", NEW."wikidata_id"))
  EXECUTE FUNCTION "claimgraph_date_published_reviews"();
