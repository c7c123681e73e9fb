-- Full-text search over claim text. A stored generated column: PostgreSQL computes it on every
-- write, whoever writes (imports, the API, plain SQL), and a match re-check reads it instead of
-- re-parsing the text. 'english' matches the queries' websearch_to_tsquery('english', …).
ALTER TABLE "claim" ADD COLUMN "search_vector" tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED;

CREATE INDEX "claim_search_vector_idx" ON "claim" USING GIN ("search_vector");

-- Claim counts per (source, status, retired), so totalCount and claimStats for the common filters
-- never scan claims. Writers only append signed deltas (claim_count_delta, no row is ever updated
-- by a writer, so concurrent writers never wait for each other or deadlock on a counter); the
-- application folds the deltas into claim_count now and then (one statement: DELETE … RETURNING
-- feeding an upsert). A reader sums both tables in one statement, so it sees one snapshot and the
-- count is exact at any time, folded or not.
CREATE TABLE "claim_count" (
    "source_id" UUID NOT NULL,
    "status" "VerificationStatus" NOT NULL,
    "retired" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "claim_count_pkey" PRIMARY KEY ("source_id", "status", "retired")
);

CREATE TABLE "claim_count_delta" (
    "source_id" UUID NOT NULL,
    "status" "VerificationStatus" NOT NULL,
    "retired" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL
);

CREATE INDEX "claim_count_delta_source_id_status_idx" ON "claim_count_delta"("source_id", "status");

-- Statement-level triggers with transition tables: a bulk INSERT … SELECT of a million claims adds
-- one delta per (source, status, retired), not a million.
CREATE FUNCTION "claim_count_track"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO claim_count_delta (source_id, status, retired, n)
        SELECT source_id, status, retired_at IS NOT NULL, count(*) FROM new_rows GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO claim_count_delta (source_id, status, retired, n)
        SELECT source_id, status, retired_at IS NOT NULL, -count(*) FROM old_rows GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO claim_count_delta (source_id, status, retired, n)
        SELECT source_id, status, retired, sum(d) FROM (
            SELECT source_id, status, retired_at IS NOT NULL AS retired, 1 AS d FROM new_rows
            UNION ALL
            SELECT source_id, status, retired_at IS NOT NULL, -1 FROM old_rows
        ) changes GROUP BY 1, 2, 3 HAVING sum(d) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "claim_count_insert" AFTER INSERT ON "claim"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "claim_count_track"();
CREATE TRIGGER "claim_count_update" AFTER UPDATE ON "claim"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "claim_count_track"();
CREATE TRIGGER "claim_count_delete" AFTER DELETE ON "claim"
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "claim_count_track"();

CREATE FUNCTION "claim_count_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM claim_count_delta;
    DELETE FROM claim_count;
    RETURN NULL;
END
$$;

CREATE TRIGGER "claim_count_truncate" AFTER TRUNCATE ON "claim"
    FOR EACH STATEMENT EXECUTE FUNCTION "claim_count_reset"();

-- Claims that exist already.
INSERT INTO "claim_count" ("source_id", "status", "retired", "n")
SELECT "source_id", "status", "retired_at" IS NOT NULL, count(*) FROM "claim" GROUP BY 1, 2, 3;
