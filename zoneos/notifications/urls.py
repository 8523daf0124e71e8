from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", views.ReadView.as_view(), name="read"),
    path("inbox/read-all/", views.ReadAllView.as_view(), name="read-all"),
    path("inbox/preferences/", views.PreferencesView.as_view(), name="preferences"),
]
