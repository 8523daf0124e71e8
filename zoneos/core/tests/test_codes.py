"""Code validation and the industry classification, as GB 32100-2015 (the unified social credit code)
and GB/T 4754-2017 (industries) give them."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zoneos.core import industries
from zoneos.core.codes import build_uscc, check_uscc
from zoneos.core.models import Industry
from zoneos.enterprises.models import Enterprise

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


# GB 32100-2015 written out again here, independently of `zoneos.core.codes`, so that the validator
# is tested against the standard and not against itself: 31 symbols (no I, O, S, V, Z), the weight of
# position i is 3^i mod 31, and the check character is the symbol of 31 - (sum mod 31), 31 read as 0.
STANDARD_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
STANDARD_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def standard_check_character(first17: str) -> str:
    total = sum(STANDARD_ALPHABET.index(c) * w for c, w in zip(first17, STANDARD_WEIGHTS, strict=True))
    remainder = 31 - total % 31
    return STANDARD_ALPHABET[0 if remainder == 31 else remainder]


# Worked by hand: the characters' values times their weights, summed. 91350100M000100Y4 (the widely
# published example): 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + M=21·20 + 1·8 + Y=30·30 + 4·28
# = 1640 = 52·31 + 28, and 31 - 28 = 3.
WORKED = [
    ("91350100M000100Y4", 1640, "3"),
    ("12440300MB2C12348", 1604, "8"),  # 1604 = 51·31 + 23: 31 - 23 = 8
    ("31110000E12345673", 946, "F"),  # 946 = 30·31 + 16: 31 - 16 = 15, the symbol F
    ("91510100MA61RJ6P0", 2365, "N"),  # 2365 = 76·31 + 9: 31 - 9 = 22, the symbol N (no I, O in between)
    ("92320115MA1X0T3W9", 3081, "K"),  # 3081 = 99·31 + 12: 31 - 12 = 19, the symbol K
    ("91440300MA0000082", 1240, "0"),  # 1240 = 40·31: 31 - 0 = 31, written 0
]
# Codes printed on business licences of large enterprises (each also satisfies the algorithm above).
PUBLISHED = [
    "91350100M000100Y43",  # the example code most often published with the standard
    "914403001922038216",  # Huawei Technologies Co., Ltd.
    "91440300708461136T",  # Shenzhen Tencent Computer Systems Co., Ltd.
    "91330100799655058B",  # Alibaba (China) Co., Ltd.
]
VALID = PUBLISHED + [first17 + check for first17, _, check in WORKED]


@pytest.mark.parametrize(("first17", "total", "check"), WORKED)
def test_hand_worked_check_characters(first17, total, check):
    assert (
        sum(STANDARD_ALPHABET.index(c) * w for c, w in zip(first17, STANDARD_WEIGHTS, strict=True)) == total
    )
    assert standard_check_character(first17) == check
    assert check_uscc(first17 + check).ok


@pytest.mark.parametrize("code", VALID)
def test_codes_computed_outside_the_project_pass(code):
    assert standard_check_character(code[:17]) == code[17]  # the list itself is right
    result = check_uscc(code)
    assert result.ok, result.errors
    assert check_uscc(code.lower()).ok  # pasted in lower case


def test_built_codes_agree_with_the_standard():
    for n in range(50):
        code = build_uscc("9", "1", "440605", f"MA{n:06d}")
        assert code[17] == standard_check_character(code[:17])


def one_character_changed(code: str):
    """Every code that differs from `code` in exactly one position, by a symbol of the alphabet."""
    for position, original in enumerate(code):
        for symbol in STANDARD_ALPHABET:
            if symbol != original:
                yield code[:position] + symbol + code[position + 1 :]


@pytest.mark.parametrize("code", PUBLISHED)
def test_any_single_mistyped_character_is_refused(code):
    """A weight is never 0 mod 31 (a prime), so one changed character always breaks the check; a
    letter among the division digits (positions 3 to 8) is refused before that."""
    accepted = [m for m in one_character_changed(code) if check_uscc(m).ok]
    assert accepted == []


@pytest.mark.parametrize("code", PUBLISHED)
@pytest.mark.parametrize("letter", "IOSVZ")
def test_the_five_letters_the_standard_leaves_out_are_refused(code, letter):
    for position in (0, 1, 8, 12, 17):
        mutated = code[:position] + letter + code[position + 1 :]
        result = check_uscc(mutated)
        assert not result.ok and letter in result.errors[0], mutated


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


@pytest.mark.django_db
def test_every_industry_has_an_english_name_shown_in_the_english_ui(world, api):
    """The groups and classes used to stay Chinese in the English UI: each code now ships its English
    name, the database has it, and an enterprise's class reads in the request's language."""
    with DATA.open(encoding="utf-8") as handle:
        assert [r["code"] for r in csv.DictReader(handle) if not r["name_en"].strip()] == []
    assert not Industry.objects.filter(edition=industries.CURRENT_EDITION, name_en="").exists()
    Enterprise.objects.filter(pk=world.E1.pk).update(industry_code="3841", industry_section="C")
    url = f"/api/v1/enterprises/{world.E1.pk}/"
    english = api(world.root).get(url).json()["industry_name"]
    chinese = api(world.root, language="zh-hans").get(url).json()["industry_name"]
    assert (english, chinese) == (industries.get("3841").name_en, "锂离子电池制造")
    assert english and english != chinese
    page = Client()
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages follow the language switch's cookie
    page.force_login(world.root)
    assert english in page.get(f"/enterprises/{world.E1.pk}/").content.decode()
