"""Pinyin search keys for Chinese names: full pinyin ("xiaopengqiche") and initials ("xpqc"); and for
longer text (an enterprise's business scope) its syllables one by one (`spaced`: " xin pian | guang xian "),
in which a keyword written in pinyin is looked for as whole syllables (`spellings`), never across one:
run together, "零售店经营" reads "lingshoudianjingying", which holds "dianji" (电机); spaced, it does not.

Names are cut into words first (pypinyin's own segmenter), so that words read differently in
context come out right (重庆 is "chongqing"); each word's reading is cached, because company names
share most of their words and an import of a hundred thousand names must stay fast.

`cut` is pypinyin's forward maximum matching (`pypinyin.seg.mmseg.seg`, strict: only dictionary words
are words) written as one loop over the same prefix set and phrase dictionary, without a generator and a
slice of the remaining text per step: it gives the same words (a test compares the two on many names),
in about a third of the time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice, product

from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.contrib.tone_convert import to_normal
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


# Between a text's items (its punctuation) in `spaced`: a keyword is never found across it.
BREAK = "|"
LONGEST_SYLLABLE = 6  # zhuang, chuang, shuang
MOST_SPELLINGS = 16  # readings of one keyword ("xian": xian, xi an); each is a condition of the query


def spaced(text: str) -> str:
    """The text's syllables, space-separated and space-bounded (" xin pian | guang xian "): a run of
    letters or digits is one token ("BMS" reads "bms"), spaces part tokens, other punctuation breaks."""
    tokens: list[str] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            tokens.append("".join(run).lower())
            run.clear()

    def end_item() -> None:
        end_run()
        if tokens and tokens[-1] != BREAK:
            tokens.append(BREAK)

    for word in cut(text or ""):
        if word.isascii():  # cut gives letters, digits and signs one at a time
            for character in word:
                if character.isalnum():
                    run.append(character)
                elif character.isspace():
                    end_run()
                else:
                    end_item()
            continue
        end_run()
        for syllable in _word(word):
            if syllable.isalnum():
                tokens.append(syllable)
            elif syllable.isspace():
                continue
            else:
                end_item()
    end_run()
    while tokens and tokens[-1] == BREAK:
        tokens.pop()
    return f" {' '.join(tokens)} " if tokens else ""


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every syllable of Mandarin as the keys spell it (lv for lü), from pypinyin's own dictionary; the
    interjections without a vowel (m, n, ng, hm) are left out, so that "xinpian" never reads xi n pian."""
    readings = {r for value in set(PINYIN_DICT.values()) for r in value.split(",")}
    return frozenset(
        s for s in map(to_normal, readings) if s.isascii() and s.isalpha() and re.search("[aeiouv]", s)
    )


@lru_cache(maxsize=10_000)
def _readings(word: str) -> tuple[tuple[str, ...], ...]:
    """Ways of reading `word` as whole syllables, fewest syllables first: at most MOST_SPELLINGS, so that
    a word of many short syllables ("anananan...") stays quick."""
    if not word:
        return ((),)
    found = [
        (word[:end], *rest)
        for end in range(min(LONGEST_SYLLABLE, len(word)), 0, -1)
        if word[:end] in _syllables()
        for rest in _readings(word[end:])
    ]
    return tuple(sorted(found, key=len)[:MOST_SPELLINGS])


def spellings(keyword: str) -> list[str]:
    """The forms of a keyword written in pinyin (or other letters and digits) to look for in a `spaced`
    text: each reading as whole syllables, and each word as it is, as one token ("bms", "3d"). "xian"
    gives " xian " and " xi an "; words the keyword parts with spaces stay parted ("xin pian")."""
    options = []
    for word in re.findall("[a-z0-9]+", keyword.lower()):
        readings = [" ".join(reading) for reading in _readings(word)]
        options.append([word] + [r for r in readings if r != word])
    if not options:
        return []
    return [f" {' '.join(parts)} " for parts in islice(product(*options), MOST_SPELLINGS)]
