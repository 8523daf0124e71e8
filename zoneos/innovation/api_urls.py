"""Innovation points' API routes, included under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import BankExportView, ConsentViewSet, PointsView, SystemViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("innovation-systems", SystemViewSet, basename="innovation-system")
router.register("innovation-consents", ConsentViewSet, basename="innovation-consent")

urlpatterns = [
    path("innovation-points/", PointsView.as_view(), name="innovation-points"),
    path("innovation-points/bank-export/", BankExportView.as_view(), name="innovation-bank-export"),
    *router.urls,
]
