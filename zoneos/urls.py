"""URL map: pages, the REST API under /api/v1/, the OpenAPI document, health and admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zoneos.accounts.api import MembershipViewSet, MeView, UserViewSet
from zoneos.appeals.api import (
    AppealViewSet,
    RoutingRuleViewSet,
    SlaPolicyViewSet,
    SymposiumViewSet,
    VisitViewSet,
)
from zoneos.areas.api import AreaViewSet, DepartmentViewSet
from zoneos.core import search as core_search
from zoneos.core import views as core_views
from zoneos.core.schema import SchemaView
from zoneos.enterprises.api import EnterpriseViewSet, IndicatorViewSet, LabelViewSet, YearLockViewSet
from zoneos.notifications.api import ChannelViewSet, InboxViewSet, NotificationViewSet
from zoneos.notifications.api import PreferencesView as NotificationPreferencesView
from zoneos.observability.views import metrics_view
from zoneos.pipeline.api import (
    ConflictViewSet,
    FollowUpViewSet,
    IndustryGroupViewSet,
    ProjectViewSet,
    SigningBatchViewSet,
    StageListView,
)
from zoneos.policies.api_applications import BudgetViewSet, PolicyApplicationViewSet
from zoneos.reports.api import BriefingScheduleViewSet, BriefingView, BriefingViewSet
from zoneos.security.api import ApiTokenViewSet, SecurityEventViewSet
from zoneos.stats.api import OverviewView, TargetViewSet
from zoneos.supervision.api import (
    EvaluationSchemeViewSet,
    KeyProjectViewSet,
    MonthLockViewSet,
    RankingView,
    SigningTargetViewSet,
    SummaryView,
    SupervisionOrderViewSet,
)
from zoneos.tabular.api import ImportViewSet
from zoneos.workdays.api import CalendarDayViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("areas", AreaViewSet, basename="area")
router.register("departments", DepartmentViewSet, basename="department")
router.register("users", UserViewSet, basename="user")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("labels", LabelViewSet, basename="label")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("year-locks", YearLockViewSet, basename="year-lock")
router.register("targets", TargetViewSet, basename="target")
router.register("imports", ImportViewSet, basename="import")
router.register("projects", ProjectViewSet, basename="project")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("signing-batches", SigningBatchViewSet, basename="signing-batch")
router.register("industry-groups", IndustryGroupViewSet, basename="industry-group")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("key-projects", KeyProjectViewSet, basename="key-project")
router.register("supervision/locks", MonthLockViewSet, basename="month-lock")
router.register("supervision/schemes", EvaluationSchemeViewSet, basename="evaluation-scheme")
router.register("supervision/signing-targets", SigningTargetViewSet, basename="signing-target")
router.register("supervision/orders", SupervisionOrderViewSet, basename="supervision-order")
router.register("briefings", BriefingViewSet, basename="briefing")
router.register("briefing-schedules", BriefingScheduleViewSet, basename="briefing-schedule")
router.register("workdays", CalendarDayViewSet, basename="workday")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("symposia", SymposiumViewSet, basename="symposium")
router.register("visits", VisitViewSet, basename="visit")
router.register("routing-rules", RoutingRuleViewSet, basename="routing-rule")
router.register("sla-policies", SlaPolicyViewSet, basename="sla-policy")
router.register("notification-channels", ChannelViewSet, basename="notification-channel")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("inbox", InboxViewSet, basename="inbox")
router.register("tokens", ApiTokenViewSet, basename="api-token")
router.register("security-events", SecurityEventViewSet, basename="security-event")
router.register("policy-applications", PolicyApplicationViewSet, basename="policy-application")
router.register("policy-budgets", BudgetViewSet, basename="policy-budget")

api_urls = [
    path("me/", MeView.as_view(), name="me"),
    path("search/", core_search.SearchApiView.as_view(), name="search"),
    path("stats/overview/", OverviewView.as_view(), name="stats-overview"),
    path("stages/", StageListView.as_view(), name="stages"),
    path("supervision/summary/", SummaryView.as_view(), name="supervision-summary"),
    path("supervision/ranking/", RankingView.as_view(), name="supervision-ranking"),
    path("supervision/briefing/", BriefingView.as_view(), name="supervision-briefing"),
    path("inbox/preferences/", NotificationPreferencesView.as_view(), name="inbox-preferences"),
    path("", include("zoneos.policies.api_urls")),
    path("", include("zoneos.chains.api_urls")),
    path("", include("zoneos.space.api_urls")),
    path("", include("zoneos.research.api_urls")),
    path("", include("zoneos.future.api_urls")),
    path("", include("zoneos.innovation.api_urls")),
    path("", include("zoneos.whitelist.api_urls")),
    *router.urls,
]

urlpatterns = [
    path("", core_views.HomeView.as_view(), name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("login/code/", core_views.LoginCodeView.as_view(), name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("set-area/", core_views.SetAreaView.as_view(), name="set-area"),
    path("search/", core_search.SearchView.as_view(), name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("readyz", core_views.readyz, name="readyz"),
    path("open311/v2/", include("zoneos.open311.urls")),
    path("", include("zoneos.areas.urls")),
    path("", include("zoneos.accounts.urls")),
    path("", include("zoneos.enterprises.urls")),
    path("", include("zoneos.tabular.urls")),
    path("", include("zoneos.pipeline.urls")),
    path("", include("zoneos.supervision.urls")),
    path("", include("zoneos.appeals.urls")),
    path("", include("zoneos.reports.urls")),
    path("", include("zoneos.stats.urls")),
    path("", include("zoneos.policies.urls")),
    path("", include("zoneos.chains.urls")),
    path("", include("zoneos.space.urls")),
    path("", include("zoneos.research.urls")),
    path("", include("zoneos.future.urls")),
    path("", include("zoneos.innovation.urls")),
    path("", include("zoneos.whitelist.urls")),
    path("", include("zoneos.security.urls")),
    path("", include("zoneos.notifications.urls")),
    path("api/v1/", include((api_urls, "api"), namespace="api")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # Before the admin's own URLs: its login, throttled like /login/ (zoneos/core/throttle.py).
    path("admin/login/", core_views.admin_login),
    path("admin/", admin.site.urls),
]

# A request refused while it is read (a body over the limits): JSON under /api/, a page elsewhere.
handler400 = "zoneos.core.refusals.bad_request"
