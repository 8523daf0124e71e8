"""The chain targets import (`chain_candidates`): enterprises outside the zone that could fill a chain's
gaps, as investment officers list them in a sheet (name, USCC if known, province, city, industry code,
revenue, labels, the links they fit, the zone's enterprises they already supply).

A row names its chain by code; it updates the chain's target with the same USCC, else with the same
name, and creates one otherwise. Links are the chain's link codes or names, enterprises the zone's by
USCC or name, several to a cell separated by 、 , ; or /. Every row is written through the services,
so the import checks what the API checks and every change is in the history with its author.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zoneos.accounts.scoping import may_place, scope
from zoneos.core.roles import VIEW
from zoneos.enterprises.imports.common import _choice_lookup, _money, given, has_error, unwrap
from zoneos.enterprises.models import Enterprise, LabelKind
from zoneos.tabular.engine import Column, ImportSpec, Row, RowError, register
from zoneos.tabular.readers import text

from . import services
from .models import Candidate, Chain

COLUMNS = [
    Column("chain", "产业链代码", "Chain code", True, ("产业链", "链代码", "chain")),
    Column("name", "企业名称", "Enterprise", True, ("目标企业", "企业", "名称", "name")),
    Column("short_name", "简称", "Short name", False, ("企业简称",)),
    Column("uscc", "统一社会信用代码", "USCC", False, ("社会信用代码", "信用代码")),
    Column("province", "省份", "Province", False, ("所在省份", "省")),
    Column("city", "城市", "City", False, ("所在城市", "市")),
    Column("industry_code", "行业代码", "Industry code", False, ("国民经济行业代码", "industry")),
    Column("revenue", "营业收入", "Revenue", False, ("营收", "上年营业收入"), money=True),
    Column("labels", "资质标签", "Labels", False, ("企业资质", "标签", "资质")),
    Column("links", "适配环节", "Links", False, ("环节", "对应环节", "所属环节")),
    Column("supplies", "配套企业", "Supplies", False, ("配套链主", "供货对象", "客户")),
    Column("note", "备注", "Note", False, ("说明",)),
]
COLUMN_NAMES = {c.name for c in COLUMNS}
TEXT_FIELDS = ("short_name", "province", "city", "industry_code", "note")
FIELDS = ("name", "uscc", *TEXT_FIELDS, "revenue", "labels")
SEPARATORS = re.compile(r"[、,，;；/\n]+")
LABEL_ALIASES = {
    "小巨人": LabelKind.LITTLE_GIANT,
    "专精特新小巨人": LabelKind.LITTLE_GIANT,
    "国家级专精特新小巨人": LabelKind.LITTLE_GIANT,
    "专精特新": LabelKind.SPECIALIZED_SME,
    "专精特新中小企业": LabelKind.SPECIALIZED_SME,
    "高企": LabelKind.HIGH_TECH,
    "高新": LabelKind.HIGH_TECH,
    "高新技术企业": LabelKind.HIGH_TECH,
    "科小": LabelKind.TECH_SME,
    "科技型中小企业": LabelKind.TECH_SME,
    "创新型中小企业": LabelKind.INNOVATIVE_SME,
    "上市": LabelKind.LISTED,
    "上市公司": LabelKind.LISTED,
    "规上": LabelKind.ABOVE_DESIGNATED_SIZE,
}


def _labels_lookup() -> dict[str, str]:
    return {**_choice_lookup(LabelKind.choices), **{k: str(v) for k, v in LABEL_ALIASES.items()}}


def _parts(row: Row, name: str) -> list[str]:
    return [p.strip() for p in SEPARATORS.split(text(unwrap(row.values.get(name)))) if p.strip()]


class CandidateSpec(ImportSpec):
    kind = "chain_candidates"
    model = Candidate
    match_note = gettext_lazy(
        "Rows update the chain's target with the same credit code, else with the same name; other rows "
        "add targets. Links: the chain's link codes or names; supplies: the zone's enterprises by credit "
        "code or name; several to a cell, separated by 、."
    )
    columns = COLUMNS

    def start(self, by, *, commit, context=None):
        return {"seen": {}, "labels": _labels_lookup()}

    def check_chunk(self, rows, state, by):
        codes = {text(unwrap(r.values.get("chain"))) for r in rows}
        chains = {
            c.code: c
            for c in scope(Chain.objects.filter(code__in=codes, area__isnull=False), by, VIEW)
            .select_related("area")
            .prefetch_related("links")
        }
        wanted = {p for r in rows if given(r, "supplies") for p in _parts(r, "supplies")}
        known = scope(Enterprise.objects.filter(Q(uscc__in=wanted) | Q(name__in=wanted)), by, VIEW)
        enterprises = {}
        for enterprise in known.select_related("area"):
            enterprises[enterprise.uscc] = enterprises[enterprise.name] = enterprise
        names = {text(unwrap(r.values.get("name"))) for r in rows}
        stored = Candidate.objects.filter(chain__in=chains.values()).filter(
            Q(name__in=names)
            | Q(uscc__in=[text(unwrap(r.values.get("uscc"))).upper() for r in rows if given(r, "uscc")])
        )
        by_key = {}
        for candidate in stored.prefetch_related("links", "supplies"):
            by_key[(candidate.chain_id, "name", candidate.name)] = candidate
            if candidate.uscc:
                by_key[(candidate.chain_id, "uscc", candidate.uscc)] = candidate
        for row in rows:
            self._clean(row, state, by, chains, enterprises, by_key)

    def _clean(self, row, state, by, chains, enterprises, by_key) -> None:
        clean = row.clean
        clean["_existing"] = None
        code = text(unwrap(row.values.get("chain")))
        chain = chains.get(code)
        if chain is None:
            row.error(
                "chain", _("No chain with the code “%(code)s” among the chains you see.") % {"code": code}
            )
            return
        if not may_place(Candidate, chain.area, by):
            row.error("chain", _("You may not keep this chain's targets."))
            return
        clean["chain"] = chain
        clean["name"] = text(unwrap(row.values.get("name")))
        if not clean["name"]:
            row.error("name", _("The name is required."))
            return
        for name in ("uscc", *TEXT_FIELDS):
            if given(row, name):
                clean[name] = text(unwrap(row.values.get(name)) or "")
        if "uscc" in clean:
            clean["uscc"] = clean["uscc"].upper()
        if given(row, "revenue"):
            clean["revenue"] = _money(row, "revenue")
        if given(row, "labels"):
            labels = []
            for part in _parts(row, "labels"):
                value = state["labels"].get(part.lower())
                if value is None:
                    row.error("labels", _("“%(value)s” is not a label.") % {"value": part})
                else:
                    labels.append(value)
            clean["labels"] = list(dict.fromkeys(labels))
        if given(row, "links"):
            links = {link.code.lower(): link for link in chain.links.all()}
            links.update({link.name: link for link in chain.links.all()})
            clean["links"] = []
            for part in _parts(row, "links"):
                link = links.get(part) or links.get(part.lower())
                if link is None:
                    row.error("links", _("The chain has no link “%(value)s”.") % {"value": part})
                else:
                    clean["links"].append(link)
        if given(row, "supplies"):
            clean["supplies"] = []
            for part in _parts(row, "supplies"):
                enterprise = enterprises.get(part) or enterprises.get(part.upper())
                if enterprise is None or not enterprise.area.path.startswith(chain.area.path):
                    row.error(
                        "supplies", _("No enterprise “%(value)s” in the chain's area.") % {"value": part}
                    )
                else:
                    clean["supplies"].append(enterprise)
        key = (chain.pk, "uscc", clean.get("uscc")) if clean.get("uscc") else None
        existing = by_key.get(key) if key else None
        clean["_existing"] = existing or by_key.get((chain.pk, "name", clean["name"]))
        seen = (chain.pk, clean.get("uscc") or clean["name"])
        first = state["seen"].setdefault(seen, row.number)
        if first != row.number and not has_error(row, "name"):
            row.error("name", _("The same target is already on row %(row)d.") % {"row": first})

    def changes(self, current: Candidate, clean: dict) -> dict:
        out = {
            name: (getattr(current, name), clean[name])
            for name in FIELDS
            if name in clean and getattr(current, name) != clean[name]
        }
        for name in ("links", "supplies"):
            if name in clean:
                before = sorted(str(x) for x in getattr(current, name).all())
                after = sorted(str(x) for x in clean[name])
                if before != after:
                    out[name] = (", ".join(before), ", ".join(after))
        return out

    def write_chunk(self, rows, state, by, outcome):
        for row in rows:
            clean, current = row.clean, row.clean["_existing"]
            fields = {k: clean[k] for k in (*FIELDS, "links", "supplies") if k in clean}
            try:
                if current is None:
                    services.create_candidate(by=by, chain=clean["chain"], **fields)
                    outcome.created += 1
                elif self.changes(current, clean):
                    services.update_candidate(current, by=by, **fields)
                    outcome.updated += 1
                else:
                    outcome.unchanged += 1
            except ValidationError as exc:
                errors = getattr(exc, "error_dict", None)
                field, messages = next(iter(exc.message_dict.items())) if errors else ("name", exc.messages)
                raise RowError(
                    row.number, field if field in COLUMN_NAMES else "name", " ".join(messages)
                ) from exc


register(CandidateSpec(), label=gettext_lazy("Chain targets"), file_names=("补链目标企业", "chain-targets"))
