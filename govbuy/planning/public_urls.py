from django.urls import path

from govbuy.planning import public_views

app_name = "plans"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("versions/<int:pk>/", public_views.plan_detail, name="plan"),
    path("versions/<int:pk>/plan.xlsx", public_views.plan_xlsx, name="plan_xlsx"),
    path("versions/<int:pk>/plan.pdf", public_views.plan_pdf, name="plan_pdf"),
    path("<str:region_code>/<int:year>/", public_views.region_year, name="region"),
]
