"""The service desk's records beside the appeals themselves: attachments, symposia, visits, deadline
policies and routing rules. Each change is one transaction, checked against the user's scope, with
its author in the history."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import require, require_placement
from zoneos.audit.context import acting
from zoneos.core.errors import Conflict
from zoneos.core.files import check_upload

from ..models import Appeal, Attachment, Category, RoutingRule, SlaPolicy, SlaRule, Status, Symposium, Visit
from .parties import may_attach
from .steps import required_text


@transaction.atomic
def attach(appeal: Appeal, *, by, upload) -> Attachment:
    if not may_attach(by, appeal):
        raise PermissionDenied(_("You may not add files to this appeal."))
    check_upload(upload)
    if appeal.status == Status.CLOSED:
        raise Conflict(_("The appeal is closed."))
    with acting(by):
        return Attachment.objects.create(
            appeal=appeal, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=by
        )


@transaction.atomic
def save_symposium(
    *,
    by,
    area,
    title: str,
    held_on: datetime.date,
    attendees: str = "",
    notes: str = "",
    instance: Symposium | None = None,
) -> Symposium:
    require_placement(Symposium, area, by)
    title = required_text(title, "title", _("Give the symposium a title."))
    symposium = instance or Symposium(created_by=by)
    symposium.area, symposium.title, symposium.held_on = area, title, held_on
    symposium.attendees, symposium.notes = attendees.strip(), notes.strip()
    with acting(by):
        symposium.save()
    return symposium


@transaction.atomic
def delete_symposium(symposium: Symposium, *, by) -> None:
    require(symposium, by)
    if symposium.appeals.exists():
        raise Conflict(_("Appeals were raised at this symposium; it stays on record."))
    with acting(by):
        symposium.delete()


@transaction.atomic
def record_visit(
    *, by, enterprise, visited_on: datetime.date, summary: str, instance: Visit | None = None
) -> Visit:
    require_placement(Visit, enterprise.area, by)
    summary = required_text(summary, "summary", _("Say what was discussed."))
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": [_("A visit is recorded once it has taken place.")]})
    visit = instance or Visit(officer=by)
    visit.enterprise, visit.visited_on, visit.summary = enterprise, visited_on, summary
    with acting(by):
        visit.save()
    return visit


@transaction.atomic
def delete_visit(visit: Visit, *, by) -> None:
    require(visit, by)
    if visit.appeals.exists():
        raise Conflict(_("Appeals were raised on this visit; it stays on record."))
    with acting(by):
        visit.delete()


# Deadline policies and routing rules ---------------------------------------------------------------
@transaction.atomic
def save_policy(
    *, by, area, name: str, valid_from: datetime.date, rules: list[dict], instance: SlaPolicy | None = None
) -> SlaPolicy:
    """A policy lists every category's deadlines; an area without a policy uses the one above it."""
    if area is None and not by.is_superuser:
        raise ValidationError({"area": [_("Only a platform administrator changes the default policy.")]})
    if area is not None:
        require_placement(SlaPolicy, area, by)
    name = required_text(name, "name", _("Name the policy."))
    seen = [r["category"] for r in rules]
    missing = [c for c in Category.values if c not in seen]
    if missing or len(seen) != len(set(seen)):
        raise ValidationError(
            {
                "rules": [
                    _("Give one rule for each category; missing: %(c)s.") % {"c": ", ".join(missing) or "-"}
                ]
            }
        )
    policy = instance or SlaPolicy()
    policy.area, policy.name, policy.valid_from = area, name, valid_from
    if SlaPolicy.objects.filter(area=area, valid_from=valid_from).exclude(pk=policy.pk).exists():
        raise ValidationError({"valid_from": [_("This area has a policy from that day already.")]})
    with acting(by):
        policy.save()
        policy.rules.all().delete()
        SlaRule.objects.bulk_create(
            SlaRule(
                policy=policy,
                category=r["category"],
                sign_for_hours=Decimal(r["sign_for_hours"]),
                reply_days=r["reply_days"],
            )
            for r in rules
        )
    return policy


@transaction.atomic
def delete_policy(policy: SlaPolicy, *, by) -> None:
    if policy.area_id is None and not by.is_superuser:
        raise PermissionDenied(_("Only a platform administrator changes the default policy."))
    if policy.area_id is not None:
        require(policy, by)
    with acting(by):
        policy.delete()


@transaction.atomic
def save_routing_rule(
    *, by, area, category: str, department, instance: RoutingRule | None = None
) -> RoutingRule:
    require_placement(RoutingRule, area, by)
    if not (area.path.startswith(department.area.path) or department.area.path.startswith(area.path)):
        raise ValidationError({"department": [_("The department does not serve that area.")]})
    clash = RoutingRule.objects.filter(area=area, category=category or "")
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"category": [_("The area has a rule for this category already.")]})
    rule = instance or RoutingRule()
    rule.area, rule.category, rule.department = area, category or "", department
    with acting(by):
        rule.save()
    return rule


@transaction.atomic
def delete_routing_rule(rule: RoutingRule, *, by) -> None:
    require(rule, by)
    with acting(by):
        rule.delete()
