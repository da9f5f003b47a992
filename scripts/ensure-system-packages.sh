#!/usr/bin/env bash
# Chromium (browser tests), Noto CJK fonts (PDFs, screenshots) and redis-server (the shared
# cache of the production topology, docs/deployment.md). Installed when missing and
# we are root; otherwise the tests that need them skip and say why.
# `ensure-system-packages.sh fonts` (make run) checks the fonts only, and says plainly what to
# install when it cannot: without them every PDF record is refused.
set -u
only=${1:-all}
missing=()
[ "$only" = fonts ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
explain() {
  if [ "$only" = fonts ]; then
    cat >&2 <<MSG

  ** No Chinese font: the site runs, but opening records, evaluation reports and plan PDFs are
  ** refused (a PDF without the font is empty boxes; /healthz says "pdf": "font_missing").
  ** Install it, then restart:   sudo apt-get install fonts-noto-cjk
  ** (Fedora: google-noto-sans-cjk-fonts; macOS: the system fonts suffice when fontconfig sees them.)

MSG
  else
    echo "note: ${missing[*]} missing and not root: browser/PDF tests will skip." >&2
  fi
}
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  explain
  exit 0
fi
echo "Installing ${missing[*]} (once)..."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { echo "note: could not install ${missing[*]}." >&2; explain; }
fi
exit 0
