from django.urls import path

from govbuy.planning.views import public

app_name = "plans"
urlpatterns = [
    path("", public.index, name="index"),
    path("versions/<int:pk>/", public.plan_detail, name="plan"),
    path("versions/<int:pk>/plan.xlsx", public.plan_xlsx, name="plan_xlsx"),
    path("versions/<int:pk>/plan.pdf", public.plan_pdf, name="plan_pdf"),
    path("<str:region_code>/<int:year>/", public.region_year, name="region"),
]
