"""API endpoints for calendar."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
