"""Forms of the platform pages: a platform (create and edit) and a year's figures. The services
validate (their errors come back to the field they name); the forms offer choices from the user's
scope: the areas they keep platforms in, the enterprises they see."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import PercentField

from .platform_models import YEAR_FIGURES, Platform, PlatformYear
from .platform_services import PLATFORM_FIELDS

DATE = {"type": "date"}


class PlatformForm(ScopedModelForm):
    scoped_fields = {"host_enterprise": VIEW}

    class Meta:
        model = Platform
        fields = list(PLATFORM_FIELDS)
        widgets = {
            "recognised_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = placeable_areas(Platform, self.user).exclude(kind="region").order_by("path")
        area.label_from_instance = lambda a: "\u2003" * a.depth + a.label
        self.fields["host_enterprise"].queryset = self.fields["host_enterprise"].queryset.order_by("name")

    def _post_clean(self):
        pass  # the service validates, naming the field


class PlatformYearForm(ScopedModelForm):
    """A year's figures; a figure left blank keeps the one stored. Occupancy is typed in per cent (85)
    and handed to the service as the fraction it stores (0.85)."""

    occupancy = PercentField(label=capfirst(_("occupancy (%)")))

    class Meta:
        model = PlatformYear
        fields = ["year", *YEAR_FIGURES]

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass
