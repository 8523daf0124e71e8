"""The chains' API routes, included under /api/v1/ (namespace "api")."""

from rest_framework.routers import DefaultRouter

from .api import ChainViewSet, LinkViewSet, PlacementViewSet, StrengthRuleViewSet
from .api_targets import CandidateViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("chains", ChainViewSet, basename="chain")
router.register("chain-links", LinkViewSet, basename="chain-link")
router.register("chain-placements", PlacementViewSet, basename="chain-placement")
router.register("chain-candidates", CandidateViewSet, basename="chain-candidate")
router.register("chain-strength-rules", StrengthRuleViewSet, basename="chain-strength-rule")

urlpatterns = router.urls
