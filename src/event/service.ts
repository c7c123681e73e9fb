import { z } from "zod";
import type { Event, Prisma, PrismaClient } from "../generated/prisma/client";
import type { EventCreateInput, EventLinkInput, QueryEventsArgs } from "../generated/graphql";
import { decodeCursor, keysetAfter, pageSize, toConnection, type Connection } from "../graphql/connection";
import { UserErrors, parseInput, userError } from "../graphql/errors";
import { clearable, eventDescription, eventTitle, location, referenceUrls, slug } from "../validation/fields";

const eventInput = z.object({ slug, title: eventTitle, description: eventDescription, location: clearable(location), referenceUrls });

export class EventService {
  constructor(private readonly prisma: PrismaClient) {}

  byIds(ids: readonly string[]): Promise<Event[]> {
    return this.prisma.event.findMany({ where: { id: { in: [...ids] } } });
  }

  bySlug(slug: string): Promise<Event | null> {
    return this.prisma.event.findUnique({ where: { slug } });
  }

  participantsFor(eventIds: readonly string[]) {
    return this.prisma.eventSource.findMany({
      where: { eventId: { in: [...eventIds] } },
      orderBy: [{ source: { name: "asc" } }],
    });
  }

  mentionsFor(eventIds: readonly string[]) {
    return this.prisma.articleEvent.findMany({
      where: { eventId: { in: [...eventIds] } },
      orderBy: [{ article: { publishedAt: "desc" } }, { articleId: "asc" }],
    });
  }

  /** A page of the timeline (`filter.sourceId` a database id). */
  async list({ filter, first, after }: QueryEventsArgs): Promise<Connection<Event>> {
    const size = pageSize(first);
    const where: Prisma.EventWhereInput = {};
    if (filter?.kind) where.kind = { in: filter.kind };
    if (filter?.from || filter?.to) where.occurredAt = { gte: filter.from ?? undefined, lt: filter.to ?? undefined };
    if (filter?.sourceId) where.sources = { some: { sourceId: filter.sourceId } };
    const page: Prisma.EventWhereInput[] = [where];
    if (after) {
      const [occurredAt, id] = decodeCursor(after, ["timestamp", "uuid"]) as [string, string];
      page.push(keysetAfter<Prisma.EventWhereInput>([
        { equal: { occurredAt: new Date(occurredAt) }, beyond: { occurredAt: { gt: new Date(occurredAt) } } },
        { equal: { id }, beyond: { id: { gt: id } } },
      ]));
    }
    const rows = await this.prisma.event.findMany({
      where: { AND: page },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: size + 1,
    });
    return toConnection(rows, size, (e) => [e.occurredAt.toISOString(), e.id], () => this.prisma.event.count({ where }), Boolean(after));
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
