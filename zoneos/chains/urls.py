from django.urls import path

from . import views

app_name = "chains"

urlpatterns = [
    path("chains/", views.ChainListView.as_view(), name="list"),
    path("chains/matrix/", views.MatrixView.as_view(), name="matrix"),
    path("chains/<int:pk>/", views.ChainView.as_view(), name="detail"),
    path("chains/<int:pk>/targets/", views.TargetsView.as_view(), name="targets"),
    path("chains/links/<int:pk>/", views.LinkView.as_view(), name="link"),
]
