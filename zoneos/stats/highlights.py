"""The "data highlights" paragraph, in Chinese and in English, written from an overview's numbers only.

Each language has its own sentence builder (the two do not share word order, units or number style):
Both report money in the dashboard's one unit (money.py's "large": 亿元, "hundred million yuan"), Chinese
growth as 同比增长/下降, English as "up/down".
A clause whose number is missing (no previous year, no parent figures) is left out, never invented.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import override

from zoneos.chains import figures as chain_figures
from zoneos.core.money import in_words
from zoneos.reports import innovation

from .services import Overview


def _fixed(value: Decimal, places: int = 2, grouping: bool = True) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,}" if grouping else f"{rounded}"


def _yi(value: Decimal) -> str:
    """An amount in the dashboard's unit as Chinese bulletins write it: "12.34亿元"."""
    return in_words(value, "large", language="zh-hans")


def _en(value: Decimal) -> str:
    """An amount in the dashboard's unit in English: "12.34 hundred million yuan"."""
    return in_words(value, "large", language="en")


def _pct(value: Decimal) -> str:
    return _fixed(abs(value) * 100, 1)


def chinese(o: Overview) -> str:
    f = o.figures
    name = o.area.name
    if not f.has_figures:
        return f"{o.year}年，{name}暂无企业年度数据。"
    labels = [f"规模以上企业{f.above_designated_size}家", f"高新技术企业{f.high_tech}家"]
    if f.specialized_sme:
        labels.append(f"专精特新中小企业{f.specialized_sme}家")
    if f.little_giant:
        labels.append(f"专精特新“小巨人”企业{f.little_giant}家")
    text = f"{o.year}年，{name}纳入统计的在册企业{f.enterprises}家，其中{'、'.join(labels)}。"
    text += f"全年实现产值{_yi(f.output_value)}"
    if f.output_yoy is not None:
        text += f"，同比{'增长' if f.output_yoy >= 0 else '下降'}{_pct(f.output_yoy)}%"
        comparable = f.output_yoy_comparable
        if comparable is not None:
            text += f"（可比口径{'增长' if comparable >= 0 else '下降'}{_pct(comparable)}%）"
    if o.share_of_parent is not None:
        text += f"，占{o.parent.name}的{_pct(o.share_of_parent)}%"
    text += f"；营业收入{_yi(f.revenue)}，纳税{_yi(f.tax_paid)}。"
    leader = _leading_child(o)
    if leader is not None:
        share = leader.figures.output_value / f.output_value
        amount = _yi(leader.figures.output_value)
        text += f"{leader.name}产值{amount}，居各单元首位，占{_pct(share)}%。"
    if o.by_industry_section and f.output_value:
        top = o.by_industry_section[0]
        if top.name and top.figures.output_value:
            text += f"分行业看，{top.name}产值占{_pct(top.figures.output_value / f.output_value)}%。"
    return text


def english(o: Overview) -> str:
    f = o.figures
    name = o.area.name_en or o.area.name
    if not f.has_figures:
        return f"{name} has no yearly enterprise figures for {o.year} yet."
    text = (
        f"In {o.year}, {name} counted {f.enterprises:,} active enterprises with figures, "
        f"{f.above_designated_size:,} of them above designated size and {f.high_tech:,} high-tech enterprises"
    )
    extras = []
    if f.specialized_sme:
        extras.append(f"{f.specialized_sme:,} specialised and sophisticated SMEs")
    if f.little_giant:
        extras.append(f"{f.little_giant:,} little giants")
    text += (", with " + " and ".join(extras) if extras else "") + ". "
    text += f"Output value reached {_en(f.output_value)}"
    if f.output_yoy is not None:
        text += f", {'up' if f.output_yoy >= 0 else 'down'} {_pct(f.output_yoy)} % year on year"
        comparable = f.output_yoy_comparable
        if comparable is not None:
            text += f" ({'up' if comparable >= 0 else 'down'} {_pct(comparable)} % on a comparable basis)"
    if o.share_of_parent is not None:
        parent = o.parent.name_en or o.parent.name
        text += f", {_pct(o.share_of_parent)} % of {parent}"
    text += f". Revenue was {_en(f.revenue)} and tax paid {_en(f.tax_paid)}."
    leader = _leading_child(o)
    if leader is not None:
        share = leader.figures.output_value / f.output_value
        text += (
            f" {leader.name_en or leader.name} led with {_en(leader.figures.output_value)}, "
            f"{_pct(share)} % of the total."
        )
    if o.by_industry_section and f.output_value:
        top = o.by_industry_section[0]
        if top.name_en and top.figures.output_value:
            text += (
                f" By industry, {top.name_en} made up {_pct(top.figures.output_value / f.output_value)} %."
            )
    return text


def _leading_child(o: Overview):
    if len(o.by_child) < 2 or not o.figures.output_value:
        return None
    top = o.by_child[0]
    return top if top.figures.output_value > 0 else None


def highlights(o: Overview, user=None, innovation_and_space: dict | None = None) -> dict[str, str]:
    """Both paragraphs; with `user`, followed by the chain projects that user sees in the area ("16
    chain projects: ...", from `zoneos.chains.figures`) and the area's innovation and space
    (`zoneos.reports.innovation`: platforms, research funds, vacancy; pass them when already read)."""
    text = {"zh-hans": chinese(o), "en": english(o)}
    if user is None:
        return text
    chains = chain_figures.chain_projects(user, o.area)
    if innovation_and_space is None:
        innovation_and_space = innovation.figures(o.area, o.year)
    for language in text:
        with override(language):
            line = chain_figures.sentence(chains)
        for extra in (line, innovation.sentence(innovation_and_space, language)):
            if extra:
                text[language] = f"{text[language]}{'' if language == 'zh-hans' else ' '}{extra}"
    return text
