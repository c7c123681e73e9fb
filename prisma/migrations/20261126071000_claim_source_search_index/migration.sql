-- Search within one actor's claims: one GIN index over (source_id, search_vector) instead of the
-- search vector alone. A multicolumn GIN index serves a condition on either column as well as on
-- both, so a search alone costs the same; a search within an actor intersects the actor's entries
-- with the word's inside the index, instead of reading the word's whole posting list (5% of every
-- claim for a common word) and ANDing it with the actor's btree bitmap: a count for the busiest
-- actor at 1M claims went from 77–220 ms to ~6 ms. btree_gin (a trusted contrib extension) gives
-- uuid a GIN operator class.
CREATE EXTENSION IF NOT EXISTS btree_gin;

DROP INDEX "claim_search_vector_idx";

CREATE INDEX "claim_source_id_search_vector_idx" ON "claim" USING GIN ("source_id", "search_vector");
