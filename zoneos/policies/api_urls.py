"""The policies' API routes, included under /api/v1/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .api import (
    DeclaredFactViewSet,
    EligibilityView,
    ParameterViewSet,
    PolicyItemViewSet,
    PolicyViewSet,
    RuleViewSet,
    VariablesView,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("policies", PolicyViewSet, basename="policy")
router.register("policy-items", PolicyItemViewSet, basename="policy-item")
router.register("policy-rules", RuleViewSet, basename="policy-rule")
router.register("policy-parameters", ParameterViewSet, basename="policy-parameter")
router.register("declared-facts", DeclaredFactViewSet, basename="declared-fact")

urlpatterns = [
    path("policy-variables/", VariablesView.as_view(), name="policy-variables"),
    path("enterprises/<int:pk>/eligibility/", EligibilityView.as_view(), name="enterprise-eligibility"),
    *router.urls,
]
