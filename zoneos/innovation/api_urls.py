"""Innovation's API routes (points, platforms, talents, funds), included under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import BankExportView, ConsentViewSet, PointsView, SystemViewSet
from .fund_api import ExitViewSet, FundViewSet, InvestmentViewSet
from .platform_api import PlatformViewSet, PlatformYearViewSet
from .talent_api import TalentServiceViewSet, TalentTeamViewSet, TalentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("innovation-systems", SystemViewSet, basename="innovation-system")
router.register("innovation-consents", ConsentViewSet, basename="innovation-consent")
router.register("innovation-platforms", PlatformViewSet, basename="innovation-platform")
router.register("platform-years", PlatformYearViewSet, basename="platform-year")
router.register("talents", TalentViewSet, basename="talent")
router.register("talent-teams", TalentTeamViewSet, basename="talent-team")
router.register("talent-services", TalentServiceViewSet, basename="talent-service")
router.register("funds", FundViewSet, basename="fund")
router.register("fund-investments", InvestmentViewSet, basename="fund-investment")
router.register("fund-exits", ExitViewSet, basename="fund-exit")

urlpatterns = [
    path("innovation-points/", PointsView.as_view(), name="innovation-points"),
    path("innovation-points/bank-export/", BankExportView.as_view(), name="innovation-bank-export"),
    *router.urls,
]
