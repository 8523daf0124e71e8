"""The shell's registries: apps register menu entries, home panels and demo steps; the shell and the
demo loader draw them in the declared order and name no app themselves."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import set_script_prefix
from django.utils import translation

from zoneos.core import demo, money, navigation
from zoneos.core.navigation import Entry

# The menu as it was when the shell listed every module itself: registration must not change it.
MENU = [
    ("overview", ["home", "stats:dashboard"]),
    ("registry", ["enterprises:list", "tabular:list"]),
    (
        "pipeline",
        [
            "pipeline:board",
            "pipeline:list",
            "pipeline:funnel",
            "pipeline:batches",
            "pipeline:conflicts",
            "chains:list",
        ],
    ),
    ("space", ["space:home", "space:parcels", "space:buildings", "space:map"]),
    (
        "innovation",
        [
            "innovation:points",
            "innovation:platforms",
            "innovation:talents",
            "innovation:funds",
            "research:list",
            "research:programmes",
            "whitelist:applications",
            "whitelist:entities",
            "future:list",
            "future:scenarios",
        ],
    ),
    (
        "supervision",
        [
            "supervision:summary",
            "supervision:plan",
            "supervision:ranking",
            "supervision:orders",
            "reports:briefings",
        ],
    ),
    ("service", ["appeals:queue", "appeals:dashboard", "appeals:symposia", "appeals:workbench"]),
    (
        "policies",
        [
            "policies:catalogue",
            "policies:calculator",
            "policies:applications",
            "policies:review",
            "policies:money",
        ],
    ),
    (
        "organisation",
        ["areas:list", "areas:departments", "accounts:users", "accounts:memberships", "security:events"],
    ),
]


def test_the_apps_entries_make_the_menu_in_their_declared_order():
    assert [(s.key, [e.url for e in entries]) for s, entries in navigation.sections()] == MENU


@pytest.mark.django_db
def test_the_menu_marks_the_current_page(world, client):
    client.force_login(world.admin)
    sections = client.get("/areas/").context["nav_sections"]
    active = [i["url"] for s in sections for i in s["items"] if i["active"]]
    assert active == ["areas:list"]


@pytest.mark.django_db
def test_an_entry_is_shown_to_whoever_its_models_policy_lets_read_and_to_superusers(
    world, client, monkeypatch
):
    from zoneos.security.models import SecurityEvent

    entry = Entry("areas:list", "Areas", "diagram-3", "organisation", 10, model=SecurityEvent)
    monkeypatch.setitem(navigation._entries, "areas:list", entry)

    def urls(user):
        client.force_login(user)
        sections = client.get("/").context["nav_sections"]
        return [i["url"] for s in sections for i in s["items"]]

    assert "areas:list" not in urls(world.park_staff)
    assert "areas:list" in urls(world.admin)
    assert "areas:list" in urls(world.root)


def test_a_second_registration_with_other_values_is_refused():
    home = navigation._entries["home"]
    navigation.register("home", home.label, icon="house", section="overview", order=10, visible=home.visible)
    with pytest.raises(ImproperlyConfigured):
        navigation.register("home", "Start", icon="house", section="overview", order=10)


def test_the_home_panels_come_from_the_apps():
    assert [f"{p.make.__module__}.{p.make.__name__}" for p in navigation.panels()] == [
        "zoneos.appeals.navigation.due_today_panel",
        "zoneos.pipeline.views.overdue_panel",
        "zoneos.appeals.navigation.my_appeals_panel",
        "zoneos.policies.navigation.my_matches_panel",
        "zoneos.enterprises.navigation.my_enterprise_panel",
    ]


def test_demo_steps_run_in_their_declared_order():
    assert [f"{s.__module__}.{s.__name__}" for s in demo.steps()] == [
        "zoneos.areas.demo.load_areas",
        "zoneos.enterprises.demo.load_enterprises",
        "zoneos.accounts.demo.load_users",
        "zoneos.enterprises.demo.load_registry",
        "zoneos.stats.demo.load_targets",
        "zoneos.pipeline.demo.load_pipeline",
        "zoneos.pipeline.demo.load_batches_and_conflict",
        "zoneos.supervision.demo.load_key_projects",
        "zoneos.supervision.demo.load_evaluation_and_orders",
        "zoneos.appeals.demo.load_service_desk",
        "zoneos.space.demo.load_space",
        "zoneos.policies.demo.load_policies",
        "zoneos.chains.demo.load_chains",
        "zoneos.innovation.demo.load_innovation",
        "zoneos.innovation.demo_platforms.load_platforms_talents_funds",
        "zoneos.research.demo.load_research",
        "zoneos.whitelist.demo.load_whitelist",
        "zoneos.future.demo.load_future",
        "zoneos.policies.demo_money.load_policy_money",
    ]


def test_two_demo_steps_cannot_share_a_place():
    def load_elsewhere(ctx):
        pass

    with pytest.raises(ImproperlyConfigured):
        demo.register(load_elsewhere, order=10)


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_money_is_shown_in_one_unit_per_screen_with_the_same_numbers_in_both_languages():
    """Amounts of a screen share its unit whatever their size (a tax of 71 million beside an
    investment of 1.32 billion once read "7130.08 万元" beside "13.20 亿元"), and English shows the
    same numbers under the unit's English name, not rescaled to millions and billions."""
    with translation.override("zh-hans"):
        assert money.format_money("1320000000", "large") == "13.20 亿元"
        assert money.format_money("45000", "large") == "0.00 亿元"
        assert money.format_money("1320000000") == "132000.00 万元"  # Chinese groups no digits
        assert money.format_money("45000") == "4.50 万元"
        assert money.format_money("0") == "0.00 万元"
        assert money.format_money(None) == "—"
        assert money.unit_name("large") == "亿元"
    with translation.override("en"):
        assert money.format_money("1320000000", "large") == "13.20 hundred million yuan"
        assert money.format_money("45000") == "4.50 ten thousand yuan"
        assert money.unit_name() == "ten thousand yuan"
        assert money.in_unit("1320000000", "large") == Decimal("13.20")
    assert money.yi("1320000000") == "13.20"
    assert money.percent("0.27501") == "27.5%"
    assert money.signed_percent("-0.05") == "-5.0%"


@pytest.mark.django_db
def test_the_menu_addresses_follow_the_script_prefix_they_are_served_under(world, client):
    """The reversed addresses are kept per prefix: a site served under /zone/ links under it, and the
    same process serving at the root links at the root."""
    client.force_login(world.admin)

    def hrefs(prefix):
        set_script_prefix(prefix)  # what the WSGI handler does with SCRIPT_NAME
        try:
            sections = client.get("/areas/").context["nav_sections"]
        finally:
            set_script_prefix("/")
        return {i["url"]: i["href"] for s in sections for i in s["items"]}

    assert hrefs("/")["areas:list"] == "/areas/"
    prefixed = hrefs("/zone/")
    assert prefixed["areas:list"] == "/zone/areas/"
    assert prefixed["home"] == "/zone/"
    assert hrefs("/")["areas:list"] == "/areas/"
