"""Public pages of the provider registry: the directory of verified providers and self-registration."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govbuy.core.errors import DomainError
from govbuy.core.forms import apply_domain_error
from govbuy.organizations.kinds import PROVIDER_KINDS
from govbuy.providers import selectors
from govbuy.providers.forms import (
    RegistrationForm,
    provider_kind_choices,
)
from govbuy.providers.models import ServiceArea
from govbuy.providers.services import registration

PAGE_SIZE = 25


# --- Public ---------------------------------------------------------------------------------------------


def directory(request: HttpRequest) -> HttpResponse:
    qs = selectors.public_directory(request.GET).prefetch_related("service_areas__item")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "providers/directory.html",
        {
            "page": page,
            "q": request.GET.get("q", "")[:100],
            "kind": request.GET.get("kind", ""),
            "kinds": [(v, label) for v, label in provider_kind_choices()[1:] if v in PROVIDER_KINDS],
        },
    )


def directory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.public_provider(pk)
    areas = ServiceArea.objects.filter(profile=profile).select_related("item").order_by("item_code")
    return render(request, "providers/directory_detail.html", {"profile": profile, "areas": areas})


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.register_provider(**form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("Your organisation is registered. Sign in to prepare your eligibility dossier.")
            )
            return redirect("accounts:login")
    return render(request, "providers/register.html", {"form": form})
