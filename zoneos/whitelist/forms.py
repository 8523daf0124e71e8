"""Forms of the whitelist pages. The services validate (their errors come back to the field they name);
the forms offer choices from the user's scope: the areas and enterprises they see, the researchers and
institutions of the application's zone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import scope, visible_areas
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import AmountField
from zoneos.enterprises.models import Enterprise

from .models import Direction, Entity, Item, WhitelistApplication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _areas(field, user) -> None:
    field.queryset = visible_areas(user).exclude(kind="region").order_by("path")
    field.label_from_instance = lambda a: "\u2003" * a.depth + a.label
    field.required = False


def _enterprises(field, user) -> None:
    field.queryset = scope(Enterprise.objects.all(), user, VIEW).order_by("name")


class _ServiceForm(ScopedModelForm):
    def _post_clean(self):
        pass  # the service validates the record, naming the field

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class EntityForm(_ServiceForm):
    class Meta:
        model = Entity
        fields = [
            "kind", "name", "name_en", "region", "affiliation", "id_type", "id_number", "enterprise", "area",
            "notes",
        ]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "area": _("Blank: the enterprise's area."),
            "id_number": _("Shown in full only to those who keep the whitelist."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], self.user)
        _enterprises(self.fields["enterprise"], self.user)


class ApplicationForm(_ServiceForm):
    class Meta:
        model = WhitelistApplication
        fields = ["enterprise", "area", "project", "period_from", "period_to", "entities", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "period_from": DATE,
            "period_to": DATE,
            "entities": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "area": _("The zone or park that reviews it. Blank: the applicant's."),
            "project": _("The research project the goods and researchers serve."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], self.user)
        _enterprises(self.fields["enterprise"], self.user)
        self.fields["entities"].queryset = scope(Entity.objects.all(), self.user, VIEW).order_by("name")
        self.fields["entities"].required = False
        if self.instance.pk:
            for name in ("enterprise", "area"):
                self.fields[name].disabled = True

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("enterprise", None)
            data.pop("area", None)
        data["entities"] = list(data.get("entities") or [])
        return data


class ItemForm(_ServiceForm):
    value = AmountField(unit="yuan", label=_("Value"), required=False)

    class Meta:
        model = Item
        fields = [
            "category", "name", "hs_code", "specification", "quantity", "unit", "value", "origin", "purpose",
        ]  # fmt: skip
        help_texts = {"hs_code": _("China's customs commodity code: 10 digits (8 accepted).")}


class MovementForm(forms.Form):
    """Goods of one item of the application crossing in or out."""

    item = forms.ModelChoiceField(label=_("Goods"), queryset=Item.objects.none())
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3, min_value=0)
    reference = forms.CharField(label=_("Declaration number"), max_length=100, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda i: f"{i.name} ({i.hs_code}, {i.unit})"
