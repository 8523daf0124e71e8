"""What the row and card tests render projects with: areas, officers and amounts chosen to be awkward
(names to escape, an empty English name, no officer, amounts from none to billions and below zero)."""

from decimal import Decimal

from zoneos.accounts.models import User
from zoneos.areas.models import Area


def areas() -> list[Area]:
    return [Area(pk=2, name="一号园", name_en="Park <One> & Co"), Area(pk=3, name="二号园", name_en="")]


def owners() -> list[User | None]:
    return [
        None,
        User(pk=5, username="li<wei>", display_name=""),
        User(pk=6, username="x", display_name="王 & 李"),
    ]


AMOUNTS = [None, *map(Decimal, ["0", "1234.5", "56000000", "-3", "12345678901.23"])]
