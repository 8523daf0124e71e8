from django.urls import path

from . import programme_views as programmes
from . import views

app_name = "research"

urlpatterns = [
    path("research/", views.ProjectListView.as_view(), name="list"),
    path("research/new/", views.ProjectCreateView.as_view(), name="create"),
    path("research/<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("research/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="edit"),
    path("research/<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="delete"),
    path("research/reviewers/<int:pk>/remove/", views.ReviewerRemoveView.as_view(), name="reviewer-remove"),
    path(
        "research/expenditures/<int:pk>/delete/",
        views.ExpenditureDeleteView.as_view(),
        name="expenditure-delete",
    ),
    path("research/<int:pk>/workbook/", views.WorkbookView.as_view(), name="workbook"),
    path("research/programmes/", programmes.ProgrammeListView.as_view(), name="programmes"),
    path("research/programmes/new/", programmes.ProgrammeCreateView.as_view(), name="programme-create"),
    path("research/programmes/<int:pk>/", programmes.ProgrammeView.as_view(), name="programme"),
    path(
        "research/programmes/<int:pk>/edit/",
        programmes.ProgrammeUpdateView.as_view(),
        name="programme-edit",
    ),
    path("research/expenditures/<int:pk>/voucher/", views.VoucherView.as_view(), name="voucher"),
]
