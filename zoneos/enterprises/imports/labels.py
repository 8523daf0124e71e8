"""The labels a registry list marks for the year (高新技术企业 是, 专精特新 √...).

"Yes" for a year: the enterprise holds the label on that year. When no label of the kind is valid in
the year, one is recorded for the year (1 January to 31 December), or the one ending on 31 December of
the year before is extended to the year's end: next year's list extends it again. "No" for a year
ends nothing recorded beyond the year (a certificate keeps its own validity); a label recorded for
that year alone is removed.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from zoneos.audit.context import acting
from zoneos.tabular.engine import Column, Row

from ..models import Label, LabelKind
from .common import given, yes_no

LABEL_COLUMNS = [
    Column(
        LabelKind.HIGH_TECH.value,
        "高新技术企业",
        "High-tech enterprise",
        False,
        ("高企", "是否高新技术企业", "国家高新技术企业"),
    ),
    Column(
        LabelKind.TECH_SME.value,
        "科技型中小企业",
        "Technology-based SME",
        False,
        ("科技型中小", "是否科技型中小企业"),
    ),
    Column(
        LabelKind.INNOVATIVE_SME.value, "创新型中小企业", "Innovative SME", False, ("是否创新型中小企业",)
    ),
    Column(
        LabelKind.SPECIALIZED_SME.value,
        "专精特新",
        "Specialised and sophisticated SME",
        False,
        ("专精特新中小企业", "是否专精特新", "专精特新企业"),
    ),
    Column(LabelKind.LITTLE_GIANT.value, "专精特新小巨人", "Little giant", False, ("小巨人", "是否小巨人")),
    Column(LabelKind.LISTED.value, "上市企业", "Listed company", False, ("是否上市", "上市")),
]
LABEL_FIELDS = tuple(c.name for c in LABEL_COLUMNS)


def clean_labels(row: Row, into: dict) -> None:
    """{kind: True/False} for the label columns the row answers."""
    for name in LABEL_FIELDS:
        if given(row, name):
            answer = yes_no(row, name)
            if answer is not None:
                into[name] = answer


def held(enterprise_ids, years) -> dict[int, list[Label]]:
    """The labels of these enterprises valid in (or ending the year before) any of these years."""
    if not enterprise_ids or not years:
        return {}
    first = datetime.date(min(years) - 1, 12, 31)
    query = Label.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first),
        enterprise_id__in=enterprise_ids,
        kind__in=LABEL_FIELDS,
        valid_from__year__lte=max(years),
    )
    found: dict[int, list[Label]] = {}
    for label in query:
        found.setdefault(label.enterprise_id, []).append(label)
    return found


def _removable(label: Label, year: int) -> bool:
    """A label recorded for this year alone (as a list's "yes" records it)."""
    return (
        label.valid_from >= datetime.date(year, 1, 1)
        and label.valid_to is not None
        and label.valid_to <= datetime.date(year, 12, 31)
    )


def label_changes(labels: list[Label], year: int, answers: dict) -> tuple[dict, list[str]]:
    """({kind: (held before, held after)} for the answers that change what the year holds, [kinds
    answered "no" while a label valid beyond the year holds them: the sheet contradicts a certificate])."""
    changes, conflicts = {}, []
    for kind, answer in answers.items():
        valid = [label for label in labels if label.kind == kind and label.valid_in(year)]
        if answer and not valid:
            changes[kind] = (False, True)
        elif not answer and valid:
            if all(_removable(label, year) for label in valid):
                changes[kind] = (True, False)
            else:
                conflicts.append(kind)
    return changes, conflicts


def write_labels(enterprise, year: int, changes: dict, labels: list[Label], by) -> None:
    """Make the year hold the labels as `label_changes` found; `labels` are the enterprise's."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with acting(by):
        for kind, (_before, after) in changes.items():
            mine = [label for label in labels if label.kind == kind]
            if after:
                previous = next((la for la in mine if la.valid_to == datetime.date(year - 1, 12, 31)), None)
                if previous is not None:
                    previous.valid_to = end
                    previous.save(update_fields=["valid_to"])
                else:
                    created = Label.objects.create(
                        enterprise=enterprise, kind=kind, valid_from=start, valid_to=end
                    )
                    labels.append(created)
            else:
                for label in mine:
                    if label.valid_in(year) and _removable(label, year):
                        label.delete()
                        labels.remove(label)
