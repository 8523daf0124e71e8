"""The read replica: dashboards, exports and briefings read from it, everything else from the primary, and
the primary stands in while the replica is unreachable or too far behind.

The replica here is a test mirror of the primary (`TEST: {"MIRROR": "default"}`, as settings.py declares it
for DATABASE_REPLICA_URL): a second connection to the test database, so the tests see which connection
each query went through. A mirror sees only committed rows, hence transactional tests.
"""

from __future__ import annotations

import copy

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zoneos.core import replica
from zoneos.testing.world import build_world

REPLICA = "replica"

# Declared before the test databases are set up (at collection), like the alias DATABASE_REPLICA_URL adds.
if REPLICA not in connections.settings:
    _mirror = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    _mirror["TEST"] = {**_mirror.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = _mirror

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture(autouse=True)
def with_replica(settings):
    settings.ZONEOS_READ_REPLICA = REPLICA
    settings.ZONEOS_REPLICA_MAX_LAG = 30
    replica.forget_health()
    yield
    replica.forget_health()


@pytest.fixture
def world(transactional_db):
    return build_world()


@pytest.fixture
def leader_client(client, world):
    client.force_login(world.users["leader"])
    return client


class Reads:
    """The SQL each connection ran while open."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def _touching(captured, table):
        # Queries on the table itself (FROM or UPDATE), not those that only join it.
        marks = (f'FROM "{table}"', f'UPDATE "{table}"')
        return [q["sql"] for q in captured.captured_queries if any(m in q["sql"] for m in marks)]

    def on_replica(self, table):
        return self._touching(self.replica, table)

    def on_primary(self, table):
        return self._touching(self.primary, table)


def test_the_dashboard_reads_its_figures_from_the_replica(leader_client, world):
    with Reads() as reads:
        page = leader_client.get(reverse("stats:dashboard"), {"area": world.Z1.pk})
    assert page.status_code == 200
    assert reads.on_replica("stats_rollup")
    assert not reads.on_primary("stats_rollup")
    # Signing in stays on the primary: the session is read where it was written.
    assert reads.on_primary("django_session") and not reads.on_replica("django_session")


def test_the_overview_api_and_the_service_desk_dashboard_read_from_the_replica(leader_client, world):
    with Reads() as reads:
        answer = leader_client.get("/api/v1/stats/overview/", {"area": world.Z1.pk})
    assert answer.status_code == 200
    assert reads.on_replica("stats_rollup") and not reads.on_primary("stats_rollup")

    with Reads() as reads:
        page = leader_client.get(reverse("appeals:dashboard"))
    assert page.status_code == 200
    assert reads.on_replica("appeals_appeal") and not reads.on_primary("appeals_appeal")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_reads_its_rows_from_the_replica(leader_client, world, fmt):
    with Reads() as reads:
        answer = leader_client.get(reverse("enterprises:export"), {"as": fmt})
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    assert answer.status_code == 200 and body
    assert reads.on_replica("enterprises_enterprise")
    assert not reads.on_primary("enterprises_enterprise")


def test_the_appeals_export_reads_from_the_replica(leader_client, world):
    with Reads() as reads:
        answer = leader_client.get(reverse("appeals:export"))
        b"".join(answer.streaming_content)
    assert answer.status_code == 200
    assert reads.on_replica("appeals_appeal") and not reads.on_primary("appeals_appeal")


def test_other_pages_read_from_the_primary(leader_client, world):
    with Reads() as reads:
        page = leader_client.get(reverse("enterprises:list"))
    assert page.status_code == 200
    assert reads.on_primary("enterprises_enterprise")
    assert reads.replica.captured_queries == []


def test_a_briefing_is_rendered_from_the_replica_and_recorded_on_the_primary(world):
    from zoneos.reports.models import BriefingStatus
    from zoneos.reports.services import generate

    with Reads() as reads:
        briefing = generate(world.records["BR1"].pk)
    assert briefing.status == BriefingStatus.DONE
    assert reads.on_replica("supervision_keyproject")
    assert not reads.on_primary("supervision_keyproject")
    assert [q for q in reads.on_primary("reports_briefing") if q.startswith("UPDATE")]
    assert not [
        q for q in reads.replica.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_a_replica_too_far_behind_is_skipped_for_the_primary(leader_client, world, monkeypatch):
    checks = []

    def behind(alias):
        checks.append(alias)
        return 95.0

    monkeypatch.setattr(replica, "measure_lag", behind)
    for _ in range(2):
        with Reads() as reads:
            page = leader_client.get(reverse("stats:dashboard"), {"area": world.Z1.pk})
        assert page.status_code == 200
        assert reads.on_primary("stats_rollup")
        assert reads.replica.captured_queries == []
    assert checks == [REPLICA]  # measured once, then taken from the cache
    assert replica.health().reason == "lag 95.0 s over 30 s"


def test_a_replica_within_the_bound_is_used(leader_client, world, monkeypatch):
    monkeypatch.setattr(replica, "measure_lag", lambda alias: 12.0)
    with Reads() as reads:
        leader_client.get(reverse("stats:dashboard"), {"area": world.Z1.pk})
    assert reads.on_replica("stats_rollup") and not reads.on_primary("stats_rollup")


def test_an_unreachable_replica_is_skipped_for_the_primary(leader_client, world, monkeypatch):
    def unreachable(alias):
        raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "measure_lag", unreachable)
    with Reads() as reads:
        page = leader_client.get(reverse("stats:dashboard"), {"area": world.Z1.pk})
    assert page.status_code == 200
    assert reads.on_primary("stats_rollup")
    assert replica.health().usable is False and replica.health().reason.startswith("unreachable")


def test_the_lag_check_runs_on_the_replica(world):
    with Reads() as reads:
        health = replica.health()
    assert health.usable and health.lag == 0.0  # a mirror is the primary itself: nothing to replay
    assert reads.replica.captured_queries and not reads.primary.captured_queries


def test_without_a_replica_everything_reads_from_the_primary(leader_client, world, settings):
    settings.ZONEOS_READ_REPLICA = None
    with Reads() as reads:
        leader_client.get(reverse("stats:dashboard"), {"area": world.Z1.pk})
    assert reads.on_primary("stats_rollup")
    assert reads.replica.captured_queries == []


def test_inside_a_write_transaction_reads_stay_on_the_primary(world):
    with replica.reading_from_replica():
        assert replica.read_alias() == REPLICA
        with transaction.atomic():
            assert replica.read_alias() == DEFAULT_DB_ALIAS


def test_a_record_read_from_the_replica_is_saved_to_the_primary(world):
    from zoneos.enterprises.models import Enterprise

    with replica.reading_from_replica():
        enterprise = Enterprise.objects.get(pk=world.E1.pk)
    assert enterprise._state.db == REPLICA
    enterprise.name = "改名科技有限公司"
    with Reads() as reads:
        enterprise.save(update_fields=["name"])
    assert [q for q in reads.on_primary("enterprises_enterprise") if q.startswith("UPDATE")]
    assert reads.replica.captured_queries == []
