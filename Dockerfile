# One image for both the API and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# The postinstall step applies patches/ (a fix to the PostgreSQL client) to node_modules.
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Bundle the workflows at build time, so a worker starts without webpack.
RUN node --import tsx scripts/build-bundle.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
CMD ["node", "--import", "tsx", "server/main.ts"]
