"""Forms of the space pages. The services validate (their errors come back to the field they name);
the forms offer choices from the user's scope: the parks they keep space in, the projects and parcels
they see, the enterprises of the park's zone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zoneos.accounts.scoping import placeable_areas, scope
from zoneos.core.forms import VIEW, ScopedModelForm
from zoneos.core.money import AmountField
from zoneos.enterprises.models import Enterprise
from zoneos.pipeline.services import zone_of
from zoneos.pipeline.stages import ACTIVE
from zoneos.supervision.models import KeyProject

from . import services
from .models import Building, Crs, Lease, Parcel, Renovation, Unit

DATE = {"type": "date"}


class SizeUnit:
    MU = "mu"
    M2 = "m2"
    CHOICES = [(MU, _("mu (亩)")), (M2, _("m²"))]


def _areas(field, model, user) -> None:
    field.queryset = placeable_areas(model, user).exclude(kind="region").order_by("path")
    field.label_from_instance = lambda a: "\u2003" * a.depth + a.label


class ParcelForm(ScopedModelForm):
    """A parcel's area is typed in 亩 or in m² (`size` and `size_unit`), as the land office wrote it."""

    scoped_fields = {"project": VIEW}
    size = forms.DecimalField(label=_("Area"), max_digits=14, decimal_places=2, min_value=0)
    size_unit = forms.ChoiceField(label=_("Area in"), choices=SizeUnit.CHOICES, initial=SizeUnit.MU)
    # What the service's errors about the area name.
    aliases = {"area_m2": "size", "area_mu": "size"}

    class Meta:
        model = Parcel
        fields = [
            "area",
            "code",
            "name",
            "land_use",
            "size",
            "size_unit",
            "status",
            "plot_ratio",
            "project",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], Parcel, self.user)
        self.fields["project"].queryset = (
            self.fields["project"].queryset.filter(stage__in=ACTIVE).select_related("area").order_by("name")
        )
        if self.instance.pk:
            self.initial.setdefault("size", self.instance.area_mu)

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("size", "size_unit")}
        if self.cleaned_data.get("size_unit") == SizeUnit.M2:
            data["area_m2"] = self.cleaned_data.get("size")
        else:
            data["area_mu"] = self.cleaned_data.get("size")
        return data

    def _post_clean(self):
        pass


class BuildingForm(ScopedModelForm):
    scoped_fields = {"parcel": VIEW}

    class Meta:
        model = Building
        fields = list(services.BUILDING_FIELDS)
        widgets = {
            "completed_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _areas(self.fields["area"], Building, self.user)
        self.fields["parcel"].queryset = self.fields["parcel"].queryset.order_by("code")

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = list(services.UNIT_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass


class LeaseForm(ScopedModelForm):
    """The tenant is one of the enterprises of the park's zone the user sees; the rent is typed in the
    screen's unit (万元) unless 元 follows it."""

    monthly_rent = AmountField(label=_("Monthly rent"), required=False)

    class Meta:
        model = Lease
        fields = list(services.LEASE_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        park = unit.building.area
        zone = zone_of(park) or park
        self.fields["tenant"].queryset = (
            scope(Enterprise.objects.in_subtree(zone), self.user, VIEW).only("id", "name").order_by("name")
        )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass


class RenovationForm(ScopedModelForm):
    """The key project is one of the building's park or of an area above it, of any year, that the user
    sees, newest year first."""

    class Meta:
        model = Renovation
        fields = list(services.RENOVATION_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, building: Building, **kwargs):
        super().__init__(*args, **kwargs)
        areas = [building.area_id, *building.area.ancestor_ids()]
        self.fields["key_project"].queryset = (
            scope(KeyProject.objects.filter(area__in=areas), self.user, VIEW)
            .select_related("area")
            .order_by("-year", "name")
        )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)

    def _post_clean(self):
        pass


class ShapeUploadForm(forms.Form):
    """A park's shapes as a GeoJSON FeatureCollection file (see `services.upload_shapes`)."""

    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection: properties.kind is boundary, parcel or building; properties.code the "
            "parcel's or building's code. At most 2 MB."
        ),
    )
    crs = forms.ChoiceField(
        label=_("Coordinates"),
        choices=Crs.choices,
        initial=Crs.GCJ02,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
