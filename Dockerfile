# One image for every Vigil role; the compose file picks the role with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
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
