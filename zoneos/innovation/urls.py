from django.urls import path

from . import fund_views, platform_views, views

app_name = "innovation"

urlpatterns = [
    path("innovation/points/", views.PointsPageView.as_view(), name="points"),
    path("innovation/platforms/", platform_views.PlatformListView.as_view(), name="platforms"),
    path("innovation/platforms/new/", platform_views.PlatformCreateView.as_view(), name="platform-create"),
    path("innovation/platforms/<int:pk>/", platform_views.PlatformDetailView.as_view(), name="platform"),
    path(
        "innovation/platforms/<int:pk>/edit/",
        platform_views.PlatformUpdateView.as_view(),
        name="platform-edit",
    ),
    path(
        "innovation/platforms/<int:pk>/year/", platform_views.PlatformYearView.as_view(), name="platform-year"
    ),
    path("innovation/talents/", fund_views.TalentListView.as_view(), name="talents"),
    path("innovation/funds/", fund_views.FundListView.as_view(), name="funds"),
    path("innovation/funds/<int:pk>/", fund_views.FundDetailView.as_view(), name="fund"),
]
