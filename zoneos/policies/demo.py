"""Policy delivery in the demo: the catalogue and rules (pol17a), then applications and money."""

from . import demo_money  # noqa: F401  (its steps register themselves)
