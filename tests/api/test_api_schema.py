"""OpenAPI 3 at /api/v1/schema/ and a documentation page that needs no internet."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import api_probes
import pytest
import yaml
from django.contrib.staticfiles import finders

SCHEMA = "/api/v1/schema/"
DOCS = "/api/v1/docs/"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture(autouse=True)
def _probe_urls(settings):
    settings.ROOT_URLCONF = api_probes.__name__


def check_openapi_structure(doc: dict) -> None:
    assert re.fullmatch(r"3\.\d+\.\d+", doc["openapi"]), doc.get("openapi")
    assert doc["info"]["title"] == "govbuy API"
    assert doc["info"]["version"]
    assert isinstance(doc["paths"], dict)
    assert doc["paths"], "the schema lists no paths"
    operation_ids = []
    for route, item in doc["paths"].items():
        assert route.startswith("/api/v1/"), route
        operations = {k: v for k, v in item.items() if k in HTTP_METHODS}
        assert operations, route
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {route} documents no responses"
            operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"

    # Every $ref points at a component that exists.
    components = doc.get("components", {})
    text = json.dumps(doc)
    for ref in set(re.findall(r'"\$ref": "#/components/([^/]+)/([^"]+)"', text)):
        assert ref[1] in components.get(ref[0], {}), f"dangling $ref {ref}"
    schemes = components.get("securitySchemes", {})
    assert any(s.get("scheme") == "bearer" for s in schemes.values()), schemes
    assert any(s.get("in") == "cookie" for s in schemes.values()), schemes


def test_schema_is_openapi3_yaml_by_default(db, client):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "json" not in response["Content-Type"]
    doc = yaml.safe_load(response.content)
    check_openapi_structure(doc)
    assert "/api/v1/_probe/users/" in doc["paths"]


def test_schema_as_json_with_format_parameter(db, client):
    response = client.get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    doc = json.loads(response.content)
    check_openapi_structure(doc)
    users = doc["paths"]["/api/v1/_probe/users/"]["get"]
    page_schema = users["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = doc["components"]["schemas"][page_schema.rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.styles = 0
        self.inline_handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(str(values[name]))
        if tag == "script":
            self.scripts.append(values)
        if tag == "style":
            self.styles += 1
        self.inline_handlers += [name for name, _v in attrs if name.startswith("on")]


def test_docs_page_loads_nothing_from_other_hosts_and_has_no_inline_code(db, client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _Assets()
    assets.feed(html)

    assert assets.urls
    for url in assets.urls:
        assert not re.match(r"^(https?:)?//", url), f"external asset {url}"
    assert not re.search(r"https?://", html), "the docs page names an external URL"

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert len(assets.scripts) == 3
    for script in assets.scripts:
        assert script.get("src"), "inline <script> would be refused by our CSP"
        assert script.get("nonce") == nonce
    assert assets.styles == 0, "inline <style> would be refused by style-src 'self'"
    assert assets.inline_handlers == []

    # The vendored Swagger UI files exist locally (drf-spectacular-sidecar).
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name


def test_docs_init_script_is_served_as_javascript_from_this_site(db, client):
    page = client.get(DOCS).content.decode()
    script_url = re.search(r'<script src="([^"]*script[^"]*)"', page).group(1).replace("&amp;", "&")
    assert script_url.startswith(DOCS)
    response = client.get(script_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "SwaggerUIBundle(" in body
    assert f'url: "{SCHEMA}"' in body
    assert "X-CSRFTOKEN" in body
