#!/usr/bin/env bash
# Install the web UI's browser assets from the npm registry, pinned by package-lock.json,
# and copy the files the pages load into server/static/vendor/ (git-ignored), so the UI
# is served entirely by this server: no CDN at run time, and no network once installed.
#
# `npm ci` runs only when node_modules/ is missing or older than the lockfile, so running
# this again offline works after a first install.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "install-ui-assets: $*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || fail "npm is not installed; install Node.js 18+ (Debian: apt-get install nodejs npm)"
[ -f package-lock.json ] || fail "package-lock.json is missing; run 'npm install' once to create it"

stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "install-ui-assets: npm ci"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error \
    || fail "'npm ci' failed (is the npm registry reachable?)"
fi

vendor=server/static/vendor
mkdir -p "$vendor"
copy() {  # copy SRC DEST-NAME, failing clearly when the package layout changed
  [ -f "$1" ] || fail "expected $1 after npm ci; did the package's layout change?"
  cp "$1" "$vendor/$2"
}
copy node_modules/@zazuko/yasgui/build/yasgui.min.js yasgui.min.js
copy node_modules/@zazuko/yasgui/build/yasgui.min.css yasgui.min.css
copy node_modules/cytoscape/dist/cytoscape.min.js cytoscape.min.js
copy node_modules/cytoscape/LICENSE cytoscape.LICENSE.txt
echo "install-ui-assets: vendored assets in $vendor"
