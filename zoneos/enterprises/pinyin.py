"""Pinyin search keys for Chinese names: full pinyin ("xiaopengqiche") and initials ("xpqc").

Names are cut into words first (pypinyin's own segmenter), so that words read differently in
context come out right (重庆 is "chongqing"); each word's reading is cached, because company names
share most of their words and an import of a hundred thousand names must stay fast.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.seg.mmseg import seg


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(word, errors=lambda chars: list(chars)))


def syllables(name: str) -> list[str]:
    out: list[str] = []
    for word in seg.cut(name or ""):
        out.extend(_word(word))
    return [s for s in out if s.strip()]


def keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, without spaces."""
    parts = [s for s in syllables(name) if s.isalnum()]
    return "".join(parts), "".join(p[0] for p in parts)
