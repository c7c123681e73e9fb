-- Every committed change to a claim is announced on the channel `claimgraph_claims`, whoever made
-- it (an API replica, the seed import, psql), so live subscriptions on every replica hear it.
-- One notification per statement and per 100 rows: payload {"claims": ["<uuid>", ...]} stays far
-- below PostgreSQL's 8000-byte limit. Notifications are sent on commit, never on rollback.
CREATE FUNCTION "claimgraph_notify_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  batch text;
BEGIN
  FOR batch IN
    SELECT json_build_object('claims', json_agg("id"))::text
    FROM (SELECT "id", (row_number() OVER () - 1) / 100 AS chunk FROM changed) AS numbered
    GROUP BY chunk
  LOOP
    PERFORM pg_notify('claimgraph_claims', batch);
  END LOOP;
  RETURN NULL;
END
$$;

-- A trigger with a transition table takes one event, hence two.
CREATE TRIGGER "claim_inserted_notify" AFTER INSERT ON "claim"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_claims"();
CREATE TRIGGER "claim_updated_notify" AFTER UPDATE ON "claim"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_claims"();
