"""The whitelist's API routes, included under /api/v1/ (namespace "api")."""

from rest_framework.routers import DefaultRouter

from .api import ApplicationViewSet, EntityViewSet, ItemViewSet, MovementViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("whitelist-entities", EntityViewSet, basename="whitelist-entity")
router.register("whitelist-applications", ApplicationViewSet, basename="whitelist-application")
router.register("whitelist-items", ItemViewSet, basename="whitelist-item")
router.register("whitelist-movements", MovementViewSet, basename="whitelist-movement")

urlpatterns = router.urls
