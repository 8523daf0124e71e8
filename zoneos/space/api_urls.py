"""Space's API routes, included under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import (
    BuildingViewSet,
    LeaseViewSet,
    MatchView,
    ParcelViewSet,
    RenovationViewSet,
    UnitViewSet,
    VacancyView,
)
from .map_api import MapView, ShapeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("space-parcels", ParcelViewSet, basename="space-parcel")
router.register("space-buildings", BuildingViewSet, basename="space-building")
router.register("space-units", UnitViewSet, basename="space-unit")
router.register("space-leases", LeaseViewSet, basename="space-lease")
router.register("space-shapes", ShapeViewSet, basename="space-shape")
router.register("space-renovations", RenovationViewSet, basename="space-renovation")

urlpatterns = [
    path("space/vacancy/", VacancyView.as_view(), name="space-vacancy"),
    path("space/match/", MatchView.as_view(), name="space-match"),
    path("space/map/", MapView.as_view(), name="space-map"),
    *router.urls,
]
