from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target-create"),
]
