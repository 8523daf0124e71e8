"""Pages of industrial chains: the list (a zone's chains with their strength, the shared templates to
adopt), a chain's map (its links as a tree coloured by strength, the supply flow, the links' figures)
and a link's page (what is placed on it, the suggestions to confirm, placements to remove). Thin:
every figure comes from `coverage`, every change from `services` or `suggestions`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views import View

from zoneos.accounts.models import User
from zoneos.accounts.scoping import in_scope, may_place, placeable_areas, scope, visible_areas
from zoneos.areas.models import Area, AreaKind, Department
from zoneos.core import navigation
from zoneos.core.filters import as_id, as_number
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.views import current_area
from zoneos.enterprises.models import Enterprise, LabelKind
from zoneos.pipeline.models import Project
from zoneos.policies.scoping import ancestor_paths

from . import coverage as cover
from . import overview, services, suggestions, targets
from . import workbook as chain_workbook
from .models import STRENGTH_COLOR, Candidate, Chain, Link, Placement, Role, Segment, Strength

YEARS_SHOWN = 5
# The matrix's colours: a gap score below GOOD is green, below POOR amber, else red.
GOOD, POOR = Decimal("0.25"), Decimal("0.5")


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{m}" for messages_ in exc.message_dict.values() for m in messages_)
    return " ".join(exc.messages)


def _chains(user):
    return scope(Chain.objects.select_related("area"), user, VIEW)


def area_for(request, chain: Chain):
    """The area the chain is read in: `?area=` within the chain's area, else the switcher's when it is
    inside, else the chain's own; None for a template."""
    if chain.area is None:
        return None
    inside = visible_areas(request.user).in_subtree(chain.area)
    raw = request.GET.get("area", "")
    if raw:
        area = inside.filter(pk=as_id(raw) or 0).first()
        if area is None:
            raise Http404
        return area
    chosen = current_area(request)
    if chosen is not None and inside.filter(pk=chosen.pk).exists():
        return chosen
    if inside.filter(pk=chain.area_id).exists():
        return chain.area
    return inside.order_by("depth", "path").first()


def _year(request, on: datetime.date) -> tuple[int, list[int]]:
    latest = cover.latest_year(on)
    years = list(range(latest, latest - YEARS_SHOWN, -1))
    year = as_number(request.GET.get("year", ""))
    return (year if year in years else latest), years


def _reading_areas(request, chains) -> dict[int, object]:
    """`area_for` of each chain (without `?area=`), from one read of the areas the user sees."""
    visible = sorted(
        visible_areas(request.user).only("id", "path", "depth", "name", "name_en"), key=lambda a: a.path
    )
    by_pk = {a.pk: a for a in visible}
    chosen = current_area(request)
    out = {}
    for chain in chains:
        if chain.area is None:
            continue
        path = chain.area.path
        if chosen is not None and chosen.pk in by_pk and chosen.path.startswith(path):
            out[chain.pk] = chosen
        elif chain.area_id in by_pk:
            out[chain.pk] = by_pk[chain.area_id]
        else:
            inside = [a for a in visible if a.path.startswith(path)]
            if inside:
                out[chain.pk] = min(inside, key=lambda a: (a.depth, a.path))
    return out


class ChainListView(LoginRequiredMixin, View):
    template_name = "chains/list.html"

    def get(self, request, form_errors=None):
        on = timezone.localdate()
        year = cover.latest_year(on)
        chains = list(_chains(request.user).order_by("code"))
        areas = _reading_areas(request, chains)
        results = cover.coverages(
            [(c, areas[c.pk]) for c in chains if c.pk in areas], request.user, year=year, on=on
        )
        own = [
            {
                "chain": c,
                "area": areas.get(c.pk),
                "totals": results[c.pk]["totals"] if c.pk in results else None,
            }
            for c in chains
            if c.area is not None
        ]
        templates = [c for c in chains if c.area is None]
        adopt_areas = placeable_areas(Chain, request.user).order_by("path")
        return render(
            request,
            self.template_name,
            {
                "own": own,
                "templates": templates,
                "year": year,
                "adopt_areas": adopt_areas,
                "may_adopt": adopt_areas.exists(),
                "form_errors": form_errors or {},
            },
        )

    def post(self, request):
        if request.POST.get("action") == "import":
            return self._import(request)
        template = get_object_or_404(_chains(request.user), pk=as_id(request.POST.get("template", "")) or 0)
        area = (
            placeable_areas(Chain, request.user).filter(pk=as_id(request.POST.get("area", "")) or 0).first()
        )
        if area is None:
            messages.error(request, _("Choose an area you keep chains for."))
            return redirect("chains:list")
        try:
            chain = services.adopt(
                template, area=area, code=request.POST.get("code", "").strip(), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("chains:list")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("chains:list")
        messages.success(
            request, _("%(chain)s adopted for %(area)s.") % {"chain": chain.label, "area": area.label}
        )
        return redirect("chains:detail", pk=chain.pk)

    def _import(self, request):
        area_id = as_id(request.POST.get("area", ""))
        area = placeable_areas(Chain, request.user).filter(pk=area_id or 0).first() if area_id else None
        upload = request.FILES.get("file")
        if upload is None or (area is None and not request.user.is_superuser):
            messages.error(request, _("Choose a file and an area you keep chains for."))
            return redirect("chains:list")
        fields = {k: request.POST.get(k, "").strip() for k in ("code", "name", "name_en")}
        try:
            chain = chain_workbook.import_chain(upload, by=request.user, area=area, **fields)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return redirect("chains:list")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("chains:list")
        messages.success(request, _("%(chain)s imported.") % {"chain": chain.label})
        return redirect("chains:detail", pk=chain.pk)


def _tree(rows: list[dict], chain: Chain, urls: dict) -> dict:
    """The ECharts tree: the chain at the root, its links below by parent."""
    children: dict = {}
    for row in rows:
        children.setdefault(row["parent"], []).append(row)

    def node(row):
        return {
            "name": row["name"],
            "value": row["enterprises"],
            "strength": row["strength"],
            "url": urls[row["link"]],
            "children": [node(r) for r in children.get(row["link"], [])],
        }

    return {"name": chain.label, "children": [node(r) for r in children.get(None, [])]}


def _quotient_flags(row: dict) -> None:
    """A location quotient under 1 (less present here than in the benchmark) is shown in red."""
    quotient = row.get("location_quotient")
    row["location_quotient_low"] = quotient is not None and Decimal(quotient) < 1


class ChainView(LoginRequiredMixin, View):
    template_name = "chains/detail.html"

    def get(self, request, pk):
        chain = get_object_or_404(_chains(request.user), pk=pk)
        on = timezone.localdate()
        year, years = _year(request, on)
        area = area_for(request, chain)
        links = cover.tree_order(list(chain.links.all()))
        link_url = reverse("chains:link", args=[0]).replace("/0/", "/{}/")
        urls = {
            link.pk: link_url.format(link.pk) + (f"?area={area.pk}&year={year}" if area else "")
            for link in links
        }
        context = {"chain": chain, "area": area, "year": year, "years": years, "links": links, "urls": urls}
        if area is not None:
            result = cover.coverage(chain, area, request.user, year=year, on=on)
            sources = {link.pk: link.benchmark_source for link in links}
            for row in result["links"]:
                row["url"] = urls[row["link"]]
                row["color"] = STRENGTH_COLOR[row["strength"]]
                row["strength_label"] = Strength(row["strength"]).label
                row["segment_label"] = Segment(row["segment"]).label
                row["projects_total"] = sum(row["projects"].values())
                row["benchmark_source"] = sources.get(row["link"], "")
                _quotient_flags(row)
            context["has_benchmark"] = any(r["benchmark_share"] for r in result["links"])
            filled = targets.gaps_filled(chain, area, request.user, year=on.year)
            for row in filled:
                for key in ("before", "now"):
                    row[f"{key}_color"] = STRENGTH_COLOR[row[key]]
                    row[f"{key}_label"] = Strength(row[key]).label
            context.update(followed=targets.followed(chain, request.user), filled=filled, this_year=on.year)
            context["panels"] = navigation.page_panels("chains:detail", request, context)
            # Sections other modules add below the chain's links (the funds focused on it).
            context["sections"] = navigation.page_panels("chains:detail:sections", request, context)
            may_edit = in_scope(chain, request.user, CHANGE)
            context.update(
                work=overview.overview(chain, area, request.user, year=year),
                team=overview.chief_team(chain, area, request.user),
                may_edit=may_edit,
                officials=(
                    scope(
                        User.objects.filter(memberships__area__path__startswith=chain.area.path),
                        request.user,
                        VIEW,
                    )
                    .distinct()
                    .order_by("username")
                    if may_edit
                    else []
                ),
                departments=(
                    scope(Department.objects.in_subtree(chain.area), request.user, VIEW).order_by("name")
                    if may_edit
                    else []
                ),
            )
            names = {link.pk: link.label for link in links}
            context.update(
                result=result,
                areas=visible_areas(request.user).in_subtree(chain.area).order_by("path"),
                chart={
                    "tree": _tree(result["links"], chain, urls),
                    "flow": [[names[e.source_id], names[e.target_id]] for e in chain.edges.all()],
                    "colors": {s.value: c for s, c in STRENGTH_COLOR.items()},
                    "labels": {s.value: str(s.label) for s in Strength},
                },
            )
        return render(request, self.template_name, context)

    def post(self, request, pk):
        chain = get_object_or_404(_chains(request.user), pk=pk)
        if request.POST.get("action") != "chief" or chain.area is None:
            raise Http404
        chief = as_id(request.POST.get("chief", ""))
        department = as_id(request.POST.get("lead_department", ""))
        try:
            services.update_chain(
                chain,
                by=request.user,
                chief=scope(User.objects.filter(pk=chief), request.user, VIEW).first() if chief else None,
                chief_title=request.POST.get("chief_title", "").strip(),
                lead_department=(
                    scope(Department.objects.filter(pk=department), request.user, VIEW).first()
                    if department
                    else None
                ),
            )
            messages.success(request, _("The chain chief is saved."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not change this."))
        return redirect("chains:detail", pk=chain.pk)


# What a link page's suggestion buttons do, with what they say after (n, link).
SUGGESTION_ACTIONS = {
    "confirm": (
        suggestions.confirm,
        ngettext_lazy("%(n)d enterprise placed on %(link)s.", "%(n)d enterprises placed on %(link)s.", "n"),
    ),
    "reject": (
        suggestions.reject,
        ngettext_lazy(
            "%(n)d suggestion set aside; it is not suggested for %(link)s again.",
            "%(n)d suggestions set aside; they are not suggested for %(link)s again.",
            "n",
        ),
    ),
}


class LinkView(LoginRequiredMixin, View):
    template_name = "chains/link.html"

    def _link(self, request, pk) -> Link:
        return get_object_or_404(scope(Link.objects.select_related("chain__area"), request.user, VIEW), pk=pk)

    def get(self, request, pk):
        link = self._link(request, pk)
        chain = link.chain
        on = timezone.localdate()
        year, years = _year(request, on)
        area = area_for(request, chain)
        context = {"link": link, "chain": chain, "area": area, "year": year}
        if area is not None:
            row = next(
                r
                for r in cover.coverage(chain, area, request.user, year=year, on=on)["links"]
                if r["link"] == link.pk
            )
            row["color"] = STRENGTH_COLOR[row["strength"]]
            row["strength_label"] = Strength(row["strength"]).label
            _quotient_flags(row)
            placements = (
                scope(Placement.objects.filter(link=link), request.user, VIEW)
                .in_subtree(area)
                .select_related("enterprise", "project", "key_project", "area")
                .order_by("role", "pk")
            )
            may_place_here = may_place(Placement, area, request.user)
            found = suggestions.suggest(chain, area, request.user, links=[link]) if may_place_here else []
            may_target = may_place(Candidate, chain.area, request.user)
            context.update(
                row=row,
                placements=placements,
                may_place=may_place_here,
                suggested=found,
                roles=Role.choices,
                ranked=targets.rank(link, area, request.user),
                may_target=may_target,
                lead_areas=(
                    placeable_areas(Project, request.user)
                    .in_subtree(chain.area)
                    .filter(kind__in=[AreaKind.ZONE, AreaKind.PARK])
                    .order_by("path")
                    if may_target
                    else []
                ),
            )
        return render(request, self.template_name, context)

    def post(self, request, pk):
        link = self._link(request, pk)
        back = reverse("chains:link", args=[link.pk]) + (
            f"?area={request.POST['area']}" if request.POST.get("area", "").isdigit() else ""
        )
        try:
            action = request.POST.get("action")
            if action in SUGGESTION_ACTIONS:
                ids = [as_id(v) for v in request.POST.getlist("enterprise")]
                chosen = scope(Enterprise.objects.filter(pk__in=[i for i in ids if i]), request.user, VIEW)
                step, said = SUGGESTION_ACTIONS[action]
                done = step([(link, e) for e in chosen], by=request.user)
                messages.success(request, said % {"n": len(done), "link": link.label})
            elif action == "lead":
                candidate = get_object_or_404(
                    scope(Candidate.objects.filter(chain=link.chain), request.user, VIEW),
                    pk=as_id(request.POST.get("candidate", "")) or 0,
                )
                area = (
                    visible_areas(request.user)
                    .filter(pk=as_id(request.POST.get("lead_area", "")) or 0)
                    .first()
                )
                project, conflict = services.make_lead(candidate, link=link, area=area, by=request.user)
                messages.success(
                    request,
                    _("%(name)s is now a lead of %(area)s.")
                    % {"name": candidate.name, "area": project.area.label},
                )
                if conflict is not None:
                    messages.warning(
                        request,
                        _("Another park already courts this investor: the zone has a conflict to settle."),
                    )
                return redirect("pipeline:detail", pk=project.pk)
            elif action == "remove":
                placement = get_object_or_404(
                    scope(Placement.objects.filter(link=link), request.user, VIEW),
                    pk=as_id(request.POST.get("placement", "")) or 0,
                )
                services.remove_placement(placement, by=request.user)
                messages.success(request, _("Removed from %(link)s.") % {"link": link.label})
            elif action == "role":
                placement = get_object_or_404(
                    scope(Placement.objects.filter(link=link), request.user, VIEW),
                    pk=as_id(request.POST.get("placement", "")) or 0,
                )
                services.update_placement(placement, by=request.user, role=request.POST.get("role", ""))
                messages.success(request, _("Role changed."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not change this."))
        return redirect(back)


def _score_color(gap_score: str | None) -> str:
    if gap_score is None:
        return "secondary"
    score = Decimal(gap_score)
    return "success" if score < GOOD else "warning" if score < POOR else "danger"


class MatrixView(LoginRequiredMixin, View):
    """Chains × parks: which park is strong where, for a zone's chains (and those of the areas above)."""

    template_name = "chains/matrix.html"

    def get(self, request):
        on = timezone.localdate()
        year, years = _year(request, on)
        # The zones the user sees, or sees parks of (park staff compare their own parks).
        paths = visible_areas(request.user).values_list("path", flat=True)
        ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
        zones = Area.objects.filter(pk__in=ids, kind=AreaKind.ZONE).order_by("path")
        zone = zones.filter(pk=as_id(request.GET.get("area", "")) or 0).first()
        if zone is None:
            chosen = current_area(request)
            with_chains = [z for z in zones if Chain.objects.filter(area__path__startswith=z.path).exists()]
            inside = [
                z
                for z in with_chains
                if chosen is None or z.path.startswith(chosen.path) or chosen.path.startswith(z.path)
            ]
            zone = (inside or with_chains or [None])[0]
        rows, parks = [], []
        if zone is not None:
            chains = scope(Chain.objects.filter(area__path__in=ancestor_paths(zone.path)), request.user, VIEW)
            chains = chains | scope(
                Chain.objects.filter(area__path__startswith=zone.path), request.user, VIEW
            )
            parks = list(
                visible_areas(request.user).in_subtree(zone).filter(kind=AreaKind.PARK).order_by("code")
            )
            rows = cover.matrix(chains.order_by("code"), parks, request.user, year=year, on=on)
            for row in rows:
                for cell, park in zip(row["areas"], parks, strict=True):
                    score = Decimal(cell["gap_score"]) if cell["gap_score"] is not None else None
                    cell["park"] = park
                    cell["color"] = (
                        "secondary"
                        if score is None
                        else "success"
                        if score < GOOD
                        else "warning"
                        if score < POOR
                        else "danger"
                    )
        return render(
            request,
            self.template_name,
            {"zones": zones, "zone": zone, "parks": parks, "rows": rows, "year": year, "years": years},
        )


class TargetsView(LoginRequiredMixin, View):
    """A chain's whole target list: each candidate with its place, size, labels, the links it fits and,
    once courted, its lead; the zone's investment side adds to it by import."""

    template_name = "chains/targets.html"

    def get(self, request, pk):
        chain = get_object_or_404(_chains(request.user).filter(area__isnull=False), pk=pk)
        candidates = (
            scope(Candidate.objects.filter(chain=chain), request.user, VIEW)
            .select_related("project")
            .prefetch_related("links", "supplies")
            .order_by("project_id", "name")
        )
        return render(
            request,
            self.template_name,
            {
                "chain": chain,
                "candidates": candidates,
                "labels": dict(LabelKind.choices),
                "may_import": may_place(Candidate, chain.area, request.user),
            },
        )
