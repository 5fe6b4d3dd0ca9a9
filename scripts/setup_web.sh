#!/usr/bin/env bash
# Node.js and the browser-test packages of the classroom page (web/package-lock.json), called by
# scripts/setup.sh. The page itself uses no npm package; playwright-core drives Debian's
# Chromium in the `browser` tests. Idempotent: npm ci runs only when node_modules does not
# match the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# npm ci when a package of the lock file is missing or at another version.
if ! node -e '
  const lock = require("./web/package-lock.json").packages;
  for (const [path, entry] of Object.entries(lock))
    if (path && require("./web/" + path + "/package.json").version !== entry.version) process.exit(1);
' 2>/dev/null; then
  echo "setup: npm ci in web/ (playwright-core for the browser tests)"
  (cd web && npm ci --no-audit --no-fund)
else
  echo "setup: web/node_modules matches web/package-lock.json"
fi
