"""The permission matrix: every API route, walked by every role (plus a stranger, a superuser and an
anonymous caller), against a record inside the caller's scope and one outside it.

Each resource declares who reads its in-scope record and who writes it; everything else follows from
the conventions: readers get 200 and others 404 (never 403: existence does not leak); writers
create, change and delete, callers without a writing role get 403, and a writer reaching outside
their scope gets 404 (or 400 naming the field for a parent out of reach). A write that succeeds is
read back (the record shows the written values; a deleted one is gone); a refused one is checked to
have changed nothing (the superuser reads the record, or counts the records, as before). A new route
that is not in MATRIX fails `test_every_api_route_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from zoneos.core.roles import Role
from zoneos.policies.models import Parameter
from zoneos.policies.tests.world import catalogue
from zoneos.research.workflow import PROJECT_WORKFLOW
from zoneos.tabular.models import ImportJob, ImportStatus
from zoneos.testing.world import ALL_USERS

ANONYMOUS = "anonymous"
CALLERS = [*ALL_USERS, ANONYMOUS]
AREA_ROLES = {r.value for r in Role} - {Role.ENTERPRISE, Role.HANDLER, Role.PARK_STAFF}
EVERY_ROLE = {r.value for r in Role}
MANAGEMENT = EVERY_ROLE - {Role.ENTERPRISE.value}
KEEPERS = {Role.ADMIN.value, Role.PARK_STAFF.value, Role.STATISTICIAN.value}


@dataclass
class Resource:
    path: str  # under /api/v1/
    basename: str
    inside: Callable  # world -> a record in scope of the role users
    outside: Callable  # world -> a record in zone Z2, out of scope for all but root
    disposable: Callable  # world -> an in-scope record that can be deleted
    create: Callable  # world -> payload creating a record inside the writers' scope
    create_outside: Callable  # world -> payload aiming outside the writers' scope
    outside_field: str  # the field the out-of-scope create names in its 400
    change: dict
    readers: set[str]
    writers: set[str] = field(default_factory=lambda: {Role.ADMIN.value})
    delete_status: int = 204
    changeable: bool = True  # False: the resource has no PATCH (writers get 405)
    deletable: bool = True  # False: the resource has no DELETE (writers get 405)
    deleted_shows: dict | None = None  # a DELETE that keeps the record: what it shows afterwards


MATRIX = [
    Resource(
        path="areas",
        basename="area",
        inside=lambda w: w.P1,
        outside=lambda w: w.P3,
        disposable=lambda w: w.P2,
        create=lambda w: {"code": "NEW", "name": "新园", "kind": "park", "parent": w.Z1.pk},
        create_outside=lambda w: {"code": "OUT", "name": "外园", "kind": "park", "parent": w.Z2.pk},
        outside_field="parent",
        change={"name_en": "Renamed Park"},
        readers={r.value for r in Role},
    ),
    Resource(
        path="departments",
        basename="department",
        inside=lambda w: w.D1,
        outside=lambda w: w.D2,
        disposable=lambda w: w.D3,
        create=lambda w: {"area": w.P1.pk, "name": "园区办"},
        create_outside=lambda w: {"area": w.P3.pk, "name": "外部办"},
        outside_field="area",
        change={"name_en": "Service Centre"},
        readers=AREA_ROLES | {Role.HANDLER.value},
    ),
    Resource(
        path="users",
        basename="user",
        inside=lambda w: w.colleague,
        outside=lambda w: w.outsider,
        disposable=lambda w: w.colleague,
        create=lambda w: {"username": "newcomer", "password": "a-fine-passphrase", "display_name": "新同事"},
        create_outside=lambda w: {
            "username": "other",
            "password": "a-fine-passphrase",
            "home_area": w.P3.pk,
        },
        outside_field="home_area",
        change={"display_name": "改名"},
        readers=AREA_ROLES | {Role.HANDLER.value, Role.PARK_STAFF.value},
        deleted_shows={"is_active": False},  # deactivated: the history keeps its authors
    ),
    Resource(
        path="memberships",
        basename="membership",
        inside=lambda w: w.colleague.memberships.get(),
        outside=lambda w: w.outsider.memberships.get(),
        disposable=lambda w: w.colleague.memberships.get(),
        create=lambda w: {"user": w.colleague.pk, "role": "leader", "area": w.P2.pk},
        create_outside=lambda w: {"user": w.colleague.pk, "role": "statistician", "area": w.P3.pk},
        outside_field="area",
        change={"role": "supervisor"},
        readers=AREA_ROLES | {Role.HANDLER.value, Role.PARK_STAFF.value},
    ),
]
MATRIX += [
    Resource(
        path="enterprises",
        basename="enterprise",
        inside=lambda w: w.E1,
        outside=lambda w: w.E2,
        disposable=lambda w: w.E3,
        create=lambda w: {"name": "新设企业", "area": w.P1.pk},
        create_outside=lambda w: {"name": "外区企业", "area": w.P3.pk},
        outside_field="area",
        change={"short_name": "一号"},
        readers=EVERY_ROLE,
        writers=KEEPERS,
    ),
    Resource(
        path="labels",
        basename="label",
        inside=lambda w: w.L1,
        outside=lambda w: w.L2,
        disposable=lambda w: w.L1,
        create=lambda w: {"enterprise": w.E1.pk, "kind": "tech_sme", "valid_from": "2025-01-01"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "kind": "tech_sme", "valid_from": "2025-01-01"},
        outside_field="enterprise",
        change={"certificate_no": "GR202544000001"},
        readers=EVERY_ROLE,
        writers=KEEPERS,
    ),
    Resource(
        path="indicators",
        basename="indicator",
        inside=lambda w: w.I1,
        outside=lambda w: w.I2,
        disposable=lambda w: w.I1,
        create=lambda w: {"enterprise": w.E1.pk, "year": 2025, "revenue": "1.00"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "year": 2025, "revenue": "1.00"},
        outside_field="enterprise",
        change={"revenue": "2.00"},
        readers=EVERY_ROLE,
        writers=KEEPERS,
    ),
    Resource(
        path="year-locks",
        basename="year-lock",
        inside=lambda w: w.K1,
        outside=lambda w: w.K2,
        disposable=lambda w: w.K1,
        create=lambda w: {"area": w.P1.pk, "year": 2021},
        create_outside=lambda w: {"area": w.P3.pk, "year": 2021},
        outside_field="area",
        change={"year": 2019},
        readers=MANAGEMENT - {Role.PARK_STAFF.value},  # the record hangs on the zone above the park
        writers={Role.ADMIN.value, Role.STATISTICIAN.value},
        changeable=False,
    ),
    Resource(
        path="targets",
        basename="target",
        inside=lambda w: w.T1,
        outside=lambda w: w.T2,
        disposable=lambda w: w.T1,
        create=lambda w: {"area": w.P1.pk, "metric": "revenue", "year": 2027, "value": "100.00"},
        create_outside=lambda w: {"area": w.P3.pk, "metric": "revenue", "year": 2027, "value": "100.00"},
        outside_field="area",
        change={"note": "十四五目标"},
        readers=MANAGEMENT - {Role.PARK_STAFF.value},  # the record hangs on the zone above the park
        writers={Role.ADMIN.value, Role.STATISTICIAN.value},
    ),
]
PIPELINE_READERS = MANAGEMENT - {Role.HANDLER.value}
PIPELINE_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}
COORDINATORS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value}
MATRIX += [
    Resource(
        path="projects",
        basename="project",
        inside=lambda w: w.PR1,
        outside=lambda w: w.PR2,
        disposable=lambda w: w.PR3,
        create=lambda w: {"name": "新项目", "investor_name": "某某有限公司", "area": w.P1.pk},
        create_outside=lambda w: {"name": "外区项目", "investor_name": "某某有限公司", "area": w.P3.pk},
        outside_field="area",
        change={"jobs": 120},
        readers=PIPELINE_READERS,
        writers=PIPELINE_KEEPERS,
    ),
    Resource(
        path="follow-ups",
        basename="follow-up",
        inside=lambda w: w.F1,
        outside=lambda w: w.F2,
        disposable=lambda w: w.F1,
        create=lambda w: {"project": w.PR1.pk, "kind": "call", "summary": "电话沟通"},
        create_outside=lambda w: {"project": w.PR2.pk, "kind": "call", "summary": "电话沟通"},
        outside_field="project",
        change={"summary": "上门拜访"},
        readers=PIPELINE_READERS,
        writers=PIPELINE_KEEPERS,
    ),
    Resource(
        path="signing-batches",
        basename="signing-batch",
        inside=lambda w: w.B1,
        outside=lambda w: w.B2,
        disposable=lambda w: w.B1,
        create=lambda w: {"area": w.Z1.pk, "name": "秋季签约", "held_on": "2025-09-01"},
        create_outside=lambda w: {"area": w.Z2.pk, "name": "秋季签约", "held_on": "2025-09-01"},
        outside_field="area",
        change={"name": "冬季签约"},
        readers=PIPELINE_READERS - {Role.PARK_STAFF.value},  # the batch hangs on the zone
        writers=COORDINATORS,
    ),
    Resource(
        path="industry-groups",
        basename="industry-group",
        inside=lambda w: w.G1,
        outside=lambda w: w.G2,
        disposable=lambda w: w.G1,
        create=lambda w: {"zone": w.Z1.pk, "name": "新能源", "category": "emerging", "codes": ["384"]},
        create_outside=lambda w: {
            "zone": w.Z2.pk,
            "name": "新能源",
            "category": "emerging",
            "codes": ["384"],
        },
        outside_field="zone",
        change={"name_en": "Electronic information"},
        readers=PIPELINE_READERS - {Role.PARK_STAFF.value},
    ),
]
SUPERVISORS = {Role.ADMIN.value, Role.SUPERVISOR.value}
WEIGHTS = {"weight_completion": "40", "weight_start": "20", "weight_funds": "20", "weight_signing": "20"}
ORDER = {"subject": "加快施工进度", "deadline_days": 5, "issued_on": "2026-03-02"}
APPEAL = {"category": "help", "title": "用电扩容", "description": "需要增加变压器"}
# Who keeps the service desk: the zone's staff who route appeals, hold symposia and visit enterprises.
DISPATCHERS = {Role.ADMIN.value, Role.SUPERVISOR.value, Role.SERVICE_OFFICER.value}
SUBMITTERS = DISPATCHERS | {Role.PARK_STAFF.value, Role.ENTERPRISE.value}
STAFF = MANAGEMENT - {Role.HANDLER.value}
ALL_SLA = [
    {"category": c, "sign_for_hours": "4.0", "reply_days": 5}
    for c in (
        "consultation",
        "help",
        "complaint",
        "suggestion",
        "policy",
        "land",
        "finance",
        "talent",
        "approval",
        "utilities",
        "other",
    )
]
MATRIX += [
    Resource(
        path="key-projects",
        basename="key-project",
        inside=lambda w: w.KP1,
        outside=lambda w: w.KP2,
        disposable=lambda w: w.KP3,
        create=lambda w: {
            "year": 2026,
            "name": "新重点项目",
            "area": w.P1.pk,
            "kind": "new_start",
            "annual_plan": "5.00",
        },
        create_outside=lambda w: {
            "year": 2026,
            "name": "外区重点项目",
            "area": w.P3.pk,
            "kind": "new_start",
            "annual_plan": "5.00",
        },
        outside_field="area",
        change={"name": "一号园重点项目（更名）"},
        readers=PIPELINE_READERS,
        writers=SUPERVISORS,
    ),
    Resource(
        path="supervision/locks",
        basename="month-lock",
        inside=lambda w: w.ML1,
        outside=lambda w: w.ML2,
        disposable=lambda w: w.ML1,
        create=lambda w: {"area": w.Z1.pk, "month": "2025-03"},
        create_outside=lambda w: {"area": w.Z2.pk, "month": "2025-03"},
        outside_field="area",
        change={"month": "2025-04"},
        readers=PIPELINE_READERS - {Role.PARK_STAFF.value},  # the lock hangs on the zone
        writers=SUPERVISORS,
        changeable=False,
    ),
    Resource(
        path="supervision/schemes",
        basename="evaluation-scheme",
        inside=lambda w: w.ES1,
        outside=lambda w: w.ES2,
        disposable=lambda w: w.ES1,
        create=lambda w: {"area": w.Z1.pk, "year": 2026, **WEIGHTS},
        create_outside=lambda w: {"area": w.Z2.pk, "year": 2026, **WEIGHTS},
        outside_field="area",
        change={"min_projects": 4},
        readers=PIPELINE_READERS - {Role.PARK_STAFF.value},  # the scheme hangs on the zone
        writers=SUPERVISORS,
    ),
    Resource(
        path="supervision/signing-targets",
        basename="signing-target",
        inside=lambda w: w.ST1,
        outside=lambda w: w.ST2,
        disposable=lambda w: w.ST1,
        create=lambda w: {"area": w.P1.pk, "year": 2026, "projects": 5},
        create_outside=lambda w: {"area": w.P3.pk, "year": 2026, "projects": 5},
        outside_field="area",
        change={"projects": 7},
        readers=PIPELINE_READERS,
        writers=SUPERVISORS,
    ),
    Resource(
        path="supervision/orders",
        basename="supervision-order",
        inside=lambda w: w.O1,
        outside=lambda w: w.O2,
        disposable=lambda w: w.O3,
        create=lambda w: {**ORDER, "key_project": w.KP1.pk, "to_area": w.P1.pk},
        create_outside=lambda w: {**ORDER, "key_project": w.KP2.pk, "to_area": w.P3.pk},
        outside_field="key_project",
        change={"subject": "改名"},
        readers=PIPELINE_READERS,
        writers=SUPERVISORS,
        changeable=False,
    ),
    Resource(
        path="appeals",
        basename="appeal",
        inside=lambda w: w.AP1,
        outside=lambda w: w.AP2,
        disposable=lambda w: w.AP1,
        create=lambda w: {**APPEAL, "enterprise": w.E1.pk},
        create_outside=lambda w: {**APPEAL, "enterprise": w.E2.pk},
        outside_field="enterprise",
        change={"title": "改名"},
        readers=EVERY_ROLE,  # the handler's department has it, the enterprise user is E1's
        writers=SUBMITTERS,
        changeable=False,
        deletable=False,
    ),
    Resource(
        path="symposia",
        basename="symposium",
        inside=lambda w: w.SY1,
        outside=lambda w: w.SY2,
        disposable=lambda w: w.SY1,
        create=lambda w: {"area": w.Z1.pk, "title": "座谈会", "held_on": "2026-03-05"},
        create_outside=lambda w: {"area": w.Z2.pk, "title": "座谈会", "held_on": "2026-03-05"},
        outside_field="area",
        change={"title": "改名"},
        readers=AREA_ROLES,  # held for the zone: park staff see their park only
        writers=DISPATCHERS,
    ),
    Resource(
        path="visits",
        basename="visit",
        inside=lambda w: w.V1,
        outside=lambda w: w.V2,
        disposable=lambda w: w.V1,
        create=lambda w: {"enterprise": w.E1.pk, "visited_on": "2026-03-05", "summary": "走访"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "visited_on": "2026-03-05", "summary": "走访"},
        outside_field="enterprise",
        change={"summary": "补记"},
        readers=STAFF,
        writers=DISPATCHERS,
    ),
    Resource(
        path="routing-rules",
        basename="routing-rule",
        inside=lambda w: w.RR1,
        outside=lambda w: w.RR2,
        disposable=lambda w: w.RR1,
        create=lambda w: {"area": w.P1.pk, "category": "land", "department": w.D3.pk},
        create_outside=lambda w: {"area": w.P3.pk, "category": "land", "department": w.D2.pk},
        outside_field="area",
        change={"category": "talent"},
        readers=AREA_ROLES,
    ),
    Resource(
        path="sla-policies",
        basename="sla-policy",
        inside=lambda w: w.SP1,
        outside=lambda w: w.SP2,
        disposable=lambda w: w.SP1,
        create=lambda w: {"area": w.Z1.pk, "name": "提速", "valid_from": "2026-06-01", "rules": ALL_SLA},
        create_outside=lambda w: {
            "area": w.Z2.pk,
            "name": "提速",
            "valid_from": "2026-06-01",
            "rules": ALL_SLA,
        },
        outside_field="area",
        change={"name": "改名"},
        readers=AREA_ROLES,
    ),
    Resource(
        path="notification-channels",
        basename="notification-channel",
        inside=lambda w: w.CH1,
        outside=lambda w: w.CH2,
        disposable=lambda w: w.CH1,
        create=lambda w: {
            "area": w.Z1.pk,
            "name": "值班群",
            "kind": "wecom",
            "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new",
        },
        create_outside=lambda w: {
            "area": w.Z2.pk,
            "name": "值班群",
            "kind": "wecom",
            "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new",
        },
        outside_field="area",
        change={"name": "改名"},
        readers={Role.ADMIN.value},
    ),
    Resource(
        path="briefing-schedules",
        basename="briefing-schedule",
        inside=lambda w: w.BS1,
        outside=lambda w: w.BS2,
        disposable=lambda w: w.BS1,
        create=lambda w: {"area": w.Z1.pk, "day_of_month": 5, "formats": ["pdf"]},
        create_outside=lambda w: {"area": w.Z2.pk, "day_of_month": 5, "formats": ["pdf"]},
        outside_field="area",
        change={"day_of_month": 10},
        readers=PIPELINE_READERS - {Role.PARK_STAFF.value},  # the schedule hangs on the zone
        writers=SUPERVISORS,
    ),
    Resource(
        path="briefings",
        basename="briefing",
        inside=lambda w: w.BR1,
        outside=lambda w: w.BR2,
        disposable=lambda w: w.BR1,
        create=lambda w: {"area": w.P1.pk, "month": "2025-03", "format": "xlsx"},
        create_outside=lambda w: {"area": w.P3.pk, "month": "2025-03", "format": "xlsx"},
        outside_field="area",
        change={},
        readers=PIPELINE_READERS,
        writers=PIPELINE_READERS,  # whoever reads an area's figures may ask for its briefing
        changeable=False,
    ),
]
# Policy applications and budgets: an application of E1 for PI1 (a Z1 item handled by D1) is read by every
# role (the handler through its department's item, the enterprise user as E1's); the enterprise, its
# park, its service officer and admins apply. Budgets hang on the zone: park staff (on P1) do not see them.
APPLICANTS = {Role.ADMIN.value, Role.PARK_STAFF.value, Role.SERVICE_OFFICER.value, Role.ENTERPRISE.value}
MATRIX += [
    Resource(
        path="policy-applications",
        basename="policy-application",
        inside=lambda w: w.PA1,
        outside=lambda w: w.PA2,
        disposable=lambda w: w.PA1,
        create=lambda w: {"item": w.PI1.pk, "enterprise": w.E1.pk, "requested_amount": "1000.00"},
        create_outside=lambda w: {"item": w.PI2.pk, "enterprise": w.E2.pk, "requested_amount": "1000.00"},
        outside_field="enterprise",
        change={"requested_amount": "2000.00"},
        readers=EVERY_ROLE,
        writers=APPLICANTS,
        changeable=False,
        deletable=False,
    ),
    Resource(
        path="policy-budgets",
        basename="policy-budget",
        inside=lambda w: w.BU1,
        outside=lambda w: w.BU2,
        disposable=lambda w: w.BU3,
        create=lambda w: {"item": w.PI1.pk, "year": 2027, "amount": "500000.00"},
        create_outside=lambda w: {"item": w.PI2.pk, "year": 2027, "amount": "500000.00"},
        outside_field="item",
        change={"amount": "2000000.00"},
        readers=MANAGEMENT - {Role.PARK_STAFF.value},
    ),
]
# The policies' catalogue (zoneos/policies/tests/world.py adds its records to the world on demand).
POLICY_KEEPERS = {Role.ADMIN.value}
FACT_WRITERS = {
    r.value for r in (Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER, Role.STATISTICIAN, Role.ENTERPRISE)
}
RULE = {"all": [{"id": "m", "label": "主业", "var": "main_business_share", "op": ">=", "value": "0.6"}]}
MATRIX += [
    Resource(
        path="policies",
        basename="policy",
        inside=lambda w: catalogue(w).POL1,
        outside=lambda w: catalogue(w).POL2,
        disposable=lambda w: catalogue(w).POL3,
        create=lambda w: {"title": "新政策", "area": w.Z1.pk, "category": "award"},
        create_outside=lambda w: {"title": "外区政策", "area": w.Z2.pk, "category": "award"},
        outside_field="area",
        change={"summary": "研发投入奖补"},
        readers=EVERY_ROLE,
        writers=POLICY_KEEPERS,
    ),
    Resource(
        path="policy-items",
        basename="policy-item",
        inside=lambda w: catalogue(w).IT1,
        outside=lambda w: catalogue(w).IT2,
        disposable=lambda w: catalogue(w).IT3,
        create=lambda w: {
            "policy": catalogue(w).POL1.pk,
            "code": "new-item",
            "name": "新事项",
            "mode": "quick",
        },
        create_outside=lambda w: {"policy": catalogue(w).POL2.pk, "code": "out-item", "name": "外区事项"},
        outside_field="policy",
        change={"contact": "0757-12345678"},
        readers=EVERY_ROLE,
        writers=POLICY_KEEPERS,
    ),
    Resource(
        path="policy-rules",
        basename="policy-rule",
        inside=lambda w: catalogue(w).RU3,
        outside=lambda w: catalogue(w).RU4,
        disposable=lambda w: catalogue(w).RU3,
        create=lambda w: {"item": catalogue(w).IT1.pk, "effective_from": "2028-01-01", "criteria": RULE},
        create_outside=lambda w: {
            "item": catalogue(w).IT2.pk,
            "effective_from": "2028-01-01",
            "criteria": RULE,
        },
        outside_field="item",
        change={"notes": "征求意见稿"},
        readers=MANAGEMENT,  # drafts are the management's business
        writers=POLICY_KEEPERS,
    ),
    Resource(
        path="declared-facts",
        basename="declared-fact",
        inside=lambda w: catalogue(w).DF1,
        outside=lambda w: catalogue(w).DF2,
        disposable=lambda w: catalogue(w).DF1,
        create=lambda w: {"enterprise": w.E1.pk, "variable": "class1_ip", "year": 2025, "value": "2"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "variable": "class1_ip", "year": 2025, "value": "2"},
        outside_field="enterprise",
        change={"value": "0.6"},
        readers=EVERY_ROLE,
        writers=FACT_WRITERS,
    ),
]
CHAIN_READERS = EVERY_ROLE - {Role.ENTERPRISE.value}
PLACERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}
MATRIX += [
    Resource(
        path="chains",
        basename="chain",
        inside=lambda w: w.CN1,
        outside=lambda w: w.CN2,
        disposable=lambda w: w.CN3,
        create=lambda w: {"code": "NEW-CHAIN", "name": "新产业链", "area": w.Z1.pk},
        create_outside=lambda w: {"code": "OUT-CHAIN", "name": "外区产业链", "area": w.Z2.pk},
        outside_field="area",
        change={"name_en": "New-energy vehicles"},
        readers=CHAIN_READERS,
    ),
    Resource(
        path="chain-links",
        basename="chain-link",
        inside=lambda w: w.LK1,
        outside=lambda w: w.LK2,
        disposable=lambda w: w.LK3,
        create=lambda w: {
            "chain": w.CN1.pk,
            "code": "NEW",
            "name": "新环节",
            "segment": "upstream",
        },
        create_outside=lambda w: {
            "chain": w.CN2.pk,
            "code": "OUT",
            "name": "外环节",
            "segment": "upstream",
        },
        outside_field="chain",
        change={"name_en": "Battery cells"},
        readers=CHAIN_READERS,
    ),
    Resource(
        path="chain-placements",
        basename="chain-placement",
        inside=lambda w: w.PL1,
        outside=lambda w: w.PL2,
        disposable=lambda w: w.PL3,
        create=lambda w: {"link": w.LK3.pk, "enterprise": w.E1.pk},
        create_outside=lambda w: {"link": w.LK2.pk, "project": w.PR2.pk},
        outside_field="link",
        change={"role": "key"},
        readers=CHAIN_READERS,
        writers=PLACERS,
    ),
    Resource(
        path="chain-strength-rules",
        basename="chain-strength-rule",
        inside=lambda w: w.SR1,
        outside=lambda w: w.SR2,
        disposable=lambda w: w.SR3,
        create=lambda w: {"area": w.Z1.pk, "effective_from": "2027-01-01", "strong_enterprises": 4},
        create_outside=lambda w: {"area": w.Z2.pk, "effective_from": "2027-01-01"},
        outside_field="area",
        change={"strong_enterprises": 5},
        readers=CHAIN_READERS,
    ),
    Resource(
        path="chain-candidates",
        basename="chain-candidate",
        inside=lambda w: w.CT1,
        outside=lambda w: w.CT2,
        disposable=lambda w: w.CT3,
        create=lambda w: {"chain": w.CN1.pk, "name": "新目标企业有限公司", "links": [w.LK1.pk]},
        create_outside=lambda w: {"chain": w.CN2.pk, "name": "外区目标企业有限公司"},
        outside_field="chain",
        change={"note": "已接触"},
        readers=CHAIN_READERS,
        writers={Role.ADMIN.value, Role.INVESTMENT_OFFICER.value},
    ),
]
# Space: seen by the staff of the park's subtree (enterprise users see none of it, their own lease
# included), kept by whoever keeps a park's enterprises and projects.
SPACE_READERS = EVERY_ROLE - {Role.ENTERPRISE.value}
SPACE_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}
LEASE = {"starts_on": "2030-01-01", "ends_on": "2030-12-31", "monthly_rent": "30000.00"}
SHAPE = {"type": "Polygon", "coordinates": [[[113.0, 23.1], [113.01, 23.1], [113.01, 23.11], [113.0, 23.1]]]}
MATRIX += [
    Resource(
        path="space-parcels",
        basename="space-parcel",
        inside=lambda w: w.PC1,
        outside=lambda w: w.PC2,
        disposable=lambda w: w.PC3,
        create=lambda w: {"area": w.P1.pk, "code": "NEW-PC", "land_use": "industrial", "area_mu": "50.00"},
        create_outside=lambda w: {"area": w.P3.pk, "code": "OUT-PC", "area_m2": "10000.00"},
        outside_field="area",
        change={"notes": "已完成土地平整"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
    Resource(
        path="space-buildings",
        basename="space-building",
        inside=lambda w: w.BD1,
        outside=lambda w: w.BD2,
        disposable=lambda w: w.BD3,
        create=lambda w: {"area": w.P1.pk, "code": "NEW-BD", "name": "新孵化楼", "floor_area_m2": "6000.00"},
        create_outside=lambda w: {
            "area": w.P3.pk,
            "code": "OUT-BD",
            "name": "外区厂房",
            "floor_area_m2": "50",
        },
        outside_field="area",
        change={"clear_height_m": "8.50"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
    Resource(
        path="space-units",
        basename="space-unit",
        inside=lambda w: w.UN1,
        outside=lambda w: w.UN2,
        disposable=lambda w: w.UN3,
        create=lambda w: {"building": w.BD1.pk, "code": "NEW-UN", "floor": 2, "floor_area_m2": "500.00"},
        create_outside=lambda w: {"building": w.BD2.pk, "code": "OUT-UN", "floor_area_m2": "500.00"},
        outside_field="building",
        change={"floor_load_kn": "12.00"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
    Resource(
        path="space-leases",
        basename="space-lease",
        inside=lambda w: w.LS1,
        outside=lambda w: w.LS2,
        disposable=lambda w: w.LS3,
        create=lambda w: {"unit": w.UN1.pk, "tenant": w.E1.pk, **LEASE},
        create_outside=lambda w: {"unit": w.UN2.pk, "tenant": w.E2.pk, **LEASE},
        outside_field="unit",
        change={"monthly_rent": "26000.00"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
    Resource(
        path="space-shapes",
        basename="space-shape",
        inside=lambda w: w.SH1,
        outside=lambda w: w.SH2,
        disposable=lambda w: w.SH3,
        create=lambda w: {
            "area": w.P1.pk,
            "kind": "parcel",
            "parcel": w.PC1.pk,
            "geometry": SHAPE,
            "crs": "wgs84",
        },
        create_outside=lambda w: {"area": w.P3.pk, "kind": "boundary", "geometry": SHAPE},
        outside_field="area",
        change={"name": "一号园边界"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
    Resource(
        path="space-renovations",
        basename="space-renovation",
        inside=lambda w: w.RN1,
        outside=lambda w: w.RN2,
        disposable=lambda w: w.RN3,
        create=lambda w: {"building": w.BD3.pk, "key_project": w.KP1.pk, "floor_area_m2": "2000.00"},
        create_outside=lambda w: {"building": w.BD2.pk, "key_project": w.KP2.pk, "floor_area_m2": "500"},
        outside_field="building",
        change={"purpose": "incubator"},
        readers=SPACE_READERS,
        writers=SPACE_KEEPERS,
    ),
]
# Innovation points: a zone's systems seen by its management and kept by its admins; consents seen by
# the enterprise's staff and its own users, recorded by those who serve it and given by its own users.
CONSENT_WRITERS = {r.value for r in (Role.ADMIN, Role.PARK_STAFF, Role.SERVICE_OFFICER, Role.ENTERPRISE)}
POINTS_SYSTEM = {
    "name": "新积分体系",
    "effective_from": "2027-01-01",
    "indicators": [
        {"variable": "rd_ratio", "weight": "0.5", "brackets": [{"from": 0, "to": None, "points": 10}]}
    ],
}
MATRIX += [
    Resource(
        path="innovation-systems",
        basename="innovation-system",
        inside=lambda w: w.IS1,
        outside=lambda w: w.IS2,
        disposable=lambda w: w.IS3,
        create=lambda w: {"area": w.Z1.pk, **POINTS_SYSTEM},
        create_outside=lambda w: {"area": w.Z2.pk, **POINTS_SYSTEM},
        outside_field="area",
        change={"name": "创新积分（修订）"},
        readers=MANAGEMENT,
        writers={Role.ADMIN.value},
    ),
    Resource(
        path="innovation-consents",
        basename="innovation-consent",
        inside=lambda w: w.CS1,
        outside=lambda w: w.CS2,
        disposable=lambda w: w.CS1,
        create=lambda w: {"enterprise": w.E1.pk, "bank": "另一银行", "given_on": "2026-01-01"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "bank": "另一银行", "given_on": "2026-01-01"},
        outside_field="enterprise",
        change={"withdrawn_on": "2026-06-30"},
        readers=EVERY_ROLE,
        writers=CONSENT_WRITERS,
        deletable=False,  # withdrawn, never deleted: the bank's files are explained by them
    ),
]
# Research projects: seen by the staff of the project's area and by the users of the enterprise that
# undertakes it (not its reviewers: experts stay anonymous to the applicant); kept by the area's admins
# and park staff; programmes seen by staff, kept by admins.
RESEARCH_KEEPERS = {Role.ADMIN.value, Role.PARK_STAFF.value}
RESEARCH_PROJECT = {
    "title": "新一代传感器研究",
    "pi_name": "李博士",
    "starts_on": "2027-01-01",
    "ends_on": "2028-12-31",
    "budget": {"equipment": "100000.00", "labour": "50000.00"},
}
ADJUSTMENT = {"from_category": "materials", "to_category": "labour", "amount": "20000.00", "reason": "增聘"}
EXPENDITURE = {
    "category": "materials",
    "amount": "8000.00",
    "spent_on": "2025-06-01",
    "description": "试剂",
    "voucher_no": "PZ-NEW",
}
MATRIX += [
    Resource(
        path="research-programmes",
        basename="research-programme",
        inside=lambda w: w.RG1,
        outside=lambda w: w.RG2,
        disposable=lambda w: w.RG3,
        create=lambda w: {"area": w.Z1.pk, "code": "NEW-RG", "name": "新计划", "year": 2027},
        create_outside=lambda w: {"area": w.Z2.pk, "code": "OUT-RG", "name": "外区计划", "year": 2027},
        outside_field="area",
        change={"pi_share": "0.1500"},
        readers=MANAGEMENT,
        writers={Role.ADMIN.value},
    ),
    Resource(
        path="research-projects",
        basename="research-project",
        inside=lambda w: w.RP1,
        outside=lambda w: w.RP2,
        disposable=lambda w: w.RP3,
        create=lambda w: {"programme": w.RG1.pk, "area": w.P1.pk, "code": "NEW-RP", "enterprise": w.E1.pk,
                          **RESEARCH_PROJECT},
        create_outside=lambda w: {"programme": w.RG2.pk, "area": w.P3.pk, "code": "OUT-RP",
                                  "enterprise": w.E2.pk, **RESEARCH_PROJECT},
        outside_field="area",
        change={"title": "关键技术研究（调整）"},
        readers=EVERY_ROLE,
        writers=RESEARCH_KEEPERS,
    ),
    Resource(
        path="research-reviewers",
        basename="research-reviewer",
        inside=lambda w: w.RV1,
        outside=lambda w: w.RV2,
        disposable=lambda w: w.RV3,
        create=lambda w: {"project": w.RP4.pk, "name": "新专家", "organisation": "香港大学"},
        create_outside=lambda w: {"project": w.RP5.pk, "name": "外区专家"},
        outside_field="project",
        change={"organisation": "香港城市大学"},
        readers=MANAGEMENT,
        writers=RESEARCH_KEEPERS,
    ),
    Resource(
        path="research-adjustments",
        basename="research-adjustment",
        inside=lambda w: w.AJ1,
        outside=lambda w: w.AJ2,
        disposable=lambda w: w.AJ1,
        create=lambda w: {"project": w.RP1.pk, **ADJUSTMENT},
        create_outside=lambda w: {"project": w.RP2.pk, **ADJUSTMENT},
        outside_field="project",
        change={"reason": "改"},
        readers=EVERY_ROLE,
        writers=RESEARCH_KEEPERS,
        changeable=False,  # a move is made, then approved or refused: never edited
        deletable=False,
    ),
    Resource(
        path="research-expenditures",
        basename="research-expenditure",
        inside=lambda w: w.EX1,
        outside=lambda w: w.EX2,
        disposable=lambda w: w.EX3,
        create=lambda w: {"project": w.RP1.pk, **EXPENDITURE},
        create_outside=lambda w: {"project": w.RP2.pk, **EXPENDITURE},
        outside_field="project",
        change={"description": "试剂及耗材"},
        readers=EVERY_ROLE,
        writers=RESEARCH_KEEPERS,
    ),
]  # fmt: skip
# The cross-border whitelist: everything of E1 in P1 is read by every role (the enterprise user as
# E1's), kept by whoever applies for it (the staff who apply for enterprises, and E1's own user).
WHITELIST_KEEPERS = APPLICANTS
WL_ITEM = {
    "category": "reagent",
    "name": "细胞培养基",
    "hs_code": "3821000000",
    "quantity": "20",
    "unit": "瓶",
}
MATRIX += [
    Resource(
        path="whitelist-entities",
        basename="whitelist-entity",
        inside=lambda w: w.WE1,
        outside=lambda w: w.WE2,
        disposable=lambda w: w.WE3,
        create=lambda w: {"enterprise": w.E1.pk, "name": "陈大文", "region": "HK", "id_number": "H7654321"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "name": "外区研究员", "region": "MO"},
        outside_field="enterprise",
        change={"affiliation": "香港大学"},
        readers=EVERY_ROLE,
        writers=WHITELIST_KEEPERS,
    ),
    Resource(
        path="whitelist-applications",
        basename="whitelist-application",
        inside=lambda w: w.WA1,
        outside=lambda w: w.WA2,
        disposable=lambda w: w.WA3,
        create=lambda w: {"enterprise": w.E1.pk, "project": "深港联合实验室", "entities": [w.WE1.pk]},
        create_outside=lambda w: {"enterprise": w.E2.pk, "project": "外区项目"},
        outside_field="enterprise",
        change={"project": "河套合成生物学平台"},
        readers=EVERY_ROLE,
        writers=WHITELIST_KEEPERS,
    ),
    Resource(
        path="whitelist-items",
        basename="whitelist-item",
        inside=lambda w: w.WI1,
        outside=lambda w: w.WI2,
        disposable=lambda w: w.WI3,
        create=lambda w: {"application": w.WA1.pk, **WL_ITEM},
        create_outside=lambda w: {"application": w.WA2.pk, **WL_ITEM},
        outside_field="application",
        change={"quantity": "3.000"},
        readers=EVERY_ROLE,
        writers=WHITELIST_KEEPERS,
    ),
    Resource(
        path="whitelist-movements",
        basename="whitelist-movement",
        inside=lambda w: w.WM1,
        outside=lambda w: w.WM2,
        disposable=lambda w: w.WM3,
        create=lambda w: {"item": w.WI4.pk, "direction": "in", "on": "2025-07-01", "quantity": "1.000"},
        create_outside=lambda w: {"item": w.WI5.pk, "direction": "in", "on": "2025-07-01", "quantity": "1"},
        outside_field="item",
        change={"quantity": "2.000"},
        readers=EVERY_ROLE,
        writers=WHITELIST_KEEPERS,
        changeable=False,  # facts: never changed
        deletable=False,  # nor deleted
    ),
]
# Innovation platforms hang on their park like space; talents on their enterprise; funds are zone
# business, read from the area's subtree and from above (park staff read the zone's funds) and kept
# with their investments and exits by the zone's admins and investment officers.
PLATFORM_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}
TALENT_KEEPERS = PLATFORM_KEEPERS | {Role.SERVICE_OFFICER.value}
FUND_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value}
PLATFORM = {"name": "新型研发机构", "kind": "new_rd", "level": "municipal", "host_kind": "hk_macao"}
FUND = {"name": "新产业基金", "kind": "industry", "size": "500000000.00", "government_share": "0.40"}
INVESTMENT = {"round": "b", "amount": "3000000.00", "invested_on": "2026-03-01", "stake": "0.035"}
MATRIX += [
    Resource(
        path="innovation-platforms",
        basename="innovation-platform",
        inside=lambda w: w.IP1,
        outside=lambda w: w.IP2,
        disposable=lambda w: w.IP3,
        create=lambda w: {"area": w.P1.pk, "host_name": "香港示范大学", **PLATFORM},
        create_outside=lambda w: {"area": w.P3.pk, "host_name": "外区大学", **PLATFORM},
        outside_field="area",
        change={"valid_to": "2030-12-31"},
        readers=MANAGEMENT,
        writers=PLATFORM_KEEPERS,
    ),
    Resource(
        path="platform-years",
        basename="platform-year",
        inside=lambda w: w.PY1,
        outside=lambda w: w.PY2,
        disposable=lambda w: w.PY3,
        create=lambda w: {"platform": w.IP1.pk, "year": 2025, "rd_staff": 25, "occupancy": "0.90"},
        create_outside=lambda w: {"platform": w.IP2.pk, "year": 2025, "rd_staff": 25},
        outside_field="platform",
        change={"patents": 12},
        readers=MANAGEMENT,
        writers=PLATFORM_KEEPERS,
    ),
    Resource(
        path="talent-teams",
        basename="talent-team",
        inside=lambda w: w.TT1,
        outside=lambda w: w.TT2,
        disposable=lambda w: w.TT3,
        create=lambda w: {"enterprise": w.E1.pk, "name": "新团队", "level": "municipal"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "name": "外区团队", "level": "municipal"},
        outside_field="enterprise",
        change={"members": 8},
        readers=MANAGEMENT,
        writers=TALENT_KEEPERS,
    ),
    Resource(
        path="talents",
        basename="talent",
        inside=lambda w: w.TA1,
        outside=lambda w: w.TA2,
        disposable=lambda w: w.TA3,
        create=lambda w: {"enterprise": w.E1.pk, "name": "新博士", "category": "doctor"},
        create_outside=lambda w: {"enterprise": w.E2.pk, "name": "外区博士", "category": "doctor"},
        outside_field="enterprise",
        change={"title": "首席科学家"},
        readers=MANAGEMENT,
        writers=TALENT_KEEPERS,
    ),
    Resource(
        path="talent-services",
        basename="talent-service",
        inside=lambda w: w.TS1,
        outside=lambda w: w.TS2,
        disposable=lambda w: w.TS3,
        create=lambda w: {
            "talent": w.TA1.pk,
            "kind": "subsidy",
            "received_on": "2026-02-01",
            "amount": "50000",
        },
        create_outside=lambda w: {"talent": w.TA2.pk, "kind": "subsidy", "received_on": "2026-02-01"},
        outside_field="talent",
        change={"notes": "已兑现"},
        readers=MANAGEMENT,
        writers=TALENT_KEEPERS,
    ),
    Resource(
        path="funds",
        basename="fund",
        inside=lambda w: w.FD1,
        outside=lambda w: w.FD2,
        disposable=lambda w: w.FD3,
        create=lambda w: {"area": w.Z1.pk, "focus_chains": [w.CN1.pk], **FUND},
        create_outside=lambda w: {"area": w.Z2.pk, **FUND},
        outside_field="area",
        change={"manager": "新管理人"},
        readers=MANAGEMENT,
        writers=FUND_KEEPERS,
    ),
    Resource(
        path="fund-investments",
        basename="fund-investment",
        inside=lambda w: w.FI1,
        outside=lambda w: w.FI2,
        disposable=lambda w: w.FI3,
        create=lambda w: {"fund": w.FD1.pk, "enterprise": w.E1.pk, **INVESTMENT},
        create_outside=lambda w: {"fund": w.FD2.pk, "enterprise": w.E1.pk, **INVESTMENT},
        outside_field="fund",
        change={"stake": "0.1200"},
        readers=MANAGEMENT,
        writers=FUND_KEEPERS,
    ),
    Resource(
        path="fund-exits",
        basename="fund-exit",
        inside=lambda w: w.FX1,
        outside=lambda w: w.FX2,
        disposable=lambda w: w.FX3,
        create=lambda w: {"investment": w.FI1.pk, "exited_on": "2026-06-01", "amount": "1000000.00"},
        create_outside=lambda w: {"investment": w.FI2.pk, "exited_on": "2026-06-01", "amount": "1000.00"},
        outside_field="investment",
        change={"proceeds": "1800000.00"},
        readers=MANAGEMENT,
        writers=FUND_KEEPERS,
    ),
]
# Future industries: a zone's own industries, its boards and their proofs are seen from the zone's
# subtree and above by its management; industries are kept by admins, boards and proofs by admins and
# investment officers. A scenario is seen by the staff of its area's subtree and its owner enterprise's
# users, kept by those who keep the area's enterprises and projects.
BOARD_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value}
SCENARIO_KEEPERS = {Role.ADMIN.value, Role.INVESTMENT_OFFICER.value, Role.PARK_STAFF.value}


def _shared_industry(code: str) -> int:
    from zoneos.future.models import FutureIndustry

    return FutureIndustry.objects.get(code=code).pk


MATRIX += [
    Resource(
        path="future-industries",
        basename="future-industry",
        inside=lambda w: w.FU1,
        outside=lambda w: w.FU2,
        disposable=lambda w: w.FU3,
        create=lambda w: {"code": "new-fi", "name": "新未来产业", "area": w.Z1.pk, "keywords": ["量子"]},
        create_outside=lambda w: {"code": "out-fi", "name": "外区未来产业", "area": w.Z2.pk},
        outside_field="area",
        change={"name_en": "Renamed industry"},
        readers=MANAGEMENT,
        writers={Role.ADMIN.value},
    ),
    Resource(
        path="future-boards",
        basename="future-board",
        inside=lambda w: w.FB1,
        outside=lambda w: w.FB2,
        disposable=lambda w: w.FB3,
        create=lambda w: {"area": w.Z1.pk, "industry": _shared_industry("blockchain")},
        create_outside=lambda w: {"area": w.Z2.pk, "industry": _shared_industry("blockchain")},
        outside_field="area",
        change={"notes": "工作专班每月调度"},
        readers=MANAGEMENT,
        writers=BOARD_KEEPERS,
    ),
    Resource(
        path="future-proofs",
        basename="future-proof",
        inside=lambda w: w.FP1,
        outside=lambda w: w.FP2,
        disposable=lambda w: w.FP3,
        create=lambda w: {"board": w.FB1.pk, "item": "plan", "kind": "chain", "record": w.CN3.pk},
        create_outside=lambda w: {"board": w.FB2.pk, "item": "plan", "kind": "chain", "record": w.CN2.pk},
        outside_field="board",
        change={"note": "改"},
        readers=MANAGEMENT,
        writers=BOARD_KEEPERS,
        changeable=False,  # added and removed, never changed
    ),
    Resource(
        path="future-scenarios",
        basename="future-scenario",
        inside=lambda w: w.SC1,
        outside=lambda w: w.SC2,
        disposable=lambda w: w.SC3,
        create=lambda w: {"area": w.P1.pk, "title": "新应用场景", "owner_enterprise": w.E1.pk},
        create_outside=lambda w: {"area": w.P3.pk, "title": "外区场景", "owner_department": w.D2.pk},
        outside_field="area",
        change={"technology_sought": "低空无人机巡检"},
        readers=EVERY_ROLE,
        writers=SCENARIO_KEEPERS,
    ),
]
BY_NAME = {r.path: r for r in MATRIX}

# Routes that are not resources: who may call them.
POLICY_STEPS = (
    "submit", "confirm", "resubmit", "accept", "preliminary", "review", "publicize", "object", "approve",
    "reject", "return", "pay", "close", "withdraw",
)  # fmt: skip
SINGLE_ROUTES = {
    "me",
    # zoneos/core/tests/test_search.py::test_the_api_answers_the_callers_scope walks every caller
    "search",
    "enterprise-export",
    "indicator-export",
    "indicator-revise",
    "stats-overview",
    "import-list",
    "import-detail",
    "import-commit",
    "import-rerun",
    "import-mapping",
    "import-changes",
    "import-template",
    "project-transition",
    "project-funnel",
    "project-export",
    "conflict-list",
    "conflict-detail",
    "conflict-history",
    "conflict-resolve",
    "stages",
    "key-project-reports",
    "key-project-revise",
    "supervision-summary",
    "supervision-ranking",
    "supervision-order-answer",
    "supervision-order-close",
    "supervision-order-send-back",
    "supervision-briefing",
    "briefing-download",
    "appeal-assign",
    "appeal-sign-for",
    "appeal-return",
    "appeal-start",
    "appeal-request-extension",
    "appeal-approve-extension",
    "appeal-reject-extension",
    "appeal-pause",
    "appeal-resume",
    "appeal-reply",
    "appeal-evaluate",
    "appeal-close",
    "appeal-reopen",
    "appeal-urge",
    "appeal-attachments",
    "appeal-stats",
    "visit-report",
    "policy-application-figures",
    *(f"policy-application-{step}" for step in POLICY_STEPS),
    # zoneos/notifications/tests/test_api.py::test_admins_read_the_notifications_of_their_subtree
    "notification-list",
    "notification-detail",
    "notification-retry",
    # zoneos/notifications/tests/test_inbox.py walks every caller through their own inbox
    "inbox-list",
    "inbox-detail",
    "inbox-read",
    "inbox-read-all",
    "inbox-preferences",
    "workday-list",
    "workday-detail",
    "workday-history",
    "workday-add",
    # tests/test_permission_matrix_security.py walks each caller through these
    "api-token-list",
    "api-token-detail",
    "api-token-revoke",
    "security-event-list",
    "security-event-detail",
    "security-event-export",
    # The policies: test_policy_routes below
    "policy-item-rules",
    "policy-item-matches",
    "policy-item-match-counts",
    "policy-rule-publish",
    "policy-rule-try-on",
    "policy-variables",
    "enterprise-eligibility",
    "declared-fact-verify",
    "policy-parameter-list",
    "policy-parameter-detail",
    "policy-parameter-history",
    # zoneos/policies/tests/test_attachments.py walks every caller through a policy's documents
    "policy-attachments",
    "policy-remove-attachment",
    # zoneos/chains/tests/test_api.py walks every caller through a chain's links, supply relations,
    # adoption, coverage and the coverage matrix
    "chain-links",
    "chain-edges",
    "chain-adopt",
    "chain-coverage",
    "chain-coverage-matrix",
    # zoneos/chains/tests/test_targets.py walks every caller through a link's targets, a target's lead
    # and the gaps filled
    "chain-link-targets",
    "chain-candidate-lead",
    "chain-gaps-filled",
    # zoneos/chains/tests/test_workbook.py walks every caller through a chain's workbook, out and in
    "chain-workbook",
    "chain-import-workbook",
    # zoneos/space/tests/test_api.py::test_every_caller_on_the_space_figures walks every caller through
    # vacancy, matching and the leases ending soon
    "space-vacancy",
    "space-match",
    "space-lease-expiring",
    # zoneos/space/tests/test_map.py walks every caller through the map and a park's shapes uploaded
    "space-map",
    "space-shape-upload",
    # zoneos/innovation/tests/test_api.py walks every caller through the ranking and the bank's file
    "innovation-points",
    "innovation-bank-export",
    # zoneos/future/tests/test_api.py walks every caller through a scenario's matching; its steps are
    # walked by test_scenario_steps below
    "future-scenario-suggestions",
    "future-scenario-confirm",
    "future-scenario-unmatch",
    *(
        f"future-scenario-{step}"
        for step in ("start-matching", "match", "start-pilot", "complete", "withdraw")
    ),
    # A research project's steps: test_research_project_steps below; zoneos/research/tests/test_api.py
    # walks every caller through the auditors' workbook, scoring and deciding an adjustment
    *(f"research-project-{step.url_path.replace('_', '-')}" for step in PROJECT_WORKFLOW),
    "research-project-export",
    "research-reviewer-score",
    "research-adjustment-approve",
    "research-adjustment-refuse",
    # The whitelist's steps: test_whitelist_application_steps below; its customs sheet and warnings:
    # zoneos/whitelist/tests/test_api.py walks every caller through them
    *(
        f"whitelist-application-{step}"
        for step in ("submit", "zone-approve", "return", "to-customs", "approve", "reject")
    ),
    "whitelist-application-customs",
    "whitelist-application-warnings",
}


@pytest.fixture(scope="module")
def module_world(module_world, django_db_blocker):
    """The named world with the policies' catalogue, built once for the module."""
    with django_db_blocker.unblock():
        catalogue(module_world)
    return module_world


@pytest.fixture
def world(world_from_module):
    """The world is built once for the module and each case runs in a savepoint inside it: some 1,500
    cases had each built and thrown away a world of some hundred rows, most of the module's time."""
    return world_from_module


def client_for(api, world, caller):
    return api(None if caller == ANONYMOUS else world.users[caller])


def expected_read(resource: Resource, caller: str) -> int:
    if caller == ANONYMOUS:
        return 401
    return 200 if caller == "root" or caller in resource.readers else 404


def expected_write(resource: Resource, caller: str, ok: int) -> int:
    if caller == ANONYMOUS:
        return 401
    if caller == "root" or caller in resource.writers:
        return ok
    return 403


cases = [(r.path, c) for r in MATRIX for c in CALLERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_reading(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    inside, outside = r.inside(world), r.outside(world)
    base = f"/api/v1/{r.path}/"

    listing = client.get(base)
    assert listing.status_code == (401 if caller == ANONYMOUS else 200)
    if caller != ANONYMOUS:
        ids = {row["id"] for row in client.get(base, {"page_size": 1000}).json()["results"]}
        assert (inside.pk in ids) == (expected_read(r, caller) == 200)
        assert (outside.pk in ids) == (caller == "root")

    assert client.get(f"{base}{inside.pk}/").status_code == expected_read(r, caller)
    assert client.get(f"{base}{inside.pk}/history/").status_code == expected_read(r, caller)
    out = 401 if caller == ANONYMOUS else (200 if caller == "root" else 404)
    assert client.get(f"{base}{outside.pk}/").status_code == out
    assert client.get(f"{base}{outside.pk}/history/").status_code == out


def as_root(api, world, r: Resource, record_id) -> dict:
    """The record as the superuser reads it (who reads every record, so a refused write can be compared)."""
    response = api(world.root).get(f"/api/v1/{r.path}/{record_id}/")
    assert response.status_code == 200, response.content
    return response.json()


def how_many(api, world, r: Resource) -> int:
    return api(world.root).get(f"/api/v1/{r.path}/", {"page_size": 1}).json()["count"]


def reads_back(written, shown) -> bool:
    """Whether a record shows what was written: each written field the record shows (a password is not
    shown) holds the written value; amounts compare as numbers ("40" is "40.00")."""
    if isinstance(written, dict):
        return isinstance(shown, dict) and all(
            reads_back(value, shown[name]) for name, value in written.items() if name in shown
        )
    if isinstance(written, list):  # in any order (an SLA policy's rules come back by category)
        return (
            isinstance(shown, list)
            and len(written) == len(shown)
            and all(any(reads_back(w, s) for s in shown) for w in written)
        )
    if isinstance(written, str) and isinstance(shown, str | int) and written != shown:
        try:
            return Decimal(written) == Decimal(str(shown))
        except InvalidOperation:
            return False
    return written == shown


def assert_written(client, r: Resource, answer, written: dict) -> None:
    """A write that succeeded: the record, read back by the writer, shows the written values."""
    record = client.get(f"/api/v1/{r.path}/{answer.json()['id']}/")
    assert record.status_code == 200, record.content
    assert reads_back(written, record.json()), (written, record.json())


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_creating(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"
    before = how_many(api, world, r)

    payload = r.create(world)
    response = client.post(base, payload, format="json")
    assert response.status_code == expected_write(r, caller, 201), response.content
    if response.status_code == 201:
        assert_written(client, r, response, payload)
    else:  # a refused write leaves nothing behind
        assert how_many(api, world, r) == before
    before = how_many(api, world, r)

    payload = r.create_outside(world)
    outside = client.post(base, payload, format="json")
    if caller == "root":
        assert outside.status_code == 201, outside.content
        assert_written(client, r, outside, payload)
        return
    elif caller in r.writers:
        assert outside.status_code == 400 and r.outside_field in outside.json()
    else:
        assert outside.status_code == expected_write(r, caller, 201)
    assert how_many(api, world, r) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_changing(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"
    inside, outside = r.inside(world), r.outside(world)
    inside_before, outside_before = as_root(api, world, r, inside.pk), as_root(api, world, r, outside.pk)

    ok = 200 if r.changeable else 405
    changed = client.patch(f"{base}{inside.pk}/", r.change, format="json")
    assert changed.status_code == expected_write(r, caller, ok)
    if changed.status_code == 200:
        assert_written(client, r, changed, r.change)
    else:  # a refused change changes nothing
        assert as_root(api, world, r, inside.pk) == inside_before

    writer_outside = (200 if caller == "root" else 404) if r.changeable else 405
    expected = writer_outside if caller in r.writers | {"root"} else expected_write(r, caller, 200)
    changed = client.patch(f"{base}{outside.pk}/", r.change, format="json")
    assert changed.status_code == expected
    if changed.status_code == 200:
        assert_written(client, r, changed, r.change)
    else:
        assert as_root(api, world, r, outside.pk) == outside_before


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "caller"), cases)
def test_deleting(world, api, resource, caller):
    r = BY_NAME[resource]
    client = client_for(api, world, caller)
    base = f"/api/v1/{r.path}/"
    outside = r.outside(world)

    if caller in r.writers:
        before = as_root(api, world, r, outside.pk)
        assert client.delete(f"{base}{outside.pk}/").status_code == (404 if r.deletable else 405)
        assert as_root(api, world, r, outside.pk) == before
    target = r.disposable(world)
    before = as_root(api, world, r, target.pk)
    ok = r.delete_status if r.deletable else 405
    deleted = client.delete(f"{base}{target.pk}/")
    assert deleted.status_code == expected_write(r, caller, ok)
    if deleted.status_code == 204 and r.deleted_shows is not None:
        assert reads_back(r.deleted_shows, as_root(api, world, r, target.pk))
    elif deleted.status_code == 204:  # gone, for the superuser too
        assert api(world.root).get(f"{base}{target.pk}/").status_code == 404
    else:  # a refused delete leaves the record as it was
        assert as_root(api, world, r, target.pk) == before


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_me(world, api, caller):
    client = client_for(api, world, caller)
    assert client.get("/api/v1/me/").status_code == (401 if caller == ANONYMOUS else 200)
    if caller != ANONYMOUS:
        assert client.post("/api/v1/me/", {}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("resource", ["enterprises", "indicators"])
def test_exporting(world, api, caller, resource):
    """Exports hold exactly the rows the caller may read."""
    client = client_for(api, world, caller)
    response = client.get(f"/api/v1/{resource}/export/", {"as": "csv"})
    if caller == ANONYMOUS:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert (world.E1.name in text) == (caller in EVERY_ROLE | {"root"})
    assert (world.E2.name in text) == (caller == "root")


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_revising_figures(world, api, caller):
    client = client_for(api, world, caller)
    payload = {"revenue": "3.00", "reason": "更正"}
    inside = client.post(f"/api/v1/indicators/{world.I1.pk}/revise/", payload)
    writers = KEEPERS | {"root"}
    expected = 401 if caller == ANONYMOUS else 200 if caller in writers else 403
    assert inside.status_code == expected
    outside = client.post(f"/api/v1/indicators/{world.I2.pk}/revise/", payload)
    if caller == "root":
        assert outside.status_code == 200
    elif caller in KEEPERS:
        assert outside.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_the_overview(world, api, caller):
    client = client_for(api, world, caller)
    inside = client.get("/api/v1/stats/overview/", {"area": world.Z1.pk, "year": 2024})
    own_park = client.get("/api/v1/stats/overview/", {"area": world.P1.pk, "year": 2024})
    outside = client.get("/api/v1/stats/overview/", {"area": world.Z2.pk, "year": 2024})
    if caller == ANONYMOUS:
        assert {inside.status_code, own_park.status_code, outside.status_code} == {401}
        return
    # Park staff read their park, not the zone above it.
    readers = (MANAGEMENT - {Role.PARK_STAFF.value}) | {"root"}
    assert inside.status_code == (200 if caller in readers else 404)
    assert own_park.status_code == (200 if caller in MANAGEMENT | {"root"} else 404)
    assert outside.status_code == (200 if caller == "root" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_importing(world, api, caller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(api, world, caller)
    template = client.get("/api/v1/imports/template/", {"kind": "enterprises"})
    upload = SimpleUploadedFile("e.csv", "统一社会信用代码,企业名称\n".encode())
    created = client.post("/api/v1/imports/", {"kind": "enterprises", "file": upload}, format="multipart")
    listing = client.get("/api/v1/imports/")
    if caller == ANONYMOUS:
        assert {template.status_code, created.status_code, listing.status_code} == {401}
        return
    assert template.status_code == 200
    assert listing.status_code == 200
    importers = KEEPERS | {"root"}
    assert created.status_code == (201 if caller in importers else 403)
    if created.status_code == 201:
        job = created.json()["id"]
        assert client.get(f"/api/v1/imports/{job}/").status_code == 200
        # The file has no rows: there is nothing to commit.
        assert client.post(f"/api/v1/imports/{job}/commit/").status_code == 409
        # Someone else's import does not exist for another caller.
        other = api(world.users["admin" if caller != "admin" else "statistician"])
        assert other.get(f"/api/v1/imports/{job}/").status_code == 404
        assert other.post(f"/api/v1/imports/{job}/commit/").status_code == 404
        # The mapping of a checked import is its uploader's to change; its changes theirs to download.
        assert other.put(f"/api/v1/imports/{job}/mapping/", {"columns": []}, format="json").status_code == 404
        assert other.get(f"/api/v1/imports/{job}/changes/").status_code == 404
        assert client.get(f"/api/v1/imports/{job}/changes/").status_code == 200
        remapped = client.put(f"/api/v1/imports/{job}/mapping/", {"columns": []}, format="json")
        assert remapped.status_code == 200 and remapped.json()["mapping"]["confirmed"] is True
        # Only a failed or interrupted import runs again; someone else's is not there to run.
        assert client.post(f"/api/v1/imports/{job}/rerun/").status_code == 409
        ImportJob.objects.filter(pk=job).update(status=ImportStatus.FAILED, message="the worker stopped")
        assert other.post(f"/api/v1/imports/{job}/rerun/").status_code == 404
        assert ImportJob.objects.get(pk=job).status == ImportStatus.FAILED
        rerun = client.post(f"/api/v1/imports/{job}/rerun/")
        assert rerun.status_code == 200
        assert rerun.json()["status"] != ImportStatus.FAILED


# Steps of a workflow table --------------------------------------------------------------------------
# A record type's steps come from its table (zoneos.core.workflow), so a new step is walked here without
# a word. What the matrix declares per table: which callers are each of its parties for a record in the
# role users' scope, who reads that record, and how to bring a fresh record to each state a step may
# start from (a step is taken from the first declared state among its sources).
SAMPLE_INPUT = {"text": "已落实"}  # a value for each kind of input a step's body carries


@dataclass
class StepCases:
    workflow: Callable  # () -> the table
    parties: dict[str, set[str]]  # party name -> the callers who are that party for a record in scope
    readers: set[str]  # callers who see a record in scope; others are told it does not exist (404)
    fresh: Callable  # (world, inside) -> a new record in the role users' scope, or in zone Z2
    states: dict[str, Callable]  # state -> (world, record) -> the record brought to that state
    post: Callable  # (client, step, body, record) -> the response to taking the step through the API
    # Callers with no role of the table's parties are refused before the record is looked up (403).
    refused_before_lookup: bool = False
    # A value for an input the sample values do not fit (an approval's number and validity), by name.
    inputs: dict = field(default_factory=dict)


def step_expected(cases: StepCases, step, caller: str, inside: bool) -> int:
    if caller == ANONYMOUS:
        return 401
    if caller == "root":
        return 200
    if caller in set().union(*(cases.parties[party.name] for party in step.who)):
        return 200 if inside else 404
    if cases.refused_before_lookup:
        return 403
    return 403 if inside and caller in cases.readers else 404


def walk_steps(cases: StepCases, world, api, caller: str) -> None:
    """Every step of the table by `caller`, on a record in scope and on one in zone Z2."""
    client = client_for(api, world, caller)
    workflow = cases.workflow()
    for step in workflow:
        state = next((s for s in cases.states if s in step.sources), None)
        assert state is not None, f"say how a record reaches one of {sorted(step.sources)} ({step.name})"
        body = {spec.name: SAMPLE_INPUT[spec.kind] for spec in step.inputs if spec.kind in SAMPLE_INPUT}
        body.update({spec.name: cases.inputs[spec.name] for spec in step.inputs if spec.name in cases.inputs})
        for inside in (True, False):
            record = cases.states[state](world, cases.fresh(world, inside))
            assert workflow.possible(record, step.name), (step.name, state)
            response = cases.post(client, step, body, record)
            expected = step_expected(cases, step, caller, inside)
            assert response.status_code == expected, (step.name, inside, response.content)
            record.refresh_from_db()
            taken = getattr(record, workflow.state) == step.target
            assert taken == (expected == 200), (step.name, inside)


def _project_moves():
    from zoneos.pipeline.moves import PROJECT_MOVES

    return PROJECT_MOVES


def _project(world, inside: bool):
    from zoneos.testing.factories import make_project

    return make_project(world.P1 if inside else world.P3)


def _moved(*path: str) -> Callable:
    def bring(world, project):
        from zoneos.pipeline import services

        for to in path:
            project = services.transition(project, by=world.root, to=to)
        return project

    return bring


PROJECT_MOVE_CASES = StepCases(
    workflow=_project_moves,
    parties={"keeper": PIPELINE_KEEPERS},
    readers=PIPELINE_READERS,
    fresh=_project,
    states={
        "lead": _moved(),
        "negotiating": _moved("negotiating"),
        "signed": _moved("signed"),
        "registered": _moved("signed", "registered"),
        "land_secured": _moved("signed", "land_secured"),
        "under_construction": _moved("signed", "under_construction"),
        "completed": _moved("signed", "under_construction", "completed"),
        "in_production": _moved("signed", "under_construction", "completed", "in_production"),
        "on_hold": _moved("on_hold"),
    },
    # One endpoint takes every move, dispatching on `to`.
    post=lambda client, step, body, project: client.post(
        f"/api/v1/projects/{project.pk}/transition/", {"to": step.name, **body}
    ),
    refused_before_lookup=True,  # a role that changes no project is refused before any lookup
)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_moving_projects(world, api, caller):
    walk_steps(PROJECT_MOVE_CASES, world, api, caller)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_the_funnel_and_exporting_projects(world, api, caller):
    """Funnel figures and exports count exactly the projects the caller may read."""
    client = client_for(api, world, caller)
    funnel = client.get("/api/v1/projects/funnel/")
    export = client.get("/api/v1/projects/export/", {"as": "csv"})
    if caller == ANONYMOUS:
        assert {funnel.status_code, export.status_code} == {401}
        return
    assert funnel.status_code == 200 and export.status_code == 200
    sees = {"root": 3}.get(caller, 2 if caller in PIPELINE_READERS else 0)
    assert funnel.json()["total"] == sees
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert (world.PR1.name in text) == (sees > 0)
    assert (world.PR2.name in text) == (caller == "root")
    outside = client.get("/api/v1/projects/funnel/", {"area": world.Z2.pk})
    assert outside.status_code == (200 if caller == "root" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_conflicts(world, api, caller):
    """A conflict hangs on its zone: its coordinators (and leaders) read it, coordinators resolve it."""
    from zoneos.testing.factories import make_project

    rival = make_project(world.P2, name="二号园项目", investor_name="甲方科技股份有限公司")
    conflict = rival.conflicts.get()
    client = client_for(api, world, caller)
    listing = client.get("/api/v1/conflicts/")
    detail = client.get(f"/api/v1/conflicts/{conflict.pk}/")
    history = client.get(f"/api/v1/conflicts/{conflict.pk}/history/")
    if caller == ANONYMOUS:
        assert {listing.status_code, detail.status_code, history.status_code} == {401}
        assert client.post(f"/api/v1/conflicts/{conflict.pk}/resolve/", {}).status_code == 401
        return
    readers = COORDINATORS | {Role.LEADER.value, "root"}
    assert listing.status_code == 200
    assert (conflict.pk in {c["id"] for c in listing.json()["results"]}) == (caller in readers)
    assert detail.status_code == history.status_code == (200 if caller in readers else 404)
    resolved = client.post(f"/api/v1/conflicts/{conflict.pk}/resolve/", {"area": world.P1.pk})
    expected = 200 if caller in COORDINATORS | {"root"} else 403 if caller in readers else 404
    assert resolved.status_code == expected, resolved.content
    assert client.post("/api/v1/conflicts/", {}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_stage_names(world, api, caller):
    client = client_for(api, world, caller)
    response = client.get("/api/v1/stages/", {"area": world.P1.pk})
    if caller == ANONYMOUS:
        assert response.status_code == 401
        return
    # Every member sees the park (an enterprise user, the park of their enterprise); a stranger does not.
    assert response.status_code == (200 if caller in EVERY_ROLE | {"root"} else 404)
    if response.status_code == 200:
        assert [s["category"] for s in response.json()][:3] == ["lead", "negotiating", "signed"]
    assert client.get("/api/v1/stages/", {"area": world.P3.pk}).status_code == (
        200 if caller == "root" else 404
    )
    assert client.get("/api/v1/stages/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reporting_and_revising(world, api, caller):
    """Parks report their projects' months; supervisors and admins too; everyone who reads the project
    reads its reports. A revision of a locked month needs the same roles."""
    client = client_for(api, world, caller)
    url = f"/api/v1/key-projects/{world.KP1.pk}/reports/"
    filed = client.post(url, {"month": "2025-03", "completed": "1000.00"}, format="json")
    listed = client.get(url)
    revised = client.post(
        f"/api/v1/key-projects/{world.KP1.pk}/revise/",
        {"month": "2025-03", "completed": "2000.00", "reason": "更正"},
        format="json",
    )
    outside = client.post(
        f"/api/v1/key-projects/{world.KP2.pk}/reports/",
        {"month": "2025-03", "completed": "1.00"},
        format="json",
    )
    if caller == ANONYMOUS:
        assert {filed.status_code, listed.status_code, revised.status_code, outside.status_code} == {401}
        return
    reporters = SUPERVISORS | {Role.PARK_STAFF.value, "root"}
    if caller in reporters:
        assert filed.status_code == 201, filed.content
        assert revised.status_code == 200, revised.content
    else:  # readers without a reporting role are refused; others do not find the project
        refused = 403 if caller in PIPELINE_READERS else 404
        assert filed.status_code == revised.status_code == refused
    assert listed.status_code == (200 if caller in PIPELINE_READERS | {"root"} else 404)
    assert outside.status_code == (201 if caller == "root" else 404)  # out of scope: not found


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_the_supervision_summary(world, api, caller):
    client = client_for(api, world, caller)
    zone = client.get("/api/v1/supervision/summary/", {"area": world.Z1.pk, "month": "2025-06"})
    park = client.get("/api/v1/supervision/summary/", {"area": world.P1.pk, "month": "2025-06"})
    other = client.get("/api/v1/supervision/summary/", {"area": world.Z2.pk, "month": "2025-06"})
    if caller == ANONYMOUS:
        assert {zone.status_code, park.status_code, other.status_code} == {401}
        return
    zone_readers = (PIPELINE_READERS - {Role.PARK_STAFF.value}) | {"root"}
    assert zone.status_code == (200 if caller in zone_readers else 404)
    assert park.status_code == (200 if caller in PIPELINE_READERS | {"root"} else 404)
    assert other.status_code == (200 if caller == "root" else 404)
    if park.status_code == 200:
        assert park.json()["projects"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_the_ranking(world, api, caller):
    client = client_for(api, world, caller)
    zone = client.get("/api/v1/supervision/ranking/", {"area": world.Z1.pk, "month": "2025-06"})
    other = client.get("/api/v1/supervision/ranking/", {"area": world.Z2.pk, "month": "2025-06"})
    if caller == ANONYMOUS:
        assert {zone.status_code, other.status_code} == {401}
        return
    zone_readers = (PIPELINE_READERS - {Role.PARK_STAFF.value}) | {"root"}
    assert zone.status_code == (200 if caller in zone_readers else 404)
    assert other.status_code == (200 if caller == "root" else 404)
    if zone.status_code == 200:
        assert {r["area"] for r in zone.json()["rows"]} == {world.P1.pk, world.P2.pk}


# Who answers an order to P1: its staff and the roles above it; who closes or sends back: supervisors.
ANSWERERS = {Role.PARK_STAFF.value, Role.ADMIN.value, Role.SUPERVISOR.value, Role.LEADER.value, "root"}


def _order_workflow():
    from zoneos.supervision.services import ORDER_WORKFLOW

    return ORDER_WORKFLOW


def _order(world, inside: bool):
    import datetime

    from zoneos.supervision import services

    return services.issue_order(
        by=world.root,
        key_project=world.KP1 if inside else world.KP2,
        to_area=world.P1 if inside else world.P3,
        subject=ORDER["subject"],
        deadline_days=ORDER["deadline_days"],
        issued_on=datetime.date.fromisoformat(ORDER["issued_on"]),
    )


def _answered(world, order):
    from zoneos.supervision import services

    return services.answer_order(order, by=world.root, answer="已办")


ORDER_STEP_CASES = StepCases(
    workflow=_order_workflow,
    parties={"addressee": ANSWERERS, "supervisor": SUPERVISORS},
    readers=PIPELINE_READERS,  # the readers of the key project's area
    fresh=_order,
    states={"open": lambda world, order: order, "answered": _answered},
    post=lambda client, step, body, order: client.post(
        f"/api/v1/supervision/orders/{order.pk}/{step.url_path}/", body, format="json"
    ),
)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_order_steps(world, api, caller):
    walk_steps(ORDER_STEP_CASES, world, api, caller)


# An appeal's steps, from its workflow table ----------------------------------------------------------
# Every step of `APPEAL_WORKFLOW` is walked; what the matrix declares is who each party of the table is
# among its callers, how an appeal of E1 routed to D1 reaches the states steps start from, and a value
# for each input. Root, a superuser, is every party.
HANDLERS = {Role.HANDLER.value}
FOR_THE_ENTERPRISE = DISPATCHERS | {Role.ENTERPRISE.value}
APPEAL_PARTIES = {
    "dispatcher": DISPATCHERS,  # the zone's staff who route appeals, on Z1
    "handler": HANDLERS,  # the handler of D1, where E1's appeals are routed
    "head": set(),  # D1 has no head in the world: the dispatchers decide its extensions
    "enterprise": {Role.ENTERPRISE.value},  # E1's user
}


def _signed(world, appeal):
    from zoneos.appeals import services

    return services.sign_for(appeal, by=world.root)


def _replied(world, appeal):
    from zoneos.appeals import services

    return services.reply(_signed(world, appeal), by=world.root, reply="已办")


def _extension_asked(world, appeal):
    from zoneos.appeals import services

    return services.request_extension(_signed(world, appeal), by=world.root, days=2, reason="会签")


def _paused(world, appeal):
    from zoneos.appeals import services

    return services.pause(_signed(world, appeal), by=world.root, reason="补材料")


def _rated(world, appeal):
    from zoneos.appeals import services

    return services.evaluate(_replied(world, appeal), by=world.root, rating="satisfied")


# The appeals a step may start from; a step is taken from the first one its row allows. A rated reply
# comes before a fresh one: closing a fresh reply waits for the enterprise's time to confirm it.
APPEAL_STATES = [
    ("assigned", None),
    ("signed for", _signed),
    ("waiting on the enterprise", _paused),
    ("extension asked", _extension_asked),
    ("rated", _rated),
    ("replied", _replied),
]
APPEAL_INPUTS = {
    "department": lambda world: world.D1.pk,
    "reason": "补材料",
    "days": 2,
    "reply": "已办",
    "rating": "satisfied",
    "note": "请尽快",
}


def _routed_appeal(world, prepare):
    from zoneos.appeals import services

    appeal = services.submit(by=world.root, enterprise=world.E1, channel="hotline", **APPEAL)
    return appeal if prepare is None else prepare(world, appeal)


def appeal_step_cases(world) -> list[tuple]:
    """(step, how to prepare its appeal, its body, the callers who take it) for each step of the table;
    fails naming a step whose state no prepared appeal reaches, or whose party or input is undeclared."""
    from zoneos.appeals.services import APPEAL_WORKFLOW

    reached = [(name, prepare, _routed_appeal(world, prepare)) for name, prepare in APPEAL_STATES]
    cases = []
    for step in APPEAL_WORKFLOW:
        prepare = next((p for _n, p, appeal in reached if APPEAL_WORKFLOW.possible(appeal, step.name)), False)
        assert prepare is not False, f"no appeal in APPEAL_STATES allows {step.name!r}: declare one"
        undeclared = [party.name for party in step.who if party.name not in APPEAL_PARTIES]
        assert not undeclared, f"{step.name!r}: declare who {undeclared} are in APPEAL_PARTIES"
        missing = [i.name for i in step.inputs if i.required and i.name not in APPEAL_INPUTS]
        assert not missing, f"{step.name!r}: give a value for {missing} in APPEAL_INPUTS"
        body = {
            i.name: (lambda v: v(world) if callable(v) else v)(APPEAL_INPUTS[i.name])
            for i in step.inputs
            if i.name in APPEAL_INPUTS
        }
        takers = set().union(*(APPEAL_PARTIES[party.name] for party in step.who))
        cases.append((step.name, prepare, body, takers))
    return cases


@pytest.mark.django_db
def test_every_appeal_step_is_reached_by_a_declared_appeal_party_and_input(world):
    from zoneos.appeals.services import APPEAL_WORKFLOW

    assert [name for name, *_rest in appeal_step_cases(world)] == list(APPEAL_WORKFLOW.steps)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_appeal_steps(world, api, caller):
    """Every step, by every caller: the party whose step it is gets 200, other readers 403, callers who
    cannot see the appeal 404; the other zone's appeal is 404 for all but root."""
    client = client_for(api, world, caller)
    for name, prepare, body, takers in appeal_step_cases(world):
        appeal = _routed_appeal(world, prepare)
        response = client.post(f"/api/v1/appeals/{appeal.pk}/{name}/", body, format="json")
        if caller == ANONYMOUS:
            expected = 401
        elif caller == "root" or caller in takers:
            expected = 200
        else:
            expected = 403 if caller in EVERY_ROLE else 404
        assert response.status_code == expected, (name, response.content)
    outside = client.post(f"/api/v1/appeals/{world.AP2.pk}/urge/", {}, format="json")
    assert outside.status_code == (401 if caller == ANONYMOUS else 200 if caller == "root" else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_appeal_figures_attachments_and_visit_report(world, api, caller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(api, world, caller)
    figures = client.get("/api/v1/appeals/stats/")
    upload = SimpleUploadedFile("负荷表.txt", "用电负荷".encode(), content_type="text/plain")
    attached = client.post(
        f"/api/v1/appeals/{world.AP1.pk}/attachments/", {"file": upload}, format="multipart"
    )
    report = client.get("/api/v1/visits/report/", {"month": "2026-03"})
    if caller == ANONYMOUS:
        assert {figures.status_code, attached.status_code, report.status_code} == {401}
        return
    assert figures.status_code == 200
    assert figures.json()["total"] == (2 if caller == "root" else 1 if caller in EVERY_ROLE else 0)
    attachers = FOR_THE_ENTERPRISE | HANDLERS | {"root"}
    assert attached.status_code == (201 if caller in attachers else 403 if caller in EVERY_ROLE else 404)
    officers = {row["officer"] for row in report.json()["officers"]}
    assert officers == (
        {"service_officer", "root"} if caller == "root" else {"service_officer"} if caller in STAFF else set()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_downloading_briefings(world, api, caller):
    """A briefing is made for whoever reads the area's supervision figures (as the summary); a kept
    briefing downloads once it is generated (409 while queued)."""
    client = client_for(api, world, caller)
    url = "/api/v1/supervision/briefing/"
    park = client.get(url, {"area": world.P1.pk, "month": "2025-06", "format": "xlsx"})
    other = client.get(url, {"area": world.Z2.pk, "month": "2025-06", "format": "xlsx"})
    queued = client.get(f"/api/v1/briefings/{world.BR1.pk}/download/")
    if caller == ANONYMOUS:
        assert {park.status_code, other.status_code, queued.status_code} == {401}
        return
    readers = PIPELINE_READERS | {"root"}
    assert park.status_code == (200 if caller in readers else 404)
    assert other.status_code == (200 if caller == "root" else 404)
    assert queued.status_code == (409 if caller in readers else 404)
    if park.status_code == 200:
        assert park["Content-Disposition"] == 'attachment; filename="briefing-P1-2025-06.xlsx"'


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_the_working_day_calendar(world, api, caller):
    """The calendar is national reference data: every signed-in caller reads all of it (nothing is out of
    scope, so no 404); admins and superusers change it, everyone else gets 403."""
    from zoneos.workdays.models import CalendarDay

    client = client_for(api, world, caller)
    day = CalendarDay.objects.get(date="2026-10-01")
    base = "/api/v1/workdays/"
    reads = [
        client.get(base, {"year": 2026}),
        client.get(f"{base}{day.pk}/"),
        client.get(f"{base}{day.pk}/history/"),
        client.get(f"{base}add/", {"start": "2026-09-30", "days": 1}),
    ]
    created = client.post(base, {"date": "2026-03-02", "kind": "holiday", "name": "测试"}, format="json")
    changed = client.patch(f"{base}{day.pk}/", {"source": "国办发明电〔2025〕7号"}, format="json")
    deleted = client.delete(f"{base}{day.pk}/")
    if caller == ANONYMOUS:
        assert {r.status_code for r in [*reads, created, changed, deleted]} == {401}
        return
    assert [r.status_code for r in reads] == [200, 200, 200, 200]
    assert reads[3].json()["due"] == "2026-10-08T17:30:00+08:00"  # National Day: 1-7 October are holidays
    writer = caller in {Role.ADMIN.value, "root"}
    assert created.status_code == (201 if writer else 403)
    assert changed.status_code == (200 if writer else 403)
    assert deleted.status_code == (204 if writer else 403)


def api_route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "api" and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_api_route_is_in_the_matrix():
    covered = set(SINGLE_ROUTES)  # each has its own test above
    for r in MATRIX:
        covered |= {f"{r.basename}-list", f"{r.basename}-detail", f"{r.basename}-history"}
    assert api_route_names() == covered


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_open311(world, caller):
    """The GeoReport face: reads are public (signed in or not, the same answer); a POST is authenticated
    by its api_key alone (no session, no CSRF token) and submits for the enterprises its user may."""
    from django.test import Client

    from zoneos.core.codes import build_uscc
    from zoneos.security.services import create_token

    for enterprise, body in ((world.E1, "MA5GK0E1"), (world.E2, "MA5GK0E2")):
        enterprise.uscc = build_uscc("9", "1", "440300", body)
        enterprise.save(update_fields=["uscc"])
    client = Client(enforce_csrf_checks=True)
    if caller != ANONYMOUS:
        client.force_login(world.users[caller])
    for path in ("discovery.json", "services.xml", "services/help.json", f"requests/{world.AP2.pk}.xml"):
        assert client.get(f"/open311/v2/{path}").status_code == 200, path
    key = create_token(by=world.users[caller], name="open311")[1] if caller != ANONYMOUS else "none"
    base = {"api_key": key, "service_code": "help", "description": "用电扩容"}
    inside = client.post("/open311/v2/requests.json", {**base, "account_id": world.E1.uscc})
    outside = client.post("/open311/v2/requests.json", {**base, "account_id": world.E2.uscc})
    if caller == ANONYMOUS:
        assert inside.status_code == outside.status_code == 403
    elif caller == "root" or caller in SUBMITTERS:
        assert inside.status_code == 200, inside.content
        assert outside.status_code == (200 if caller == "root" else 400)
    elif caller in EVERY_ROLE:
        assert inside.status_code == 403 and outside.status_code == 400
    else:
        assert inside.status_code == outside.status_code == 400  # a stranger serves no enterprise


# A policy application's steps, from its workflow table ---------------------------------------------
# Every step of `APPLICATION_WORKFLOW` is walked on an application of E1 for PI1 (D1's item, in Z1)
# brought to the first state the step starts from; the matrix declares who each party is among the
# callers, how an application reaches each state, and a value for each required input.
POLICY_PARTIES = {
    "enterprise": {Role.ENTERPRISE.value},  # E1's user
    "applicant": APPLICANTS,  # E1's user, its park (P1), its service officer and admins on Z1
    "window": {Role.ADMIN.value, Role.PARK_STAFF.value, Role.SERVICE_OFFICER.value},
    "park": {Role.ADMIN.value, Role.PARK_STAFF.value},
    "department": {Role.HANDLER.value, Role.ADMIN.value},  # D1's handler, and the admins of D1's area
}
POLICY_INPUTS = {
    "bank_name": "工商银行",
    "bank_account": "6222000011112222",
    "opinion": "同意",
    "objection": "有异议",
    "reason": "不符合条件",
    "amount": "1.00",
    "approved_amount": "1.00",
}


def _policy_state(*verbs):
    def bring(world, application):
        import datetime

        from django.utils import timezone

        from zoneos.policies import applications as services
        from zoneos.policies.models import PolicyApplication

        for verb in verbs:
            if verb == "offered":
                PolicyApplication.objects.filter(pk=application.pk).update(status="offered")
            elif verb == "over":
                yesterday = timezone.localdate() - datetime.timedelta(days=1)
                PolicyApplication.objects.filter(pk=application.pk).update(publicity_ends=yesterday)
            else:
                kwargs = {"opinion": "补正"} if verb == "return_for_supplement" else {}
                kwargs.update({"approved_amount": "1"} if verb == "approve" else {})
                kwargs.update({"reason": "不符合"} if verb == "reject" else {})
                kwargs.update({"amount": "1"} if verb == "pay" else {})
                application = getattr(services, verb)(application, by=world.root, **kwargs)
            application = PolicyApplication.objects.get(pk=application.pk)
        return application

    return bring


REVIEWED = ("submit", "accept", "preliminary", "review", "publicize", "over")
POLICY_STATES = {
    "draft": _policy_state(),
    "offered": _policy_state("offered"),
    "submitted": _policy_state("submit"),
    "returned": _policy_state("submit", "return_for_supplement"),
    "accepted": _policy_state("submit", "accept"),
    "preliminary": _policy_state("submit", "accept", "pass_preliminary"),
    "review": _policy_state("submit", "accept", "pass_preliminary", "pass_review"),
    "publicity": _policy_state("submit", "accept", "pass_preliminary", "pass_review", "publicize", "over"),
    "approved": _policy_state(
        "submit", "accept", "pass_preliminary", "pass_review", "publicize", "over", "approve"
    ),
    "rejected": _policy_state("submit", "reject"),
}


def _policy_application(world, inside: bool = True):
    """A fresh draft of E1 for PI1 (or E2 for PI2) in a year of its own, with a budget for it."""
    from decimal import Decimal

    from zoneos.policies.models import Budget, PolicyApplication

    item, enterprise = (world.PI1, world.E1) if inside else (world.PI2, world.E2)
    year = 2030 + PolicyApplication.objects.count()
    Budget.objects.create(item=item, year=year, amount=Decimal("100.00"))
    return PolicyApplication.objects.create(
        item=item, enterprise=enterprise, year=year, created_by=world.root
    )


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_policy_application_steps(world, api, caller):
    """Every step, by every caller: its parties get 200, other readers 403, callers who cannot see the
    application 404; Z2's application is 404 for all but root. A step taken is in the timeline."""
    from zoneos.policies.applications import APPLICATION_WORKFLOW
    from zoneos.policies.tests.engine_for_applications import engine

    client = client_for(api, world, caller)
    with engine():
        for step in APPLICATION_WORKFLOW:
            state = next((s for s in POLICY_STATES if s in step.sources), None)
            assert state is not None, (
                f"say in POLICY_STATES how an application reaches {sorted(step.sources)}"
            )
            undeclared = [party.name for party in step.who if party.name not in POLICY_PARTIES]
            assert not undeclared, f"{step.name!r}: declare who {undeclared} are in POLICY_PARTIES"
            body = {i.name: POLICY_INPUTS[i.name] for i in step.inputs if i.name in POLICY_INPUTS}
            takers = set().union(*(POLICY_PARTIES[party.name] for party in step.who))
            for inside in (True, False):
                application = POLICY_STATES[state](world, _policy_application(world, inside))
                assert APPLICATION_WORKFLOW.possible(application, step.name), (step.name, state)
                answer = client.post(
                    f"/api/v1/policy-applications/{application.pk}/{step.url_path}/", body, format="json"
                )
                if caller == ANONYMOUS:
                    expected = 401
                elif caller == "root" or (inside and caller in takers):
                    expected = 200
                elif inside and caller in EVERY_ROLE:
                    expected = 403
                else:
                    expected = 404
                assert answer.status_code == expected, (step.name, inside, answer.content)
                taken = application.steps.filter(
                    kind=step.event_kind, by=world.users[caller] if caller != ANONYMOUS else None
                )
                assert taken.exists() == (expected == 200), (step.name, inside)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_reading_policy_money_figures(world, api, caller):
    """The figures of an area's policy money: the zone's staff of Z1 (not enterprise users, not a
    department's handlers, not a park's staff); Z2's for root only."""
    client = client_for(api, world, caller)
    zone = client.get("/api/v1/policy-applications/figures/", {"area": world.Z1.pk, "year": 2025})
    other = client.get("/api/v1/policy-applications/figures/", {"area": world.Z2.pk, "year": 2025})
    if caller == ANONYMOUS:
        assert zone.status_code == other.status_code == 401
        return
    readers = MANAGEMENT - {Role.HANDLER.value, Role.PARK_STAFF.value}  # park staff read their park's
    assert zone.status_code == (200 if caller == "root" or caller in readers else 404)
    assert other.status_code == (200 if caller == "root" else 404)
    if zone.status_code == 200:
        assert zone.json()["applications"] == 1  # PA1


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_policy_routes(world, api, caller):
    """The policies' actions: rules of an item, matches and their counts, publishing and trying a rule,
    the variables, parameters (national reference data, as the calendar), an enterprise's eligibility
    (404 for another enterprise's) and verifying a declared fact."""
    catalogue(world)
    client = client_for(api, world, caller)
    item, other_item = world.IT1, world.IT2
    reads = {
        "rules": client.get(f"/api/v1/policy-items/{item.pk}/rules/"),
        "matches": client.get(f"/api/v1/policy-items/{item.pk}/matches/", {"on": "2025-05-01"}),
        "counts": client.get(f"/api/v1/policy-items/{item.pk}/match-counts/", {"on": "2025-05-01"}),
        "try": client.get(f"/api/v1/policy-rules/{world.RU3.pk}/try/", {"enterprise": world.E1.pk}),
        "eligibility": client.get(f"/api/v1/enterprises/{world.E1.pk}/eligibility/", {"on": "2025-05-01"}),
        "variables": client.get("/api/v1/policy-variables/"),
        "parameters": client.get("/api/v1/policy-parameters/"),
    }
    outside = [
        client.get(f"/api/v1/policy-items/{other_item.pk}/matches/"),
        client.get(f"/api/v1/enterprises/{world.E2.pk}/eligibility/"),
        client.get(f"/api/v1/policy-rules/{world.RU2.pk}/try/", {"enterprise": world.E1.pk}),
    ]
    parameter = Parameter.objects.first()
    detail = client.get(f"/api/v1/policy-parameters/{parameter.pk}/history/")
    created = client.post(
        f"/api/v1/policy-items/{item.pk}/rules/",
        {"effective_from": "2029-01-01", "criteria": RULE},
        format="json",
    )
    published = client.post(f"/api/v1/policy-rules/{world.RU3.pk}/publish/")
    verified = client.post(f"/api/v1/declared-facts/{world.DF1.pk}/verify/")
    parameter_changed = client.patch(
        f"/api/v1/policy-parameters/{parameter.pk}/", {"last_verified": "2026-01-05"}, format="json"
    )
    if caller == ANONYMOUS:
        answers = [*reads.values(), *outside, detail, created, published, verified, parameter_changed]
        assert {r.status_code for r in answers} == {401}
        return
    staff = caller == "root" or caller in MANAGEMENT
    assert reads["variables"].status_code == reads["parameters"].status_code == detail.status_code == 200
    if caller == "stranger":  # no membership: nothing of the catalogue or the registry
        assert {reads[k].status_code for k in ("rules", "matches", "counts", "try", "eligibility")} == {404}
        assert {r.status_code for r in (created, published, parameter_changed, verified)} == {403}
        return
    assert reads["eligibility"].status_code == 200
    # The world's items for applications (T-AWARD-*) are Z1's too: read the catalogue's own it1.
    row = next(r for r in reads["eligibility"].json() if r["item_code"] == "it1")
    assert (row["item_code"], row["result"], row["amount"]) == ("it1", "eligible", "100000.00")
    assert row["criteria"][0]["actual"] == "0.8000"
    assert reads["rules"].status_code == 200
    assert len(reads["rules"].json()) == (2 if staff else 0)  # drafts and versions are not the enterprise's
    assert reads["matches"].status_code == reads["counts"].status_code == 200
    assert reads["try"].status_code == (200 if staff else 404)
    assert [r.status_code for r in outside] == ([200, 200, 200] if caller == "root" else [404, 404, 404])
    keeper = caller == "root" or caller in POLICY_KEEPERS
    assert created.status_code == (201 if keeper else 403)
    assert published.status_code == (200 if keeper else 403)
    assert parameter_changed.status_code == (200 if keeper else 403)
    assert verified.status_code == (
        200 if caller == "root" or caller in FACT_WRITERS - {Role.ENTERPRISE.value} else 403
    )


# A research project's steps, from its workflow table ------------------------------------------------
# Every step of `PROJECT_WORKFLOW` on a fresh project of E1 in P1 (or of E2 in P3) brought to the first
# state the step starts from: the area's keepers (admins, park staff) take the steps, its admins approve
# and accept; E1's user reads the project (403), callers who cannot see it are told it does not exist.
def _research_project(world, inside: bool):
    import datetime
    from decimal import Decimal

    from zoneos.research.models import BudgetLine, ResearchProject

    project = ResearchProject.objects.create(
        programme=world.RG1 if inside else world.RG2,
        area=world.P1 if inside else world.P3,
        code=f"STEP-{ResearchProject.objects.count()}",
        title="步骤测试",
        enterprise=world.E1 if inside else world.E2,
        pi_name="王博士",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    BudgetLine.objects.create(project=project, category="materials", amount=Decimal("100000"))
    return project


def _research_state(*verbs):
    def bring(world, project):
        from zoneos.research import services, workflow

        for verb in verbs:
            if verb == "scored":
                for n in range(3):
                    reviewer = services.assign_reviewer(project, by=world.root, name=f"专家{n}")
                    points = {c["code"]: c["max"] - n for c in project.programme.criteria}
                    services.score(reviewer, by=world.root, points=points)
                continue
            kwargs = {"opinion": "理由"} if verb in ("reject", "return_application") else {}
            kwargs.update({"contract_no": "HT-1"} if verb == "sign_contract" else {})
            project = getattr(workflow, verb)(project, by=world.root, **kwargs)
        return project

    return bring


# A whitelist application's steps, from its workflow table -------------------------------------------
# Every step of `APPLICATION_WORKFLOW` is walked on an application of E1 in P1 brought to the first state
# the step starts from; the matrix declares who each party is among the callers and a value per input.
WHITELIST_PARTIES = {
    "applicant": WHITELIST_KEEPERS,  # E1's user, its park (P1), its service officer and admins on Z1
    "zone": {Role.ADMIN.value},  # the admins of the application's area or above it
}
WHITELIST_INPUTS = {
    "opinion": "同意",
    "reason": "材料不全",
    "customs_reference": "HG-2026-01",
    "approval_number": "HT-2026-018",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
}


def _whitelist_state(*verbs):
    def bring(world, application):
        import datetime

        from zoneos.whitelist import workflow

        inputs = {
            "return_for_changes": {"opinion": "补充材料"},
            "approve": {
                "approval_number": "HT-1",
                "valid_from": datetime.date(2026, 1, 1),
                "valid_to": datetime.date(2026, 12, 31),
            },
            "reject": {"reason": "不予批准"},
        }
        for verb in verbs:
            application = getattr(workflow, verb)(application, by=world.root, **inputs.get(verb, {}))
        return application

    return bring


RESEARCH_STEP_CASES = StepCases(
    workflow=lambda: PROJECT_WORKFLOW,
    parties={"keeper": RESEARCH_KEEPERS, "approver": {Role.ADMIN.value}},
    readers=EVERY_ROLE,
    fresh=_research_project,
    states={
        "application": _research_state(),
        "formal_check": _research_state("submit"),
        "evaluation": _research_state("submit", "pass_check", "scored"),
        "approved": _research_state("submit", "pass_check", "scored", "approve"),
        "contracted": _research_state("submit", "pass_check", "scored", "approve", "sign_contract"),
        "midterm": _research_state(
            "submit", "pass_check", "scored", "approve", "sign_contract", "pass_midterm"
        ),
        "accepted": _research_state(
            "submit", "pass_check", "scored", "approve", "sign_contract", "pass_midterm", "accept"
        ),
        "rejected": _research_state("submit", "reject"),
    },
    post=lambda client, step, body, project: client.post(
        f"/api/v1/research-projects/{project.pk}/{step.url_path}/", body, format="json"
    ),
)
WHITELIST_STATES = {
    "draft": _whitelist_state(),
    "submitted": _whitelist_state("submit"),
    "returned": _whitelist_state("submit", "return_for_changes"),
    "zone_approved": _whitelist_state("submit", "zone_approve"),
    "at_customs": _whitelist_state("submit", "zone_approve", "to_customs"),
}


def _whitelist_application(world, inside: bool = True):
    """A fresh draft of E1 in P1 (or of E2 in P3) with one item."""
    from decimal import Decimal

    from zoneos.whitelist.models import Item, WhitelistApplication

    enterprise = world.E1 if inside else world.E2
    application = WhitelistApplication.objects.create(area=enterprise.area, enterprise=enterprise)
    Item.objects.create(
        application=application,
        category="reagent",
        name="试剂",
        hs_code="3822190000",
        quantity=Decimal("5"),
        unit="盒",
    )
    return application


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_research_project_steps(world, api, caller):
    walk_steps(RESEARCH_STEP_CASES, world, api, caller)


def _whitelist_workflow():
    from zoneos.whitelist.workflow import APPLICATION_WORKFLOW

    return APPLICATION_WORKFLOW


WHITELIST_STEP_CASES = StepCases(
    workflow=_whitelist_workflow,
    parties=WHITELIST_PARTIES,
    readers=EVERY_ROLE,
    fresh=_whitelist_application,
    states=WHITELIST_STATES,
    post=lambda client, step, body, application: client.post(
        f"/api/v1/whitelist-applications/{application.pk}/{step.url_path}/", body, format="json"
    ),
    inputs=WHITELIST_INPUTS,
)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_whitelist_application_steps(world, api, caller):
    """Every step, by every caller: its parties get 200, other readers 403, callers who cannot see the
    application 404; Z2's application is 404 for all but root."""
    walk_steps(WHITELIST_STEP_CASES, world, api, caller)


# A scenario's steps, from its workflow table ---------------------------------------------------------
def _scenario_workflow():
    from zoneos.future.scenarios import WORKFLOW

    return WORKFLOW


def _scenario(world, inside: bool):
    from zoneos.future.models import Scenario

    return Scenario.objects.create(
        area=world.P1 if inside else world.P3,
        owner_enterprise=world.E1 if inside else world.E2,
        title="步骤场景",
        keywords=["科技"],
    )


def _scenario_moved(*path: str) -> Callable:
    def bring(world, scenario):
        from zoneos.future import scenarios

        for step in path:
            scenario = scenarios.WORKFLOW.take(step, scenario, by=world.root)
            if step == "start_matching":  # its owner fits ("科技" is in its name): confirmed
                scenarios.confirm_matches(scenario, [scenario.owner_enterprise_id], by=world.root)
        return scenario

    return bring


SCENARIO_STEP_CASES = StepCases(
    workflow=_scenario_workflow,
    parties={"keeper": SCENARIO_KEEPERS | {"root"}},
    readers=EVERY_ROLE,
    fresh=_scenario,
    states={
        "open": _scenario_moved(),
        "matching": _scenario_moved("start_matching"),
        "matched": _scenario_moved("start_matching", "match"),
        "in_pilot": _scenario_moved("start_matching", "match", "start_pilot"),
    },
    post=lambda client, step, body, scenario: client.post(
        f"/api/v1/future-scenarios/{scenario.pk}/{step.url_path}/", body, format="json"
    ),
)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_scenario_steps(world, api, caller):
    walk_steps(SCENARIO_STEP_CASES, world, api, caller)
