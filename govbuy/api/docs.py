"""The API's interactive documentation, served entirely from this site and allowed by our CSP.

drf-spectacular's stock Swagger page inlines its start-up script and a <style> block, which the
Content-Security-Policy (script-src 'self' + nonce, style-src 'self') refuses. The split view
serves that script from this same URL (`?script`), and our template loads it, the vendored
Swagger UI (drf-spectacular-sidecar, under /static/) and a stylesheet, with no inline code and
no third-party host.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
