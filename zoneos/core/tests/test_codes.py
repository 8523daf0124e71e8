"""Code validation and the industry classification, as GB 32100-2015 (the unified social credit code)
and GB/T 4754-2017 (industries) give them."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from zoneos.core import industries
from zoneos.core.codes import build_uscc, check_uscc
from zoneos.core.models import Industry

DATA = Path(industries.__file__).resolve().parent / "data" / industries.DATA_FILE


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",
        "91430111MA4L41YT1U",
        "91110108MA01AB3CX1",
        "91440305MA5FXK7Q1W",
        "52420100MJ0000018A",
    ],
)
def test_published_and_computed_codes_pass(code):
    result = check_uscc(code)
    assert result.ok and not result.warnings


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91110108MA01AB3CX0", "'1'"),  # last character altered: the expected one is named
        ("91110108M0A1AB3CX1", "'A'"),  # two positions transposed
        ("91350100M0001TGQXM", "'1'"),  # a genuine early pilot code: needs an override on the record
        ("91110108MAI1AB3CX1", "I"),
        ("91110108MA01AB3CX", "17"),
        ("9111A108MA01AB3CX1", "3 to 8"),
    ],
)
def test_bad_codes_say_what_is_wrong(code, fragment):
    result = check_uscc(code)
    assert not result.ok and fragment in result.errors[0]


def test_a_wrong_embedded_organisation_check_is_only_a_warning():
    result = check_uscc("91110108MA01AB3C5N")
    assert result.ok and "X" in result.warnings[0]


def test_built_codes_pass_both_checks():
    for n in range(200):
        assert check_uscc(build_uscc("9", "1", "440605", f"MA{n:06d}")).warnings == []


@pytest.mark.django_db
def test_the_whole_classification_is_loaded():
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = Counter(r["level"] for r in rows)
    loaded = Counter(
        Industry.objects.filter(edition=industries.CURRENT_EDITION).values_list("level", flat=True)
    )
    assert loaded == expected
    assert loaded["section"] == 20 and loaded["division"] == 97  # the standard's own structure table
    # Every code sits under its parent and carries its parent's section.
    by_code = {i.code: i for i in Industry.objects.all()}
    for industry in by_code.values():
        if industry.level != "section":
            parent = by_code[industry.parent_code]
            assert industry.code.startswith(parent.code) or parent.level == "section"
            assert industry.section == parent.section


@pytest.mark.django_db
def test_industry_codes_are_cleaned_to_known_digits():
    assert industries.clean_industry_code("C3612") == "3612"
    assert industries.clean_industry_code(" 38 ") == "38"
    assert industries.section_of("6513") == "I"
    for bad in ("C", "9999", "A01X"):
        with pytest.raises(Exception, match="GB/T 4754"):
            industries.clean_industry_code(bad)
