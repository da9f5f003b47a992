from django.urls import path

from govbuy.procurement.views import public

app_name = "tenders"

urlpatterns = [
    path("", public.public_list, name="index"),
    path("<int:pk>/", public.public_detail, name="tender"),
    path("<int:pk>/documents/<int:doc_pk>/", public.public_document, name="document"),
]
