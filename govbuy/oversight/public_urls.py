from django.urls import path

from govbuy.oversight.views import public

app_name = "oversight_public"

urlpatterns = [
    path("audit-checkpoints/", public.checkpoints, name="checkpoints"),
]
