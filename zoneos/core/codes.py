"""Code validators: the unified social credit code (GB 32100-2015) and GB/T 4754 industry codes.

USCC checks run in this order, each only if the previous one passed: length 18, character set, positions
3-8 digits, the mod-31 check character (an error), then the embedded GB 11714 organisation-code check (a
warning only: many genuine codes fail it). Genuine legacy pilot codes that fail mod 31 are admitted only
through an explicit, audited override on the record, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


@dataclass
class UsccCheck:
    code: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # True when the only error is the mod-31 check character (an override may admit such a code).
    checksum_only: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_uscc(value: str | None) -> str:
    """Upper-case, without spaces (people paste codes with spaces and in lower case)."""
    return "".join((value or "").split()).upper()


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check_character(body8: str) -> str:
    value = 11 - sum(ORG_VALUE[c] * w for c, w in zip(body8, ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_uscc(value: str | None) -> UsccCheck:
    code = normalise_uscc(value)
    result = UsccCheck(code)
    if len(code) != 18:
        result.errors.append(
            str(_("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)})
        )
        return result
    bad = sorted({c for c in code if c not in USCC_VALUE})
    if bad:
        result.errors.append(
            str(
                _(
                    "Characters not allowed in a unified social credit code: %(chars)s "
                    "(I, O, S, V, Z are never used)."
                )
                % {"chars": ", ".join(bad)}
            )
        )
        return result
    if not code[2:8].isdigit():
        result.errors.append(
            str(_("Positions 3 to 8 (the registering authority's division code) must be digits."))
        )
        return result
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        result.errors.append(
            str(
                _("The check character is '%(given)s' but should be '%(expected)s': the code is mistyped.")
                % {"given": code[17], "expected": expected}
            )
        )
        result.checksum_only = True
        return result
    body = code[8:16]
    if all(c in ORG_VALUE for c in body):
        org_expected = org_check_character(body)
        if code[16] != org_expected:
            result.warnings.append(
                str(
                    _(
                        "The embedded organisation code's check character is '%(given)s'; "
                        "GB 11714 expects '%(expected)s'."
                    )
                    % {"given": code[16], "expected": org_expected}
                )
            )
    return result


def build_uscc(authority: str, category: str, division: str, org_body8: str) -> str:
    """A valid code from its parts (used by the demo zone and the tests)."""
    first17 = authority + category + division + org_body8 + org_check_character(org_body8)
    return first17 + uscc_check_character(first17)
