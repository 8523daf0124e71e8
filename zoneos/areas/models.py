"""The area tree (regions, zones, parks) and the departments that hang on it.

Every business record hangs on an area, and a user's scope is a subtree, so "everything under this
node" must be one indexed query. Each area stores its materialised path ("/1/7/42/"): a subtree is a
prefix match on an indexed column, however deep or wide the tree grows.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.core.models import BilingualName


class AreaKind(models.TextChoices):
    REGION = "region", _("Region")
    ZONE = "zone", _("Zone")
    PARK = "park", _("Park")


# Kinds nest downward only: a region holds regions, zones and parks; a zone holds zones and parks;
# a park holds nothing.
KIND_RANK = {AreaKind.REGION: 0, AreaKind.ZONE: 1, AreaKind.PARK: 2}
KIND_COLOR = {AreaKind.REGION: "primary", AreaKind.ZONE: "success", AreaKind.PARK: "warning"}


class Area(BilingualName, models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Maintained by zoneos.areas.services only.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("areas:detail", args=[self.pk])

    @property
    def kind_color(self) -> str:
        return KIND_COLOR[self.kind]

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self):
        """The areas above this one, root first."""
        ids = self.ancestor_ids()
        return Area.objects.filter(pk__in=ids).order_by("depth")

    def subtree(self):
        """This area and everything below it."""
        return Area.objects.filter(path__startswith=self.path)

    def is_within(self, other: "Area") -> bool:
        return self.path.startswith(other.path)

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        return Q(path__startswith=path)


class Department(BilingualName, models.Model):
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        ordering = ["area__path", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="department_name_unique_in_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("areas:department", args=[self.pk])

    @classmethod
    def subtree_q(cls, path: str) -> Q:
        return Q(area__path__startswith=path)
