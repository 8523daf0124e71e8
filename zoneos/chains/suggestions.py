"""Which enterprises of an area fit which links of a chain: by the link's GB/T 4754 codes (a section
letter, or a division, group or class code as a prefix of the enterprise's class) and by its keywords
in the enterprise's name or business scope (经营范围), pinyin-insensitive: a keyword written in pinyin,
"xinpian", finds 芯片 in a name or a scope; one written in characters also finds a name's pinyin.

In the scope, a keyword in pinyin is found as whole syllables (`pinyin.spellings`), and one in
characters only as written: a scope runs to hundreds of characters, in which the pinyin of 钠 is found
in 纳米 and, run together, that of 电机 in 零售店经营 (dian-jing). Each suggestion says why: the codes
that fit, the keywords in the name, and those found only in the scope.

Staff confirm the suggestions they agree with (`confirm`), which places them, and reject the others
(`reject`), which are not suggested for that link again. Only active enterprises the caller sees, not
yet on the link, are suggested: a query per link, none per enterprise."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from zoneos.accounts.scoping import scope
from zoneos.core.roles import VIEW
from zoneos.enterprises.models import Enterprise, Status
from zoneos.enterprises.pinyin import keys, spellings

from . import services
from .models import Chain, Placement, Rejection

# What a suggestion reads of an enterprise: its reasons come from these, without a query per enterprise.
READ = (
    "id",
    "name",
    "name_en",
    "name_pinyin",
    "business_scope",
    "business_scope_pinyin",
    "industry_code",
    "industry_section",
    "area_id",
)


def _spelled(word: str) -> str:
    """The keyword as the registry's pinyin key spells names: lower case, no spaces."""
    return word.lower().replace(" ", "") if word.isascii() else keys(word)[0]


def _in_scope(word: str) -> list[str]:
    """The keyword's forms to look for in the scope's syllables: none for one written in characters."""
    return spellings(word) if word.isascii() else []


def fits(wanted) -> Q | None:
    """The enterprises that fit `wanted`: anything with `industry_codes` and `keywords` (a chain's link,
    a future industry's application scenario); None when it names neither."""
    condition = Q()
    matched = False
    for code in wanted.industry_codes:
        matched = True
        condition |= Q(industry_section=code) if code.isalpha() else Q(industry_code__startswith=code)
    for word in wanted.keywords:
        matched = True
        condition |= Q(name__contains=word) | Q(business_scope__contains=word)
        if spelled := _spelled(word):
            condition |= Q(name_pinyin__contains=spelled)
        for spelling in _in_scope(word):
            condition |= Q(business_scope_pinyin__contains=spelling)
    return condition if matched else None


def reasons(wanted, enterprise: Enterprise) -> list[str]:
    """Why `enterprise` fits `wanted` (as `fits`): the codes that fit, the keywords in its name, and
    those found only in its business scope."""
    found = [
        f"GB/T 4754 {code}"
        for code in wanted.industry_codes
        if (
            enterprise.industry_section == code
            if code.isalpha()
            else enterprise.industry_code.startswith(code)
        )
    ]
    for word in wanted.keywords:
        if word in enterprise.name or (_spelled(word) and _spelled(word) in enterprise.name_pinyin):
            found.append(f"「{word}」")
        elif word in enterprise.business_scope or any(
            s in enterprise.business_scope_pinyin for s in _in_scope(word)
        ):
            found.append(_("business scope: 「%(word)s」") % {"word": word})
    return found


def suggest(chain: Chain, area, user, *, per_link: int = 50, links=None) -> list[dict]:
    """Up to `per_link` suggestions for each of the chain's links (or of `links`), largest registered
    capital first (an unknown capital last, on every database)."""
    enterprises = scope(Enterprise.objects.filter(status=Status.ACTIVE), user, VIEW).in_subtree(area)
    out = []
    for link in links if links is not None else chain.links.order_by("position", "code"):
        condition = fits(link)
        if condition is None:
            continue
        placed = Placement.objects.filter(link=link, enterprise__isnull=False).values("enterprise_id")
        rejected = Rejection.objects.filter(link=link).values("enterprise_id")
        found = (
            enterprises.filter(condition)
            .exclude(pk__in=placed)
            .exclude(pk__in=rejected)
            .only(*READ)
            .order_by(F("registered_capital").desc(nulls_last=True), "pk")[:per_link]
        )
        out.extend({"link": link, "enterprise": e, "reasons": reasons(link, e)} for e in found)
    return out


@transaction.atomic
def confirm(pairs, *, by) -> list[Placement]:
    """Place each (link, enterprise) pair: all or none (a refused one names itself)."""
    return [services.place(link=link, enterprise=enterprise, by=by) for link, enterprise in pairs]


@transaction.atomic
def reject(pairs, *, by) -> list[Rejection]:
    """Turn down each (link, enterprise) suggestion: all or none; whoever may place them may reject."""
    return [services.reject(link=link, enterprise=enterprise, by=by) for link, enterprise in pairs]
