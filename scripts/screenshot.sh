#!/usr/bin/env bash
# Regenerates the README's screenshots of the HTML report page from a recorded day (no network:
# the page is served on 127.0.0.1). Needs Debian's chromium and a CJK font:
#   apt-get install -y chromium fonts-wqy-zenhei
# Usage: scripts/screenshot.sh [recorded-day.json]   (default: ../shared/fixtures/days/2026-08-22.json)
set -euo pipefail
cd "$(dirname "$0")/.."
day="${1:-../shared/fixtures/days/2026-08-22.json}"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$work" && node "$OLDPWD/bin/ai-daily.js" run --replay "$OLDPWD/$day" --out "$work/out" --config /dev/null -q)
page="$(cd "$work/out" && find reports -name '????-??-??.html' | sort | tail -1)"
python3 -m http.server 8765 --bind 127.0.0.1 --directory "$work/out" >/dev/null 2>&1 &
server=$!
sleep 1
shoot() { # width height file
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$1,$2" --screenshot="$3" "http://127.0.0.1:8765/$page" 2>/dev/null
}
shoot 1200 1000 docs/images/report-page.png
shoot 420 1400 docs/images/report-page-phone.png
echo "wrote docs/images/report-page.png and docs/images/report-page-phone.png from $page" >&2
