"""Pieces every release builder uses: ocids, parties with USCC identifiers, CNY amounts, catalog
classifications, release ids, and the package metadata (extensions, publisher, license)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse

from govbuy.core.money import CENT
from govbuy.disclosure import jsonutil

# Re-exported: builders and tests call these through this module.
from govbuy.organizations.ocds import party, party_id, party_reference  # noqa: F401

OCDS_VERSION = "1.1"
# Official extensions (open-contracting-extensions, tagged for OCDS 1.1.5) and our own, served
# from /ocds/extension/ (docs/ocds.md).
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"
)
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)
# Tender clarifications as `tender.enquiries` (procurement.ocds; no `author`: askers stay hidden).
ENQUIRY_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/v1.1.5/extension.json"
)
RELEASE_ID_HASH_LENGTH = 24  # hex characters of the content digest in a release id (96 bits)


def ocid_prefix() -> str:
    return str(settings.OCDS_OCID_PREFIX)


def ocid_for(local_id: str) -> str:
    """The ocid of a contracting process: the registered prefix and our stable local id."""
    return f"{ocid_prefix()}-{local_id}"


def public_url(path: str) -> str:
    return str(settings.GOVBUY_PUBLIC_URL).rstrip("/") + path


def local_extension_url() -> str:
    return public_url(reverse("disclosure:ocds-extension", kwargs={"name": "extension.json"}))


def extensions() -> list[str]:
    return [BIDS_EXTENSION, LOTS_EXTENSION, ENQUIRY_EXTENSION, local_extension_url()]


def publisher() -> dict[str, Any]:
    data: dict[str, Any] = {"name": str(settings.OCDS_PUBLISHER_NAME)}
    if settings.OCDS_PUBLISHER_USCC:
        data.update({"scheme": settings.OCDS_ORG_SCHEME, "uid": settings.OCDS_PUBLISHER_USCC})
    data["uri"] = public_url("/")
    return data


def package_metadata(*, uri: str, published_date: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": extensions(),
        "publisher": publisher(),
        "publishedDate": published_date,
    }
    if settings.OCDS_LICENSE:
        meta["license"] = settings.OCDS_LICENSE
    meta["publicationPolicy"] = public_url(reverse("disclosure:ocds-policy"))
    return meta


def format_date(moment: datetime) -> str:
    """UTC with 'Z' and whole seconds: release dates sort as strings, which is how OCDS merges."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def value(amount: Decimal) -> dict[str, Any]:
    """An OCDS Value in yuan: the exact Decimal becomes an exact JSON number."""
    return {"amount": Decimal(amount).quantize(CENT), "currency": "CNY"}


reference = party_reference


def catalog_classification(*, code: str, description: str, uri: str = "") -> dict[str, Any]:
    """Items are classified with our guidance catalog: `code` is the scheme id
    "<region code>:<version number>:<item code>" (docs/ocds-catalog-scheme.md), since an item
    code alone is unique only within one version of one region's catalog."""
    classification = {"scheme": settings.OCDS_CATALOG_SCHEME, "id": code, "description": description}
    if uri:
        classification["uri"] = uri
    return classification


def _is_empty(value: Any) -> bool:
    return (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def prune_empty(value: Any) -> Any:
    """The value without empty (or blank) strings, arrays and objects, at any depth (a parent
    left empty goes too): OCDS asks publishers to omit a field they have nothing for, rather than
    publish `"documents": []` (and its data review tool reports such fields). null stays: in a
    later release it removes a value published before (the merge rules). False and 0 stay: they
    say something."""
    if isinstance(value, dict):
        pruned = {key: prune_empty(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if not _is_empty(item)}
    if isinstance(value, list):
        pruned_items = [prune_empty(item) for item in value]
        return [item for item in pruned_items if not _is_empty(item)]
    return value


def content_digest(release: dict[str, Any]) -> str:
    """sha256 of the canonical release without its id: what the id is derived from."""
    body = {key: val for key, val in release.items() if key != "id"}
    return hashlib.sha256(jsonutil.dumps(body).encode()).hexdigest()


def release_id_for(ocid: str, digest: str) -> str:
    return f"{ocid}-{digest[:RELEASE_ID_HASH_LENGTH]}"
