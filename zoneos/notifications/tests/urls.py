"""The project's URLs with this app's API routes added, for its tests until zoneos/urls.py registers
them (and harmless after: routes the project already has are not added twice)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from zoneos import urls as project
from zoneos.notifications.api import ChannelViewSet, NotificationViewSet

ROUTES = [
    ("notification-channels", ChannelViewSet, "notification-channel"),
    ("notifications", NotificationViewSet, "notification"),
]

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
registered = {prefix for prefix, *_rest in project.router.registry}
for prefix, viewset, basename in ROUTES:
    if prefix not in registered:
        router.register(prefix, viewset, basename=basename)

api_urls = [*project.api_urls, *router.urls]
api = path("api/v1/", include((api_urls, "api"), namespace="api"))
urlpatterns = [api if getattr(p, "namespace", None) == "api" else p for p in project.urlpatterns]
