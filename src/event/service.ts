import { z } from "zod";
import type { ArticleEvent, Event, EventSource, PrismaClient } from "../generated/prisma/client";
import type { EventCreateInput, EventLinkInput, QueryEventsArgs } from "../generated/graphql";
import type { SqlReader } from "../db/database";
import { mentionsSql } from "../article/sql";
import type { Connection } from "../db/paging";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { clearable, eventDescription, eventTitle, location, referenceUrls, slug } from "../validation/fields";
import { EVENTS, TIMELINE, eventFilterSql, participantsSql } from "./sql";

const eventInput = z.object({ slug, title: eventTitle, description: eventDescription, location: clearable(location), referenceUrls });

export class EventService {
  constructor(
    private readonly prisma: PrismaClient,
    /** Hand-written SQL for the hot reads: lookups by id, the timeline and what its events list. */
    private readonly read: SqlReader,
  ) {}

  byIds(ids: readonly string[]): Promise<Event[]> {
    return this.read<Event>(EVENTS.byIds(ids));
  }

  bySlug(slug: string): Promise<Event | null> {
    return this.prisma.event.findUnique({ where: { slug } });
  }

  participantsFor(eventIds: readonly string[]): Promise<EventSource[]> {
    return this.read<EventSource>(participantsSql(eventIds));
  }

  /** Article mentions per event, newest article first. */
  mentionsFor(eventIds: readonly string[]): Promise<ArticleEvent[]> {
    return this.read<ArticleEvent>(mentionsSql("event", eventIds));
  }

  /** A page of the timeline (`filter.sourceId` a database id). */
  list({ filter, first, after }: QueryEventsArgs): Promise<Connection<Event>> {
    return TIMELINE.page(this.read, { where: eventFilterSql(filter), first, after });
  }

  async create(input: EventCreateInput): Promise<Event> {
    const data = parseInput(eventInput, { ...input, referenceUrls: (input.referenceUrls ?? []).map(String) });
    if (await this.bySlug(input.slug)) {
      throw new UserErrors([userError("TAKEN", `an event with slug "${input.slug}" already exists`, ["input", "slug"])]);
    }
    return this.prisma.event.create({
      data: { ...data, kind: input.kind, occurredAt: input.occurredAt, occurredPrecision: input.occurredPrecision },
    });
  }

  /** Links a claim to an event (`eventId` and `claimId` database ids). */
  async link(input: EventLinkInput): Promise<Event> {
    const [event, claim] = await Promise.all([
      this.prisma.event.findUnique({ where: { id: input.eventId } }),
      this.prisma.claim.findUnique({ where: { id: input.claimId }, select: { id: true } }),
    ]);
    const errors = [];
    if (!event) errors.push(userError("NOT_FOUND", "no event with this ID", ["input", "eventId"]));
    if (!claim) errors.push(userError("NOT_FOUND", "no claim with this ID", ["input", "claimId"]));
    if (!event || !claim) throw new UserErrors(errors);
    await this.prisma.claimEvent.upsert({
      where: { claimId_eventId_linkType: { claimId: claim.id, eventId: event.id, linkType: input.linkType } },
      create: { claimId: claim.id, eventId: event.id, linkType: input.linkType },
      update: {},
    });
    return event;
  }
}
