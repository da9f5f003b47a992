"""A git merge driver for the message catalogs: the union of both sides' entries.

Two branches that each add strings touch the same .po files in nearby lines, and a text merge
then conflicts on every hunk. Entries are keyed by (msgctxt, msgid); when both sides translate
one entry differently, ours wins. Run `make messages` after a merge to compile the result.

Enable it once per clone (the attribute is in .gitattributes):
    git config merge.po-union.driver ".venv/bin/python scripts/po_merge.py %O %A %B"
"""

from __future__ import annotations

import sys

import polib


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def merge(ours_path: str, theirs_path: str) -> None:
    ours = polib.pofile(ours_path, wrapwidth=79)
    theirs = polib.pofile(theirs_path, wrapwidth=79)
    index = {_key(e): e for e in ours}
    for entry in theirs:
        mine = index.get(_key(entry))
        if mine is None:
            ours.append(entry)
            index[_key(entry)] = entry
        elif not _translated(mine) and _translated(entry):
            mine.msgstr, mine.msgstr_plural, mine.flags = entry.msgstr, entry.msgstr_plural, entry.flags
        elif mine.obsolete and not entry.obsolete:
            mine.obsolete = False
        if mine is not None:
            for occurrence in entry.occurrences:
                if occurrence not in mine.occurrences:
                    mine.occurrences.append(occurrence)
    ours.save(ours_path)


if __name__ == "__main__":
    _base, ours_file, theirs_file = sys.argv[1:4]
    merge(ours_file, theirs_file)
