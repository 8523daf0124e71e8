from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("policies/", views.CatalogueView.as_view(), name="catalogue"),
    path("policies/items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("policies/items/<int:item>/rules/new/", views.RuleEditorView.as_view(), name="rule-create"),
    path("policies/items/<int:item>/try/", views.TryRuleView.as_view(), name="rule-try"),
    path("policies/rules/<int:pk>/", views.RuleEditorView.as_view(), name="rule-editor"),
    path("policies/rules/<int:pk>/publish/", views.PublishView.as_view(), name="rule-publish"),
    path("policies/calculator/", views.CalculatorView.as_view(), name="calculator"),
]
