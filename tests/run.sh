#!/usr/bin/env bash
# Runs every test of the repository. First installs what the tests need that a new machine lacks:
# Azurite and the Silero VAD model (@ricky0123/vad-web) from npm, pinned in package.json / package-lock.json, into
# ./node_modules.
# Ends with a plain summary line: "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ ! -f node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx ]; then
  echo "Installing Azurite and the Silero VAD model (npm ci)…"
  npm ci --no-audit --no-fund
fi

# Debian packages the tests need: Chromium for the dashboard's browser tests (tests/Receptionist.Dashboard.Tests, at
# /usr/bin/chromium or RECEPTIONIST_CHROMIUM; Playwright's own browser download is never used), espeak-ng and sox for
# the speech tests (the speech stand-in's real voice). One apt-get update for all that are missing.
missing=()
if [ ! -x /usr/bin/chromium ] && [ -z "${RECEPTIONIST_CHROMIUM:-}" ]; then missing+=(chromium); fi
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  fi
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; }; then
    echo "${missing[*]} missing and cannot be installed here (needs apt-get as root or sudo): the tests that use them will fail." >&2
    echo "Install with: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  else
    echo "Installing ${missing[*]}: ${as_root[*]:+${as_root[*]} }apt-get update && ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends ${missing[*]}"
    "${as_root[@]}" apt-get update
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
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
