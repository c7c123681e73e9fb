import type { Services } from "../graphql/context";
import { byId, plainList } from "../graphql/dataloaders";
import { defineModule, type LoadersOf } from "../graphql/module";
import { eventResolvers } from "./resolvers";
import { EventService } from "./service";

const loaders = {
  event: ({ events }: Services) => byId((ids) => events.byIds(ids)),
  eventMentions: ({ events }: Services) => plainList("Event.mentions", (ids) => events.mentionsFor(ids), (m) => m.eventId),
  eventParticipants: ({ events }: Services) => plainList("Event.participants", (ids) => events.participantsFor(ids), (p) => p.eventId),
};

declare module "../graphql/context" {
  interface Services {
    events: EventService;
  }
  interface Loaders extends LoadersOf<typeof loaders> {}
}

export const eventModule = defineModule({
  name: "event",
  resolvers: eventResolvers,
  services: ({ prisma, read }) => ({ events: new EventService(prisma, read) }),
  loaders,
  nodes: { Event: (id, ctx) => ctx.loaders.event.load(id) },
});
