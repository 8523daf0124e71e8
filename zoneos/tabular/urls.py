from django.urls import path

from . import views

app_name = "tabular"

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="list"),
    path("imports/template/", views.TemplateDownloadView.as_view(), name="template"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("imports/<int:pk>/commit/", views.ImportCommitView.as_view(), name="commit"),
    path("imports/<int:pk>/rerun/", views.ImportRerunView.as_view(), name="rerun"),
    path("imports/<int:pk>/mapping/", views.ImportMappingView.as_view(), name="mapping"),
    path("imports/<int:pk>/changes/", views.ImportChangesView.as_view(), name="changes"),
]
