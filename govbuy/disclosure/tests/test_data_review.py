"""What the demo publishes passes the Open Contracting Partnership's data review (libcoveocds,
the library behind the Data Review Tool), offline: the OCDS schema from settings.SHARED_DIR/ocds,
the bids, lots and enquiry extensions (v1.1.5, kept in tests/extensions with their licence) and
our own extension served by our own view. No validation error, no additional field, no empty
field, no extension that fails to load — for the release packages and the record packages.

The demo is loaded with a registered-looking ocid prefix and an https public URL, so the test
also shows that nothing in the data carries the development address or the placeholder prefix."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=False)

PREFIX = "ocds-g0vbuy"
PUBLIC = "https://govbuy.example.gov.cn"
EXTENSIONS_DIR = Path(__file__).parent / "extensions"
GITHUB = "https://raw.githubusercontent.com/open-contracting-extensions/"
# Schemas the standard's files refer to by URL (the record package's versioned release).
STANDARD = "https://standard.open-contracting.org/schema/1__1__5/"
# For an extension on GitHub the registry downloads the tag's archive instead of single files.
ARCHIVES = "https://github.com/open-contracting-extensions/"


def _archive(name: str, tag: str) -> bytes | None:
    """The extension's files as GitHub's archive of the tag would hold them."""
    folder = EXTENSIONS_DIR / name
    if not folder.is_dir():
        return None
    buffer = io.BytesIO()
    root = f"{name}-{tag.removeprefix('v')}/"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(root, "")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, root + str(path.relative_to(folder)))
    return buffer.getvalue()


def _standard_zip() -> bytes:
    """The standard as the profile builder reads it (a ZIP of the repository's schema folder),
    built from the schema files in settings.SHARED_DIR/ocds."""
    source = Path(settings.SHARED_DIR) / "ocds"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard/", "")
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.suffix in (".json", ".csv"):
                archive.write(path, f"standard/schema/{path.relative_to(source)}")
    return buffer.getvalue()


class LocalFiles(requests.adapters.BaseAdapter):
    """Answers the extension URLs from files here (the official extensions) or from our own
    extension view; anything else is refused, so the review can never go online."""

    def __init__(self, client: Client):
        super().__init__()
        self.client = client

    def send(self, request: Any, **kwargs: Any) -> requests.Response:
        url = request.url
        response = requests.Response()
        response.url = url
        response.request = request
        body: bytes | None = None
        if url.startswith(GITHUB):
            name, _version, rest = url[len(GITHUB) :].split("/", 2)
            path = EXTENSIONS_DIR / name / rest
            body = path.read_bytes() if path.is_file() else None
        elif url.startswith(ARCHIVES) and "/archive/" in url:
            name, _archive_word, tag = url[len(ARCHIVES) :].split("/", 2)
            body = _archive(name, tag.removesuffix(".zip"))
        elif url.startswith(STANDARD):
            path = Path(settings.SHARED_DIR) / "ocds" / url[len(STANDARD) :]
            body = path.read_bytes() if path.is_file() else None
        elif url.startswith(PUBLIC + "/"):
            served = self.client.get(urlsplit(url).path)
            body = served.content if served.status_code == 200 else None
        else:
            raise requests.ConnectionError(f"the data review tried to go online: {url}")
        response.status_code = 200 if body is not None else 404
        response._content = body or b""
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def offline(monkeypatch, client):
    """Every HTTP request of the review (the registry's session, jsonref's, anyone's) is answered
    by LocalFiles; there is no way out."""
    from ocdsextensionregistry import extension_version, util

    local = LocalFiles(client)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda _adapter, request, **kw: local.send(request))
    session = requests.Session()
    session.mount("https://", local)
    session.mount("http://", local)
    monkeypatch.setattr(util, "session", session)
    monkeypatch.setattr(extension_version, "session", session)


@pytest.fixture
def demo(settings):
    settings.OCDS_OCID_PREFIX = PREFIX
    settings.GOVBUY_PUBLIC_URL = PUBLIC
    settings.GOVBUY_RATE_LIMITS = {"open_data": None}
    call_command("seed_demo", verbosity=0)


def _release_package(client: Client) -> dict[str, Any]:
    package: dict[str, Any] | None = None
    url = "/ocds/releases?page_size=500"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        body = page.json()
        if package is None:
            package = body
        else:
            package["releases"] += body["releases"]
        url = body.get("links", {}).get("next", "").removeprefix(PUBLIC)
    assert package is not None
    package.pop("links", None)
    return package


def _record_package(client: Client, ocids: list[str]) -> dict[str, Any]:
    package: dict[str, Any] | None = None
    for ocid in ocids:
        body = client.get(f"/ocds/records/{ocid}").json()
        if package is None:
            package = body
        else:
            package["records"] += body["records"]
    assert package is not None
    return package


def _review(package: dict[str, Any], output_dir: Path) -> dict[str, Any]:
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"standard_zip": _standard_zip(), "context": "api"})
    return ocds_json_output(str(output_dir), json_data=json.loads(json.dumps(package)), lib_cove_ocds_config=config)


def _findings(result: dict[str, Any]) -> dict[str, Any]:
    extensions = result.get("extensions") or {}
    checks = result.get("additional_checks") or {}
    return {
        "validation_errors": result["validation_errors"],
        "additional_fields": result["additional_fields"],
        "additional_closed_codelist_values": result.get("additional_closed_codelist_values") or {},
        "invalid_extensions": extensions.get("invalid_extensions") or [],
        "additional_checks": checks,
        "deprecated_fields": result.get("deprecated_fields") or [],
    }


def _extension_fields() -> set[str]:
    """Every property the declared extensions add (their release-schema patches, ours included)."""
    from govbuy.disclosure.schema import EXTENSION_FILES

    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    names.update(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    patches = [json.loads(path.read_text()) for path in EXTENSIONS_DIR.glob("*/release-schema.json")]
    patches.append(json.loads(Path(EXTENSION_FILES["release-schema.json"]).read_text()))
    for patch in patches:
        walk(patch)
    return names


def _applicable(findings: dict[str, Any]) -> dict[str, Any]:
    """The review checks a record's versionedRelease against the standard's versioned schema
    without the extensions (a limit of the tool: it extends only the release schema), so fields an
    extension declares are reported there although the same fields pass in compiledRelease. Those
    findings do not apply; every other one does."""
    declared = _extension_fields()
    findings["additional_fields"] = [
        row
        for row in findings["additional_fields"]
        if not (row["path"].startswith("/records/versionedRelease") and row["field"] in declared)
    ]
    return findings


def test_the_demo_passes_the_data_review(demo, offline, client, tmp_path):
    releases = _release_package(client)
    text = json.dumps(releases, ensure_ascii=False)
    assert "127.0.0.1" not in text
    assert "ocds-xxxxxx" not in text
    # The bid period the law requires between the notice and the deadline (Law Art. 35).
    periods = [r["tender"]["tenderPeriod"] for r in releases["releases"] if "tenderPeriod" in r.get("tender", {})]
    assert periods
    assert all(p["startDate"] < p["endDate"] for p in periods if "startDate" in p), periods
    findings = _findings(_review(releases, tmp_path))
    assert findings == {key: type(value)() for key, value in findings.items()}, json.dumps(
        findings, ensure_ascii=False, indent=1
    )[:6000]
    ocids = sorted({release["ocid"] for release in releases["releases"]})
    records = _record_package(client, ocids)
    findings = _applicable(_findings(_review(records, tmp_path)))
    assert findings == {key: type(value)() for key, value in findings.items()}, json.dumps(
        findings, ensure_ascii=False, indent=1
    )[:6000]
