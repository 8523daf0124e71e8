"""The demo-like zone the corpus sheets come from, seeded as its records stand before the imports, and
its staff: a statistician (registry and figures), an investment officer (the ledger) and a supervisor
(the key projects' monthly sheets), each over the whole zone."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from . import zone as z


@dataclass
class Zone:
    zone: object
    parks: dict = field(default_factory=dict)  # code -> Area
    users: dict = field(default_factory=dict)  # role -> User
    enterprises: dict = field(default_factory=dict)  # key -> Enterprise
    key_projects: dict = field(default_factory=dict)  # name -> KeyProject


def seed_zone() -> Zone:
    from zoneos.enterprises.models import Enterprise, Indicator
    from zoneos.stats.services import refresh
    from zoneos.supervision.models import KeyProject
    from zoneos.supervision.services import refresh_figures, submit_report
    from zoneos.testing.factories import AreaFactory, MembershipFactory, UserFactory, make_project
    from zoneos.workdays.models import CalendarYear
    from zoneos.workdays.seed import seed

    if not CalendarYear.objects.exists():
        seed()
    code, name, name_en = z.ZONE
    world = Zone(AreaFactory(code=code, name=name, name_en=name_en, kind="zone"))
    for park in z.PARKS:
        world.parks[park.code] = AreaFactory(
            code=park.code, name=park.name, name_en=park.name_en, parent=world.zone
        )
    for role in ("statistician", "investment_officer", "supervisor"):
        world.users[role] = UserFactory(username=f"dj_{role}")
        MembershipFactory(user=world.users[role], role=role, area=world.zone)
    root = UserFactory(username="dj_root", is_superuser=True, is_staff=True)
    for firm in z.ON_RECORD:
        record = Enterprise.objects.create(
            uscc=firm.uscc,
            name=firm.name,
            area=world.parks[firm.park.code],
            industry_code=firm.industry_code,
            industry_section="C" if firm.industry_code < "4" else "I",
            registered_on=firm.registered_on,
            registered_capital=firm.registered_capital,
            capital_origin=firm.capital_origin,
        )
        world.enterprises[firm.key] = record
        for year, figures in firm.figures.items():
            Indicator.objects.create(enterprise=record, year=year, **figures)
    for project in z.PROJECTS_ON_RECORD:
        make_project(
            world.parks[project.park.code],
            name=project.name,
            investor_name=project.investor,
            lead_on=project.lead_on,
            total_investment=project.total_investment,
        )
    for key_project in z.KEY_PROJECTS:
        record = KeyProject.objects.create(
            year=2026,
            name=key_project.name,
            area=world.parks[key_project.park.code],
            kind="continuing",
            annual_plan=key_project.annual_plan,
        )
        world.key_projects[key_project.name] = record
        for month, completed in enumerate(key_project.reported, start=2):
            submit_report(
                record,
                by=root,
                month=f"2026-{month:02d}",
                covers_january_february=month == 2,
                completed=completed,
            )
    refresh_figures(list(world.key_projects.values()))
    refresh(None)
    return world


@pytest.fixture(scope="module")
def module_dj(django_db_setup, django_db_blocker):
    """The zone seeded once for a test module, in a transaction rolled back after its last test (as the
    root conftest's `module_world`): seeding files forty monthly reports through the services."""
    from django.db import transaction

    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            seeded = seed_zone()
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    try:
        yield seeded
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def dj(module_dj, db) -> Zone:
    """The zone as seeded: each test's changes are rolled back to it (the test's own savepoint)."""
    return module_dj
