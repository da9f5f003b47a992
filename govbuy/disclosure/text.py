"""Text for search: one normalisation path for documents and queries, on SQLite and PostgreSQL.

Traditional becomes Simplified (OpenCC t2s), full-width becomes half-width (NFKC), case folds;
jieba's search mode splits Chinese into words and their dictionary sub-words (居家养老服务 →
居家 养老 服务), so a two-character query matches inside longer words, which trigram indexes
cannot do (design/toolchain.md, "Chinese search"). Only word characters survive, so nothing of
FTS5's or tsquery's syntax can reach the database from a query.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed

MAX_QUERY_LENGTH = 200
MAX_QUERY_GROUPS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _tools() -> tuple[Any, Any]:
    """(jieba, OpenCC converter), loaded once per process: jieba's dictionary takes ~0.8 s."""
    tools = _state.get("tools")
    if tools is None:
        with _lock:
            tools = _state.get("tools")
            if tools is None:
                import jieba
                import opencc

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                tools = (jieba, opencc.OpenCC("t2s"))
                _state["tools"] = tools
    return tools


def normalise(text: str) -> str:
    _jieba, converter = _tools()
    return converter.convert(unicodedata.normalize("NFKC", text)).casefold()


def _words(token: str) -> list[str]:
    return _WORD.findall(token)


def document_tokens(*texts: str) -> str:
    """The space-joined tokens of a document's texts (titles, names, codes, English names)."""
    jieba, _converter = _tools()
    out: list[str] = []
    for text in texts:
        if not text:
            continue
        for token in jieba.cut_for_search(normalise(text)):
            out.extend(_words(token))
    return " ".join(dict.fromkeys(out))


@dataclass(frozen=True)
class ParsedQuery:
    """All groups must match; a group matches when any of its alternatives (a list of tokens that
    must all be present) does. 服务中心 → (服务中心) OR (服务 AND 中心), so the query finds the
    word however the document's sentence happened to be segmented."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]

    def fts5(self) -> str:
        def phrase(token: str) -> str:
            return '"' + token.replace('"', '""') + '"'

        def alternative(tokens: tuple[str, ...]) -> str:
            return " AND ".join(phrase(t) for t in tokens)

        return " AND ".join(
            "(" + " OR ".join("(" + alternative(alt) + ")" for alt in group) + ")" for group in self.groups
        )

    def tsquery(self) -> str:
        def lexeme(token: str) -> str:
            return "'" + token.replace("'", "''") + "'"

        def alternative(tokens: tuple[str, ...]) -> str:
            return " & ".join(lexeme(t) for t in tokens)

        return " & ".join(
            "(" + " | ".join("(" + alternative(alt) + ")" for alt in group) + ")" for group in self.groups
        )


def parse_query(raw: str) -> ParsedQuery | None:
    """None for an empty query (browse by filters); ValidationFailed for one that cannot search."""
    text = (raw or "").strip()
    if not text:
        return None
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            _("The search text is too long: use at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH},
            code="query_too_long",
            fields={"q": [_("Use at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH}]},
        )
    jieba, _converter = _tools()
    groups: list[tuple[tuple[str, ...], ...]] = []
    seen: set[str] = set()
    for token in jieba.cut(normalise(text)):
        for word in _words(token):
            if word in seen:
                continue
            seen.add(word)
            alternatives: list[tuple[str, ...]] = [(word,)]
            pieces = tuple(dict.fromkeys(p for piece in jieba.cut_for_search(word) for p in _words(piece) if p != word))
            # Only pieces that together cover the word stand in for it (居家养老 → 居家 养老).
            if pieces and sum(len(p) for p in pieces) >= len(word):
                shortest = tuple(p for p in pieces if not any(p != q and p in q for q in pieces))
                alternatives.append(shortest or pieces)
            groups.append(tuple(alternatives))
    if not groups:
        raise ValidationFailed(
            _("Enter at least one word or number to search for."),
            code="query_without_words",
            fields={"q": [_("The search text has no words, only punctuation or spaces.")]},
        )
    return ParsedQuery(groups=tuple(groups[:MAX_QUERY_GROUPS]))
