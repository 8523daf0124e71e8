from django.urls import path

from . import views

app_name = "space"

urlpatterns = [
    path("space/", views.SpaceView.as_view(), name="home"),
    path("space/map/", views.MapView.as_view(), name="map"),
    path("space/parcels/", views.ParcelListView.as_view(), name="parcels"),
    path("space/parcels/new/", views.ParcelCreateView.as_view(), name="parcel-create"),
    path("space/parcels/<int:pk>/", views.ParcelDetailView.as_view(), name="parcel"),
    path("space/parcels/<int:pk>/edit/", views.ParcelUpdateView.as_view(), name="parcel-edit"),
    path("space/buildings/", views.BuildingListView.as_view(), name="buildings"),
    path("space/buildings/new/", views.BuildingCreateView.as_view(), name="building-create"),
    path("space/buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building"),
    path("space/buildings/<int:pk>/edit/", views.BuildingUpdateView.as_view(), name="building-edit"),
    path("space/buildings/<int:parent>/units/new/", views.UnitCreateView.as_view(), name="unit-create"),
    path("space/units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit-edit"),
    path("space/units/<int:parent>/leases/new/", views.LeaseCreateView.as_view(), name="lease-create"),
    path("space/leases/<int:pk>/edit/", views.LeaseUpdateView.as_view(), name="lease-edit"),
    path(
        "space/buildings/<int:parent>/renovations/new/",
        views.RenovationCreateView.as_view(),
        name="renovation-create",
    ),
    path("space/renovations/<int:pk>/edit/", views.RenovationUpdateView.as_view(), name="renovation-edit"),
]
