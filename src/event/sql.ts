import { Prisma, type Event, type EventSource } from "../generated/prisma/client";
import type { EventFilter } from "../generated/graphql";
import { Table, listColumn } from "../db/columns";
import { Keyset } from "../db/keyset";
import { PLAIN_LIST_ROWS } from "../db/paging";

export const EVENTS = new Table<Event>("event", "e", {
  id: "e.id",
  slug: "e.slug",
  title: "e.title",
  description: "e.description",
  kind: "e.kind::text",
  occurredAt: "e.occurred_at",
  occurredPrecision: "e.occurred_precision::text",
  location: "e.location",
  referenceUrls: listColumn("e.reference_urls"),
  createdAt: "e.created_at",
  updatedAt: "e.updated_at",
});

/** The timeline: oldest first (the (occurred_at, id) index). */
export const TIMELINE = new Keyset(EVENTS, [["occurredAt", "timestamp"], ["id", "uuid"]], "ASC");

/** The timeline's conditions for a filter (`sourceId` a database id). */
export function eventFilterSql(filter: EventFilter | null | undefined): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  // Arrays bound as one parameter: one prepared statement per query shape, whatever the length.
  if (filter?.kind) where.push(Prisma.sql`e.kind = ANY(${filter.kind}::text[]::"EventKind"[])`);
  if (filter?.from) where.push(Prisma.sql`e.occurred_at >= ${filter.from}::timestamp`);
  if (filter?.to) where.push(Prisma.sql`e.occurred_at < ${filter.to}::timestamp`);
  if (filter?.sourceId) {
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM event_source es WHERE es.event_id = e.id AND es.source_id = ${filter.sourceId}::uuid)`);
  }
  return where;
}

const EVENT_SOURCES = new Table<EventSource>("event_source", "es", {
  eventId: "es.event_id",
  sourceId: "es.source_id",
  role: "es.role",
});

/** The participants of a batch of events, by source name (ties by source id, so the order is stable). */
export function participantsSql(eventIds: readonly string[]): Prisma.Sql {
  return EVENT_SOURCES.select(Prisma.sql`JOIN source s ON s.id = es.source_id
    WHERE es.event_id = ANY(${eventIds}::uuid[]) ORDER BY s.name, es.source_id LIMIT ${PLAIN_LIST_ROWS}`);
}
