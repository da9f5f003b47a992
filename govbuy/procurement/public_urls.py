from django.urls import path

from govbuy.procurement import views

app_name = "tenders"

urlpatterns = [
    path("", views.public_list, name="index"),
    path("<int:pk>/", views.public_detail, name="tender"),
    path("<int:pk>/documents/<int:doc_pk>/", views.public_document, name="document"),
]
