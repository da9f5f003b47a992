from django.urls import path

from govbuy.credit.views import public

app_name = "credit_public"
urlpatterns = [
    path("", public.ban_list, name="bans"),
    path("export.xlsx", public.ban_export, name="export"),
    path("export.json", public.ban_ocds, name="ocds"),
    path("providers/<int:pk>/", public.provider_public, name="provider"),
]
