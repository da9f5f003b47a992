from django.urls import path

from govbuy.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<int:position>/", views.event_detail, name="event_detail"),
    path("checkpoints/", views.checkpoint_list, name="checkpoint_list"),
    path("verify-runs/", views.verify_run_create, name="verify_run_create"),
    path("verify-runs/<int:run_id>/", views.verify_run_detail, name="verify_run_detail"),
]
