from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("appeals/", views.QueueView.as_view(), name="queue"),
    path("appeals/new/", views.SubmitView.as_view(), name="submit"),
    path("appeals/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("appeals/export/", views.ExportView.as_view(), name="export"),
    path("appeals/<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("appeals/<int:pk>/files/<int:file_pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("appeals/<int:pk>/<str:step>/", views.StepView.as_view(), name="step"),
    path("symposia/", views.SymposiumListView.as_view(), name="symposia"),
    path("symposia/<int:pk>/", views.SymposiumDetailView.as_view(), name="symposium"),
    path("workbench/", views.WorkbenchView.as_view(), name="workbench"),
]
