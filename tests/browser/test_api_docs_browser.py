"""The API documentation page renders Swagger UI under our CSP, from this site only."""

from __future__ import annotations

import pytest
from django.urls import path
from rest_framework import generics, serializers

from config import urls as project_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()


class ProbeListView(generics.ListAPIView):
    serializer_class = NameSerializer
    queryset = []

    def get_queryset(self):
        return []


# A known operation in the schema, whatever the domain apps have registered so far.
urlpatterns = [path("api/v1/_probe/docs-names/", ProbeListView.as_view()), *project_urls.urlpatterns]


@pytest.fixture(autouse=True)
def _probe_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_swagger_ui_renders_operations_offline(live_server, page, page_problems):
    foreign_requests: list[str] = []

    def watch(request) -> None:
        if not request.url.startswith(live_server.url) and not request.url.startswith("data:"):
            foreign_requests.append(request.url)

    page.on("request", watch)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)

    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/_probe/docs-names/" in p.replace("\u200b", "") for p in paths), paths
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("govbuy API")
    assert foreign_requests == []
    page_problems.assert_clean()
