from django.urls import path

from . import views

app_name = "whitelist"

urlpatterns = [
    path("whitelist/", views.ApplicationListView.as_view(), name="applications"),
    path("whitelist/new/", views.ApplicationCreateView.as_view(), name="application-create"),
    path("whitelist/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path("whitelist/<int:pk>/edit/", views.ApplicationUpdateView.as_view(), name="application-edit"),
    path("whitelist/<int:pk>/delete/", views.ApplicationDeleteView.as_view(), name="application-delete"),
    path("whitelist/<int:pk>/customs.xlsx", views.CustomsSheetView.as_view(), name="customs"),
    path("whitelist/<int:parent>/items/new/", views.ItemCreateView.as_view(), name="item-create"),
    path("whitelist/items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item-edit"),
    path("whitelist/items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item-delete"),
    path("whitelist/entities/", views.EntityListView.as_view(), name="entities"),
    path("whitelist/entities/new/", views.EntityCreateView.as_view(), name="entity-create"),
    path("whitelist/entities/<int:pk>/edit/", views.EntityUpdateView.as_view(), name="entity-edit"),
]
