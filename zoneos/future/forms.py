"""Forms of the future-industry pages. The services validate (their errors come back to the field they
name); the forms offer choices from the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.areas.models import AreaKind, Department
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import AmountField
from zoneos.enterprises.models import Enterprise

from .models import Board, FutureIndustry, Scenario


class TermsField(forms.CharField):
    """Keywords or industry codes typed with commas (，、 too) between them: a list."""

    def prepare_value(self, value):
        return "，".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        value = super().to_python(value) or ""
        for sep in "，、;；\n":
            value = value.replace(sep, ",")
        return [v.strip() for v in value.split(",") if v.strip()]


def _areas(field, model, user, kinds) -> None:
    field.queryset = placeable_areas(model, user).filter(kind__in=kinds).order_by("path")
    field.label_from_instance = lambda a: "\u2003" * a.depth + a.label


class BoardForm(ScopedModelForm):
    scoped_fields = {"industry": VIEW}

    class Meta:
        model = Board
        fields = ["area", "industry", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], Board, self.user, [AreaKind.ZONE])

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass


class ScenarioForm(ScopedModelForm):
    """The owner is an enterprise or a department of the user's scope; codes and keywords are what the
    registry is searched for (empty: the future industry's)."""

    scoped_fields = {"industry": VIEW, "owner_enterprise": VIEW, "owner_department": VIEW}
    budget = AmountField(label=_("Budget"), required=False)
    keywords = TermsField(
        label=_("Keywords"),
        required=False,
        help_text=_("Looked for in enterprises' names and business scopes; empty: the industry's."),
    )
    industry_codes = TermsField(
        label=_("Industry codes"), required=False, help_text=_("GB/T 4754 sections or codes, such as 276.")
    )

    class Meta:
        model = Scenario
        fields = [
            "area",
            "industry",
            "owner_enterprise",
            "owner_department",
            "title",
            "description",
            "technology_sought",
            "keywords",
            "industry_codes",
            "budget",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "technology_sought": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], Scenario, self.user, [AreaKind.ZONE, AreaKind.PARK])
        self.fields["owner_enterprise"].queryset = (
            scope(Enterprise.objects.all(), self.user, VIEW).only("id", "name").order_by("name")
        )
        self.fields["owner_department"].queryset = scope(Department.objects.all(), self.user, VIEW)
        self.fields["industry"].queryset = scope(FutureIndustry.objects.all(), self.user, VIEW)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass
