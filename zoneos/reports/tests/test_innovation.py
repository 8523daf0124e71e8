"""Innovation and space in an area's figures (`reports.innovation`), computed by hand on the test world,
and where they show: the data highlights in both languages, the monthly briefing's PDF and workbook."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from zoneos.reports import briefing, innovation
from zoneos.stats import services as stats
from zoneos.stats.highlights import highlights

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_zone_equal_the_hand_computation(world):
    """Z1 as of 2025-12-31: platforms IP1 (provincial, recognised 2024-2029) and IP3 (municipal, no
    dates) in force; research RP1 under contract (budget 400,000 + 300,000 + 200,000 + 100,000 =
    1,000,000 yuan; spent EX1 50,000 + EX3 10,000 = 60,000, all in 2025: 6.0 %), RP4 only in evaluation
    (not counted); space UN1 (1,000 m², leased by LS1) and UN3 (1,000 m², vacant): 50 % vacant; the 2025
    key projects KP1 and KP3 renovate 3,000 m² each of BD1."""
    f = innovation.figures(world.Z1, 2025)
    levels = {row["level"]: row["count"] for row in f["platforms"]["levels"]}
    assert (f["platforms"]["total"], levels["provincial"], levels["municipal"], levels["national"]) == (
        2,
        1,
        1,
        0,
    )
    assert f["research"] == {
        "projects": 1,
        "budget": Decimal("1000000.00"),
        "spent": Decimal("60000.00"),
        "spent_in_year": Decimal("60000.00"),
        "spent_rate": Decimal("0.0600"),
    }
    space = f["space"]
    assert (space["units"], space["vacant"], space["floor_area_m2"], space["vacancy_rate"]) == (
        2,
        1,
        Decimal("2000.00"),
        Decimal("0.5000"),
    )
    assert (space["renovation_m2"], space["renovation_projects"]) == (Decimal("6000.00"), 2)
    # Zone 2 holds none of zone 1's.
    other = innovation.figures(world.Z2, 2025)
    assert other["research"]["budget"] == Decimal("1000000.00") and other["space"]["renovation_projects"] == 0


def test_the_highlights_end_with_innovation_and_space_in_both_languages(world):
    o = stats.overview(world.Z1, 2025)
    text = highlights(o, world.root)
    assert "科技创新与空间方面，认定期内的创新平台2个（省级1个、市级1个）" in text["zh-hans"]
    assert "在研科研项目1个，经费支出进度6.0%" in text["zh-hans"]
    assert "空置率50.0%，2025年纳入重点项目改造6,000平方米" in text["zh-hans"]
    assert (
        "Innovation and space: 2 innovation platforms recognised and in force (1 provincial, 1 municipal)"
        in (text["en"])
    )
    assert "1 research project under contract, 6.0 % of their budget spent" in text["en"]
    assert "50.0 % vacant" in text["en"]


def test_the_briefing_shows_innovation_and_space_in_its_pdf_data_and_workbook(world):
    with translation.override("en"):
        data = briefing.briefing_data(world.Z1, 2025, 6)
        assert data["innovation"]["any"] and data["innovation"]["vacancy_text"] == "50.0%"
        html = briefing.render_html(data)
        assert 'data-testid="innovation-and-space"' in html and "6. Innovation and space" in html
        book = load_workbook(io.BytesIO(briefing.render_xlsx(world.Z1, 2025, 6)))
    sheet = book["Innovation and space"]
    values = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(2, 14)}
    assert values["Innovation platforms in force"] == 2
    assert values["Research projects under contract"] == 1
    assert values["Vacancy rate"] == Decimal("0.5") or values["Vacancy rate"] == 0.5


def test_the_dashboard_shows_the_card_with_only_the_parts_the_area_has(world, client):
    client.force_login(world.root)
    answer = client.get("/dashboard/", {"area": world.Z1.pk})
    page, year = answer.content.decode(), answer.context["year"]
    assert 'data-testid="innovation-card"' in page
    for part in ("kpi-platforms", "kpi-research", "kpi-space-vacancy"):
        assert f'data-testid="{part}"' in page
    # The renovation box shows only when key projects of the year renovate something (Z1's are of 2025).
    assert ('data-testid="kpi-renovation"' in page) == (year == 2025)
