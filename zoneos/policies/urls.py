from django.urls import path

from . import views, views_applications, views_facts, views_money

app_name = "policies"
urlpatterns = [
    path("policies/", views.CatalogueView.as_view(), name="catalogue"),
    path("policies/items/<int:pk>/", views.ItemView.as_view(), name="item"),
    path("policies/attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("policies/items/<int:item>/rules/new/", views.RuleEditorView.as_view(), name="rule-create"),
    path("policies/items/<int:item>/try/", views.TryRuleView.as_view(), name="rule-try"),
    path("policies/rules/<int:pk>/", views.RuleEditorView.as_view(), name="rule-editor"),
    path("policies/rules/<int:pk>/publish/", views.PublishView.as_view(), name="rule-publish"),
    path("policies/calculator/", views.CalculatorView.as_view(), name="calculator"),
    path("policies/facts/", views_facts.FactsToVerifyView.as_view(), name="facts"),
    path("policies/facts/<int:pk>/evidence/", views_facts.FactEvidenceView.as_view(), name="fact-evidence"),
    path("policies/applications/", views_applications.ApplicationListView.as_view(), name="applications"),
    path("policies/applications/new/", views_applications.ApplicationCreateView.as_view(), name="apply"),
    path(
        "policies/applications/<int:pk>/",
        views_applications.ApplicationDetailView.as_view(),
        name="application",
    ),
    path("policies/review/", views_applications.ReviewQueueView.as_view(), name="review"),
    path("policies/money/", views_money.MoneyDashboardView.as_view(), name="money"),
]
