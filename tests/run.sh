#!/usr/bin/env bash
# Runs every test of the repository. First installs what the tests need that a new machine lacks:
# Azurite from npm (pinned in package.json / package-lock.json) into ./node_modules.
# Ends with a plain summary line: "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -f node_modules/azurite/dist/src/azurite.js ]; then
  echo "Installing Azurite (npm ci)…"
  npm ci --no-audit --no-fund
fi

# The dashboard's browser tests (tests/Receptionist.Dashboard.Tests) drive Debian's Chromium at /usr/bin/chromium
# (or RECEPTIONIST_CHROMIUM); Playwright's own browser download is never used.
if [ ! -x /usr/bin/chromium ] && [ -z "${RECEPTIONIST_CHROMIUM:-}" ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  fi
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; }; then
    echo "Chromium is missing and cannot be installed here (needs apt-get as root or sudo): the browser tests will fail." >&2
    echo "Install it with: apt-get update && apt-get install -y --no-install-recommends chromium" >&2
  else
    echo "Installing Chromium for the browser tests: ${as_root[*]:+${as_root[*]} }apt-get update && ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends chromium"
    "${as_root[@]}" apt-get update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
fi

mkdir -p .build
log=.build/test-output.log
set +e
dotnet test Receptionist.sln --nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Failed: a, Passed: b, Skipped: c, Total: d" line per test assembly; add them up.
summary=$(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped", p, f, s }')
assemblies=$(grep -Ec 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" || true)
echo
echo "test assemblies reporting: $assemblies"
echo "$summary"
if [ "$rc" -eq 0 ] && [ "$assemblies" -eq 0 ]; then
  echo "no test assembly reported results" >&2
  exit 1
fi
exit "$rc"
