-- Every write to the data the API serves notifies claimgraph_writes in its own transaction (delivered
-- at commit, never on rollback), so writes made outside the API (psql, other tools) invalidate the
-- servers' response caches too. Statement-level: one call per statement, not per row, and PostgreSQL
-- folds identical notifications of one transaction into one. The payload has no commit position
-- (it does not exist yet); servers with a read replica look the primary's position up (src/db/readRouting.ts).
CREATE FUNCTION "claimgraph_notify_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('claimgraph_writes', '{"lsn":null}');
  RETURN NULL;
END
$$;

CREATE TRIGGER "article_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "article" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "source_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "source" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "source_alias_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "source_alias" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "claim_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "claim" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "event_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "event" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "event_source_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "event_source" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "claim_event_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "claim_event" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "article_event_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "article_event" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "verdict_change_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "verdict_change" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
CREATE TRIGGER "proposal_dismissal_notify_write" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "proposal_dismissal" FOR EACH STATEMENT EXECUTE FUNCTION "claimgraph_notify_write"();
