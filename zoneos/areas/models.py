"""The area tree (regions, zones, parks) and the departments that hang on it.

Every business record hangs on an area, and a user's scope is a subtree, so "everything under this
node" must be one indexed query. Each area stores its materialised path ("/1/7/42/"): a subtree is a
prefix match on an indexed column, however deep or wide the tree grows.
"""

import re

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zoneos.core.models import BilingualName
from zoneos.core.roles import VIEW


def subtree_q(model, area) -> Q:
    """The records of `model` that lie in the subtree of `area` (an Area or its path).

    Derived from the model's one declaration of how it reaches its area, `area_path` (a lookup ending
    in an area's `path`, or a tuple of them when the record may hang on any of several). A model
    whose reach is not a path (users: through their memberships) defines `subtree_q(path)` instead.
    """
    path = area if isinstance(area, str) else area.path
    declared = getattr(model, "area_path", None)
    if declared is None:
        return model.subtree_q(path)
    lookups = (declared,) if isinstance(declared, str) else declared
    condition = Q(**{f"{lookups[0]}__startswith": path})
    for lookup in lookups[1:]:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


class AreaBoundQuerySet(models.QuerySet):
    """The queryset of a record that hangs on an area (it declares `area_path`):
    `.in_subtree(area)` and `.scope(user, action)` chain like any other filter."""

    # The one scoping function, installed by zoneos.accounts.scoping (accounts builds on this app, so
    # this module cannot import it).
    scoper = None

    def in_subtree(self, area):
        return self.filter(subtree_q(self.model, area))

    def scope(self, user, action: str = VIEW):
        return type(self).scoper(self, user, action)


class AreaKind(models.TextChoices):
    REGION = "region", _("Region")
    ZONE = "zone", _("Zone")
    PARK = "park", _("Park")


# Kinds nest downward only: a region holds regions, zones and parks; a zone holds zones and parks;
# a park holds nothing.
KIND_RANK = {AreaKind.REGION: 0, AreaKind.ZONE: 1, AreaKind.PARK: 2}
KIND_COLOR = {AreaKind.REGION: "primary", AreaKind.ZONE: "success", AreaKind.PARK: "warning"}


ALIAS_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_aliases(text: str) -> list[str]:
    names: list[str] = []
    for part in ALIAS_SEPARATORS.split(text or ""):
        part = part.strip()
        if part and part not in names:
            names.append(part)
    return names


class Area(BilingualName, models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    aliases = models.CharField(
        _("other names"),
        max_length=500,
        blank=True,
        help_text=_("Short names and old names sheets use for this area, separated by commas."),
    )
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

    area_path = "path"
    objects = AreaBoundQuerySet.as_manager()

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

    @property
    def alias_list(self) -> list[str]:
        """The other names, one each, in the order given (comma, 、, semicolon or new line between)."""
        return split_aliases(self.aliases)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self):
        """The areas above this one, root first."""
        ids = self.ancestor_ids()
        return Area.objects.filter(pk__in=ids).order_by("depth")

    def subtree(self):
        """This area and everything below it."""
        return Area.objects.in_subtree(self)

    def is_within(self, other: "Area") -> bool:
        return self.path.startswith(other.path)


class Department(BilingualName, models.Model):
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    area_path = "area__path"
    objects = AreaBoundQuerySet.as_manager()

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
