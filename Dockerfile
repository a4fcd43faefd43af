# One image for every Vigil role; the compose file picks the role with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# DNS lookups run on libuv's thread pool (4 threads by default): a worker resolves many names at once
ENV UV_THREADPOOL_SIZE=64
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY migrations ./migrations
COPY probes ./probes
COPY vigil.yaml ./
USER node
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["apps/cli/src/bin.ts", "--help"]
