"""Periodic jobs of research projects, run by `manage.py scheduler`."""

from zoneos.scheduler.registry import periodic

from .warnings import sweep


@periodic(at="02:55", name="research.warnings")
def warn_of_research_spending():
    """Tell each area's staff of the research projects newly over budget in a category or whose spending
    lags time (once per warning)."""
    return sweep()
