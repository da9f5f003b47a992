"""URLs of the calendar API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.calendar.views import (
    AddWorkingDaysView,
    DayDetailView,
    DayListView,
    YearDetailView,
    YearListView,
    YearStatusView,
)

urlpatterns = [
    path("calendar/years/", YearListView.as_view(), name="calendar-years"),
    path("calendar/years/<int:year>/", YearDetailView.as_view(), name="calendar-year"),
    path("calendar/years/<int:year>/status/", YearStatusView.as_view(), name="calendar-year-status"),
    path("calendar/days/", DayListView.as_view(), name="calendar-days"),
    path("calendar/days/<str:day>/", DayDetailView.as_view(), name="calendar-day"),
    path("calendar/add-working-days/", AddWorkingDaysView.as_view(), name="calendar-add-working-days"),
]
