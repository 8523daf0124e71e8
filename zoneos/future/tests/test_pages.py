"""The pages: industries with each zone's readiness, a board's ten cards (adding and removing proofs,
a document downloaded through the board's scope), scenarios and a scenario's matching and steps."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.future.models import Proof, ScenarioStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English, so the messages asserted on stay put when the catalogue grows."""
    client.cookies.load({"zoneos_language": "en"})
    return client


def test_the_industries_page_shows_each_zones_readiness(world, client):
    client.force_login(world.admin)
    page = client.get("/future/").content.decode()
    assert "FU1未来产业" in page and "合成生物" in page  # the zone's own and the shared list
    assert f'data-testid="board-{world.FB1.pk}"' in page and "2/10" in page
    assert f'data-testid="board-{world.FB2.pk}"' not in page  # another zone's


def test_the_board_shows_ten_cards_coloured_by_state_and_the_missing_items(world, client):
    client.force_login(world.park_staff)
    response = client.get(f"/future/boards/{world.FB1.pk}/")
    page = response.content.decode()
    assert page.count('data-testid="item-') == 10
    assert 'data-testid="item-plan" data-state="proved"' in page
    assert 'data-testid="item-roadmap" data-state="missing"' in page
    assert 'data-testid="missing-roadmap"' in page and 'data-testid="missing-plan"' not in page
    assert "Add a proof" not in page  # park staff read the board; its keepers change it
    assert client.get(f"/future/boards/{world.FB2.pk}/").status_code == 404


def test_a_keeper_adds_a_document_that_whoever_sees_the_board_downloads(world, client):
    client.force_login(world.investment_officer)
    response = client.post(
        f"/future/boards/{world.FB1.pk}/proofs/",
        {
            "item": "working_group",
            "kind": "document",
            "title": "关于成立工作专班的通知",
            "document": SimpleUploadedFile("notice.pdf", b"%PDF notice"),
        },
    )
    assert response.status_code == 302
    proof = Proof.objects.get(board=world.FB1, item="working_group")
    page = client.get(f"/future/boards/{world.FB1.pk}/").content.decode()
    assert 'data-testid="item-working_group" data-state="proved"' in page
    client.force_login(world.park_staff)
    assert b"".join(client.get(proof.get_document_url()).streaming_content) == b"%PDF notice"
    client.force_login(world.enterprise)
    assert client.get(proof.get_document_url()).status_code == 404
    client.force_login(world.investment_officer)
    client.post(f"/future/proofs/{proof.pk}/remove/")
    assert not Proof.objects.filter(pk=proof.pk).exists()


def test_a_refused_proof_says_why_on_the_board(world, client):
    client.force_login(world.admin)
    response = client.post(
        f"/future/boards/{world.FB1.pk}/proofs/",
        {"item": "pilot_area", "kind": "area", "record": world.P3.pk},
        follow=True,
    )
    assert "Choose a record of the zone that you can see." in response.content.decode()


def test_a_scenarios_page_confirms_the_enterprises_that_fit_and_takes_its_steps(world, client):
    w = world
    client.force_login(w.park_staff)
    page = client.get(f"/future/scenarios/{w.SC1.pk}/").content.decode()
    assert f'data-testid="suggest-{w.E1.pk}"' in page and "「科技」" in page
    client.post(f"/future/scenarios/{w.SC1.pk}/", {"do": "start_matching"})
    client.post(f"/future/scenarios/{w.SC1.pk}/", {"do": "confirm", "enterprise": [w.E1.pk]})
    client.post(f"/future/scenarios/{w.SC1.pk}/", {"do": "match"})
    w.SC1.refresh_from_db()
    assert w.SC1.status == ScenarioStatus.MATCHED
    page = client.get(f"/future/scenarios/{w.SC1.pk}/").content.decode()
    assert f'data-testid="match-{w.E1.pk}"' in page and 'data-testid="step-start-pilot"' in page
    client.force_login(w.enterprise)  # the owner's user reads it, takes no step
    page = client.get(f"/future/scenarios/{w.SC1.pk}/").content.decode()
    assert "Matched" in page and 'data-testid="steps"' not in page


def test_the_scenario_list_filters_by_status(world, client):
    client.force_login(world.admin)
    page = client.get("/future/scenarios/", {"status": "withdrawn"}).content.decode()
    assert f'data-testid="scenario-{world.SC1.pk}"' not in page and "No scenario matches." in page
    page = client.get("/future/scenarios/").content.decode()
    assert (
        f'data-testid="scenario-{world.SC1.pk}"' in page
        and f'data-testid="scenario-{world.SC2.pk}"' not in page
    )
