"""Every change to the catalogue, the rules, the parameters and the declared facts.

Each function is atomic, checks that `by` may make the change, validates with the field named and
writes the record with its history attributed to `by`. A published rule version never changes (409)
and never overlaps another published version of its item (400 naming `effective_from`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import memberships, policy_for, require, require_placement
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.files import check_upload
from zoneos.core.roles import CHANGE, Role
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean

from . import criteria
from .models import Attachment, DeclaredFact, Parameter, Policy, PolicyItem, Rule, RuleStatus
from .variables import VARIABLES

POLICY_FIELDS = (
    "title",
    "title_en",
    "issuer",
    "document_no",
    "issued_on",
    "effective_from",
    "effective_to",
    "area",
    "category",
    "summary",
    "source_url",
)
ITEM_FIELDS = (
    "policy",
    "code",
    "name",
    "name_en",
    "department",
    "mode",
    "window_opens",
    "window_closes",
    "payment_days",
    "budget_per_year",
    "materials",
    "contact",
)
RULE_FIELDS = ("effective_from", "effective_to", "criteria", "benefit", "notes")
PARAMETER_FIELDS = ("code", "value", "valid_from", "valid_to", "source", "last_verified", "note")
FACT_FIELDS = ("variable", "year", "value", "evidence", "note")

# Sent after a rule version is published, with `rule` (the automatic track listens).
published = Signal()


def _dates(record, start: str, end: str) -> None:
    first, last = getattr(record, start), getattr(record, end)
    if first and last and last < first:
        raise ValidationError({end: [_("The end comes before the start.")]})


# Policies and items --------------------------------------------------------------------------------
@transaction.atomic
def create_policy(*, by, **fields) -> Policy:
    apply_changes(policy := Policy(), fields, POLICY_FIELDS)
    require_placement(Policy, policy.area, by)
    _clean(policy, exclude=["area"])
    _dates(policy, "effective_from", "effective_to")
    with acting(by):
        policy.save()
    return policy


@transaction.atomic
def update_policy(policy: Policy, *, by, **changes) -> Policy:
    require(policy, by, CHANGE)
    apply_changes(policy, changes, POLICY_FIELDS)
    if "area" in changes:
        require_placement(Policy, policy.area, by)
    _clean(policy, exclude=["area"])
    _dates(policy, "effective_from", "effective_to")
    with acting(by):
        policy.save()
    return policy


@transaction.atomic
def delete_policy(policy: Policy, *, by) -> None:
    require(policy, by, CHANGE)
    if Rule.objects.filter(item__policy=policy, status=RuleStatus.PUBLISHED).exists():
        raise Conflict(_("This policy has published rules; end its items' rules instead."))
    with acting(by):
        policy.delete()


def _check_item(item: PolicyItem, by) -> None:
    require(item.policy, by, CHANGE, _("You may not add items to this policy."))
    _clean(item, exclude=["policy", "department"])
    _dates(item, "window_opens", "window_closes")
    if item.budget_per_year is not None and item.budget_per_year < 0:
        raise ValidationError({"budget_per_year": [_("Cannot be negative.")]})
    if PolicyItem.objects.filter(code=item.code).exclude(pk=item.pk).exists():
        raise ValidationError({"code": [_("An item with this code exists.")]})


@transaction.atomic
def create_item(*, by, **fields) -> PolicyItem:
    apply_changes(item := PolicyItem(), fields, ITEM_FIELDS)
    _check_item(item, by)
    with acting(by):
        item.save()
    return item


@transaction.atomic
def update_item(item: PolicyItem, *, by, **changes) -> PolicyItem:
    require(item, by, CHANGE)
    apply_changes(item, changes, ITEM_FIELDS)
    _check_item(item, by)
    with acting(by):
        item.save()
    return item


@transaction.atomic
def delete_item(item: PolicyItem, *, by) -> None:
    require(item, by, CHANGE)
    if item.rules.filter(status=RuleStatus.PUBLISHED).exists():
        raise Conflict(_("This item has published rules; end them instead."))
    with acting(by):
        item.delete()


@transaction.atomic
def add_attachment(*, by, policy: Policy, file, name: str = "") -> Attachment:
    """A document of the policy (its text, a guide, a form), named as given or after the file."""
    require(policy, by, CHANGE)
    check_upload(file)
    name = (name or "").strip() or file.name
    attachment = Attachment(policy=policy, name=name[:200], file=file, size=file.size, uploaded_by=by)
    _clean(attachment, exclude=["policy", "uploaded_by", "file"])
    with acting(by):
        attachment.save()
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment, *, by) -> None:
    """Remove the attachment and its file (the file once the deletion is committed)."""
    require(attachment.policy, by, CHANGE)
    stored = attachment.file
    with acting(by):
        attachment.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# Rules ---------------------------------------------------------------------------------------------
def _check_rule(rule: Rule) -> None:
    if rule.effective_from is None:
        raise ValidationError({"effective_from": [_("This field is required.")]})
    _dates(rule, "effective_from", "effective_to")
    criteria.validate(rule.criteria)
    criteria.validate_benefit(rule.benefit)
    for code in criteria.params_of([rule.criteria, rule.benefit]):
        if not Parameter.objects.filter(code=code).exists():
            raise ValidationError({"criteria": [_("No parameter %(code)s.") % {"code": code}]})


@transaction.atomic
def create_rule(*, by, item: PolicyItem, **fields) -> Rule:
    require(item, by, CHANGE, _("You may not write rules for this item."))
    rule = Rule(item=item)
    apply_changes(rule, fields, RULE_FIELDS)
    _check_rule(rule)
    with acting(by):
        rule.save()
    return rule


def _draft(rule: Rule, by) -> Rule:
    require(rule, by, CHANGE)
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_published:
        raise Conflict(_("A published rule version never changes; add a new version instead."))
    return rule


@transaction.atomic
def update_rule(rule: Rule, *, by, **changes) -> Rule:
    rule = _draft(rule, by)
    apply_changes(rule, changes, RULE_FIELDS)
    _check_rule(rule)
    with acting(by):
        rule.save()
    return rule


@transaction.atomic
def delete_rule(rule: Rule, *, by) -> None:
    rule = _draft(rule, by)
    with acting(by):
        rule.delete()


def overlapping(rule: Rule):
    """The published versions of the rule's item whose dates meet the rule's."""
    end = rule.effective_to or datetime.date.max
    return (
        Rule.objects.filter(item_id=rule.item_id, status=RuleStatus.PUBLISHED, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=rule.effective_from))
        .exclude(pk=rule.pk)
    )


@transaction.atomic
def publish_rule(rule: Rule, *, by) -> Rule:
    """Publish a draft: from now on it is what eligibility on its dates uses, and it never changes."""
    rule = _draft(rule, by)
    # One publisher at a time per item, so two drafts never both pass the overlap check.
    list(PolicyItem.objects.select_for_update().filter(pk=rule.item_id).values_list("pk"))
    _check_rule(rule)
    clash = overlapping(rule).first()
    if clash is not None:
        until = clash.effective_to.isoformat() if clash.effective_to else _("open end")
        raise ValidationError(
            {
                "effective_from": [
                    _("Overlaps the published version in force from %(start)s to %(end)s.")
                    % {"start": clash.effective_from.isoformat(), "end": until}
                ]
            }
        )
    rule.status = RuleStatus.PUBLISHED
    rule.published_at = timezone.now()
    rule.published_by = by
    with acting(by):
        rule.save()
    transaction.on_commit(lambda: published.send(Rule, rule=rule))
    return rule


# Parameters ----------------------------------------------------------------------------------------
def _check_parameter(parameter: Parameter) -> None:
    _clean(parameter)
    _dates(parameter, "valid_from", "valid_to")
    end = parameter.valid_to or datetime.date.max
    clash = (
        Parameter.objects.filter(code=parameter.code, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=parameter.valid_from))
        .exclude(pk=parameter.pk)
    )
    if clash.exists():
        raise ValidationError({"valid_from": [_("Overlaps another value of this parameter.")]})


@transaction.atomic
def create_parameter(*, by, **fields) -> Parameter:
    apply_changes(parameter := Parameter(), fields, PARAMETER_FIELDS)
    require_placement_none(by)
    _check_parameter(parameter)
    with acting(by):
        parameter.save()
    return parameter


@transaction.atomic
def update_parameter(parameter: Parameter, *, by, **changes) -> Parameter:
    require(parameter, by, CHANGE)
    apply_changes(parameter, changes, PARAMETER_FIELDS)
    _check_parameter(parameter)
    with acting(by):
        parameter.save()
    return parameter


def require_placement_none(by) -> None:
    """Parameters belong to no area: area admins (and superusers) keep them."""
    if not by.is_superuser and not any(m.role == Role.ADMIN and m.area_id for m in memberships(by)):
        raise PermissionDenied(_("You may not change rule parameters."))


# Declared facts ------------------------------------------------------------------------------------
DECLARABLE = {name for name, var in VARIABLES.items() if var.kind == "fact"}


@transaction.atomic
def declare_fact(
    *, by, enterprise, variable: str, year: int, value, evidence=None, note: str = ""
) -> DeclaredFact:
    """Declare (or correct) a fact for a year, with its evidence file (through the one upload check);
    a correction keeps the earlier value in history and needs verifying again. Until staff verify it,
    matching does not count it."""
    if not by.is_superuser and not _may_declare(enterprise, by):
        raise PermissionDenied(_("You may not declare facts for this enterprise."))
    if variable not in DECLARABLE:
        raise ValidationError({"variable": [_("Not a fact that can be declared.")]})
    if not isinstance(year, int) or not 1949 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 1949 and 2100.")]})
    found = DeclaredFact.objects.select_for_update().filter(
        enterprise=enterprise, variable=variable, year=year
    )
    fact = found.first() or DeclaredFact(enterprise=enterprise, variable=variable, year=year)
    fact.value, fact.note, fact.declared_by = value, note, by
    if evidence is not None:
        check_upload(evidence, "evidence")
        fact.evidence = evidence
    fact.verified_by, fact.verified_at = None, None
    _clean(fact, exclude=["enterprise", "declared_by", "verified_by"])
    with acting(by):
        fact.save()
    return fact


def _may_declare(enterprise, by) -> bool:
    """The enterprise's own users, or staff with a declaring role on an area above it."""
    policy = policy_for(DeclaredFact)
    for membership in memberships(by):
        if membership.role not in policy.write_roles:
            continue
        if membership.enterprise_id == enterprise.pk:
            return True
        if membership.area_id and enterprise.area.path.startswith(membership.area.path):
            return True
    return False


@transaction.atomic
def verify_fact(fact: DeclaredFact, *, by) -> DeclaredFact:
    require(fact, by, CHANGE)
    if not by.is_superuser and not any(not m.enterprise_id for m in memberships(by)):
        raise PermissionDenied(_("Only staff verify declared facts."))
    fact.verified_by, fact.verified_at = by, timezone.now()
    with acting(by):
        fact.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return fact


@transaction.atomic
def withdraw_fact(fact: DeclaredFact, *, by) -> None:
    """Withdraw a fact declared by mistake (history keeps it)."""
    if not by.is_superuser and not _may_declare(fact.enterprise, by):
        raise PermissionDenied(_("You may not declare facts for this enterprise."))
    with acting(by):
        fact.delete()


DECLARABLE_CHOICES = [(name, VARIABLES[name].label) for name in sorted(DECLARABLE)]
