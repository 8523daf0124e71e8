"""Every change to the registry: enterprises, their labels, their yearly figures, and year locks.

Each function is atomic, checks that `by` may make the change, validates with the field named,
writes the record with its history attributed to `by`, keeps the derived columns right, and tells the
statistics which enterprises' part to take out before the change (`figures_changing`) and to put
back after it (`figures_changed`), inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.dispatch import Signal
from django.utils.translation import gettext as _

from zoneos.accounts.models import User
from zoneos.accounts.scoping import may_place, require, require_placement, scope
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW, Role
from zoneos.core.services import apply_changes

from . import pinyin, rules
from .models import Enterprise, Indicator, Label, Revision, YearLock, capital_country_error

# Sent (inside the writing transaction) before a change with `enterprise_ids` and `years` (None: every
# year): the statistics take these enterprises' part of those years out of their rollup.
figures_changing = Signal()
# Sent after the change with the same `enterprise_ids` and `years`: their part goes back in, as it is now.
# Without `enterprise_ids` (imports, the demo), `area_ids` (None: all) and `years` are recomputed whole.
# The stats module listens; the registry does not depend on it.
figures_changed = Signal()


def _changing(sender, enterprise: Enterprise | int, years: set[int] | None, *, locked=False) -> set[int]:
    """Lock the enterprise (its changes to the statistics follow one another) and announce the change."""
    pk = enterprise if isinstance(enterprise, int) else enterprise.pk
    if not locked:
        list(Enterprise.objects.select_for_update().filter(pk=pk).values_list("pk"))
    figures_changing.send(sender, enterprise_ids={pk}, years=years)
    return {pk}


def _changed(sender, enterprise_ids: set[int], years: set[int] | None) -> None:
    figures_changed.send(sender, area_ids=None, years=years, enterprise_ids=enterprise_ids)


ENTERPRISE_FIELDS = (
    "uscc",
    "uscc_override",
    "uscc_override_reason",
    "name",
    "name_en",
    "short_name",
    "area",
    "address",
    "industry_code",
    "emerging_industries",
    "business_scope",
    "registered_on",
    "registered_capital",
    "capital_origin",
    "capital_country",
    "parent_group",
    "status",
    "service_officer",
)
# Changing one of these moves the enterprise's figures between cells of the statistics (the registration
# date: which years the policies' three-year sums count).
STATS_FIELDS = {"area", "industry_code", "capital_origin", "status", "registered_on"}
INDICATOR_FIGURES = (
    "output_value",
    "revenue",
    "main_business_revenue",
    "tax_paid",
    "rd_expense",
    "exports",
    "employees",
    "rd_staff",
    "invention_patents",
    "above_designated_size_set",
)
INDICATOR_FIELDS = (*INDICATOR_FIGURES, "source")
LABEL_FIELDS = ("kind", "certificate_no", "valid_from", "valid_to")


# Validation ----------------------------------------------------------------------------------------
def uscc_errors(enterprise: Enterprise) -> dict:
    """Errors of the code (none for a blank code), honouring an override that has a reason."""
    if not enterprise.uscc:
        enterprise.uscc = None
        return {}
    result = check_uscc(enterprise.uscc)
    enterprise.uscc = result.code
    if result.ok:
        return {}
    if result.checksum_only and enterprise.uscc_override:
        if not enterprise.uscc_override_reason.strip():
            return {"uscc_override_reason": [_("Say why this code is accepted despite its check character.")]}
        return {}
    return {"uscc": result.errors}


def validate_enterprise(enterprise: Enterprise) -> None:
    errors: dict = uscc_errors(enterprise)
    if enterprise.uscc_override and not enterprise.uscc_override_reason.strip() and not errors:
        errors["uscc_override_reason"] = [_("Say why this code is accepted despite its check character.")]
    try:
        enterprise.industry_code = industries.clean_industry_code(enterprise.industry_code)
    except ValidationError as exc:
        errors["industry_code"] = exc.messages
    enterprise.industry_section = industries.section_of(enterprise.industry_code)
    country_error = capital_country_error(enterprise.capital_origin, enterprise.capital_country)
    if country_error:
        errors["capital_country"] = [country_error]
    if enterprise.area_id and enterprise.area.kind == AreaKind.REGION:
        errors["area"] = [_("An enterprise belongs to a zone or a park, not to a region.")]
    if enterprise.registered_capital is not None and enterprise.registered_capital < 0:
        errors["registered_capital"] = [_("Registered capital cannot be negative.")]
    if enterprise.uscc and "uscc" not in errors:
        clash = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk)
        if clash.exists():
            errors["uscc"] = [_("Another enterprise already has this code.")]
    try:
        enterprise.full_clean(exclude=["uscc", "emerging_industries", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    enterprise.name_pinyin, enterprise.name_initials = pinyin.keys(enterprise.name)
    enterprise.business_scope_pinyin = pinyin.spaced(enterprise.business_scope)


def _check_officer(enterprise: Enterprise, by) -> None:
    officer = enterprise.service_officer
    if officer is None:
        return

    if not scope(User.objects.filter(pk=officer.pk), by, VIEW).exists():
        raise ValidationError({"service_officer": [_("Choose a colleague you can see.")]})


def _require_area(area, by) -> None:
    if not may_place(Enterprise, area, by):
        raise ValidationError({"area": [_("You may not keep enterprises in %(area)s.") % {"area": area}]})


# Enterprises ---------------------------------------------------------------------------------------
@transaction.atomic
def create_enterprise(*, by, emerging_industries: Iterable = (), **fields) -> Enterprise:
    refused = set(fields) - set(ENTERPRISE_FIELDS)
    if refused:
        raise ValidationError({f: [_("This field cannot be set here.")] for f in refused})
    enterprise = Enterprise(**fields)
    if enterprise.area_id:
        _require_area(enterprise.area, by)
    validate_enterprise(enterprise)
    _check_officer(enterprise, by)
    with acting(by):
        enterprise.save()
        enterprise.emerging_industries.set(emerging_industries)
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, *, by, **changes) -> Enterprise:
    require(enterprise, by, CHANGE)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = {f: getattr(enterprise, f"{f}_id" if f == "area" else f) for f in STATS_FIELDS}
    emerging = changes.pop("emerging_industries", None)
    apply_changes(enterprise, changes, ENTERPRISE_FIELDS)
    if "area" in changes:
        _require_area(enterprise.area, by)
    validate_enterprise(enterprise)
    if "service_officer" in changes:
        _check_officer(enterprise, by)
    after = {f: getattr(enterprise, f"{f}_id" if f == "area" else f) for f in STATS_FIELDS}
    # Its figures move between cells of the statistics: its part of every year is taken out and put back.
    moved = _changing(Enterprise, enterprise, None, locked=True) if before != after else None
    with acting(by):
        enterprise.save()
        if emerging is not None:
            enterprise.emerging_industries.set(emerging)
    if moved:
        _changed(Enterprise, moved, None)
    return enterprise


@transaction.atomic
def delete_enterprise(enterprise: Enterprise, *, by) -> None:
    """Only a record entered by mistake is deleted; an enterprise that leaves is marked moved out."""
    require(enterprise, by, CHANGE)
    if enterprise.indicators.exists():
        raise Conflict(
            _("%(name)s has yearly figures; mark it moved out or deregistered instead.")
            % {"name": enterprise}
        )
    try:
        with acting(by):
            enterprise.labels.all().delete()
            enterprise.delete()
    except ProtectedError as exc:
        raise Conflict(_("%(name)s is still used by other records.") % {"name": enterprise}) from exc


# Labels --------------------------------------------------------------------------------------------
def _validate_label(label: Label) -> None:
    label.full_clean()
    if label.valid_to and label.valid_to < label.valid_from:
        raise ValidationError({"valid_to": [_("The end of validity comes before its start.")]})


def _label_years(*labels: Label) -> set[int] | None:
    years: set[int] = set()
    for label in labels:
        if label.valid_to is None:
            return None  # open-ended: every year from its start; recompute all
        years.update(range(label.valid_from.year, label.valid_to.year + 1))
    return years


@transaction.atomic
def create_label(*, by, enterprise: Enterprise, **fields) -> Label:
    require(enterprise, by, CHANGE, _("You may not change this enterprise's labels."))
    label = Label(enterprise=enterprise, **fields)
    _validate_label(label)
    years = _label_years(label)
    ids = _changing(Label, enterprise, years)
    with acting(by):
        label.save()
    _changed(Label, ids, years)
    return label


@transaction.atomic
def update_label(label: Label, *, by, **changes) -> Label:
    require(label.enterprise, by, CHANGE, _("You may not change this enterprise's labels."))
    before = Label.objects.get(pk=label.pk)
    if "enterprise" in changes and changes["enterprise"] != label.enterprise:
        raise ValidationError({"enterprise": [_("A label cannot move to another enterprise.")]})
    changes.pop("enterprise", None)
    apply_changes(label, changes, LABEL_FIELDS)
    _validate_label(label)
    years = _label_years(before, label)
    ids = _changing(Label, label.enterprise_id, years)
    with acting(by):
        label.save()
    _changed(Label, ids, years)
    return label


@transaction.atomic
def delete_label(label: Label, *, by) -> None:
    require(label.enterprise, by, CHANGE, _("You may not change this enterprise's labels."))
    years = _label_years(label)
    ids = _changing(Label, label.enterprise_id, years)
    with acting(by):
        label.delete()
    _changed(Label, ids, years)


# Yearly figures ------------------------------------------------------------------------------------
def is_locked(enterprise: Enterprise, year: int) -> bool:
    ancestors = enterprise.area.path.strip("/").split("/")
    return YearLock.objects.filter(year=year, area_id__in=[int(a) for a in ancestors]).exists()


def derive(indicator: Indicator, section: str) -> None:
    """The columns that follow from the figures by the statistical rules."""
    indicator.above_designated_size = rules.above_designated_size(
        section, indicator.main_business_revenue, indicator.above_designated_size_set, indicator.year
    )
    indicator.size_class = rules.size_class(indicator.employees, indicator.revenue)


def refresh_size_class(enterprise_ids: Iterable[int]) -> None:
    """An enterprise's size class is that of its latest year with figures."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    latest = Indicator.objects.filter(enterprise=OuterRef("pk")).order_by("-year").values("size_class")[:1]
    Enterprise.objects.filter(pk__in=list(enterprise_ids)).update(
        size_class=Coalesce(Subquery(latest), Value(""))
    )


def _validate_indicator(indicator: Indicator) -> None:
    errors: dict = {}
    try:
        indicator.full_clean(exclude=["enterprise"], validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for field in ("output_value", "revenue", "main_business_revenue", "tax_paid", "rd_expense", "exports"):
        value = getattr(indicator, field)
        if value is not None and value < 0 and field not in errors:
            errors[field] = [_("Cannot be negative.")]
    if (
        indicator.rd_staff is not None
        and indicator.employees is not None
        and indicator.rd_staff > indicator.employees
    ):
        errors["rd_staff"] = [_("R&D staff cannot outnumber the employees.")]
    if not 1949 <= (indicator.year or 0) <= 2100:
        errors["year"] = [_("Give a year between 1949 and 2100.")]
    if errors:
        raise ValidationError(errors)


def _write_indicator(indicator: Indicator, by) -> Indicator:
    _validate_indicator(indicator)
    derive(indicator, indicator.enterprise.industry_section)
    # The next year's comparable growth depends on this year's figures too.
    years = {indicator.year, indicator.year + 1}
    ids = _changing(Indicator, indicator.enterprise_id, years)
    with acting(by):
        indicator.save()
    refresh_size_class([indicator.enterprise_id])
    _changed(Indicator, ids, years)
    return indicator


@transaction.atomic
def create_indicator(*, by, enterprise: Enterprise, year: int, **figures) -> Indicator:
    require(enterprise, by, CHANGE, _("You may not enter figures for this enterprise."))
    if Indicator.objects.filter(enterprise=enterprise, year=year).exists():
        raise ValidationError(
            {"year": [_("This enterprise already has figures for %(year)s.") % {"year": year}]}
        )
    if year and is_locked(enterprise, year):
        raise Conflict(
            _("%(year)s is locked; change its figures through a revision with a reason.") % {"year": year}
        )
    apply_changes(indicator := Indicator(enterprise=enterprise, year=year), figures, INDICATOR_FIELDS)
    return _write_indicator(indicator, by)


@transaction.atomic
def update_indicator(indicator: Indicator, *, by, **changes) -> Indicator:
    require(indicator, by, CHANGE)
    indicator = Indicator.objects.select_for_update().select_related("enterprise__area").get(pk=indicator.pk)
    for key in ("enterprise", "year"):
        if key in changes and changes.pop(key) != getattr(indicator, key):
            raise ValidationError({key: [_("Figures cannot move to another enterprise or year.")]})
    if is_locked(indicator.enterprise, indicator.year):
        raise Conflict(
            _("%(year)s is locked; change its figures through a revision with a reason.")
            % {"year": indicator.year}
        )
    apply_changes(indicator, changes, INDICATOR_FIELDS)
    return _write_indicator(indicator, by)


@transaction.atomic
def revise_indicator(indicator: Indicator, *, by, reason: str, **changes) -> Indicator:
    """Change figures of a locked (or open) year, keeping the reason beside the history."""
    require(indicator, by, CHANGE)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the figures are revised.")]})
    indicator = Indicator.objects.select_for_update().select_related("enterprise__area").get(pk=indicator.pk)
    apply_changes(indicator, changes, INDICATOR_FIELDS)
    before = Indicator.objects.get(pk=indicator.pk)
    diff = {
        f: [_json(getattr(before, f)), _json(getattr(indicator, f))]
        for f in INDICATOR_FIELDS
        if getattr(before, f) != getattr(indicator, f)
    }
    if not diff:
        raise ValidationError({"reason": [_("The revision changes nothing.")]})
    _write_indicator(indicator, by)
    Revision.objects.create(indicator=indicator, reason=reason.strip(), changes=diff, by=by)
    return indicator


@transaction.atomic
def delete_indicator(indicator: Indicator, *, by) -> None:
    require(indicator, by, CHANGE)
    if is_locked(indicator.enterprise, indicator.year):
        raise Conflict(_("%(year)s is locked; its figures cannot be deleted.") % {"year": indicator.year})
    enterprise, year = indicator.enterprise, indicator.year
    ids = _changing(Indicator, enterprise, {year, year + 1})
    with acting(by):
        indicator.delete()
    refresh_size_class([enterprise.pk])
    _changed(Indicator, ids, {year, year + 1})


def _json(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# Year locks ----------------------------------------------------------------------------------------
LOCK_ROLES = frozenset({Role.STATISTICIAN, Role.ADMIN})


@transaction.atomic
def lock_year(*, by, area, year: int) -> YearLock:
    require_placement(YearLock, area, by, _("You may not lock years for %(area)s.") % {"area": area})
    if YearLock.objects.filter(area=area, year=year).exists():
        raise Conflict(_("%(year)s is already locked for %(area)s.") % {"year": year, "area": area})
    if not 1949 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 1949 and 2100.")]})
    with acting(by):
        return YearLock.objects.create(area=area, year=year, locked_by=by)


@transaction.atomic
def unlock_year(lock: YearLock, *, by) -> None:
    require(lock, by, CHANGE)
    with acting(by):
        lock.delete()
