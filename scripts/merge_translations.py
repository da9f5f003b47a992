"""Merge translator output (JSON objects msgid → Simplified Chinese) into locale/zh_Hans.

Usage: .venv/bin/python scripts/merge_translations.py FILE.json [FILE.json ...]
Keys are msgids ("msgctxt\\u0004msgid" for entries with a context); a list value is the plural
translation. Entries already translated are overwritten; fuzzy flags on merged entries are cleared.
Then run scripts/hant_from_hans.py for zh_Hant and en.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> None:
    translations: dict[str, object] = {}
    for path in paths:
        translations.update(json.loads(Path(path).read_text(encoding="utf-8")))
    po = polib.pofile(str(CATALOG))
    merged = 0
    for entry in po:
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        value = translations.get(key)
        if value is None:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else str(value)}
        else:
            entry.msgstr = value[0] if isinstance(value, list) else str(value)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        merged += 1
    po.save()
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or e.msgstr_plural.get(0))]
    print(f"merged {merged}; still untranslated {len(missing)}")


if __name__ == "__main__":
    main(sys.argv[1:])
