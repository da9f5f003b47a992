#!/usr/bin/env bash
# Chromium (browser tests), Noto CJK fonts (PDFs, screenshots) and redis-server (the shared
# cache of the production topology, docs/deployment.md). Installed when missing and
# we are root; otherwise the tests that need them skip and say why.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: ${missing[*]} missing and not root: browser/PDF tests will skip." >&2
  exit 0
fi
echo "Installing ${missing[*]} (once)..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || echo "note: could not install ${missing[*]}: those tests will skip." >&2
fi
exit 0
