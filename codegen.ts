import type { CodegenConfig } from "@graphql-codegen/cli";

// Resolver types are generated from the SDL; mappers tie each GraphQL type to what its parent
// resolver actually returns (mostly Prisma rows), so resolvers are checked end to end.
const config: CodegenConfig = {
  schema: "src/*/*.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        contextType: "../graphql/context#Context",
        useIndexSignature: false,
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: "T | null",
        inputMaybeValue: "T | null | undefined",
        scalars: {
          DateTime: { input: "Date", output: "Date | string" },
          URL: { input: "URL", output: "URL | string" },
          JSONObject: { input: "Record<string, unknown>", output: "Record<string, unknown>" },
        },
        mapperTypeSuffix: "Model",
        mappers: {
          Article: "../article/sql#ArticleSummary",
          Claim: "../claim/sql#ClaimRow",
          Source: "../generated/prisma/client#Source",
          Event: "../generated/prisma/client#Event",
          VerdictChange: "../generated/prisma/client#VerdictChange",
          ApiKey: "../generated/prisma/client#ApiKey",
          ClaimEventLink: "../generated/prisma/client#ClaimEvent",
          ArticleEventMention: "../generated/prisma/client#ArticleEvent",
          ClaimProposal: "../proposal/service#ProposalRow",
          EventArticleMention: "../generated/prisma/client#ArticleEvent",
          EventParticipant: "../generated/prisma/client#EventSource",
          SourceStatusCounts: "../claim/service#SourceStatusCounts",
          ClaimConnection: "../claim/service#ClaimConnection",
          SourceConnection: "../db/paging#Connection<SourceModel>",
          ArticleConnection: "../db/paging#Connection<ArticleSummaryModel>",
          EventConnection: "../db/paging#Connection<EventModel>",
        },
      },
    },
  },
};

export default config;
