from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("research/", views.ProjectListView.as_view(), name="list"),
    path("research/new/", views.ProjectCreateView.as_view(), name="create"),
    path("research/<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("research/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="edit"),
    path("research/<int:pk>/workbook/", views.WorkbookView.as_view(), name="workbook"),
    path("research/expenditures/<int:pk>/voucher/", views.VoucherView.as_view(), name="voucher"),
]
