"""Which enterprises of an area fit which links of a chain: by the link's GB/T 4754 codes (a section
letter, or a division, group or class code as a prefix of the enterprise's class) and by its keywords
in the enterprise's name, pinyin-insensitive (a keyword written in pinyin, "xinpian", finds 芯片 in a
name; one written in characters also finds the name's pinyin). Staff confirm the suggestions they
agree with (`confirm`), which places them, and reject the others (`reject`), which are not suggested
for that link again. Only active enterprises the caller sees, not yet on the link, are suggested."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise, Status
from zoneos.enterprises.pinyin import keys

from . import services
from .models import Chain, Link, Placement, Rejection


def _spelled(word: str) -> str:
    """The keyword as the registry's pinyin key spells names: lower case, no spaces."""
    return word.lower().replace(" ", "") if word.isascii() else keys(word)[0]


def _fits(link: Link) -> Q | None:
    condition = Q()
    matched = False
    for code in link.industry_codes:
        matched = True
        condition |= Q(industry_section=code) if code.isalpha() else Q(industry_code__startswith=code)
    for word in link.keywords:
        matched = True
        condition |= Q(name__contains=word)
        if spelled := _spelled(word):
            condition |= Q(name_pinyin__contains=spelled)
    return condition if matched else None


def _reasons(link: Link, enterprise: Enterprise) -> list[str]:
    reasons = [
        f"GB/T 4754 {code}"
        for code in link.industry_codes
        if (
            enterprise.industry_section == code
            if code.isalpha()
            else enterprise.industry_code.startswith(code)
        )
    ]
    return reasons + [
        f"「{word}」"
        for word in link.keywords
        if word in enterprise.name or (_spelled(word) and _spelled(word) in enterprise.name_pinyin)
    ]


def suggest(chain: Chain, area, user, *, per_link: int = 50, links=None) -> list[dict]:
    """Up to `per_link` suggestions for each of the chain's links (or of `links`), largest registered
    capital first."""
    enterprises = scope(Enterprise.objects.filter(status=Status.ACTIVE), user, VIEW).in_subtree(area)
    out = []
    for link in links if links is not None else chain.links.order_by("position", "code"):
        condition = _fits(link)
        if condition is None:
            continue
        placed = Placement.objects.filter(link=link, enterprise__isnull=False).values("enterprise_id")
        rejected = Rejection.objects.filter(link=link).values("enterprise_id")
        found = (
            enterprises.filter(condition)
            .exclude(pk__in=placed)
            .exclude(pk__in=rejected)
            .only("id", "name", "name_en", "name_pinyin", "industry_code", "industry_section", "area_id")
            .order_by("-registered_capital", "pk")[:per_link]
        )
        out.extend({"link": link, "enterprise": e, "reasons": _reasons(link, e)} for e in found)
    return out


@transaction.atomic
def confirm(pairs, *, by) -> list[Placement]:
    """Place each (link, enterprise) pair: all or none (a refused one names itself)."""
    return [services.place(link=link, enterprise=enterprise, by=by) for link, enterprise in pairs]


@transaction.atomic
def reject(pairs, *, by) -> list[Rejection]:
    """Turn down each (link, enterprise) suggestion: all or none; whoever may place them may reject."""
    return [services.reject(link=link, enterprise=enterprise, by=by) for link, enterprise in pairs]
