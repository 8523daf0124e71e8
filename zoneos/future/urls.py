from django.urls import path

from . import views

app_name = "future"

urlpatterns = [
    path("future/", views.IndustryListView.as_view(), name="list"),
    path("future/boards/new/", views.BoardCreateView.as_view(), name="board-create"),
    path("future/boards/<int:pk>/", views.BoardView.as_view(), name="board"),
    path("future/boards/<int:pk>/proofs/", views.AddProofView.as_view(), name="proof-add"),
    path("future/proofs/<int:pk>/remove/", views.RemoveProofView.as_view(), name="proof-remove"),
    path("future/proofs/<int:pk>/document/", views.ProofDocumentView.as_view(), name="proof-document"),
    path("future/scenarios/", views.ScenarioListView.as_view(), name="scenarios"),
    path("future/scenarios/new/", views.ScenarioCreateView.as_view(), name="scenario-create"),
    path("future/scenarios/<int:pk>/", views.ScenarioView.as_view(), name="scenario"),
    path("future/scenarios/<int:pk>/edit/", views.ScenarioUpdateView.as_view(), name="scenario-edit"),
]
