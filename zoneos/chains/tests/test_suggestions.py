"""Suggestions read an enterprise's business scope (经营范围) as they read its name: a link's keyword found
only in the scope suggests the enterprise, also when the keyword is written in pinyin, and the
suggestion says it was the scope. In pinyin the scope is read as whole syllables; a keyword in
characters is found there only as written. One query per link, however many enterprises fit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from zoneos.chains import services, suggestions
from zoneos.core.codes import build_uscc
from zoneos.enterprises import services as registry

from .world import build_chain

pytestmark = pytest.mark.django_db

DESIGN = "一般项目：集成电路芯片设计及服务；电子元器件制造；货物进出口。"


@pytest.fixture
def chip(world):
    """The test chain with its CHIP link, which names no industry code, only keywords."""
    chain, _car, links, _e = build_chain(world)
    return chain, links["CHIP"]


def enterprise(world, n: int, name: str, business_scope: str = "", **fields):
    """Through the registry's service, which writes the name's pinyin and the scope's syllables."""
    uscc = build_uscc("9", "1", "440605", f"MD{n:06d}")
    return registry.create_enterprise(
        by=world.root, uscc=uscc, name=name, area=world.P1, business_scope=business_scope, **fields
    )


def suggested(world, chain, link) -> dict:
    """{enterprise: its reasons}, in English."""
    with translation.override("en"):
        found = suggestions.suggest(chain, world.Z1, world.admin, links=[link])
    return {s["enterprise"]: s["reasons"] for s in found}


def test_a_keyword_only_in_the_business_scope_suggests_the_enterprise_and_says_so(world, chip):
    chain, link = chip
    services.update_link(link, by=world.root, keywords=["芯片"])
    design = enterprise(world, 1, "佛山华睿电子科技有限公司", DESIGN, industry_code="6520")
    named = enterprise(world, 2, "佛山芯片有限公司", DESIGN)
    other = enterprise(world, 3, "佛山五金制品有限公司", "五金制品销售；货物进出口。")
    found = suggested(world, chain, link)
    assert found[design] == ["business scope: 「芯片」"]
    assert found[named] == ["「芯片」"]  # found in the name: the name says why, the scope adds nothing
    assert other not in found


def test_a_keyword_in_pinyin_finds_the_characters_of_the_scope(world, chip):
    chain, link = chip
    services.update_link(link, by=world.root, keywords=["xinpian", "Xin Pian"])
    design = enterprise(world, 1, "佛山华睿电子科技有限公司", DESIGN)
    found = suggested(world, chain, link)
    assert found[design] == ["business scope: 「xinpian」", "business scope: 「Xin Pian」"]
    # Placed, it is no longer suggested.
    services.place(link=link, enterprise=design, by=world.root)
    assert design not in suggested(world, chain, link)


def test_the_scope_is_read_as_whole_syllables_and_characters_as_written(world, chip):
    """Run together, 零售店经营 reads "lingshoudianjingying", which holds "dianji" (电机); and the pinyin
    of 钠 is that of 纳 in 纳米. Neither is a reason to suggest an enterprise."""
    chain, link = chip
    services.update_link(link, by=world.root, keywords=["dianji", "钠", "BMS"])
    shop = enterprise(world, 1, "佛山零售有限公司", "日用百货零售；零售店经营。")
    nano = enterprise(world, 2, "佛山新材有限公司", "纳米材料制造；新材料技术研发。")
    motors = enterprise(world, 3, "佛山驱动科技有限公司", "电机制造；电机及其控制系统研发。")
    sodium = enterprise(world, 4, "佛山储能有限公司", "钠离子电池制造；电池管理系统（BMS）研发。")
    found = suggested(world, chain, link)
    assert shop not in found and nano not in found
    assert found[motors] == ["business scope: 「dianji」"]
    assert found[sodium] == ["business scope: 「钠」", "business scope: 「BMS」"]


def test_suggestions_take_one_query_per_link_however_many_enterprises_fit(world, chip):
    chain, link = chip
    services.update_link(link, by=world.root, keywords=["芯片", "xinpian"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            found = suggested(world, chain, link)
        return len(captured.captured_queries), len(found)

    queries()  # the caller's memberships, read once and kept for the request
    enterprise(world, 1, "佛山一号电子有限公司", DESIGN)
    few = queries()
    for n in range(2, 8):
        enterprise(world, n, f"佛山{n}号电子有限公司", DESIGN)
    many = queries()
    assert (few, many) == ((1, 1), (1, 7))
