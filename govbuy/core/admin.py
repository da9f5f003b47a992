"""Django's admin is a platform administrator's tool only.

Staff of purchasers, finance bureaus and the other organisations work through the staff pages,
which apply scope, transitions and audit; the admin bypasses all three, so `is_staff` alone
(which other code may grant) must not open it. Signing in to the admin goes through the site's
login (govbuy.accounts replaces admin.site.login); a signed-in user without the platform-admin
role gets a 404 from every admin page, like any object outside their scope, instead of being
sent back to a login they have already passed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from types import MethodType
from typing import Any

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.http import Http404, HttpRequest, HttpResponse


def platform_admin_only(site: AdminSite, request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


def admin_view_for_platform_admins(
    site: AdminSite, view: Callable[..., HttpResponse], cacheable: bool = False
) -> Callable[..., HttpResponse]:
    protected = AdminSite.admin_view(site, view, cacheable)

    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not site.has_permission(request):
            raise Http404
        return protected(request, *args, **kwargs)

    return update_wrapper(inner, protected)


admin.site.has_permission = MethodType(platform_admin_only, admin.site)  # type: ignore[method-assign]
admin.site.admin_view = MethodType(admin_view_for_platform_admins, admin.site)  # type: ignore[method-assign]
