"""Every change to chains, their links and supply relations, placements and strength rules.

Each function is atomic, checks that `by` may make the change (a zone's chains: its admins; shared
templates: superusers; placements: whoever keeps records of the placed record's area), validates with
the field named, and writes with its history attributed to `by`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zoneos.accounts.models import Membership
from zoneos.accounts.scoping import in_scope, require, require_placement
from zoneos.audit.context import acting
from zoneos.core import industries
from zoneos.core.codes import check_uscc
from zoneos.core.roles import CHANGE, VIEW
from zoneos.core.services import apply_changes
from zoneos.core.services import clean as _clean
from zoneos.enterprises.models import LabelKind

from .models import Candidate, Chain, Link, Placement, Rejection, StrengthRule, SupplyEdge

CHAIN_FIELDS = (
    "code",
    "name",
    "name_en",
    "area",
    "description",
    "description_en",
    "chief",
    "chief_title",
    "lead_department",
)
LINK_FIELDS = (
    "code",
    "parent",
    "name",
    "name_en",
    "segment",
    "industry_codes",
    "keywords",
    "weight",
    "bottleneck",
    "benchmark_share",
    "benchmark_source",
    "position",
)
RULE_FIELDS = ("area", "effective_from", "strong_enterprises", "strong_above_size")
PLACED = ("enterprise", "project", "key_project")
MAX_TERMS = 50


def _require_chain_writer(chain: Chain, by) -> None:
    """Templates are the platform's: only superusers keep them. A zone's chain: its admins."""
    if chain.area_id is None:
        if not by.is_superuser:
            raise PermissionDenied(_("Only the platform's administrators keep shared templates."))
        return
    require_placement(Chain, chain.area, by)


# Chains --------------------------------------------------------------------------------------------
def _related(area, other_area) -> bool:
    """Whether `other_area` is the chain's area, below it or above it."""
    return area.path.startswith(other_area.path) or other_area.path.startswith(area.path)


def _check_chain(chain: Chain) -> None:
    _clean(chain, exclude=["area", "chief", "lead_department"])
    if chain.area_id is None and (chain.chief_id or chain.lead_department_id):
        raise ValidationError({"chief": [_("A shared template has no chain chief: adopt it first.")]})
    if chain.chief_id is not None:
        areas = Membership.objects.filter(user_id=chain.chief_id).select_related("area")
        if not any(m.area_id and _related(chain.area, m.area) for m in areas):
            raise ValidationError({"chief": [_("Choose an official who is a member of the chain's area.")]})
    if chain.lead_department_id is not None and not _related(chain.area, chain.lead_department.area):
        raise ValidationError({"lead_department": [_("Choose a department of the chain's area.")]})
    if Chain.objects.filter(code=chain.code).exclude(pk=chain.pk).exists():
        raise ValidationError({"code": [_("A chain with this code exists.")]})


@transaction.atomic
def create_chain(*, by, **fields) -> Chain:
    apply_changes(chain := Chain(), fields, CHAIN_FIELDS)
    _require_chain_writer(chain, by)
    _check_chain(chain)
    with acting(by):
        chain.save()
    return chain


@transaction.atomic
def update_chain(chain: Chain, *, by, **changes) -> Chain:
    _require_chain_writer(chain, by)
    if "area" in changes and changes["area"] != chain.area:
        raise ValidationError({"area": [_("A chain stays in its area; adopt it again elsewhere.")]})
    apply_changes(chain, changes, CHAIN_FIELDS)
    _check_chain(chain)
    with acting(by):
        chain.save()
    return chain


@transaction.atomic
def delete_chain(chain: Chain, *, by) -> None:
    _require_chain_writer(chain, by)
    with acting(by):
        chain.delete()


@transaction.atomic
def adopt(template: Chain, *, area, code: str, by) -> Chain:
    """The zone's own copy of a shared template: its links (tree and all) and supply relations."""
    if template.area_id is not None:
        raise ValidationError({"template": [_("Only a shared template can be adopted.")]})
    copy = Chain(
        code=code,
        name=template.name,
        name_en=template.name_en,
        area=area,
        description=template.description,
        description_en=template.description_en,
    )
    copy.source = template
    _require_chain_writer(copy, by)
    _check_chain(copy)
    with acting(by):
        copy.save()
        links = {}
        # Parents before children: the tree is copied level by level.
        pending = list(template.links.order_by("pk"))
        while pending:
            ready = [link for link in pending if link.parent_id is None or link.parent_id in links]
            for link in ready:
                links[link.pk] = Link.objects.create(
                    chain=copy,
                    parent=links.get(link.parent_id),
                    **{f: getattr(link, f) for f in LINK_FIELDS if f != "parent"},
                )
            pending = [link for link in pending if link.pk not in links]
        for edge in template.edges.all():
            SupplyEdge.objects.create(chain=copy, source=links[edge.source_id], target=links[edge.target_id])
    return copy


# Links ---------------------------------------------------------------------------------------------
def clean_terms(values, field: str, clean=None) -> list[str]:
    """A list of short texts (keywords, industry codes) stripped, each cleaned by `clean`, without repeats."""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValidationError({field: [_("Give a list of texts.")]})
    out = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if len(value) > 40:
            raise ValidationError({field: [_("Each entry has at most 40 characters.")]})
        out.append(clean(value) if clean else value)
    if len(out) > MAX_TERMS:
        raise ValidationError({field: [_("At most %(n)d entries.") % {"n": MAX_TERMS}]})
    return list(dict.fromkeys(out))


def industry_prefix(value: str) -> str:
    """A GB/T 4754 section letter, or a division, group or class code (a prefix of the classes under it)."""
    code = value.upper()
    if len(code) == 1 and code.isalpha():
        if industries.get(code) is None:
            raise ValidationError({"industry_codes": [_("%(code)s is not a section.") % {"code": value}]})
        return code
    try:
        return industries.clean_industry_code(code)
    except ValidationError as exc:
        raise ValidationError({"industry_codes": exc.messages}) from None


def _check_link(link: Link) -> None:
    _clean(link, exclude=["chain", "parent"])
    if link.weight is not None and link.weight <= 0:
        raise ValidationError({"weight": [_("The weight must be above zero.")]})
    if link.benchmark_share is not None and not 0 < link.benchmark_share <= 100:
        raise ValidationError({"benchmark_share": [_("A share is a per cent above 0 and at most 100.")]})
    link.industry_codes = clean_terms(link.industry_codes, "industry_codes", industry_prefix)
    link.keywords = clean_terms(link.keywords, "keywords")
    if Link.objects.filter(chain=link.chain, code=link.code).exclude(pk=link.pk).exists():
        raise ValidationError({"code": [_("This chain has a link with this code.")]})
    if link.parent is not None:
        if link.parent.chain_id != link.chain_id:
            raise ValidationError({"parent": [_("The parent link belongs to another chain.")]})
        ancestor = link.parent
        while ancestor is not None:
            if ancestor.pk == link.pk:
                raise ValidationError({"parent": [_("A link cannot sit below itself.")]})
            ancestor = ancestor.parent


@transaction.atomic
def create_link(chain: Chain, *, by, **fields) -> Link:
    _require_chain_writer(chain, by)
    apply_changes(link := Link(chain=chain), fields, LINK_FIELDS)
    _check_link(link)
    with acting(by):
        link.save()
    return link


@transaction.atomic
def update_link(link: Link, *, by, **changes) -> Link:
    _require_chain_writer(link.chain, by)
    apply_changes(link, changes, LINK_FIELDS)
    _check_link(link)
    with acting(by):
        link.save()
    return link


@transaction.atomic
def delete_link(link: Link, *, by) -> None:
    _require_chain_writer(link.chain, by)
    with acting(by):
        link.delete()


@transaction.atomic
def add_edge(chain: Chain, *, source: Link, target: Link, by) -> SupplyEdge:
    _require_chain_writer(chain, by)
    for field, link in (("source", source), ("target", target)):
        if link.chain_id != chain.pk:
            raise ValidationError({field: [_("The link belongs to another chain.")]})
    if source.pk == target.pk:
        raise ValidationError({"target": [_("A link does not supply itself.")]})
    edge, _created = SupplyEdge.objects.get_or_create(chain=chain, source=source, target=target)
    return edge


# Placements ----------------------------------------------------------------------------------------
def _placed(fields: dict):
    given = [name for name in PLACED if fields.get(name) is not None]
    if len(given) != 1:
        raise ValidationError(
            {"enterprise": [_("Place exactly one of an enterprise, a project or a key project.")]}
        )
    return given[0], fields[given[0]]


@transaction.atomic
def place(*, link: Link, by, role: str = "member", **fields) -> Placement:
    name, record = _placed(fields)
    chain = link.chain
    if chain.area_id is None:
        raise ValidationError(
            {"link": [_("Adopt the template for your zone first; templates hold no records.")]}
        )
    if not in_scope(record, by, VIEW):
        raise ValidationError({name: [_("Not found.")]})
    if not record.area.path.startswith(chain.area.path):
        raise ValidationError({name: [_("The record is outside the chain's area.")]})
    require_placement(Placement, record.area, by)
    if Placement.objects.filter(link=link, **{name: record}).exists():
        raise ValidationError({name: [_("Already placed on this link.")]})
    placement = Placement(link=link, role=role, area=record.area, **{name: record})
    _clean(placement, exclude=["link", "area", *PLACED])
    with acting(by):
        placement.save()
    return placement


@transaction.atomic
def update_placement(placement: Placement, *, by, **changes) -> Placement:
    require(placement, by, CHANGE)
    apply_changes(placement, changes, ("role",))
    _clean(placement, exclude=["link", "area", *PLACED])
    with acting(by):
        placement.save()
    return placement


@transaction.atomic
def remove_placement(placement: Placement, *, by) -> None:
    require(placement, by, CHANGE)
    with acting(by):
        placement.delete()


@transaction.atomic
def reject(*, link: Link, enterprise, by) -> Rejection:
    """A suggestion turned down: the enterprise is not suggested for the link again."""
    if not in_scope(enterprise, by, VIEW):
        raise ValidationError({"enterprise": [_("Not found.")]})
    require_placement(Placement, enterprise.area, by)
    with acting(by):
        rejection, _created = Rejection.objects.get_or_create(
            link=link, enterprise=enterprise, defaults={"area": enterprise.area}
        )
    return rejection


# Strength rules ------------------------------------------------------------------------------------
def _check_rule(rule: StrengthRule) -> None:
    _clean(rule, exclude=["area"])
    if rule.strong_enterprises < 1:
        raise ValidationError({"strong_enterprises": [_("At least one.")]})
    if rule.strong_above_size > rule.strong_enterprises:
        raise ValidationError({"strong_above_size": [_("Cannot exceed the enterprises needed for strong.")]})
    clash = StrengthRule.objects.filter(area=rule.area, effective_from=rule.effective_from).exclude(
        pk=rule.pk
    )
    if clash.exists():
        raise ValidationError({"effective_from": [_("This area has a rule from that day.")]})


@transaction.atomic
def create_rule(*, by, **fields) -> StrengthRule:
    apply_changes(rule := StrengthRule(), fields, RULE_FIELDS)
    require_placement(StrengthRule, rule.area, by)
    _check_rule(rule)
    with acting(by):
        rule.save()
    return rule


@transaction.atomic
def update_rule(rule: StrengthRule, *, by, **changes) -> StrengthRule:
    require(rule, by, CHANGE)
    apply_changes(rule, changes, RULE_FIELDS)
    require_placement(StrengthRule, rule.area, by)
    _check_rule(rule)
    with acting(by):
        rule.save()
    return rule


@transaction.atomic
def delete_rule(rule: StrengthRule, *, by) -> None:
    require(rule, by, CHANGE)
    with acting(by):
        rule.delete()


# Targets (补链) --------------------------------------------------------------------------------------
CANDIDATE_FIELDS = (
    "chain",
    "name",
    "short_name",
    "uscc",
    "province",
    "city",
    "industry_code",
    "revenue",
    "labels",
    "note",
)


def _check_candidate(candidate: Candidate, links, supplies) -> None:
    chain = candidate.chain
    if chain.area_id is None:
        raise ValidationError(
            {"chain": [_("Adopt the template for your zone first; templates hold no records.")]}
        )
    candidate.area = chain.area
    errors: dict = {}
    if candidate.uscc:
        result = check_uscc(candidate.uscc)
        candidate.uscc = result.code
        if not result.ok:
            errors["uscc"] = result.errors
    try:
        candidate.industry_code = industries.clean_industry_code(candidate.industry_code)
    except ValidationError as exc:
        errors["industry_code"] = exc.messages
    candidate.industry_section = industries.section_of(candidate.industry_code)
    if candidate.revenue is not None and candidate.revenue < 0:
        errors["revenue"] = [_("Cannot be negative.")]
    kinds = {k.value for k in LabelKind}
    if not isinstance(candidate.labels, list) or any(label not in kinds for label in candidate.labels):
        errors["labels"] = [_("Choose from: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))}]
    else:
        candidate.labels = list(dict.fromkeys(candidate.labels))
    if links is not None and any(link.chain_id != chain.pk for link in links):
        errors["links"] = [_("The link belongs to another chain.")]
    if supplies is not None and any(not e.area.path.startswith(chain.area.path) for e in supplies):
        errors["supplies"] = [_("Name enterprises of the chain's area.")]
    if errors:
        raise ValidationError(errors)
    _clean(candidate, exclude=["area", "chain"])
    same = Candidate.objects.filter(chain=chain).exclude(pk=candidate.pk)
    if same.filter(name=candidate.name).exists():
        raise ValidationError({"name": [_("This chain has a target with this name.")]})
    if candidate.uscc and same.filter(uscc=candidate.uscc).exists():
        raise ValidationError({"uscc": [_("This chain has a target with this code.")]})


def _save_candidate(candidate: Candidate, links, supplies, by) -> Candidate:
    require_placement(Candidate, candidate.area, by)
    with acting(by):
        candidate.save()
        if links is not None:
            candidate.links.set(links)
        if supplies is not None:
            candidate.supplies.set(supplies)
    return candidate


@transaction.atomic
def create_candidate(*, by, links=(), supplies=(), **fields) -> Candidate:
    apply_changes(candidate := Candidate(), fields, CANDIDATE_FIELDS)
    links, supplies = list(links), list(supplies)
    _check_candidate(candidate, links, supplies)
    return _save_candidate(candidate, links, supplies, by)


@transaction.atomic
def update_candidate(candidate: Candidate, *, by, links=None, supplies=None, **changes) -> Candidate:
    require(candidate, by, CHANGE)
    if "chain" in changes and changes["chain"] != candidate.chain:
        raise ValidationError({"chain": [_("A target stays with its chain.")]})
    apply_changes(candidate, changes, CANDIDATE_FIELDS)
    links = None if links is None else list(links)
    supplies = None if supplies is None else list(supplies)
    _check_candidate(candidate, links, supplies)
    return _save_candidate(candidate, links, supplies, by)


@transaction.atomic
def delete_candidate(candidate: Candidate, *, by) -> None:
    require(candidate, by, CHANGE)
    with acting(by):
        candidate.delete()


@transaction.atomic
def make_lead(candidate: Candidate, *, link: Link, area, by, owner=None):
    """The target as a pipeline lead in `area` (a park or the zone), placed on `link`: whoever keeps the
    targets chooses the park that courts it; the pipeline's own checks apply, the conflict check with
    the zone's other parks included. Returns the project and
    the conflict it opened, if any."""
    from zoneos.pipeline import services as pipeline
    from zoneos.pipeline.models import ConflictStatus, InvestorConflict

    require(candidate, by, CHANGE)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.project_id is not None:
        raise ValidationError(
            {"candidate": [_("This target is already a lead: %(project)s.") % {"project": candidate.project}]}
        )
    if link.chain_id != candidate.chain_id:
        raise ValidationError({"link": [_("The link belongs to another chain.")]})
    if area is None or not area.path.startswith(candidate.area.path):
        raise ValidationError({"area": [_("Choose a park or zone of the chain's area.")]})
    project = pipeline.create_project(
        by=by,
        name=f"{candidate.name}{link.name}项目"[:200],  # stored in Chinese, as the zone names its projects
        area=area,
        investor_name=candidate.name,
        investor_uscc=candidate.uscc,
        industry_code=candidate.industry_code,
        owner=owner or by,
        description=f"{candidate.chain.name}补链目标（{link.name}）",
    )
    place(link=link, project=project, by=by)
    with acting(by):
        candidate.project = project
        candidate.save(update_fields=["project", "updated_at"])
    conflict = InvestorConflict.objects.filter(projects=project, status=ConflictStatus.OPEN).first()
    return project, conflict
