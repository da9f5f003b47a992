from django.urls import path

from govbuy.oversight.views import public, statistics

app_name = "oversight_public"

urlpatterns = [
    path("audit-checkpoints/", public.checkpoints, name="checkpoints"),
    path("statistics/", statistics.public_statistics, name="statistics"),
    path("statistics/export.xlsx", statistics.public_statistics_export, name="statistics_export"),
]
