"""Pages of the catalogue: the searchable catalogue, an item's page (rules and their history, matches
with per-criterion counts and an xlsx export, its applications and its budget year by year), the rule
editor (the tree built with forms, tried on any enterprise before publishing) and an enterprise's
policy calculator. Thin: reads through scope() and `matching`, writes through `services`."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from zoneos.accounts.scoping import in_scope, memberships, scope
from zoneos.areas.models import Department
from zoneos.core.files import MAX_ATTACHMENT_BYTES, download
from zoneos.core.navigation import reads
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import narrow
from zoneos.enterprises.models import Enterprise

from . import criteria as c
from . import matching, services
from .api import applicable_items
from .models import Attachment, Budget, Category, DeclaredFact, Policy, PolicyItem, Rule, RuleStatus
from .variables import VARIABLES
from .views_applications import applications_for
from .views_facts import may_verify

RESULT_ORDER = ["eligible", "manual_review", "unknown", "not_eligible"]
APPLICATION_ROWS = 10  # on an item's page; the list of applications has them all


def the_date(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def paged(request, queryset) -> dict:
    """What core/_pagination.html reads: the page, its paginator and the query without the page."""
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "querystring": query.urlencode(),
    }


class CatalogueView(LoginRequiredMixin, View):
    def get(self, request):
        items = scope(PolicyItem.objects.select_related("policy", "department"), request.user, VIEW)
        q = request.GET.get("q", "").strip()[:100]
        if q:
            items = items.filter(
                Q(name__icontains=q)
                | Q(code__icontains=q)
                | Q(name_en__icontains=q)
                | Q(policy__title__icontains=q)
                | Q(policy__document_no__icontains=q)
            )
        category = request.GET.get("category", "")
        if category in Category.values:
            items = items.filter(policy__category=category)
        department = request.GET.get("department", "")
        if department.isdigit():
            items = items.filter(department_id=int(department))
        policy = None
        if request.GET.get("policy", "").isdigit():  # a policy's own page: its summary, documents, items
            policy = get_object_or_404(
                scope(Policy.objects.all(), request.user, VIEW), pk=int(request.GET["policy"])
            )
            items = items.filter(policy=policy)
        listing = paged(request, items.order_by("policy__area__path", "policy_id", "code"))
        departments = scope(
            Department.objects.filter(policy_items__isnull=False).distinct(), request.user, VIEW
        )
        return render(
            request,
            "policies/catalogue.html",
            {
                **listing,
                "q": q,
                "category": category,
                "department": department,
                "categories": Category.choices,
                "departments": departments,
                "policy": policy,
                "attachments": policy.attachments.all() if policy else (),
                "may_create": request.user.is_superuser
                or any(m.role == "admin" for m in memberships(request.user)),
            },
        )


class ItemView(LoginRequiredMixin, View):
    """An item's page; its POST adds (`file`, `name`) or removes (`remove`) a document of its policy."""

    def _item(self, request, pk):
        return get_object_or_404(
            scope(PolicyItem.objects.select_related("policy", "department"), request.user, VIEW), pk=pk
        )

    def post(self, request, pk):
        item = self._item(request, pk)
        try:
            if "remove" in request.POST:
                remove = request.POST["remove"]
                found = get_object_or_404(item.policy.attachments, pk=int(remove) if remove.isdigit() else 0)
                services.delete_attachment(found, by=request.user)
                messages.success(request, _("Removed %(name)s.") % {"name": found.name})
            else:
                made = services.add_attachment(
                    by=request.user,
                    policy=item.policy,
                    file=request.FILES.get("file"),
                    name=request.POST.get("name", ""),
                )
                messages.success(request, _("Attached %(name)s.") % {"name": made.name})
        except ValidationError as exc:  # a refusal (PermissionDenied) answers 403
            return self.get(request, pk, attach_errors=exc.message_dict, status=400)
        return redirect(item.get_absolute_url())

    def get(self, request, pk, attach_errors=None, status=200):
        item = self._item(request, pk)
        on = the_date(request)
        rules = scope(item.rules.select_related("published_by"), request.user, VIEW)
        enterprises = narrow(scope(Enterprise.objects.select_related("area"), request.user, VIEW), request)
        wanted = request.GET.get("result", "")
        codes = {v: k for k, v in c.RESULT_NAMES.items()}
        found = matching.results(item, on, enterprises).order_by("name", "pk")
        if wanted in codes:
            found = found.filter(policy_code=codes[wanted])
        listing = paged(request, found)
        rows = [(e, c.RESULT_NAMES[e.policy_code]) for e in listing["page_obj"]]
        return render(
            request,
            "policies/item.html",
            {
                "item": item,
                "rules": rules,
                "on": on,
                **listing,
                "rows": rows,
                "result": wanted,
                "results": RESULT_ORDER,
                "counts": matching.criterion_counts(item, on, enterprises),
                "in_force": matching.rule_in_force(item, on),
                "may_change": in_scope(item, request.user, CHANGE),
                "attachments": item.policy.attachments.select_related("uploaded_by"),
                "may_attach": in_scope(item.policy, request.user, CHANGE),
                "attach_errors": attach_errors or {},
                "max_attachment_mb": MAX_ATTACHMENT_BYTES // 2**20,
                **self._money(request, item),
            },
            status=status,
        )

    def _money(self, request, item) -> dict:
        """The item's latest applications the user sees (the full list one link away) and its budgets
        year by year from the ledger's columns: budgeted, committed (approved), disbursed (paid), left.
        A fixed number of queries whatever the rows."""
        applications = applications_for(request.user).filter(item=item)
        return {
            "applications": list(applications.order_by("-created_at", "-id")[:APPLICATION_ROWS]),
            "applications_total": applications.count(),
            "budgets": list(scope(item.budgets.all(), request.user, VIEW).order_by("-year")),
            "sees_budgets": reads(request.user, Budget),
        }


class AttachmentView(LoginRequiredMixin, View):
    """A policy's document, to whoever sees the policy."""

    def get(self, request, pk):
        attachment = get_object_or_404(scope(Attachment.objects.all(), request.user, VIEW), pk=pk)
        return download(attachment.file, attachment.name)


def _tree(raw: str, field: str):
    try:
        value = json.loads(raw) if raw.strip() else None
    except ValueError:
        raise ValidationError({field: [_("The tree could not be read.")]}) from None
    return value


class RuleEditorView(LoginRequiredMixin, View):
    """A new draft of an item (`item`) or an existing version (`pk`); a published one is read-only."""

    def _load(self, request, item=None, pk=None):
        if pk is not None:
            rule = get_object_or_404(
                scope(Rule.objects.select_related("item__policy"), request.user, VIEW), pk=pk
            )
            return rule.item, rule
        item = get_object_or_404(
            scope(PolicyItem.objects.select_related("policy"), request.user, VIEW), pk=item
        )
        return item, None

    def get(self, request, item=None, pk=None, errors=None, draft=None):
        item, rule = self._load(request, item, pk)
        if not in_scope(item, request.user, CHANGE) and rule is None:
            raise Http404
        draft = draft or {
            "effective_from": (rule.effective_from.isoformat() if rule else timezone.localdate().isoformat()),
            "effective_to": (rule.effective_to.isoformat() if rule and rule.effective_to else ""),
            "criteria": rule.criteria if rule else {"all": []},
            "benefit": rule.benefit if rule else None,
            "notes": rule.notes if rule else "",
        }
        variables = [v.describe() for v in VARIABLES.values()]
        enterprises = scope(
            Enterprise.objects.filter(area__path__startswith=item.policy.area.path), request.user, VIEW
        )
        return render(
            request,
            "policies/rule_editor.html",
            {
                "item": item,
                "rule": rule,
                "draft": draft,
                "errors": errors or {},
                "variables": variables,
                "readonly": bool(rule and rule.is_published) or not in_scope(item, request.user, CHANGE),
                "enterprises": enterprises.order_by("name")[:500],
                "today": timezone.localdate().isoformat(),
            },
            status=400 if errors else 200,
        )

    def post(self, request, item=None, pk=None):
        item, rule = self._load(request, item, pk)
        data = {
            "effective_from": request.POST.get("effective_from") or None,
            "effective_to": request.POST.get("effective_to") or None,
            "notes": request.POST.get("notes", ""),
        }
        try:
            for name in ("effective_from", "effective_to"):
                if data[name]:
                    try:
                        data[name] = datetime.date.fromisoformat(data[name])
                    except ValueError:
                        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None
            data["criteria"] = _tree(request.POST.get("criteria", ""), "criteria")
            data["benefit"] = _tree(request.POST.get("benefit", ""), "benefit")
            if rule is None:
                rule = services.create_rule(by=request.user, item=item, **data)
            else:
                rule = services.update_rule(rule, by=request.user, **data)
            if request.POST.get("publish"):
                services.publish_rule(rule, by=request.user)
                messages.success(request, _("The rule version is published."))
            else:
                messages.success(request, _("The draft is saved."))
        except ValidationError as exc:
            draft = {**{k: request.POST.get(k, "") for k in ("effective_from", "effective_to", "notes")}}
            draft["criteria"] = _safe(request.POST.get("criteria"))
            draft["benefit"] = _safe(request.POST.get("benefit"))
            return self.get(
                request, item.pk if pk is None else None, pk, errors=exc.message_dict, draft=draft
            )
        except PermissionDenied:
            raise Http404 from None
        return redirect(reverse("policies:rule-editor", args=[rule.pk]))


def _safe(raw):
    try:
        return json.loads(raw or "null")
    except ValueError:
        return None


class TryRuleView(LoginRequiredMixin, View):
    """The tree being edited, tried on one enterprise on a date (nothing is saved): a fragment."""

    def post(self, request, item):
        item = get_object_or_404(scope(PolicyItem.objects.all(), request.user, VIEW), pk=item)
        if not in_scope(item, request.user, CHANGE) and not request.user.is_superuser:
            raise Http404
        enterprise = get_object_or_404(
            scope(Enterprise.objects.select_related("area"), request.user, VIEW),
            pk=_int(request.POST.get("enterprise")),
        )
        try:
            on = datetime.date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            on = timezone.localdate()
        criteria, benefit = _safe(request.POST.get("criteria")), _safe(request.POST.get("benefit"))
        try:
            c.validate(criteria)
            c.validate_benefit(benefit)
            row = matching.eligibility(
                enterprise, item, on, rule=Rule(item=item, criteria=criteria, benefit=benefit)
            )
        except ValidationError as exc:
            return render(request, "policies/_trace.html", {"errors": exc.messages}, status=200)
        return render(request, "policies/_trace.html", {"row": row, "enterprise": enterprise, "on": on})


def _awaiting(enterprise, user) -> dict:
    """The enterprise's declared facts no one has verified yet: matching does not count them, so the
    calculator says "declared, awaiting verification" where it would say a fact is missing."""
    rows = list(
        DeclaredFact.objects.filter(enterprise=enterprise, verified_at__isnull=True).order_by(
            "variable", "-year"
        )
    )
    for fact in rows:
        fact.label = VARIABLES[fact.variable].label if fact.variable in VARIABLES else fact.variable
        fact.shown = format(fact.value.normalize(), "f")
    return {
        "awaiting": rows,
        "awaiting_keys": {f"{f.variable} {f.year}" for f in rows},
        "may_verify": may_verify(user),
    }


def _int(raw) -> int:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 18 else 0


class PublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        rule = get_object_or_404(scope(Rule.objects.all(), request.user, VIEW), pk=pk)
        try:
            services.publish_rule(rule, by=request.user)
            messages.success(request, _("The rule version is published."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
        except Exception as exc:  # a Conflict: already published
            messages.error(request, str(getattr(exc, "detail", exc)))
        return redirect(reverse("policies:rule-editor", args=[rule.pk]))


class CalculatorView(LoginRequiredMixin, View):
    """What an enterprise qualifies for: its own for an enterprise user, any in scope for staff."""

    def _enterprise(self, request):
        visible = scope(Enterprise.objects.select_related("area"), request.user, VIEW)
        raw = request.GET.get("enterprise") or request.POST.get("enterprise") or ""
        if raw:
            return get_object_or_404(visible, pk=_int(raw))
        own = [m.enterprise_id for m in memberships(request.user) if m.enterprise_id]
        return visible.filter(pk=own[0]).first() if own else None

    def get(self, request):
        enterprise = self._enterprise(request)
        on = the_date(request)
        context = {"enterprise": enterprise, "on": on, "facts": services.DECLARABLE_CHOICES}
        if enterprise is not None:
            rows = matching.eligibility_list(
                enterprise, applicable_items(enterprise).select_related("policy"), on
            )
            items = {
                i.pk: i
                for i in PolicyItem.objects.filter(pk__in=[r["item"] for r in rows]).select_related("policy")
            }
            for row in rows:
                row["item_obj"] = items[row["item"]]
                row["lacks"] = [r for r in row["criteria"] if r["result"] in ("unmet", "unknown")]
            context["groups"] = [
                (name, [r for r in rows if r["result"] == name and r["rule"]]) for name in RESULT_ORDER
            ]
            context["total"] = sum(
                float(r["amount"]) for r in rows if r["result"] == "eligible" and r["amount"]
            )
            missing = sorted({f for r in rows for leaf in r["criteria"] for f in leaf.get("missing", [])})
            context["missing"] = missing
            context["declarable"] = [f for f in missing if f.split(" ")[0] in services.DECLARABLE]
            context["year"] = on.year - 1
            context.update(_awaiting(enterprise, request.user))
        return render(request, "policies/calculator.html", context)

    def post(self, request):
        """Declare a missing fact, then show the calculator again."""
        enterprise = self._enterprise(request)
        if enterprise is None:
            raise Http404
        try:
            value = c.decimal(request.POST.get("value", ""))
            services.declare_fact(
                by=request.user,
                enterprise=enterprise,
                variable=request.POST.get("variable", ""),
                year=_int(request.POST.get("year")),
                value=value,
                evidence=request.FILES.get("evidence"),
            )
            messages.success(request, _("The fact is declared; staff will verify it."))
        except (ValueError, ValidationError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [_("Give a number.")])))
        except PermissionDenied:
            raise Http404 from None
        return redirect(
            reverse("policies:calculator") + f"?enterprise={enterprise.pk}&on={request.POST.get('on', '')}"
        )


__all__ = ["RuleStatus"]
