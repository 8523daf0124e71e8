from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("supervision/", views.SummaryView.as_view(), name="summary"),
    path("supervision/plan/", views.PlanView.as_view(), name="plan"),
    path("supervision/projects/<int:pk>/", views.KeyProjectDetailView.as_view(), name="detail"),
    path("supervision/projects/<int:pk>/report/", views.ReportView.as_view(), name="report"),
]
