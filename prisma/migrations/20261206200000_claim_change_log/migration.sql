-- A durable log of claim changes, so a live subscriber can resume after a cursor (a reconnect, a
-- deploy, another replica) instead of missing what changed while it was away.
--
-- Written by the same statement trigger that sends NOTIFY claimgraph_claims: one row per notification
-- (a statement's changed claims, 100 per row). Rows are read in COMMIT order, not in the order they
-- were inserted: `seq` is given at commit by a deferred trigger that first takes a transaction-level
-- advisory lock, held until the commit is visible. So the transaction that gets seq N+1 can only do
-- so after the one that got N has committed, and any snapshot that sees row N+1 sees every row before
-- it: a reader that has delivered everything up to N never finds a row below N appearing later. (A
-- sequence at insert time would not do: a transaction that took 5 and commits after the one that took
-- 6 would be skipped by a reader already past 6. The xid8 alternative — deliver only rows older than
-- pg_snapshot_xmin — is gapless too, but any long writing transaction in the cluster, a seed refresh,
-- would hold back every live event until it ends.) The lock serialises only the commit of
-- claim-changing transactions, which PostgreSQL already serialises for NOTIFY (its queue lock).
CREATE SEQUENCE "claim_change_seq" AS bigint;

CREATE TABLE "claim_change" (
  -- Insertion identity, only to find the row again at commit.
  "id" bigserial PRIMARY KEY,
  -- Commit-order position (NULL until the writing transaction commits; never NULL once visible).
  "seq" bigint,
  "claim_ids" uuid[] NOT NULL,
  -- When the change committed (UTC), for the retention window.
  "committed_at" timestamp(3)
);
CREATE UNIQUE INDEX "claim_change_seq_key" ON "claim_change" ("seq");

-- How far the log has been pruned: a cursor at or before it may have lost changes (CURSOR_EXPIRED).
CREATE TABLE "claim_change_horizon" (
  "id" boolean PRIMARY KEY DEFAULT true CHECK ("id"),
  "pruned_through" bigint NOT NULL
);
INSERT INTO "claim_change_horizon" ("pruned_through") VALUES (0);

CREATE FUNCTION "claimgraph_claim_change_commit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- 0x636763686c67 ("cgchlg"): held until the transaction ends, i.e. after its commit is visible.
  PERFORM pg_advisory_xact_lock(109278064109671);
  UPDATE "claim_change"
     SET "seq" = nextval('claim_change_seq'), "committed_at" = clock_timestamp() AT TIME ZONE 'UTC'
   WHERE "id" = NEW."id";
  RETURN NULL;
END
$$;

-- Deferred: runs at COMMIT, after every statement of the transaction, in insertion order.
CREATE CONSTRAINT TRIGGER "claim_change_commit" AFTER INSERT ON "claim_change"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "claimgraph_claim_change_commit"();

-- The notification trigger of 20261126012000_claim_change_notify, now also writing the log. The
-- payload is unchanged, so servers of the previous release keep working during a rolling deploy.
CREATE OR REPLACE FUNCTION "claimgraph_notify_claims"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
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

-- Deletes at most `max_rows` of the oldest changes committed before `before` (UTC), moving the
-- horizon past them; returns how many went. Bounded, so a timer can call it on every replica.
CREATE FUNCTION "claimgraph_prune_claim_changes"("before" timestamp, "max_rows" int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  last bigint;
  n int;
BEGIN
  WITH gone AS (
    DELETE FROM "claim_change" WHERE "id" IN (
      SELECT "id" FROM "claim_change" WHERE "seq" IS NOT NULL AND "committed_at" < "before"
      ORDER BY "seq" LIMIT "max_rows" FOR UPDATE SKIP LOCKED)
    RETURNING "seq")
  SELECT max("seq"), count(*) INTO last, n FROM gone;
  IF last IS NOT NULL THEN
    UPDATE "claim_change_horizon" SET "pruned_through" = GREATEST("pruned_through", last);
  END IF;
  RETURN n;
END
$$;
