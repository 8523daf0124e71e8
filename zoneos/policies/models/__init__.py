"""The policies app's records, one module per part: the catalogue and rules (`catalogue`); applications
and review (`applications`) and budgets and payments (`money`) sit beside it."""

from .catalogue import (
    CATEGORY_COLOR,
    Attachment,
    Category,
    DeclaredFact,
    Metrics,
    Mode,
    Parameter,
    Policy,
    PolicyItem,
    Rule,
    RuleStatus,
)

__all__ = [
    "CATEGORY_COLOR",
    "Attachment",
    "Category",
    "DeclaredFact",
    "Metrics",
    "Mode",
    "Parameter",
    "Policy",
    "PolicyItem",
    "Rule",
    "RuleStatus",
]
