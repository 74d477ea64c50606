# syntax=docker/dockerfile:1
# Zorgzaam's release image: compiled server, production dependencies only, running as `node` (not root).
#
#   docker build -t zorgzaam .
#   docker run -p 4000:4000 -v zorgzaam-data:/data -e JWT_SECRET=... zorgzaam
#
# NODE_ENV=production: the first start creates /data/zorgzaam.sqlite, applies the migrations and seeds places,
# teams and categories (no demo people); set ZORGZAAM_COORDINATOR_EMAIL/_PASSWORD for the first coordinator.
# Every other setting is an environment variable (README, "Configuration"); DATABASE_URL may name PostgreSQL.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, tsc, then drop what only the build needed -------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles its native module with node-gyp when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY seeds ./seeds
# The native module built above stays; TypeScript, tsx, vitest and the other development tools go.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies, dist/ (server and seeds) and the migrations -------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATABASE_URL=/data/zorgzaam.sqlite
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
COPY LICENSE ./LICENSE
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
# /readyz: the process answers, the database answers and has every migration, and it is not shutting down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 and handles SIGTERM itself (docker stop): the server drains, then exits.
CMD ["node", "dist/src/main.js"]
