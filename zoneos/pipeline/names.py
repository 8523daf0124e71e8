"""The investor key: one spelling for the names people write differently for the same investor.

"比亚迪（深圳）有限公司", "比亚迪(深圳)有限公司 " and "比亚迪股份有限公司" are one investor to a zone's
coordinator: full-width and half-width forms are unified (NFKC), spaces and case ignored, place names
in brackets dropped, and legal-form suffixes (有限公司, 股份有限公司, 集团, Co., Ltd., ...) removed from
the end, repeatedly.
"""

from __future__ import annotations

import re
import unicodedata

# Chinese legal forms, longest first, so that 股份有限公司 goes as one piece rather than leaving 股份.
CHINESE_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "控股集团", "集团公司", "集团", "控股", "公司")
# Latin legal forms count only as separate words at the end ("Siemens AG", not the "ag" of "Haag").
LATIN_FORM = re.compile(
    r"[\s,.]+(co\.?,?\s*ltd\.?|company|limited|ltd\.?|inc\.?|incorporated|corporation|corp\.?|group"
    r"|holdings?|gmbh|ag|s\.?a\.?|plc|llc|co\.?)[\s,.]*$"
)
BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")


def investor_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower().strip()
    previous = None
    while previous != text:
        previous = text
        text = BRACKETS.sub("", text)
        text = LATIN_FORM.sub("", " " + text).strip()
        for form in CHINESE_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)].strip()
                break
    return "".join(text.split()).strip(",.")
