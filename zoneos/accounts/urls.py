from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user-update"),
    path("users/<int:pk>/deactivate/", views.UserDeactivateView.as_view(), name="user-deactivate"),
    path("memberships/", views.MembershipListView.as_view(), name="memberships"),
    path("memberships/new/", views.MembershipCreateView.as_view(), name="membership-create"),
    path("memberships/<int:pk>/", views.MembershipDetailView.as_view(), name="membership"),
    path("memberships/<int:pk>/edit/", views.MembershipUpdateView.as_view(), name="membership-update"),
    path("memberships/<int:pk>/delete/", views.MembershipDeleteView.as_view(), name="membership-delete"),
]
