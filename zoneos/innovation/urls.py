from django.urls import path

from . import views

app_name = "innovation"

urlpatterns = [
    path("innovation/points/", views.PointsPageView.as_view(), name="points"),
]
