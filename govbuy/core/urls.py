from django.urls import path

from govbuy.core import views
from govbuy.core.calendar import views as calendar_views

app_name = "core"
urlpatterns = [
    # The root is the public portal (govbuy.portal.urls); staff work starts here.
    path("workspace/", views.home, name="home"),
    path("calendar/", calendar_views.calendar_current, name="calendar"),
    path("calendar/working-days/", calendar_views.calendar_calculator, name="calendar-calculator"),
    path("calendar/edit/", calendar_views.calendar_edit_current, name="calendar-edit-current"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar-year"),
    path("calendar/<int:year>/edit/", calendar_views.calendar_edit, name="calendar-edit"),
    path("calendar/<int:year>/edit/remove/", calendar_views.calendar_remove_day, name="calendar-remove-day"),
    path("calendar/<int:year>/edit/status/", calendar_views.calendar_mark_year, name="calendar-mark-year"),
]
