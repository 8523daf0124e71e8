"""The pinyin keys' own segmentation gives exactly the words of pypinyin's segmenter."""

import random

from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.mmseg import seg

from zoneos.enterprises import pinyin
from zoneos.enterprises.demo import BRANDS, INDUSTRIES, SUFFIXES


def reference_keys(name: str) -> tuple[str, str]:
    """The keys as they were computed before `pinyin.cut`: pypinyin's generator, word by word."""
    out = []
    for word in seg.cut(name or ""):
        out.extend(pinyin._word(word))
    parts = [s for s in out if s.strip() and s.isalnum()]
    return "".join(parts), "".join(p[0] for p in parts)


def names():
    rng = random.Random(16)
    phrases = list(PHRASES_DICT)[::97]
    odd = ["A", "1", "（", "）", " ", "·", "-", "Ltd", "", "重庆", "长沙", "银行", "行长", "ＡＢＣ"]
    for _ in range(4000):
        yield (
            rng.choice(["佛山", "重庆", "长春", "厦门"])
            + rng.choice(BRANDS)
            + rng.choice(BRANDS)
            + rng.choice(INDUSTRIES)[1]
            + rng.choice(SUFFIXES)[0]
        )
    for _ in range(4000):
        parts = [rng.choice(phrases) for _ in range(rng.randint(0, 4))]
        parts += [chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(0, 3))]
        parts += [rng.choice(odd) for _ in range(rng.randint(0, 2))]
        rng.shuffle(parts)
        yield "".join(parts)
    yield from ["", "重庆小康工业集团股份有限公司", "中国银行", "长江存储科技有限责任公司", "abc", "（香港）"]


def test_cut_gives_the_words_of_pypinyins_segmenter():
    for name in names():
        assert pinyin.cut(name) == list(seg.cut(name)), name


def test_keys_are_those_of_pypinyins_segmenter():
    for name in names():
        assert pinyin.keys(name) == reference_keys(name), name
    assert pinyin.keys("重庆小康工业集团股份有限公司")[1] == "cqxkgyjtgfyxgs"
    assert pinyin.keys(None) == ("", "")


def test_a_business_scope_is_spaced_syllable_by_syllable_and_broken_at_its_punctuation():
    scope = "一般项目：光纤制造；电池管理系统（BMS）研发、3D打印 服务。"
    assert pinyin.spaced(scope) == (
        " yi ban xiang mu | guang xian zhi zao | dian chi guan li xi tong | bms | yan fa | 3d da yin fu wu "
    )
    assert pinyin.spaced("") == pinyin.spaced(None) == pinyin.spaced("；（）") == ""


def test_a_keyword_in_pinyin_is_looked_for_in_each_reading_as_whole_syllables():
    assert pinyin.spellings("xinpian") == [" xinpian ", " xin pian ", " xin pi an "]
    assert pinyin.spellings("Xi An") == [" xi an "]
    assert pinyin.spellings("BMS") == [" bms "] and pinyin.spellings("3D") == [" 3d "]
    assert pinyin.spellings("·") == []
    shop, motors = pinyin.spaced("零售店经营"), pinyin.spaced("电机制造")
    assert "dianji" in pinyin.keys("零售店经营")[0]  # run together, the shop reads as motors (电机)
    assert not any(s in shop for s in pinyin.spellings("dianji"))
    assert any(s in motors for s in pinyin.spellings("dianji"))
    # A word of many short syllables has many readings: a few are enough, and quickly.
    assert len(pinyin.spellings("an" * 20)) == pinyin.MOST_SPELLINGS
