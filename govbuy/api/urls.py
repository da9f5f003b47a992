from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from govbuy.api.docs import ApiDocsView

app_name = "api"
urlpatterns = [
    # OpenAPI 3: YAML by default, JSON with ?format=json.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("", include("govbuy.api.accounts")),
    path("", include("govbuy.api.organizations")),
    path("", include("govbuy.api.providers")),
    path("", include("govbuy.api.audit")),
    path("", include("govbuy.api.calendar")),
    path("", include("govbuy.api.catalog")),
    path("", include("govbuy.api.search")),
    path("", include("govbuy.api.ocds")),
    path("", include("govbuy.api.planning")),
    path("", include("govbuy.api.procurement")),
    path("", include("govbuy.api.procurement_clarifications")),
    path("", include("govbuy.api.procurement_awards")),
    path("", include("govbuy.api.portal")),
    path("", include("govbuy.api.oversight.urls")),
]
