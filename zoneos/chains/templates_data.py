"""The chain templates that ship with ZoneOS (`data/templates.json`): shared chains without an area that
a zone adopts as its own copy. Loaded by a data migration; a template already present (by code) is
left as its keepers have edited it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "templates.json"


def templates() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load(chain_model, link_model, edge_model) -> int:
    """Create the shipped templates that are missing; the models are passed in (a migration's)."""
    created = 0
    for t in templates():
        if chain_model.objects.filter(code=t["code"]).exists():
            continue
        chain = chain_model.objects.create(
            code=t["code"],
            name=t["name"],
            name_en=t["name_en"],
            description=t.get("description", ""),
            description_en=t.get("description_en", ""),
        )
        links = {}
        for position, link in enumerate(t["links"]):
            links[link["code"]] = link_model.objects.create(
                chain=chain,
                code=link["code"],
                parent=links.get(link.get("parent")),
                name=link["name"],
                name_en=link.get("name_en", ""),
                segment=link["segment"],
                industry_codes=link.get("industry_codes", []),
                keywords=link.get("keywords", []),
                weight=Decimal(link.get("weight", "1")),
                bottleneck=link.get("bottleneck", False),
                position=position,
            )
        for source, target in t.get("edges", []):
            edge_model.objects.create(chain=chain, source=links[source], target=links[target])
        created += 1
    return created
