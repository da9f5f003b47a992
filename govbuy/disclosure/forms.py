"""The public search form: one parser for the page and the API, so both refuse the same input
with the same messages (400, never a server error)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed
from govbuy.core.forms import Form
from govbuy.disclosure import rules
from govbuy.disclosure.models import SearchDocument
from govbuy.disclosure.selectors import SearchFilters
from govbuy.disclosure.text import MAX_QUERY_LENGTH, ParsedQuery, parse_query


class SearchForm(Form):
    # The length is checked by parse_query with its own message; the field only bounds the work.
    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH * 100, strip=True)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *SearchDocument.Kind.choices])
    region = forms.IntegerField(label=_("Region"), required=False, min_value=1, max_value=2**62)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    status = forms.CharField(label=_("Status"), required=False, max_length=40)
    category = forms.CharField(label=_("Catalog category"), required=False, max_length=40)
    method = forms.CharField(label=_("Procurement method"), required=False, max_length=40)


@dataclass(frozen=True)
class SearchRequest:
    text: str
    query: ParsedQuery | None
    filters: SearchFilters
    page: int


def parse_search(data: Any) -> tuple[SearchForm, SearchRequest]:
    form = SearchForm(data)
    fields: dict[str, list[Any]] = {}
    if not form.is_valid():
        fields = {name: list(errors) for name, errors in form.errors.items()}
    try:
        page = rules.parse_page_number(data.get("page"))
    except ValidationFailed as error:
        fields.update(error.fields)
        page = 1
    if fields:
        raise ValidationFailed(_("Some search options are not valid."), fields=fields)
    cleaned = form.cleaned_data
    query = parse_query(cleaned["q"])
    filters = SearchFilters(
        kind=cleaned["kind"] or "",
        region=cleaned["region"],
        year=cleaned["year"],
        status=cleaned["status"] or "",
        category=cleaned["category"] or "",
        method=cleaned["method"] or "",
    )
    return form, SearchRequest(text=cleaned["q"], query=query, filters=filters, page=page)
