"""API endpoints for accounts."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
