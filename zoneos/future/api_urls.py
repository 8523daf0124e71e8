"""Future industries' API routes, included under /api/v1/ (namespace "api")."""

from rest_framework.routers import DefaultRouter

from .api import BoardViewSet, FutureIndustryViewSet, ProofViewSet, ScenarioViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("future-industries", FutureIndustryViewSet, basename="future-industry")
router.register("future-boards", BoardViewSet, basename="future-board")
router.register("future-proofs", ProofViewSet, basename="future-proof")
router.register("future-scenarios", ScenarioViewSet, basename="future-scenario")

urlpatterns = router.urls
