from django.urls import path

from . import views_applications, views_money

app_name = "policies"

urlpatterns = [
    path("policies/applications/", views_applications.ApplicationListView.as_view(), name="applications"),
    path("policies/applications/new/", views_applications.ApplicationCreateView.as_view(), name="apply"),
    path(
        "policies/applications/<int:pk>/",
        views_applications.ApplicationDetailView.as_view(),
        name="application",
    ),
    path("policies/review/", views_applications.ReviewQueueView.as_view(), name="review"),
    path("policies/money/", views_money.MoneyDashboardView.as_view(), name="money"),
]
