"""Pure decisions of the open-data layer: cursors, page sizes, what a storable release looks like."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed
from govbuy.core.publication import OCDS_STAGES

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_CURSOR = re.compile(r"^[0-9]{1,18}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def parse_cursor(raw: str | None, *, name: str = "cursor") -> int:
    """A cursor is the feed position after which to continue ("0" or absent: the beginning).
    Clients treat it as opaque; anything else is a 400, never a server error."""
    if raw is None or raw == "":
        return 0
    if not _CURSOR.match(raw):
        raise ValidationFailed(
            _("The cursor is not valid. Use the value of links.next from an earlier page."),
            code="invalid_cursor",
            fields={name: [_("Not a cursor given by this server.")]},
        )
    return int(raw)


def parse_page_size(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            _("The page size must be a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE},
            code="invalid_page_size",
            fields={"page_size": [_("Use a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]},
        )
    return int(raw)


def parse_page_number(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise ValidationFailed(
            _("The page number must be a whole number from 1."),
            code="invalid_page",
            fields={"page": [_("Use a whole number from 1.")]},
        )
    return int(raw)


def release_problems(release: dict[str, Any], *, ocid_prefix: str) -> list[str]:
    """Why a built release may not be stored (a builder's mistake, not the user's)."""
    problems = []
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.startswith(ocid_prefix + "-") or len(ocid) > 150:
        problems.append(f"ocid {ocid!r} does not start with the configured prefix {ocid_prefix!r}")
    tags = release.get("tag")
    if not isinstance(tags, list) or not tags or any(tag not in OCDS_STAGES for tag in tags):
        problems.append(f"tag {tags!r} is not a list of OCDS release tags")
    date = release.get("date")
    if not isinstance(date, str) or not _DATE.match(date):
        problems.append(f"date {date!r} is not an RFC 3339 date-time")
    if release.get("initiationType") not in (None, "tender"):
        problems.append("initiationType must be 'tender'")
    return problems
