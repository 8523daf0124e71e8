"""This app's API routes alone, for checking that drf-spectacular describes them without a warning."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .urls import ROUTES

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [path("api/v1/", include((router.urls, "api"), namespace="api"))]
