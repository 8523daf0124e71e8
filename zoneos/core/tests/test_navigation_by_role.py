"""Navigation and home by role: each role's menu lists only the pages it can use, derived from the
scoping policies, and every page it lists opens with content; each role's home is its day's work."""

import re

import pytest
from django.urls import reverse

from zoneos.core.roles import Role
from zoneos.testing.world import ALL_USERS

# What each role of the test world sees (who may read what is declared once, by the policies).
STAFF_PAGES = {
    "home",
    "stats:dashboard",
    "enterprises:list",
    "pipeline:board",
    "pipeline:list",
    "pipeline:funnel",
    "pipeline:batches",
    "chains:list",
    "supervision:summary",
    "supervision:plan",
    "supervision:ranking",
    "supervision:orders",
    "reports:briefings",
    "appeals:queue",
    "appeals:dashboard",
    "appeals:symposia",
    "appeals:workbench",
}
# Every member reads areas, departments and users (to pick them); the pages that manage them are for
# whoever may change them.
ORGANISATION = {"areas:list", "areas:departments", "accounts:users", "accounts:memberships"}
POLICY_PAGES = {
    "policies:catalogue",
    "policies:calculator",
    "policies:applications",
    "policies:review",
    "policies:money",
}
STAFF_PAGES |= POLICY_PAGES
# Every member of staff reads the parks' space (enterprise users do not).
SPACE_PAGES = {"space:home", "space:parcels", "space:buildings", "space:map"}
STAFF_PAGES |= SPACE_PAGES
# Every member of staff reads the zone's innovation points, platforms, talents and funds.
INNOVATION_PAGES = {"innovation:points", "innovation:platforms", "innovation:talents", "innovation:funds"}
STAFF_PAGES |= INNOVATION_PAGES
# Every member of staff reads the research projects of their areas and the programmes they come under;
# an enterprise's users read the projects their enterprise undertakes.
RESEARCH_PAGES = {"research:list", "research:programmes"}
STAFF_PAGES |= RESEARCH_PAGES
# Every member of staff reads the zone's cross-border whitelist; enterprise users their own.
WHITELIST_PAGES = {"whitelist:applications", "whitelist:entities"}
STAFF_PAGES |= WHITELIST_PAGES
# Every member of staff reads the future industries and their scenarios; an enterprise's users read the
# scenarios their enterprise offers.
FUTURE_PAGES = {"future:list", "future:scenarios"}
STAFF_PAGES |= FUTURE_PAGES
IMPORTERS = {Role.ADMIN, Role.INVESTMENT_OFFICER, Role.PARK_STAFF, Role.STATISTICIAN, Role.SUPERVISOR}
COORDINATORS = {Role.ADMIN, Role.INVESTMENT_OFFICER, Role.LEADER}  # conflicts between parks


def expected_menu(role: str) -> set[str]:
    if role == Role.ENTERPRISE:
        # its own appeals, and the policies: the catalogue, its calculator and its applications
        return {
            "home",
            "appeals:queue",
            "policies:catalogue",
            "policies:calculator",
            "policies:applications",
            "research:list",  # the projects its enterprise undertakes (not the programmes)
            *WHITELIST_PAGES,  # its own whitelist applications and researchers
            "future:scenarios",  # the scenarios its enterprise offers
        }
    if role == Role.HANDLER:
        return {
            "home",
            "stats:dashboard",
            "enterprises:list",
            "supervision:orders",
            "appeals:queue",
            "appeals:dashboard",
            "chains:list",  # every member of staff reads the chains
            *SPACE_PAGES,  # and the parks' space
            *INNOVATION_PAGES,  # and innovation: points, platforms, talents, funds
            *RESEARCH_PAGES,  # and the research projects
            *WHITELIST_PAGES,  # and the whitelist
            *FUTURE_PAGES,  # and the future industries
            *POLICY_PAGES,  # departments review policy applications
        }
    pages = set(STAFF_PAGES)
    if role in IMPORTERS:
        pages.add("tabular:list")
    if role in COORDINATORS:
        pages.add("pipeline:conflicts")
    if role == Role.ADMIN:
        pages |= {"security:events", *ORGANISATION}
    if role == Role.LEADER:
        pages.discard("home")  # a leader's home is the dashboard
    return pages


def menu(client):
    response = client.get(reverse("appeals:queue"))
    return [(i["url"], i["href"]) for s in response.context["nav_sections"] for i in s["items"]]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_sees_only_what_it_can_open_and_each_page_opens_with_content(world, client, role):
    client.force_login(world.users[role])
    listed = menu(client)
    assert {url for url, _href in listed} == expected_menu(role)
    for url, href in listed:
        response = client.get(href)
        assert response.status_code == 200, (role, url, response.status_code)
        html = response.content.decode()
        main = html[html.index('<main class="zo-content"') :]
        assert re.search(r"<h1[^>]*>\s*\S", main), (role, url)


@pytest.mark.django_db
def test_superusers_see_every_entry_and_a_stranger_only_home(world, client):
    client.force_login(world.root)
    assert len(menu(client)) == len(STAFF_PAGES) + len(ORGANISATION) + 3
    client.force_login(world.stranger)
    assert [url for url, _href in menu(client)] == ["home"]


@pytest.mark.django_db
def test_the_enterprise_home_is_its_appeals_its_figures_and_its_service_officer(world, client):
    world.E1.service_officer = world.service_officer
    world.E1.save(update_fields=["service_officer"])
    client.force_login(world.enterprise)
    response = client.get("/")
    html = response.content.decode()
    assert 'data-testid="home-my-appeals"' in html
    assert f'href="/appeals/{world.AP1.pk}/"' in html and f'href="/appeals/{world.AP2.pk}/"' not in html
    assert 'data-testid="home-my-enterprise"' in html and world.E1.name in html
    assert world.service_officer.email in html
    # No area cards: not the zone's parks and departments, nor "0 zones 0 parks 0 departments".
    assert response.context["cards"] == []
    assert 'data-testid="area-card"' not in html


@pytest.mark.django_db
def test_the_handlers_home_is_the_queue_with_what_is_due_today(world, client):
    client.force_login(world.handler)
    response = client.get("/")
    html = response.content.decode()
    assert 'data-testid="home-due-today"' in html
    assert response.context["cards"] == []
    panel = next(p for p in response.context["panels"] if p["template"] == "appeals/_home_due.html")
    assert panel["counts"]["open"] == 1  # AP1, routed to the handler's department; AP2 is elsewhere
    assert panel["today_url"].endswith("?due=today")


@pytest.mark.django_db
def test_a_leader_lands_on_the_dashboard_and_staff_keep_their_areas(world, client):
    client.force_login(world.leader)
    assert client.get("/").url == reverse("stats:dashboard")
    client.force_login(world.park_staff)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="area-card"' in html
    # A park has no zones or parks below it: its card says nothing of them rather than "0".
    assert '<span class="zo-stat-value">0</span>' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("username", ALL_USERS)
def test_every_home_opens(world, client, username):
    client.force_login(world.users[username])
    response = client.get("/", follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/projects/funnel/", "/supervision/plan/"])
def test_a_page_left_out_of_the_menu_is_refused_not_shown_empty(world, client, url):
    """The enterprise user's menu has no funnel nor annual plan; typed in, they used to open empty
    ("0.00 亿元"). They are refused by the rule that leaves them out of the menu."""
    client.force_login(world.enterprise)
    assert client.get(url).status_code == 403
    client.force_login(world.investment_officer if "funnel" in url else world.supervisor)
    assert client.get(url).status_code == 200
