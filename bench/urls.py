"""The project's URLs plus /bench/ceiling: the smallest Django JSON view, behind the same
middleware, settings and server as the real pages, so its throughput is the framework's ceiling
on this machine. Loaded only by bench/settings.py, never by the production URLconf."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


@require_safe
def ceiling(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ceiling", ceiling, name="bench-ceiling"), *project_urlpatterns]
