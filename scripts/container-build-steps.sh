#!/usr/bin/env bash
# The Dockerfile's build stage, without a container engine: in a fresh copy of the tree
# (the files .dockerignore lets through), `npm ci`, `npm run build`, `npm prune --omit=dev`,
# then the runtime stage's files are assembled and started as its CMD and HEALTHCHECK do.
#   scripts/container-build-steps.sh [WORKDIR]     (default: a new temp dir, removed after)
#   REUSE_NODE_MODULES=1 scripts/container-build-steps.sh
#       copies this tree's node_modules instead of `npm ci` (where native modules cannot be
#       built from source, or without the registry); the rest of the steps are the same.
# `npm ci` needs the npm registry, and better-sqlite3 compiles from source when no prebuilt
# binary fits. test/container.test.ts checks the runtime stage's layout and health check on
# every test run, without the network.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
keep="${1:+yes}"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; [ -z "$keep" ] && rm -rf "$work"; }
trap cleanup EXIT

echo "== build stage in $work/build"
mkdir -p "$work/build"
git -C "$root" ls-files -z --cached --others --exclude-standard \
  | grep -zv -e '^node_modules/' -e '^dist/' -e '^web/dist/' \
  | (cd "$root" && xargs -0 cp --parents -t "$work/build")
if [ -n "${REUSE_NODE_MODULES:-}" ]; then
  cp -r "$root/node_modules" "$work/build/"
else
  (cd "$work/build" && npm ci)
fi
(cd "$work/build" && npm run build && npm prune --omit=dev)

echo "== runtime stage in $work/app"
app="$work/app"
mkdir -p "$app/web/console" "$app/web/viz" "$app/data" "$work/data"
b="$work/build"
cp "$b/package.json" "$b/package-lock.json" "$app/"
cp -r "$b/node_modules" "$b/dist" "$app/"
cp -r "$b/web/dist" "$b/web/demo" "$app/web/"
cp "$b/web/console/index.html" "$b/web/console/console.css" "$app/web/console/"
cp "$b/web/viz/index.html" "$b/web/viz/viz.css" "$app/web/viz/"
cp -r "$b/data/model" "$b/data/corpus" "$app/data/"

port=$((20000 + RANDOM % 20000))
(cd "$app" && NODE_ENV=production HOST=127.0.0.1 PORT=$port NUDGE_DATA_DIR="$work/data" exec node --enable-source-maps dist/server/main.mjs) &
pid=$!
for _ in $(seq 1 60); do
  if (cd "$app" && PORT=$port node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"); then
    echo "== healthy on port $port"
    exit 0
  fi
  sleep 1
done
echo "== not healthy after 60 s" >&2
exit 1
