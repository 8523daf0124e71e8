"""Space: the land parcels of a park, its buildings (standard factories, incubators, offices...), the
units (rooms, floors, bays) they are let in, and the leases that let them to enterprises.

A parcel or a building hangs on its park (or on a zone without parks); a unit and a lease reach the
park through their building, so one scoping policy per model reads them all from the area tree. A
parcel's area is stored in square metres and shown in 亩 too (`measures`); its status moves only along
`PARCEL_MOVES`. A unit is vacant on a day when no lease covers that day (`Lease.objects.covering`);
leases of a unit never overlap (`services`). Rent is the lease's total per month, in yuan.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zoneos.areas.models import AreaBoundQuerySet
from zoneos.enterprises.models import MONEY

from .measures import mu_from_m2

AREA_M2 = {"max_digits": 14, "decimal_places": 2}
# What a unit or a building carries per square metre of floor (kN/m²) and its clear height (m).
LOAD = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}
HEIGHT = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True}


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    RD = "rd", _("R&D (new industrial, M0)")
    COMMERCIAL = "commercial", _("Commercial")
    MIXED = "mixed", _("Mixed use")
    WAREHOUSE = "warehouse", _("Warehousing and logistics")
    OTHER = "other", _("Other use")


class ParcelStatus(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    SUPPLIED = "supplied", _("Supplied")
    BUILT = "built", _("Built")


PARCEL_STATUS_COLOR = {
    ParcelStatus.RESERVE: "success",
    ParcelStatus.SUPPLIED: "warning",
    ParcelStatus.BUILT: "secondary",
}
# The moves of a parcel's status: land in reserve is supplied (to a project); a supply that falls
# through returns the land to reserve; supplied land is built on. Built land stays built. A parcel may
# be recorded in any status.
PARCEL_MOVES = {
    ParcelStatus.RESERVE: frozenset({ParcelStatus.SUPPLIED}),
    ParcelStatus.SUPPLIED: frozenset({ParcelStatus.RESERVE, ParcelStatus.BUILT}),
    ParcelStatus.BUILT: frozenset(),
}


class BuildingKind(models.TextChoices):
    STANDARD_FACTORY = "standard_factory", _("Standard factory")
    INCUBATOR = "incubator", _("Incubator")
    OFFICE = "office", _("Office building")
    RD = "rd", _("R&D building")
    DORMITORY = "dormitory", _("Dormitory")
    WAREHOUSE = "warehouse", _("Warehouse")
    OTHER = "other", _("Other building")


class LeaseStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


LEASE_STATUS_COLOR = {
    LeaseStatus.UPCOMING: "info",
    LeaseStatus.ACTIVE: "success",
    LeaseStatus.ENDED: "secondary",
}


class Parcel(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("park"), on_delete=models.PROTECT, related_name="space_parcels"
    )
    code = models.CharField(_("parcel code"), max_length=40)
    name = models.CharField(_("name"), max_length=200, blank=True)
    land_use = models.CharField(
        _("land use"), max_length=16, choices=LandUse.choices, default=LandUse.INDUSTRIAL
    )
    area_m2 = models.DecimalField(_("area (m²)"), **AREA_M2)
    status = models.CharField(
        _("status"), max_length=10, choices=ParcelStatus.choices, default=ParcelStatus.RESERVE
    )
    plot_ratio = models.DecimalField(
        _("planned plot ratio"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    project = models.ForeignKey(
        "pipeline.Project",
        verbose_name=_("supplied to project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="space_parcels",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "code"]
        verbose_name = _("land parcel")
        verbose_name_plural = _("land parcels")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="space_parcel_code_once_per_area"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="space_parcel_area_positive"),
        ]
        indexes = [models.Index(fields=["status", "area_m2"], name="space_parcel_status_size")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("space:parcel", args=[self.pk])

    @property
    def area_mu(self):
        return mu_from_m2(self.area_m2)

    @property
    def status_color(self) -> str:
        return PARCEL_STATUS_COLOR.get(self.status, "secondary")


class Building(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("park"), on_delete=models.PROTECT, related_name="space_buildings"
    )
    parcel = models.ForeignKey(
        Parcel,
        verbose_name=_("parcel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="buildings",
    )
    code = models.CharField(_("building code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=BuildingKind.choices, default=BuildingKind.STANDARD_FACTORY
    )
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), **AREA_M2)
    floor_load_kn = models.DecimalField(_("floor load (kN/m²)"), **LOAD)
    clear_height_m = models.DecimalField(_("clear height (m)"), **HEIGHT)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "code"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="space_building_code_once_per_area"),
            models.CheckConstraint(condition=Q(floor_area_m2__gt=0), name="space_building_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("space:building", args=[self.pk])


class Unit(models.Model):
    """A room, a floor or a bay let on its own. Its floor load and clear height are the building's
    unless it states its own (`load`, `height`)."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("unit code"), max_length=40)
    floor = models.SmallIntegerField(_("floor"), default=1)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), **AREA_M2)
    floor_load_kn = models.DecimalField(
        _("floor load (kN/m²)"), help_text=_("Blank: the building's."), **LOAD
    )
    clear_height_m = models.DecimalField(
        _("clear height (m)"), help_text=_("Blank: the building's."), **HEIGHT
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "building__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["building", "floor", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["building", "code"], name="space_unit_code_once_per_building"),
            models.CheckConstraint(condition=Q(floor_area_m2__gt=0), name="space_unit_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building.code}-{self.code}"

    def get_absolute_url(self) -> str:
        return reverse("space:building", args=[self.building_id]) + f"#unit-{self.pk}"

    @property
    def load(self):
        """The floor load the unit carries: its own, else the building's (None when neither says)."""
        return self.floor_load_kn if self.floor_load_kn is not None else self.building.floor_load_kn

    @property
    def height(self):
        return self.clear_height_m if self.clear_height_m is not None else self.building.clear_height_m


class LeaseQuerySet(AreaBoundQuerySet):
    def covering(self, day: datetime.date):
        """Leases in force on `day` (both ends included)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def ending_within(self, day: datetime.date, days: int):
        """Leases in force on `day` that end within `days` days of it."""
        return self.covering(day).filter(ends_on__lte=day + datetime.timedelta(days=days))


class Lease(models.Model):
    """A unit let to an enterprise from one day to another (both included), for a total rent per month in
    yuan. Its status (upcoming, active, ended) is read from its dates."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="leases")
    tenant = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("tenant"),
        on_delete=models.PROTECT,
        related_name="space_leases",
    )
    starts_on = models.DateField(_("lease from"))
    ends_on = models.DateField(_("lease to"))
    monthly_rent = models.DecimalField(
        _("monthly rent (yuan)"), help_text=_("The whole unit's rent per month."), **MONEY
    )
    notes = models.TextField(_("notes"), blank=True)
    # The day park staff were told the lease ends soon (the sweep in `warnings`); cleared when the end
    # moves, so that a renewed lease is warned of again.
    warned_on = models.DateField(_("expiry warned on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "unit__building__area__path"
    objects = LeaseQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-starts_on"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="space_lease_ends_after"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "starts_on", "ends_on"], name="space_lease_unit_dates"),
            models.Index(fields=["ends_on"], name="space_lease_ends_on"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.tenant}"

    def get_absolute_url(self) -> str:
        return reverse("space:building", args=[self.unit.building_id]) + f"#unit-{self.unit_id}"

    def status_on(self, day: datetime.date) -> str:
        if day < self.starts_on:
            return LeaseStatus.UPCOMING
        return LeaseStatus.ACTIVE if day <= self.ends_on else LeaseStatus.ENDED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_color(self) -> str:
        return LEASE_STATUS_COLOR[self.status]

    def get_status_display(self) -> str:
        return LeaseStatus(self.status).label


class RenovationPurpose(models.TextChoices):
    RESEARCH = "research", _("Research space")
    INCUBATOR = "incubator", _("Incubator")
    FACTORY = "factory", _("Standard factory")
    OFFICE = "office", _("Offices")
    OTHER = "other", _("Other")


class Renovation(models.Model):
    """A building renovated (old factories made research space, an incubator, new-standard factories)
    under a key project: the project's plan, monthly progress and status are supervision's; space
    knows which building it renovates, how much floor area and for what. A project that runs over
    several years is tracked in each year's key project."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="renovations"
    )
    key_project = models.ForeignKey(
        "supervision.KeyProject",
        verbose_name=_("key project"),
        on_delete=models.CASCADE,
        related_name="renovations",
    )
    floor_area_m2 = models.DecimalField(_("renovated floor area (m²)"), **AREA_M2)
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=RenovationPurpose.choices, default=RenovationPurpose.RESEARCH
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "building__area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["building", "-key_project__year", "pk"]
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "key_project"], name="space_renovation_once_per_project"
            ),
            models.CheckConstraint(condition=Q(floor_area_m2__gt=0), name="space_renovation_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building} · {self.key_project}"

    def get_absolute_url(self) -> str:
        return reverse("space:building", args=[self.building_id]) + f"#renovation-{self.pk}"


class ShapeKind(models.TextChoices):
    BOUNDARY = "boundary", _("Boundary")
    PARCEL = "parcel", _("Parcel")
    BUILDING = "building", _("Building")


class Crs(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 (GPS)")
    GCJ02 = "gcj02", _("GCJ-02 (Chinese maps)")


class Shape(models.Model):
    """A shape on the map, as staff uploaded it: a park's (or zone's) boundary, a parcel's outline or a
    building's footprint (or a point for it), in GeoJSON, lng/lat in the datum it was entered in (`crs`),
    checked by `geo.check_geometry`. A parcel or a building has one shape."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("park"), on_delete=models.PROTECT, related_name="space_shapes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ShapeKind.choices, default=ShapeKind.BOUNDARY)
    parcel = models.OneToOneField(
        Parcel,
        verbose_name=_("parcel"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shape",
    )
    building = models.OneToOneField(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shape",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    crs = models.CharField(_("coordinates"), max_length=5, choices=Crs.choices, default=Crs.GCJ02)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

    class Meta:
        ordering = ["area__path", "kind", "pk"]
        verbose_name = _("map shape")
        verbose_name_plural = _("map shapes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="boundary", parcel__isnull=True, building__isnull=True)
                    | Q(kind="parcel", parcel__isnull=False, building__isnull=True)
                    | Q(kind="building", building__isnull=False, parcel__isnull=True)
                ),
                name="space_shape_kind_matches_record",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.parcel or self.building or self.area)

    def get_absolute_url(self) -> str:
        return reverse("space:map") + f"?area={self.area_id}"
