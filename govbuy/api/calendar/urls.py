"""URLs of the calendar API (included once by govbuy/api/urls.py; names and paths are part of the API)."""

from __future__ import annotations

from django.urls import path

from govbuy.api.calendar import views

urlpatterns = [
    path("calendar/years/", views.YearListView.as_view(), name="calendar-years"),
    path("calendar/years/<int:year>/", views.YearDetailView.as_view(), name="calendar-year"),
    path("calendar/years/<int:year>/status/", views.YearStatusView.as_view(), name="calendar-year-status"),
    path("calendar/days/", views.DayListView.as_view(), name="calendar-days"),
    path("calendar/days/<str:day>/", views.DayDetailView.as_view(), name="calendar-day"),
    path("calendar/add-working-days/", views.AddWorkingDaysView.as_view(), name="calendar-add-working-days"),
]
