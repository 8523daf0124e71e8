"""Pinyin search keys for Chinese names: full pinyin ("xiaopengqiche") and initials ("xpqc").

Names are cut into words first (pypinyin's own segmenter), so that words read differently in
context come out right (重庆 is "chongqing"); each word's reading is cached, because company names
share most of their words and an import of a hundred thousand names must stay fast.

`cut` is pypinyin's forward maximum matching (`pypinyin.seg.mmseg.seg`, strict: only dictionary words
are words) written as one loop over the same prefix set and phrase dictionary, without a generator and a
slice of the remaining text per step: it gives the same words (a test compares the two on many names),
in about a third of the time.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.mmseg import seg

# The segmenter's own prefix set (every prefix of every dictionary phrase), so that a phrase it is
# trained with later is seen here too.
_PREFIXES = getattr(getattr(seg, "_prefix_set", None), "_set", None)
_STRICT = getattr(seg, "_no_non_phrases", None) is True


def cut(text: str) -> list[str]:
    """The words of `text`, exactly as `seg.cut(text)` gives them."""
    if _PREFIXES is None or not _STRICT:  # another pypinyin than the one this was written against
        return list(seg.cut(text))
    prefixes, phrases = _PREFIXES, PHRASES_DICT
    words: list[str] = []
    start, length = 0, len(text)
    while start < length:
        valid = 0  # the end of the longest dictionary word from `start`
        end = start + 1
        while end <= length:
            word = text[start:end]
            if word not in prefixes:
                break
            if word in phrases:
                valid = end
            end += 1
        else:
            # Every prefix up to the end of the text is a dictionary prefix.
            if valid:
                words.append(text[start:valid])
                start = valid
                continue
            words.extend(text[start:])  # no word among them: one character each, as pypinyin does
            break
        if valid:
            words.append(text[start:valid])
            start = valid
        else:
            words.append(text[start])
            start += 1
    return words


@lru_cache(maxsize=100_000)
def _word(word: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(word, errors=lambda chars: list(chars)))


@lru_cache(maxsize=100_000)
def _key_parts(word: str) -> tuple[str, ...]:
    """The word's syllables that go into the keys (letters and digits only)."""
    return tuple(s for s in _word(word) if s.isalnum())


def syllables(name: str) -> list[str]:
    out: list[str] = []
    for word in cut(name or ""):
        out.extend(_word(word))
    return [s for s in out if s.strip()]


def keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case, without spaces."""
    parts: list[str] = []
    for word in cut(name or ""):
        parts.extend(_key_parts(word))
    return "".join(parts), "".join(p[0] for p in parts)
