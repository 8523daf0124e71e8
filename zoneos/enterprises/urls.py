from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="list"),
    path("enterprises/export/", views.EnterpriseExportView.as_view(), name="export"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="update"),
    path("enterprises/<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="delete"),
    path(
        "enterprises/<int:enterprise>/figures/new/", views.IndicatorFormView.as_view(), name="figures-create"
    ),
    path(
        "enterprises/<int:enterprise>/figures/<int:pk>/edit/",
        views.IndicatorFormView.as_view(),
        name="figures-update",
    ),
    path("enterprises/<int:enterprise>/labels/new/", views.LabelCreateView.as_view(), name="label-create"),
    path("labels/<int:pk>/delete/", views.LabelDeleteView.as_view(), name="label-delete"),
]
