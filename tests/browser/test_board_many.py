"""A park with many projects on the board, at desktop and phone widths: each column shows its newest
cards, the stage's full count and a link to the list of them all."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zoneos.pipeline.models import Project
from zoneos.pipeline.stages import BIT, FORWARD
from zoneos.pipeline.views import BOARD_LIMIT
from zoneos.testing.factories import make_project

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ZONEOS_SHOTS", Path(__file__).resolve().parents[2] / "var" / "browser"))


def test_a_park_with_hundreds_of_projects_on_the_board(live_world, live_server, page, sign_in):
    w = live_world
    first = datetime.date(2024, 1, 1)
    for i in range(3 * BOARD_LIMIT):
        project = make_project(w.P1, name=f"批量项目{i:03d}", lead_on=first + datetime.timedelta(days=i))
        stage = FORWARD[i % 3]
        # Placed in its column directly: the board reads the stage, not how the project got there.
        Project.objects.filter(pk=project.pk).update(stage=stage, entered_mask=BIT[FORWARD[0]] | BIT[stage])
    sign_in("investment_officer")
    page.click("[data-testid=lang-en]")
    page.goto(f"{live_server.url}/projects/board/?area={w.P1.pk}")
    lead = page.locator(f"[data-testid=column-{FORWARD[0]}]")
    expect(lead.locator(".zo-board-card")).to_have_count(BOARD_LIMIT)
    count = int(page.locator(f"[data-testid=count-{FORWARD[0]}]").inner_text())
    assert count > BOARD_LIMIT
    expect(page.locator(f"[data-testid=show-all-{FORWARD[0]}]")).to_have_text(f"Show all {count}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-many-1440.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "board-many-390.png"), full_page=True)
    page.locator(f"[data-testid=show-all-{FORWARD[0]}]").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "board-many-390-column-end.png"))
    page.click(f"[data-testid=show-all-{FORWARD[0]}]")
    expect(page).to_have_url(f"{live_server.url}/projects/?within={w.P1.pk}&stage={FORWARD[0]}")
    expect(page.locator("body")).to_contain_text(str(count))
