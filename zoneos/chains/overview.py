"""What a chain's page gathers for its chief (链长制): the chain chief and lead department with the
service officers of the chain's leaders and key enterprises, the placed enterprises' figures of the
year, the chain's investment projects and key projects, its enterprises' open appeals and their policy
money. Every read goes through `scope()`: park staff see their park's part of the chain only.

A chain's enterprises are the active enterprises placed on its links in the area; its projects and key
projects those placed on its links.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from zoneos.accounts.scoping import scope
from zoneos.appeals.models import Appeal
from zoneos.appeals.models import Status as AppealStatus
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise, Indicator, Status
from zoneos.pipeline.models import Project
from zoneos.pipeline.stages import ACTIVE
from zoneos.policies.models.applications import ApplicationStatus, PolicyApplication
from zoneos.supervision.models import KeyProject

from .models import Chain, Placement, Role

LISTED = 8  # rows of each list on the page
FIGURES = ("output_value", "revenue", "tax_paid")
BENEFITED = (ApplicationStatus.APPROVED, ApplicationStatus.PAID, ApplicationStatus.CLOSED)
MATCHED = (ApplicationStatus.OFFERED,)


def _placed(chain: Chain, area, user):
    return scope(Placement.objects.filter(link__chain=chain), user, VIEW).in_subtree(area)


def chief_team(chain: Chain, area, user) -> list[dict]:
    """The service officers of the chain's leaders and key enterprises, each with the enterprises they
    serve on the chain."""
    officer = "enterprise__service_officer"
    rows = (
        _placed(chain, area, user)
        .filter(enterprise__isnull=False, role__in=[Role.LEADER, Role.KEY], **{f"{officer}__isnull": False})
        .values_list(f"{officer}_id", f"{officer}__display_name", f"{officer}__username", "enterprise__name")
        .order_by(f"{officer}__username", "enterprise__name")
    )
    team: dict[int, dict] = {}
    for officer, display_name, username, enterprise in rows:
        entry = team.setdefault(officer, {"name": display_name or username, "enterprises": []})
        if enterprise not in entry["enterprises"]:
            entry["enterprises"].append(enterprise)
    return list(team.values())


def overview(chain: Chain, area, user, *, year: int) -> dict:
    """The chain's figures and lists for its page, in a fixed number of queries."""
    placed = _placed(chain, area, user)
    enterprise_ids = placed.filter(enterprise__isnull=False, enterprise__status=Status.ACTIVE).values(
        "enterprise_id"
    )
    enterprises = scope(Enterprise.objects.filter(pk__in=enterprise_ids), user, VIEW)
    figures = Indicator.objects.filter(enterprise__in=enterprises, year=year).aggregate(
        enterprises=Count("enterprise_id", distinct=True), **{f: Sum(f) for f in FIGURES}
    )
    projects = scope(
        Project.objects.filter(pk__in=placed.filter(project__isnull=False).values("project_id")), user, VIEW
    )
    active = projects.filter(stage__in=ACTIVE)
    pipeline = active.aggregate(count=Count("pk"), investment=Sum("total_investment"))
    key_projects = scope(
        KeyProject.objects.filter(pk__in=placed.filter(key_project__isnull=False).values("key_project_id")),
        user,
        VIEW,
    )
    appeals = scope(Appeal.objects.filter(enterprise__in=enterprises), user, VIEW).exclude(
        status=AppealStatus.CLOSED
    )
    money = scope(PolicyApplication.objects.filter(enterprise__in=enterprises), user, VIEW).aggregate(
        matched=Count("pk", filter=Q(status__in=MATCHED)),
        applied=Count("pk", filter=~Q(status__in=(*MATCHED, ApplicationStatus.DRAFT))),
        benefited=Count("enterprise_id", distinct=True, filter=Q(status__in=BENEFITED)),
        approved=Sum("approved_amount", filter=Q(status__in=BENEFITED)),
        paid=Sum("paid_amount"),
    )
    return {
        "year": year,
        "figures": figures,
        "pipeline": pipeline,
        "projects": list(active.select_related("area").order_by("-stage_on", "-pk")[:LISTED]),
        "key_projects": list(key_projects.select_related("area").order_by("-year", "-annual_plan")[:LISTED]),
        "key_project_count": key_projects.count(),
        "appeals": list(appeals.select_related("enterprise").order_by("reply_due", "pk")[:LISTED]),
        "appeal_count": appeals.count(),
        "money": money,
    }
