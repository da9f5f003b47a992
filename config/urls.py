from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from govbuy.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("govbuy.api.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("govbuy.accounts.urls")),
    path("organizations/", include("govbuy.organizations.urls")),
    path("providers/", include("govbuy.providers.urls")),
    path("audit/", include("govbuy.audit.urls")),
    path("", include("govbuy.disclosure.urls")),
    # The public portal's home is the site's root; the signed-in staff home is /workspace/.
    path("", include("govbuy.portal.urls")),
    path("catalog/", include("govbuy.catalog.urls")),
    path("planning/", include("govbuy.planning.urls")),
    path("plans/", include("govbuy.planning.public_urls")),
    path("procurement/", include("govbuy.procurement.urls")),
    path("oversight/", include("govbuy.oversight.urls")),
    path("open-data/", include("govbuy.oversight.public_urls")),
    path("tenders/", include("govbuy.procurement.public_urls")),
    path("contracts/", include("govbuy.contracts.urls")),
    path("performance/", include("govbuy.performance.urls")),
    path("", include("govbuy.performance.public_urls")),
    path("credit/", include("govbuy.credit.urls")),
    path("credit-list/", include("govbuy.credit.public_urls")),
    path("", include("govbuy.core.urls")),
]

# Errors under /api/ answer in the API's JSON shape; elsewhere as pages in the site's layout.
handler400 = "govbuy.core.views.bad_request"
handler403 = "govbuy.core.views.permission_denied"
handler404 = "govbuy.core.views.page_not_found"
handler500 = "govbuy.core.views.server_error"

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Language is chosen by cookie/Accept-Language and the switcher (set_language), not URL prefixes:
# the same URL is shared across languages so citizens can pass links around.
