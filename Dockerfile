# svcpath as a container image: the repo with its runtime dependencies (no test tools, no
# browser), run as the non-root "node" user (uid 1000, which `svcpath k8s-job` manifests expect).
# The entrypoint is the svcpath CLI, so `docker run IMAGE run NAME --shard 0/4 --out /results/shard-0`
# works as it does in a Kubernetes Job pod (those set command/args themselves).
#
#   docker build -t REGISTRY/svcpath:TAG --build-arg GIT_REVISION=$(git rev-parse HEAD) .
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# Dependencies first, so a code change does not reinstall them. Prebuilt native packages
# (@duckdb/node-api, @resvg/resvg-js) come from the registry for the build platform.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
# .git is not in the build context; the revision is recorded here instead.
ARG GIT_REVISION=unknown
ENV SVCPATH_GIT_REVISION=${GIT_REVISION}

RUN mkdir -p /app/results /results && chown node:node /app/results /results
USER node
VOLUME ["/results"]

ENTRYPOINT ["npm", "run", "-s", "svcpath", "--"]
CMD ["--help"]
