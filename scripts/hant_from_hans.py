"""Fill the Traditional Chinese and English catalogs from the Simplified Chinese one.

zh_Hant: every msgstr is the zh_Hans translation converted with OpenCC "s2t" (characters only,
so terms such as 代码 → 代碼 keep the mainland usage of the policy texts). en: msgids are
English, so msgstr = msgid (makemessages' fuzzy guesses are overwritten).
Run after `makemessages`; review the diff like any other change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
CONVERT = opencc.OpenCC("s2t").convert


def catalog(lang: str, domain: str) -> Path:
    return ROOT / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def fill(domain: str) -> None:
    hans = polib.pofile(str(catalog("zh_Hans", domain)))
    by_key = {(e.msgctxt, e.msgid): e for e in hans if not e.obsolete}
    for lang in ("zh_Hant", "en"):
        path = catalog(lang, domain)
        if not path.exists():
            continue
        po = polib.pofile(str(path))
        for entry in po:
            if entry.obsolete:
                continue
            source = by_key.get((entry.msgctxt, entry.msgid))
            if lang == "en":
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
            elif source is not None:
                if entry.msgid_plural:
                    entry.msgstr_plural = {k: CONVERT(v) for k, v in source.msgstr_plural.items()}
                elif source.msgstr:
                    entry.msgstr = CONVERT(source.msgstr)
            if "fuzzy" in entry.flags and (entry.msgstr or entry.msgstr_plural):
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
        po.metadata["Language"] = lang
        po.save()


if __name__ == "__main__":
    for name in sys.argv[1:] or ["django", "djangojs"]:
        if catalog("zh_Hans", name).exists():
            fill(name)
