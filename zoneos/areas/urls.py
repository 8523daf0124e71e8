from django.urls import path

from . import views

app_name = "areas"
urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="list"),
    path("areas/new/", views.AreaCreateView.as_view(), name="create"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="detail"),
    path("areas/<int:pk>/edit/", views.AreaUpdateView.as_view(), name="update"),
    path("areas/<int:pk>/delete/", views.AreaDeleteView.as_view(), name="delete"),
    path("departments/", views.DepartmentListView.as_view(), name="departments"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department-create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department-update"),
    path("departments/<int:pk>/delete/", views.DepartmentDeleteView.as_view(), name="department-delete"),
]
