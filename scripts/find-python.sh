#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what is missing and fail.
# Order: $PYTHON if set; python3.13/python3.12/python3 on PATH; pyenv's versions folder.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.12 python3.13 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for dir in $(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -V); do
  candidates+=("$dir/bin/python3")
done
for c in "${candidates[@]}"; do
  # pyenv shims fail for versions pyenv has not selected; `ok` filters them out.
  if ok "$c"; then
    "$c" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "govbuy needs Python 3.12 or newer and found none." >&2
echo "Install one (e.g. 'pyenv install 3.12' or your system's python3.12 package), or set PYTHON=/path/to/python3.12." >&2
exit 1
