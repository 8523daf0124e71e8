"""The registry's imports on rows as zone sheets give them: blank cells keep what is stored, money in the
sheet's unit, registration dates to the month, short park names, joint ventures with their country,
and registry lists that carry the year's figures and labels.

`run` hands rows to a spec as the engine does (a blank cell absent from `row.values`, a money cell as
`(cell, scale)`); the API tests go through the engine as it is.
"""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zoneos.core.codes import build_uscc
from zoneos.enterprises import services
from zoneos.enterprises.imports import EnterpriseSpec, IndicatorSpec
from zoneos.enterprises.models import CapitalOrigin, Enterprise, Indicator
from zoneos.stats import services as stats
from zoneos.stats.models import Rollup
from zoneos.tabular.engine import Outcome, Row
from zoneos.tabular.readers import Period
from zoneos.testing.factories import AreaFactory

pytestmark = pytest.mark.django_db
WAN, QIAN = Decimal(10_000), Decimal(1_000)


def code(n: int) -> str:
    return build_uscc("9", "1", "440605", f"MB{n:06d}")


class Context:
    def __init__(self, period=None):
        self.period, self.notices = period, []

    def notice(self, text):
        self.notices.append(text)


def run(spec, rows, by, *, commit=True, context=None):
    """Check the rows (each (row number, values)) and, if all are good and `commit`, write them; the
    errors as {(row, column)} or the outcome."""
    state = spec.start(by, commit=commit, context=context)
    checked = [Row(number, dict(values)) for number, values in rows]
    spec.check_chunk(checked, state, by)
    errors = {(r.number, column): message for r in checked for column, message in r.errors}
    if errors:
        return errors
    outcome = Outcome()
    if commit:
        spec.write_chunk(checked, state, by, outcome)
        spec.finish(state, by)
    else:
        spec.count_chunk(checked, state, outcome)
    return outcome


def rollup_cells():
    return {
        (r.area_id, r.year, r.industry_section, r.capital_origin): (r.enterprises, r.revenue, r.high_tech)
        for r in Rollup.objects.all()
    }


def assert_rollup_exact():
    """The rollup the import left equals the one a full rebuild computes."""
    kept = rollup_cells()
    stats.refresh(None)
    assert kept == rollup_cells()


@pytest.fixture
def hk(world):
    """A Hong Kong-funded enterprise registered in March 2005, with its tax figures for 2024."""
    enterprise = services.create_enterprise(
        by=world.root,
        uscc=code(1),
        name="佛山港联精密制造有限公司",
        area=world.P1,
        industry_code="3484",
        capital_origin=CapitalOrigin.HONG_KONG,
        registered_on=datetime.date(2005, 3, 1),
        registered_capital=Decimal("8000000.00"),
        address="南海区桂城街道科技路8号",
    )
    services.create_indicator(
        by=world.root,
        enterprise=enterprise,
        year=2024,
        revenue=Decimal("52000000.00"),
        tax_paid=Decimal("1800000.00"),
        employees=320,
    )
    return enterprise


def test_a_sheet_without_the_origin_keeps_a_hong_kong_enterprise_hong_kong(world, hk):
    outcome = run(
        EnterpriseSpec(),
        [(2, {"uscc": hk.uscc, "name": "佛山港联精密科技有限公司", "address": "南海区桂城街道科技路10号"})],
        world.statistician,
    )
    assert (outcome.updated, outcome.created) == (1, 0)
    hk.refresh_from_db()
    assert hk.name == "佛山港联精密科技有限公司" and hk.address == "南海区桂城街道科技路10号"
    assert hk.capital_origin == "hong_kong" and hk.status == "active"
    assert hk.registered_on == datetime.date(2005, 3, 1) and hk.registered_capital == Decimal("8000000.00")
    assert hk.industry_code == "3484"
    update = LogEntry.objects.get_for_object(hk).filter(action=LogEntry.Action.UPDATE).get()
    assert set(update.changes) == {"name", "address"}


def test_blank_cells_in_a_csv_keep_the_stored_values(world, api, hk):
    """Through the engine as it is: blank 资本来源, 状态, 成立日期 and "—" cells say nothing."""
    sheet = (
        "统一社会信用代码,企业名称,资本来源,外资国别,状态,成立日期,注册资本（万元）,地址\n"
        f"{hk.uscc},佛山港联精密制造有限公司,,,,,—,南海区桂城街道科技路8号\n"
    )
    client = api(world.statistician)
    job = client.post(
        "/api/v1/imports/",
        {"kind": "enterprises", "file": SimpleUploadedFile("名录.csv", sheet.encode("utf-8-sig"))},
        format="multipart",
    ).json()
    assert job["status"] == "ready", job["errors"]
    assert (job["updated"], job["unchanged"]) == (0, 1)
    client.post(f"/api/v1/imports/{job['id']}/commit/")
    hk.refresh_from_db()
    assert (hk.capital_origin, hk.status, hk.registered_on) == (
        "hong_kong",
        "active",
        datetime.date(2005, 3, 1),
    )
    assert hk.registered_capital == Decimal("8000000.00")


def test_blank_figures_keep_the_stored_tax_and_a_clearing_column_clears(world, hk):
    rows = [(2, {"uscc": hk.uscc, "year": 2024, "revenue": ("5600", WAN)})]
    assert run(IndicatorSpec(), rows, world.statistician).updated == 1
    figures = Indicator.objects.get(enterprise=hk, year=2024)
    assert figures.revenue == Decimal("56000000.00")
    assert figures.tax_paid == Decimal("1800000.00") and figures.employees == 320  # not in the sheet: kept
    assert figures.source == "manual"  # the default "import" is for figures the import creates
    # A column the mapping says a blank clears comes as None: the stored value goes.
    rows = [(2, {"uscc": hk.uscc, "year": 2024, "tax_paid": (None, WAN)})]
    assert run(IndicatorSpec(), rows, world.statistician).updated == 1
    figures.refresh_from_db()
    assert figures.tax_paid is None and figures.revenue == Decimal("56000000.00")
    # So does a registry column: the registration date cleared, the origin (never empty) kept.
    run(
        EnterpriseSpec(),
        [(2, {"uscc": hk.uscc, "registered_on": None, "capital_origin": None})],
        world.statistician,
    )
    hk.refresh_from_db()
    assert hk.registered_on is None and hk.capital_origin == "hong_kong"


def test_revenue_in_thousands_is_stored_in_yuan(world, hk):
    rows = [(2, {"uscc": hk.uscc, "year": 2025, "revenue": ("61,234.5", QIAN), "employees": "335"})]
    outcome = run(IndicatorSpec(), rows, world.statistician)
    assert outcome.created == 1
    figures = Indicator.objects.get(enterprise=hk, year=2025)
    assert figures.revenue == Decimal("61234500.00") and figures.employees == 335
    assert figures.source == "import"
    assert stats.overview(world.P1, 2025).figures.revenue == Decimal("61234500.00")
    assert_rollup_exact()


def test_the_figures_diff_and_last_years_figures_for_the_jump_warning(world, hk):
    spec = IndicatorSpec()
    state = spec.start(world.statistician, commit=False)
    rows = [
        Row(2, {"uscc": hk.uscc, "year": 2024, "revenue": ("5200", WAN), "tax_paid": ("200", WAN)}),
        Row(3, {"uscc": hk.uscc, "year": 2025, "revenue": ("30000", WAN)}),
    ]
    spec.check_chunk(rows, state, world.statistician)
    assert not any(r.errors for r in rows)
    current = rows[0].clean["_existing"]
    assert spec.changes(current, rows[0].clean) == {
        "tax_paid": (Decimal("1800000.00"), Decimal("2000000.00"))
    }
    previous = spec.compare_to(rows[1])  # a new year: compared with the year before
    assert previous["year"] == 2024 and previous["revenue"] == Decimal("52000000.00")
    assert rows[1].clean["revenue"] / previous["revenue"] > 5
    assert spec.compare_to(rows[0]) is None  # no 2023 figures


def test_year_groups_turned_into_rows_import_each_year(world, hk):
    """2024 | 2025 over 营业收入/产值/税收: the reader gives one row per year under the same number."""
    rows = [
        (4, {"uscc": hk.uscc, "revenue": ("5300", WAN), "output_value": ("6100", WAN), "year": "2024"}),
        (4, {"uscc": hk.uscc, "revenue": ("5900", WAN), "output_value": ("6800", WAN), "year": "2025"}),
    ]
    outcome = run(IndicatorSpec(), rows, world.statistician)
    assert (outcome.created, outcome.updated) == (1, 1)
    by_year = dict(Indicator.objects.filter(enterprise=hk).values_list("year", "output_value"))
    assert by_year == {2024: Decimal("61000000.00"), 2025: Decimal("68000000.00")}
    assert_rollup_exact()


def test_a_registry_list_with_the_years_figures_and_labels(world):
    world.areas["P9"] = park = AreaFactory(code="P9", name="创新产业园区", parent=world.Z1)
    rows = [
        (
            3,
            {
                "uscc": code(21),
                "name": "佛山智芯半导体有限公司",
                "area": "创新园",  # the short name staff write
                "industry_code": "3973",
                "registered_on": "2019年6月",
                "revenue": ("12,800", WAN),
                "output_value": ("13,500", WAN),
                "employees": 410,
                "tax_paid": ("640", WAN),
                "high_tech": "是",
                "specialized_sme": "√",
            },
        ),
        (
            4,
            {
                "uscc": code(22),
                "name": "佛山顺联模具有限公司",
                "area": "P1",
                "registered_on": 43647,
                "revenue": ("2100", WAN),
            },
        ),
    ]
    context = Context(Period(2025, 2025))  # 《2025年园区企业名录》: the title gives the year
    outcome = run(EnterpriseSpec(), rows, world.statistician, context=context)
    assert outcome.created == 2
    chip = Enterprise.objects.get(uscc=code(21))
    assert chip.area == park and chip.registered_on == datetime.date(2019, 6, 1)
    assert chip.capital_origin == "domestic" and chip.status == "active"  # defaults of a new enterprise
    figures = chip.indicators.get()
    assert (figures.year, figures.revenue, figures.employees) == (2025, Decimal("128000000.00"), 410)
    assert figures.tax_paid == Decimal("6400000.00") and figures.source == "import"
    assert set(chip.labels.values_list("kind", "valid_from", "valid_to")) == {
        ("high_tech", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("specialized_sme", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    }
    mould = Enterprise.objects.get(uscc=code(22))
    assert mould.registered_on == datetime.date(2019, 7, 1)  # Excel serial 43647
    o = stats.overview(world.Z1, 2025)
    assert o.figures.enterprises == 2 and o.figures.high_tech == 1 and o.figures.specialized_sme == 1
    assert o.figures.revenue == Decimal("149000000.00")
    assert_rollup_exact()

    # Next year's list: the label goes on, the figures of 2026 are added, 2025 stays.
    rows = [
        (
            3,
            {
                "uscc": code(21),
                "year": 2026,
                "revenue": ("15000", WAN),
                "high_tech": "是",
                "specialized_sme": "否",
            },
        )
    ]
    outcome = run(EnterpriseSpec(), rows, world.statistician)
    assert outcome.updated == 1
    assert set(chip.labels.values_list("kind", "valid_to")) == {
        ("high_tech", datetime.date(2026, 12, 31)),  # held again: extended
        ("specialized_sme", datetime.date(2025, 12, 31)),  # not in 2026: 2025 keeps it
    }
    assert dict(chip.indicators.values_list("year", "revenue")) == {
        2025: Decimal("128000000.00"),
        2026: Decimal("150000000.00"),
    }
    assert stats.overview(world.Z1, 2026).figures.high_tech == 1
    assert_rollup_exact()


def test_figures_without_a_year_ask_for_it(world, hk):
    rows = [(2, {"uscc": hk.uscc, "revenue": ("5600", WAN), "high_tech": "是"})]
    errors = run(EnterpriseSpec(), rows, world.statistician)
    assert "year" in errors[(2, "year")] and "年份" in errors[(2, "year")]
    # A title spanning two years does not say which.
    errors = run(EnterpriseSpec(), rows, world.statistician, context=Context(Period(2024, 2025)))
    assert (2, "year") in errors
    assert Indicator.objects.filter(enterprise=hk).count() == 1


def test_the_enterprise_diff_lists_registry_figures_and_labels(world, hk):
    spec = EnterpriseSpec()
    state = spec.start(world.statistician, commit=False)
    row = Row(
        2, {"uscc": hk.uscc, "status": "已迁出", "year": 2024, "revenue": ("5400", WAN), "high_tech": "是"}
    )
    spec.check_chunk([row], state, world.statistician)
    assert not row.errors
    assert spec.changes(row.clean["_existing"], row.clean) == {
        "status": ("active", "moved_out"),
        "revenue": (Decimal("52000000.00"), Decimal("54000000.00")),
        "high_tech": (False, True),
    }


def test_a_joint_venture_names_its_country(world, hk):
    rows = [
        (
            2,
            {
                "uscc": code(31),
                "name": "佛山中美传感技术有限公司",
                "area": "P1",
                "capital_origin": "中外合资",
                "capital_country": "美国",
            },
        ),
        (
            3,
            {
                "uscc": code(32),
                "name": "佛山中德精工有限公司",
                "area": "P1",
                "capital_origin": "Sino-foreign joint venture",
                "capital_country": "Germany",
            },
        ),
    ]
    assert run(EnterpriseSpec(), rows, world.statistician).created == 2
    sensors = Enterprise.objects.get(uscc=code(31))
    assert (sensors.capital_origin, sensors.capital_country.code) == ("joint_venture", "US")
    assert Enterprise.objects.get(uscc=code(32)).capital_country.code == "DE"

    errors = run(
        EnterpriseSpec(),
        [
            (
                2,
                {
                    "uscc": code(33),
                    "name": "佛山中外合作有限公司",
                    "area": "P1",
                    "capital_origin": "中外合作",
                },
            ),
            (3, {"uscc": hk.uscc, "capital_country": "美国"}),  # Hong Kong capital names no country
        ],
        world.statistician,
    )
    assert set(errors) == {(2, "capital_country"), (3, "capital_country")}
    # The same rule in the services: one declaration for foreign capital and joint ventures.
    with pytest.raises(ValidationError) as caught:
        services.update_enterprise(hk, by=world.root, capital_origin=CapitalOrigin.JOINT_VENTURE)
    assert "capital_country" in caught.value.message_dict
    services.update_enterprise(
        hk, by=world.root, capital_origin=CapitalOrigin.JOINT_VENTURE, capital_country="US"
    )
    # An origin moving home takes its country with it.
    run(EnterpriseSpec(), [(2, {"uscc": code(31), "capital_origin": "港资"})], world.statistician)
    sensors.refresh_from_db()
    assert (sensors.capital_origin, str(sensors.capital_country)) == ("hong_kong", "")


def test_the_statistics_break_joint_ventures_out(world, hk):
    services.update_enterprise(
        hk, by=world.root, capital_origin=CapitalOrigin.JOINT_VENTURE, capital_country="US"
    )
    origins = {p.key: p.figures.revenue for p in stats.overview(world.P1, 2024).by_capital_origin}
    assert origins["joint_venture"] == Decimal("52000000.00")
    assert_rollup_exact()


def test_a_short_name_two_parks_share_is_refused(world):
    AreaFactory(code="P7", name="东区产业园", parent=world.Z1)
    AreaFactory(code="P8", name="东区园", parent=world.Z1)
    errors = run(
        EnterpriseSpec(),
        [(2, {"uscc": code(41), "name": "佛山东区科技有限公司", "area": "东区"})],
        world.statistician,
    )
    assert "more than one" in errors[(2, "area")]


def test_a_registry_list_with_year_groups_creates_the_enterprise_once(world):
    """名录 with 2024 | 2025 over 营业收入/税收: one sheet row, two rows from the reader, one enterprise."""
    base = {"uscc": code(51), "name": "佛山华越光电有限公司", "area": "一号园", "capital_origin": "台资"}
    rows = [
        (5, {**base, "year": "2024", "revenue": ("3,200", WAN), "tax_paid": ("96", WAN)}),
        (5, {**base, "year": "2025", "revenue": ("4,100", WAN)}),
    ]
    assert run(EnterpriseSpec(), rows, world.statistician, commit=False).created == 1
    assert run(EnterpriseSpec(), rows, world.statistician).created == 1
    enterprise = Enterprise.objects.get(uscc=code(51))
    assert enterprise.area == world.P1 and enterprise.capital_origin == "taiwan"
    assert dict(enterprise.indicators.values_list("year", "revenue")) == {
        2024: Decimal("32000000.00"),
        2025: Decimal("41000000.00"),
    }
    assert enterprise.indicators.get(year=2025).tax_paid is None
    assert_rollup_exact()
    # The same list again changes nothing.
    outcome = run(EnterpriseSpec(), rows, world.statistician)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)


def test_no_for_a_label_held_on_a_certificate_is_an_error_not_a_silent_end(world, hk):
    services.create_label(
        by=world.root,
        enterprise=hk,
        kind="high_tech",
        certificate_no="GR202344001234",
        valid_from=datetime.date(2023, 12, 1),
        valid_to=datetime.date(2026, 11, 30),
    )
    errors = run(
        EnterpriseSpec(), [(2, {"uscc": hk.uscc, "year": 2025, "high_tech": "否"})], world.statistician
    )
    assert "2025" in errors[(2, "high_tech")]
    assert hk.labels.get().valid_to == datetime.date(2026, 11, 30)
    # "Yes" while the certificate holds the year changes nothing.
    outcome = run(
        EnterpriseSpec(), [(2, {"uscc": hk.uscc, "year": 2025, "high_tech": "是"})], world.statistician
    )
    assert outcome.unchanged == 1 and hk.labels.count() == 1


def test_a_registry_list_csv_with_figures_and_labels_through_the_engine(world, api):
    sheet = (
        "序号,统一社会信用代码,企业名称,所在园区,资本来源,外资国别,年份,营业收入（万元）,从业人员,高新技术企业,专精特新\n"
        f'1,{code(61)},佛山中美智能装备有限公司,一号园,中外合资,美国,2025,"8,600",260,是,否\n'
        f"2,{code(62)},佛山禅信软件有限公司,P1,内资,,2025,1200,85,否,是\n"
    )
    client = api(world.park_staff)
    job = client.post(
        "/api/v1/imports/",
        {"kind": "enterprises", "file": SimpleUploadedFile("2025年企业名录.csv", sheet.encode("utf-8-sig"))},
        format="multipart",
    ).json()
    assert job["status"] == "ready", job["errors"]
    assert job["created"] == 2
    done = client.post(f"/api/v1/imports/{job['id']}/commit/").json()
    assert done["status"] == "committed", done
    robots = Enterprise.objects.get(uscc=code(61))
    assert (robots.capital_origin, robots.capital_country.code) == ("joint_venture", "US")
    assert robots.indicators.get(year=2025).revenue == Decimal("86000000.00")
    assert list(robots.labels.values_list("kind", flat=True)) == ["high_tech"]
    software = Enterprise.objects.get(uscc=code(62))
    assert software.indicators.get(year=2025).employees == 85
    assert list(software.labels.values_list("kind", flat=True)) == ["specialized_sme"]
    o = stats.overview(world.P1, 2025)
    assert {p.key for p in o.by_capital_origin} == {"joint_venture", "domestic"}
    assert o.figures.high_tech == 1 and o.figures.specialized_sme == 1
    assert_rollup_exact()
