from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/briefings/", views.BriefingsView.as_view(), name="briefings"),
    path("reports/briefings/download/", views.DownloadView.as_view(), name="download"),
    path("reports/briefings/request/", views.RequestView.as_view(), name="request"),
    path("reports/briefings/<int:pk>/file/", views.FileView.as_view(), name="file"),
    path("reports/briefings/<int:pk>/delete/", views.BriefingDeleteView.as_view(), name="briefing-delete"),
    path("reports/chains/<int:pk>/map/", views.ChainMapView.as_view(), name="chain-map"),
    path("reports/schedules/", views.ScheduleCreateView.as_view(), name="schedule-add"),
    path("reports/schedules/<int:pk>/delete/", views.ScheduleDeleteView.as_view(), name="schedule-delete"),
]
