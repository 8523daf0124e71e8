"""Every change to the area tree and its departments.

Each function is atomic, checks that `by` may make the change (the target inside their writable
scope), validates the record, writes it, and leaves its history row attributed to `by`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE
from zoneos.core.services import apply_changes

from .models import KIND_RANK, Area, AreaKind, Department, split_aliases

AREA_FIELDS = ("code", "name", "name_en", "kind", "parent", "aliases")
DEPARTMENT_FIELDS = ("area", "name", "name_en")


def _require_parent(parent: Area | None, by) -> None:
    if parent is None:
        if not by.is_superuser:
            raise PermissionDenied(_("Only a superuser can create or move a top-level area."))
        return
    require(parent, by, CHANGE, _("You may not add areas under %(area)s.") % {"area": parent})


def _check_placement(area: Area) -> None:
    """Kinds nest downward (region > zone > park); an area never moves under itself."""
    parent = area.parent
    errors = {}
    if parent is not None:
        if area.pk and parent.path.startswith(area.path):
            errors["parent"] = _("An area cannot be placed under itself or one of its descendants.")
        elif parent.kind == AreaKind.PARK:
            errors["parent"] = _("A park cannot contain other areas.")
        elif KIND_RANK[area.kind] < KIND_RANK[parent.kind]:
            errors["kind"] = _("A %(kind)s cannot sit under a %(parent_kind)s.") % {
                "kind": AreaKind(area.kind).label,
                "parent_kind": AreaKind(parent.kind).label,
            }
    if area.pk and not errors:
        children = Area.objects.filter(parent=area)
        if area.kind == AreaKind.PARK and children.exists():
            errors["kind"] = _("An area with sub-areas cannot become a park.")
        elif children.filter(kind__in=[k for k, r in KIND_RANK.items() if r < KIND_RANK[area.kind]]).exists():
            errors["kind"] = _("Some sub-areas are of a higher kind than %(kind)s.") % {
                "kind": AreaKind(area.kind).label
            }
    if errors:
        raise ValidationError(errors)


def _check_department_name(department: Department) -> None:
    clash = Department.objects.filter(area=department.area, name=department.name).exclude(pk=department.pk)
    if clash.exists():
        raise ValidationError({"name": _("This area already has a department with this name.")})


def _tidy_aliases(area: Area) -> None:
    """Kept one way ("高新园, 老园区"): each name once, not repeating the area's own name or code."""
    own = {area.name, area.code}
    area.aliases = ", ".join(a for a in split_aliases(area.aliases) if a not in own)


def _write_path(area: Area) -> None:
    parent_path = area.parent.path if area.parent_id else "/"
    area.path = f"{parent_path}{area.pk}/"
    area.depth = area.parent.depth + 1 if area.parent_id else 0
    Area.objects.filter(pk=area.pk).update(path=area.path, depth=area.depth)


@transaction.atomic
def create_area(
    *, by, code: str, name: str, kind: str, parent: Area | None = None, name_en: str = "", aliases: str = ""
) -> Area:
    _require_parent(parent, by)
    area = Area(code=code, name=name, name_en=name_en, kind=kind, parent=parent, aliases=aliases)
    _tidy_aliases(area)
    area.full_clean(exclude=["path", "depth"])
    _check_placement(area)
    with acting(by):
        area.save()
        _write_path(area)
    return area


@transaction.atomic
def update_area(area: Area, *, by, **changes) -> Area:
    require(area, by, CHANGE)
    area = Area.objects.select_for_update().get(pk=area.pk)
    old_parent_id, old_path = area.parent_id, area.path
    apply_changes(area, changes, AREA_FIELDS)
    moved = area.parent_id != old_parent_id
    if moved:
        _require_parent(area.parent, by)
    _tidy_aliases(area)
    area.full_clean(exclude=["path", "depth"])
    _check_placement(area)
    with acting(by):
        area.save()
    if moved:
        _write_path(area)
        # Re-root the whole subtree in one statement: descendants keep their tail of the path.
        depth_delta = area.depth - (old_path.count("/") - 2)
        Area.objects.filter(path__startswith=old_path).exclude(pk=area.pk).update(
            path=Concat(Value(area.path), Substr("path", Length(Value(old_path)) + 1)),
            depth=F("depth") + depth_delta,
        )
    return area


@transaction.atomic
def delete_area(area: Area, *, by) -> None:
    require(area, by, CHANGE)
    if Area.objects.filter(parent=area).exists():
        raise Conflict(_("Delete or move the sub-areas of %(area)s first.") % {"area": area})
    try:
        with acting(by):
            area.delete()
    except ProtectedError as exc:
        names = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise Conflict(
            _("%(area)s is still used by: %(names)s.") % {"area": area, "names": ", ".join(names)}
        ) from exc


@transaction.atomic
def create_department(*, by, area: Area, name: str, name_en: str = "") -> Department:
    require(area, by, CHANGE, _("You may not add departments to %(area)s.") % {"area": area})
    department = Department(area=area, name=name, name_en=name_en)
    _check_department_name(department)
    department.full_clean()
    with acting(by):
        department.save()
    return department


@transaction.atomic
def update_department(department: Department, *, by, **changes) -> Department:
    require(department, by, CHANGE)
    apply_changes(department, changes, DEPARTMENT_FIELDS)
    if "area" in changes:
        require(department.area, by, CHANGE, _("You may not move departments there."))
    _check_department_name(department)
    department.full_clean()
    with acting(by):
        department.save()
    return department


@transaction.atomic
def delete_department(department: Department, *, by) -> None:
    require(department, by, CHANGE)
    try:
        with acting(by):
            department.delete()
    except ProtectedError as exc:
        raise Conflict(
            _("%(department)s still has members; remove their memberships first.")
            % {"department": department}
        ) from exc
