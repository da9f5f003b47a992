"""Probe endpoints for the API base tests, mounted in front of the project's own URLs.

The domain APIs come and go as apps grow; these probes pin the cross-cutting behaviour (error
shape, pagination, authentication) independently of any one domain.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config import urls as project_urls
from govbuy.core.errors import Conflict, ValidationFailed


class ItemSerializer(serializers.Serializer):
    qty = serializers.IntegerField(min_value=1)


class ProbeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    items = ItemSerializer(many=True, required=False)


class ProbeView(APIView):
    serializer_class = ProbeSerializer

    def get(self, request):
        return Response({"username": request.user.get_username()})

    def post(self, request):
        serializer = ProbeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data, status=201)


class DomainErrorView(APIView):
    serializer_class = ProbeSerializer

    def post(self, request):
        if request.data.get("kind") == "validation":
            raise ValidationFailed(fields={"name": [_("This field is required.")]})
        raise Conflict()

    def get(self, request):
        get_object_or_404(get_user_model(), pk=0)
        return Response({})


class UserNameSerializer(serializers.Serializer):
    username = serializers.CharField()


class UserListView(generics.ListAPIView):
    serializer_class = UserNameSerializer

    def get_queryset(self):
        return get_user_model().objects.order_by("username")


urlpatterns = [
    path("api/v1/_probe/", ProbeView.as_view(), name="probe"),
    path("api/v1/_probe/domain/", DomainErrorView.as_view(), name="probe-domain"),
    path("api/v1/_probe/users/", UserListView.as_view(), name="probe-users"),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
