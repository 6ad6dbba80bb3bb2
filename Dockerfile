# syntax=docker/dockerfile:1
# Nudge in a container: a build stage with every dependency, a runtime stage with the
# bundles and production dependencies only, running as the unprivileged `node` user, with
# its data on a volume. test/container.test.ts replays the runtime stage's layout and
# health check; scripts/container-build-steps.sh runs the build stage's commands.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NUDGE_DATA_DIR=/data \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/web/demo ./web/demo
COPY --from=build /app/web/console/index.html /app/web/console/console.css ./web/console/
COPY --from=build /app/web/viz/index.html /app/web/viz/viz.css ./web/viz/
COPY --from=build /app/data/model ./data/model
COPY --from=build /app/data/corpus ./data/corpus
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains the service (README, Operate it); compose's stop_grace_period covers it.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/server/main.mjs"]
