"""Forms of the working-day calendar pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govbuy.core.forms import Form
from govbuy.core.models import CalendarDay, CalendarYear

MAX_CALCULATOR_DAYS = 1000


class _YearBound(Form):
    """A form about one year's days: a date outside that year is an input error."""

    id_prefix = "calendar"

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        # Several forms share the edit page: distinct ids keep labels and fields paired.
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.year = year
        if "date" in self.fields:
            self.fields["date"].widget.attrs.update({"min": f"{year}-01-01", "max": f"{year}-12-31"})

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day.year != self.year:
            raise forms.ValidationError(_("Choose a date in %(year)s.") % {"year": self.year})
        return day


class DayForm(_YearBound):
    id_prefix = "day"
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=60, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=60, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class RemoveDayForm(_YearBound):
    id_prefix = "remove"
    date = forms.DateField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class YearStatusForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=CalendarYear.Status.choices)
    source = forms.CharField(
        label=_("Source (the State Council notice)"),
        max_length=200,
        required=False,
        help_text=_("For example: the title and number of the State Council General Office's notice."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "status-%s")
        super().__init__(*args, **kwargs)


class CalculatorForm(Form):
    start = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=-MAX_CALCULATOR_DAYS,
        max_value=MAX_CALCULATOR_DAYS,
        help_text=_("The start date is not counted. A negative number counts backwards."),
    )
