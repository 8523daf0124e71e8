"""Land is counted in 亩 (mu) and stored in square metres: 1 亩 = 10,000/15 m² (666.67 m² to the
centimetre). The conversion is declared here once; parcels, the pipeline's land need, matching, forms,
the API and the pages all go through these two functions, so that "50 亩" typed anywhere is the same
33,333.33 m² everywhere and compares equal to itself."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SQUARE_METRES_PER_MU = Fraction(10000, 15)
CENT = Decimal("0.01")


def m2_from_mu(mu) -> Decimal | None:
    """亩 as square metres, to the centimetre (half up): 50 → 33333.33."""
    if mu in (None, ""):
        return None
    value = Decimal(mu) * SQUARE_METRES_PER_MU.numerator / SQUARE_METRES_PER_MU.denominator
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def mu_from_m2(m2) -> Decimal | None:
    """Square metres as 亩, to two decimals (half up): 33333.33 → 50.00."""
    if m2 in (None, ""):
        return None
    value = Decimal(m2) * SQUARE_METRES_PER_MU.denominator / SQUARE_METRES_PER_MU.numerator
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
