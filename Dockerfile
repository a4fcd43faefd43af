# One image for every Vigil role; the compose file picks the role with `command` (a source entry point,
# e.g. apps/worker/src/main.ts), which scripts/launch.mjs maps to its bundle: plain JS, no tsx at run time.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && node scripts/build.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# DNS lookups run on libuv's thread pool (4 threads by default): a worker resolves many names at once
ENV UV_THREADPOOL_SIZE=64
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY scripts/launch.mjs ./scripts/
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY probes ./probes
COPY vigil.yaml ./
USER node
ENTRYPOINT ["node", "scripts/launch.mjs"]
CMD ["apps/cli/src/bin.ts", "--help"]
