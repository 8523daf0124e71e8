"""Every change to funds, their investments and their exits.

Each function is atomic, checks that `by` keeps funds in the area (its admins and investment officers) and
validates with the field named: a size, an amount above zero in yuan; a share or a stake a fraction from 0
to 1 (0.35 is 35 %; the pages take per cent and divide); a focus chain is a chain of the fund's zone (not
a shared template). An investment names an enterprise of the registry that `by` sees; an exit comes on or
after the investment and takes back no more of its cost than is left (the investment's row is locked while
that is checked), and an investment cannot shrink below what was exited from it or start after its first
exit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.areas.models import AreaKind
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from .fund_models import Exit, Fund, Investment
from .platform_services import share

FUND_FIELDS = ("area", "name", "kind", "size", "manager", "government_share", "established_on", "notes")
INVESTMENT_FIELDS = ("enterprise", "round", "amount", "invested_on", "stake", "notes")
EXIT_FIELDS = ("kind", "exited_on", "amount", "proceeds", "stake", "notes")
ZERO = Decimal("0")


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _positive(errors: dict, field: str, value, *, required: bool = False) -> None:
    if value is None:
        if required:
            errors[field] = [_("This field is required.")]
    elif value <= 0:
        errors[field] = [_("Give an amount in yuan above zero.")]


def _date(errors: dict, field: str, value) -> None:
    if not isinstance(value, datetime.date):
        errors[field] = [_("This field is required.")]


# Funds ---------------------------------------------------------------------------------------------
def _check_chains(fund: Fund, chains, by) -> None:
    for chain in chains:
        if chain.area_id is None:
            raise _error("focus_chains", _("Choose a zone's chain, not a shared template."))
        if not in_scope(chain, by, VIEW):
            raise _error("focus_chains", _("Choose a chain you can see."))
        path, own = chain.area.path, fund.area.path
        if not (path.startswith(own) or own.startswith(path)):
            raise _error("focus_chains", _("%(chain)s is a chain of another zone.") % {"chain": chain.label})


def _check_fund(fund: Fund, by, chains) -> None:
    if fund.area_id is None:
        raise _error("area", _("Choose the zone or park."))
    if fund.area.kind == AreaKind.REGION:
        raise _error("area", _("A fund belongs to a zone or a park, not to a region."))
    require_placement(Fund, fund.area, by)
    fund.name = (fund.name or "").strip()
    errors: dict = {}
    _positive(errors, "size", fund.size)
    share(errors, "government_share", fund.government_share)
    if errors:
        raise ValidationError(errors)
    _clean(fund, exclude=["area"])
    if Fund.objects.filter(area=fund.area, name=fund.name).exclude(pk=fund.pk).exists():
        raise _error("name", _("This area has a fund of this name."))
    if chains is not None:
        _check_chains(fund, chains, by)


@transaction.atomic
def create_fund(*, by, focus_chains=None, **fields) -> Fund:
    apply_changes(fund := Fund(), fields, FUND_FIELDS)
    _check_fund(fund, by, focus_chains or [])
    with acting(by):
        fund.save()
        fund.focus_chains.set(focus_chains or [])
    return fund


@transaction.atomic
def update_fund(fund: Fund, *, by, focus_chains=None, **changes) -> Fund:
    require(fund, by, CHANGE)
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    apply_changes(fund, changes, FUND_FIELDS)
    # The chains kept are checked again when the fund moves to another area.
    chains = focus_chains if focus_chains is not None else list(fund.focus_chains.all())
    _check_fund(fund, by, chains)
    with acting(by):
        fund.save()
        if focus_chains is not None:
            fund.focus_chains.set(focus_chains)
    return fund


@transaction.atomic
def delete_fund(fund: Fund, *, by) -> None:
    require(fund, by, CHANGE)
    if fund.investments.exists():
        raise Conflict(_("The fund has investments: delete them first."))
    with acting(by):
        fund.delete()


# Investments ---------------------------------------------------------------------------------------
def _check_investment(investment: Investment, by) -> None:
    errors: dict = {}
    if investment.enterprise_id is None:
        errors["enterprise"] = [_("This field is required.")]
    elif not in_scope(investment.enterprise, by, VIEW):
        errors["enterprise"] = [_("Choose an enterprise you can see.")]
    _positive(errors, "amount", investment.amount, required=True)
    _date(errors, "invested_on", investment.invested_on)
    share(errors, "stake", investment.stake, above_zero=True)
    if errors:
        raise ValidationError(errors)
    _clean(investment, exclude=["fund", "enterprise"])
    if investment.pk is not None:
        exits = investment.exits.aggregate(cost=Sum("amount"), first=Min("exited_on"))
        if exits["cost"] is not None and investment.amount < exits["cost"]:
            raise _error(
                "amount",
                _("%(amount)s yuan of it were exited already.") % {"amount": exits["cost"]},
            )
        if exits["first"] is not None and investment.invested_on > exits["first"]:
            raise _error("invested_on", _("An exit from it came on %(day)s.") % {"day": exits["first"]})


@transaction.atomic
def create_investment(fund: Fund, *, by, **fields) -> Investment:
    if not in_scope(fund, by, VIEW):
        raise _error("fund", _("Not found."))
    require(fund, by, CHANGE, _("You may not record this fund's investments."))
    apply_changes(investment := Investment(fund=fund), fields, INVESTMENT_FIELDS)
    _check_investment(investment, by)
    with acting(by):
        investment.save()
    return investment


@transaction.atomic
def update_investment(investment: Investment, *, by, **changes) -> Investment:
    require(investment, by, CHANGE)
    if "fund" in changes and changes.pop("fund") != investment.fund:
        raise _error("fund", _("An investment stays with its fund."))
    investment = Investment.objects.select_for_update().get(pk=investment.pk)
    apply_changes(investment, changes, INVESTMENT_FIELDS)
    _check_investment(investment, by)
    with acting(by):
        investment.save()
    return investment


@transaction.atomic
def delete_investment(investment: Investment, *, by) -> None:
    require(investment, by, CHANGE)
    with acting(by):
        investment.exits.all().delete()
        investment.delete()


# Exits ---------------------------------------------------------------------------------------------
def _check_exit(exit_: Exit) -> None:
    # The investment's row is locked: two exits written at once are checked one after the other.
    investment = Investment.objects.select_for_update().get(pk=exit_.investment_id)
    errors: dict = {}
    _date(errors, "exited_on", exit_.exited_on)
    _positive(errors, "amount", exit_.amount, required=True)
    if exit_.proceeds is not None and exit_.proceeds < 0:
        errors["proceeds"] = [_("Cannot be negative.")]
    share(errors, "stake", exit_.stake, above_zero=True)
    if "exited_on" not in errors and exit_.exited_on < investment.invested_on:
        errors["exited_on"] = [
            _("The investment was made on %(day)s: an exit comes on or after it.")
            % {"day": investment.invested_on}
        ]
    if errors:
        raise ValidationError(errors)
    _clean(exit_, exclude=["investment"])
    others = investment.exits.exclude(pk=exit_.pk).aggregate(cost=Sum("amount"), stake=Sum("stake"))
    left = investment.amount - (others["cost"] or ZERO)
    if exit_.amount > left:
        raise _error(
            "amount", _("Only %(left)s yuan of the investment's cost is left to exit.") % {"left": left}
        )
    if exit_.stake is not None and investment.stake is not None:
        stake_left = investment.stake - (others["stake"] or ZERO)
        if exit_.stake > stake_left:
            left = f"{(stake_left * 100).normalize():f}"
            raise _error("stake", _("Only %(left)s %% of the stake is left to sell.") % {"left": left})


@transaction.atomic
def record_exit(investment: Investment, *, by, **fields) -> Exit:
    if not in_scope(investment, by, VIEW):
        raise _error("investment", _("Not found."))
    require(investment, by, CHANGE, _("You may not record this fund's exits."))
    apply_changes(exit_ := Exit(investment=investment), fields, EXIT_FIELDS)
    _check_exit(exit_)
    with acting(by):
        exit_.save()
    return exit_


@transaction.atomic
def update_exit(exit_: Exit, *, by, **changes) -> Exit:
    require(exit_, by, CHANGE)
    if "investment" in changes and changes.pop("investment") != exit_.investment:
        raise _error("investment", _("An exit stays with its investment."))
    exit_ = Exit.objects.select_for_update().get(pk=exit_.pk)
    apply_changes(exit_, changes, EXIT_FIELDS)
    _check_exit(exit_)
    with acting(by):
        exit_.save()
    return exit_


@transaction.atomic
def delete_exit(exit_: Exit, *, by) -> None:
    require(exit_, by, CHANGE)
    with acting(by):
        exit_.delete()
