from django.urls import path

from . import files, views

app_name = "pipeline"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="list"),
    path("projects/board/", views.BoardView.as_view(), name="board"),
    path("projects/funnel/", views.FunnelView.as_view(), name="funnel"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="create"),
    path("projects/export/", views.ProjectExportView.as_view(), name="export"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="edit"),
    path("projects/<int:pk>/evidence/<int:event_pk>/", files.EvidenceView.as_view(), name="evidence"),
    path("projects/<int:pk>/move/", views.MoveView.as_view(), name="move"),
    path("projects/<int:pk>/follow-up/", views.FollowUpCreateView.as_view(), name="follow-up"),
    path("projects/conflicts/", views.ConflictListView.as_view(), name="conflicts"),
    path("projects/conflicts/<int:pk>/resolve/", views.ResolveView.as_view(), name="resolve"),
    path("projects/batches/", views.BatchListView.as_view(), name="batches"),
    path("projects/batches/new/", views.BatchCreateView.as_view(), name="batch-create"),
    path("projects/batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch"),
]
