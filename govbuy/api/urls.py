from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from govbuy.api.docs import ApiDocsView

app_name = "api"
urlpatterns = [
    # OpenAPI 3: YAML by default, JSON with ?format=json.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("", include("govbuy.api.accounts.urls")),
    path("", include("govbuy.api.organizations.urls")),
    path("", include("govbuy.api.providers.urls")),
    path("", include("govbuy.api.audit.urls")),
    path("", include("govbuy.api.calendar.urls")),
    path("", include("govbuy.api.catalog.urls")),
    path("", include("govbuy.api.search.urls")),
    path("", include("govbuy.api.ocds.urls")),
    path("", include("govbuy.api.planning.urls")),
    path("", include("govbuy.api.procurement.urls")),
    path("", include("govbuy.api.contracts.urls")),
    path("", include("govbuy.api.performance.urls")),
    path("", include("govbuy.api.credit.urls")),
    path("", include("govbuy.api.portal.urls")),
    path("", include("govbuy.api.oversight.urls")),
]
