from django.urls import path

from . import passwords, views

app_name = "accounts"
urlpatterns = [
    path("users/", views.UserListView.as_view(), name="users"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user-update"),
    path("users/<int:pk>/deactivate/", views.UserDeactivateView.as_view(), name="user-deactivate"),
    path(
        "users/<int:pk>/two-factor/reset/", views.TwoFactorResetView.as_view(), name="user-two-factor-reset"
    ),
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/password/", passwords.PasswordChangeView.as_view(), name="password-change"),
    path("password-reset/", passwords.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("users/<int:pk>/password/", passwords.AdminPasswordResetView.as_view(), name="user-password"),
    path("account/two-factor/", views.TwoFactorEnrolView.as_view(), name="two-factor-enrol"),
    path("account/two-factor/remove/", views.TwoFactorRemoveView.as_view(), name="two-factor-remove"),
    path("memberships/", views.MembershipListView.as_view(), name="memberships"),
    path("memberships/new/", views.MembershipCreateView.as_view(), name="membership-create"),
    path("memberships/<int:pk>/", views.MembershipDetailView.as_view(), name="membership"),
    path("memberships/<int:pk>/edit/", views.MembershipUpdateView.as_view(), name="membership-update"),
    path("memberships/<int:pk>/delete/", views.MembershipDeleteView.as_view(), name="membership-delete"),
]
