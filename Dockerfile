# syntax=docker/dockerfile:1
# claimgraph: build once, run as an unprivileged user with production dependencies only.
# Migrations are a separate step (see README "Deploy with PostgreSQL and Docker"), not part of start.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Everything `npm ci` needs for its postinstall (`npm run generate`: Prisma client, merged SDL, resolver types).
COPY package.json package-lock.json prisma.config.ts codegen.ts tsconfig.json tsconfig.build.json schema.graphql ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
COPY explorer ./explorer
RUN npm ci --no-audit --no-fund
# The build also bundles the offline explorer (GraphiQL, React: development dependencies) into dist/explorer.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/src ./dist/src
COPY --from=build --chown=node:node /app/dist/explorer ./dist/explorer
COPY --from=build --chown=node:node /app/schema.graphql ./schema.graphql
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
COPY --chown=node:node seed ./seed
# The embedded database (used only when DATABASE_URL is unset) lives here; mount a volume to keep it.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
