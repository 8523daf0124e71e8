"""Record ids as the database holds them: what a query, form or API value may name."""

MAX_ID = 2**63 - 1  # the largest id a database integer column holds


def as_id(value) -> int | None:
    """A record id from a query or form value: ASCII digits naming an id a database holds, else None
    (so "²", "-1" or a 30-digit number are simply not found rather than a server error)."""
    raw = str(value if value is not None else "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None
