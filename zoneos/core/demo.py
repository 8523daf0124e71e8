"""The demo loader: runs, in their declared order, the steps each app registers in its `demo.py`.

Steps are found by `autodiscover_modules("demo")` when the demo is loaded (not when a web process
starts), so this module names no app. Each step finds its records by their natural keys and creates
them or brings them back to the demo's values through the services, so a second load changes nothing
and every change it does make is in the history, authored by the demo's superuser.

    from zoneos.core import demo

    @demo.step(order=40)
    def load_registry(ctx: demo.DemoContext) -> None: ...

A step reads what earlier steps loaded from the context (`ctx.areas["FS-GX"]`, `ctx.users["leader"]`)
and counts what it created or changed in `ctx.created` and `ctx.updated`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

DEMO_PASSWORD = os.environ.get("ZONEOS_DEMO_PASSWORD", "gaoxinqu-2026")
SUPERUSER = "root"


@dataclass
class DemoContext:
    by: object
    areas: dict = field(default_factory=dict)  # area code -> Area
    departments: dict = field(default_factory=dict)  # (area code, name) -> Department
    enterprises: dict = field(default_factory=dict)  # USCC -> Enterprise
    users: dict = field(default_factory=dict)  # username -> User
    created: int = 0
    updated: int = 0


Step = Callable[[DemoContext], None]
_steps: dict[str, tuple[int, Step]] = {}


def register(load: Step, order: int) -> Step:
    """Add a step; steps run by ascending `order` (apps leave gaps for the steps of others)."""
    key = f"{load.__module__}.{load.__qualname__}"
    taken = {o: k for k, (o, _s) in _steps.items() if k != key}
    if order in taken:
        raise ImproperlyConfigured(f"Demo steps {key} and {taken[order]} both have order {order}.")
    _steps[key] = (order, load)
    return load


def step(order: int) -> Callable[[Step], Step]:
    """`@demo.step(order=...)`: register the decorated function as a step."""
    return lambda load: register(load, order)


def steps() -> list[Step]:
    autodiscover_modules("demo")
    return [load for _order, load in sorted(_steps.values(), key=lambda s: s[0])]


def differs(record, values: dict) -> dict:
    """The values that differ from the record's (what a step has to bring back)."""
    return {k: v for k, v in values.items() if getattr(record, k) != v}


def ensure_superuser():
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(username=SUPERUSER).first()
    if user is None:
        user = User.objects.create_superuser(
            SUPERUSER, f"{SUPERUSER}@zoneos.example", DEMO_PASSWORD, display_name="系统管理员"
        )
    return user


@transaction.atomic
def load() -> DemoContext:
    ctx = DemoContext(by=ensure_superuser())
    for load_step in steps():
        load_step(ctx)
    return ctx
