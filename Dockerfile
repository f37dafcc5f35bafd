# vcf-cds: multi-stage build, non-root runtime, health check.
# Build:  docker build -t vcf-cds .
# Run:    docker run -p 3000:3000 -v vcf-data:/app/data vcf-cds
# With PostgreSQL: docker run -p 3000:3000 -e DATABASE_URL=postgres://... -e AUDIT_ID_KEY=<32+ random bytes, base64> vcf-cds

# Node 24 LTS (maintenance until April 2028; package.json "engines" lists the supported lines), an
# exact release on Debian 13 (trixie), the same for both stages: better-sqlite3's native addon is
# built for this Node's ABI. Raise it deliberately (CHANGELOG), for security releases within 24.
ARG NODE_IMAGE=node:24.22.3-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The benchmark scripts (compiled with the service) reuse the engine tests' clinical archetypes.
COPY test/engine/fixtures.ts ./test/engine/fixtures.ts
COPY profiles ./profiles
# `npm run build` first generates the precompiled FHIR validators into generated/.
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/generated ./generated
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/src/http/playground ./src/http/playground
COPY profiles ./profiles
COPY docs ./docs
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# No --max-old-space-size here, unlike `npm start`: under a container memory limit Node sizes its
# heap from that limit (deploy/deployment.yaml sets 512 MiB); a fixed flag could exceed it.
CMD ["node", "dist/src/main.js"]
