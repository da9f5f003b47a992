"""The copy of every checkpoint kept outside the database (GOVBUY_AUDIT_CHECKPOINT_FILE).

A signed checkpoint row proves a rewritten chain, but someone who can write to the database can
also delete the rows and cut the tail after them. Each checkpoint is therefore appended, once it
is committed, as one JSON line to a file on storage the database cannot reach (in production a
separate, append-only volume, copied to the portal or a notice board); `verify_chain` reads the
file back and holds the chain against every line. One file belongs to one database: a new
database starts a new file (docs/operations.md).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings

from govbuy.audit.chain import format_time

logger = logging.getLogger("govbuy.security")
_HEX = frozenset("0123456789abcdef")


def checkpoint_file() -> Path | None:
    name = str(getattr(settings, "GOVBUY_AUDIT_CHECKPOINT_FILE", "") or "")
    return Path(name) if name else None


def publish_checkpoint(checkpoint: Any) -> None:
    """Append the checkpoint as one line. One write() of one short line with O_APPEND: parallel
    writers never interleave their lines."""
    path = checkpoint_file()
    if path is None:
        return
    line = json.dumps(
        {
            "position": checkpoint.position,
            "head_hash": checkpoint.head_hash,
            "reason": checkpoint.reason,
            "created_at": format_time(checkpoint.created_at),
            "signature": checkpoint.signature,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def published_checkpoints() -> list[tuple[int, str]]:
    """(position, head hash) of every line of the file, in file order. A line that is not a
    checkpoint is skipped and logged: the rows that are intact still count."""
    path = checkpoint_file()
    if path is None or not path.exists():
        return []
    out: list[tuple[int, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                position, head_hash = int(row["position"]), str(row["head_hash"])
            except (ValueError, KeyError, TypeError):
                logger.warning("audit.checkpoint_file.unreadable line=%s file=%s", number, path)
                continue
            if position < 0 or len(head_hash) != 64 or not set(head_hash) <= _HEX:
                logger.warning("audit.checkpoint_file.unreadable line=%s file=%s", number, path)
                continue
            out.append((position, head_hash))
    return out
