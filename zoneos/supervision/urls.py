from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.SummaryView.as_view(), name="summary"),
    path("supervision/plan/", views.PlanView.as_view(), name="plan"),
    path("supervision/ranking/", views.RankingView.as_view(), name="ranking"),
    path("supervision/orders/", views.OrderListView.as_view(), name="orders"),
    path("supervision/orders/<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("supervision/projects/<int:pk>/order/", views.OrderIssueView.as_view(), name="issue-order"),
    path("supervision/projects/<int:pk>/", views.KeyProjectDetailView.as_view(), name="detail"),
    path("supervision/projects/<int:pk>/report/", views.ReportView.as_view(), name="report"),
]
