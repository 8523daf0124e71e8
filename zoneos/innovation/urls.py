from django.urls import path

from . import fund_views, platform_views, talent_views, views

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
    # Talents, teams and the services they received
    path("innovation/talents/", talent_views.TalentListView.as_view(), name="talents"),
    path("innovation/talents/new/", talent_views.TalentCreateView.as_view(), name="talent-create"),
    path("innovation/talents/<int:pk>/", talent_views.TalentDetailView.as_view(), name="talent"),
    path("innovation/talents/<int:pk>/edit/", talent_views.TalentUpdateView.as_view(), name="talent-edit"),
    path(
        "innovation/talents/<int:pk>/services/new/",
        talent_views.TalentServiceCreateView.as_view(),
        name="talent-service-create",
    ),
    path("innovation/teams/new/", talent_views.TeamCreateView.as_view(), name="team-create"),
    path("innovation/teams/<int:pk>/", talent_views.TeamDetailView.as_view(), name="team"),
    path("innovation/teams/<int:pk>/edit/", talent_views.TeamUpdateView.as_view(), name="team-edit"),
    path(
        "innovation/teams/<int:pk>/services/new/",
        talent_views.TeamServiceCreateView.as_view(),
        name="team-service-create",
    ),
    path(
        "innovation/talent-services/<int:pk>/edit/",
        talent_views.ServiceUpdateView.as_view(),
        name="service-edit",
    ),
    # Funds, their investments and exits
    path("innovation/funds/", fund_views.FundListView.as_view(), name="funds"),
    path("innovation/funds/new/", fund_views.FundCreateView.as_view(), name="fund-create"),
    path("innovation/funds/<int:pk>/", fund_views.FundDetailView.as_view(), name="fund"),
    path("innovation/funds/<int:pk>/edit/", fund_views.FundUpdateView.as_view(), name="fund-edit"),
    path(
        "innovation/funds/<int:pk>/investments/new/",
        fund_views.InvestmentCreateView.as_view(),
        name="investment-create",
    ),
    path(
        "innovation/investments/<int:pk>/edit/",
        fund_views.InvestmentUpdateView.as_view(),
        name="investment-edit",
    ),
    path(
        "innovation/investments/<int:pk>/exits/new/", fund_views.ExitCreateView.as_view(), name="exit-create"
    ),
    path("innovation/exits/<int:pk>/edit/", fund_views.ExitUpdateView.as_view(), name="exit-edit"),
]
