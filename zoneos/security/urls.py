from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("account/tokens/", views.TokensView.as_view(), name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("security/events/", views.SecurityEventListView.as_view(), name="events"),
    path("security/events/export/", views.SecurityEventExportView.as_view(), name="events-export"),
]
