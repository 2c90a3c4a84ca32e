# Mission Control's image: the api (default command), the worker and the CLIs (bootstrap,
# migrate, worker-health) from one build. docker-compose.yml runs it; README "Production
# quick start". Not built in CI (no Docker engine there): keep it plain.

# --- build: every dependency, then the backend (tsc) and the dashboard (Vite) ----------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY dashboard/package.json dashboard/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY catalog catalog
COPY migrations migrations
COPY backend backend
COPY dashboard dashboard
RUN npm run build -w backend && npm run build -w dashboard

# --- runtime: production dependencies of the backend only, the built files, non-root ---
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY dashboard/package.json dashboard/
COPY e2e/package.json e2e/
RUN npm ci --omit=dev --workspace backend --include-workspace-root --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/backend/dist backend/dist
COPY --from=build /app/dashboard/dist dashboard/dist
COPY catalog catalog
RUN mkdir -p /var/lib/mission-control/storage && chown node:node /var/lib/mission-control/storage
ENV STORAGE_DIR=/var/lib/mission-control/storage HOST=0.0.0.0 PORT=3000
USER node
EXPOSE 3000
CMD ["node", "backend/dist/backend/src/main-api.js"]
