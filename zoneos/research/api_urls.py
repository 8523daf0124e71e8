"""Research projects' API routes, included under /api/v1/ (namespace "api")."""

from rest_framework.routers import DefaultRouter

from .api import AdjustmentViewSet, ExpenditureViewSet, ProgrammeViewSet, ProjectViewSet, ReviewerViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("research-programmes", ProgrammeViewSet, basename="research-programme")
router.register("research-projects", ProjectViewSet, basename="research-project")
router.register("research-reviewers", ReviewerViewSet, basename="research-reviewer")
router.register("research-adjustments", AdjustmentViewSet, basename="research-adjustment")
router.register("research-expenditures", ExpenditureViewSet, basename="research-expenditure")

urlpatterns = router.urls
