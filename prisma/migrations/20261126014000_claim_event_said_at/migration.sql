-- An event's claims, newest first, as an index seek: each link carries its claim's said_at, so a
-- page walks (event_id[, link_type], claim_said_at, claim_id) instead of sorting all the event's claims.
-- Triggers keep the copy exact whoever writes (imports, the API, plain SQL).
ALTER TABLE "claim_event" ADD COLUMN "claim_said_at" TIMESTAMP(3);

UPDATE "claim_event" ce SET "claim_said_at" = c."said_at" FROM "claim" c WHERE c."id" = ce."claim_id";

CREATE FUNCTION "claim_event_copy_said_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT said_at INTO NEW.claim_said_at FROM claim WHERE id = NEW.claim_id;
    RETURN NEW;
END
$$;

CREATE TRIGGER "claim_event_copy_said_at" BEFORE INSERT OR UPDATE ON "claim_event"
    FOR EACH ROW EXECUTE FUNCTION "claim_event_copy_said_at"();

CREATE FUNCTION "claim_said_at_to_events"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_event SET claim_said_at = NEW.said_at WHERE claim_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER "claim_said_at_to_events" AFTER UPDATE OF "said_at" ON "claim"
    FOR EACH ROW WHEN (OLD."said_at" IS DISTINCT FROM NEW."said_at") EXECUTE FUNCTION "claim_said_at_to_events"();

CREATE INDEX "claim_event_event_id_claim_said_at_claim_id_idx" ON "claim_event"("event_id", "claim_said_at" DESC, "claim_id" DESC);

CREATE INDEX "claim_event_event_id_link_type_claim_said_at_claim_id_idx" ON "claim_event"("event_id", "link_type", "claim_said_at" DESC, "claim_id" DESC);
