"""The policies app's records, one module per part: the catalogue and rules (`catalogue`); applications
and review (`applications`) and budgets and payments (`money`) sit beside it."""

from .applications import (  # noqa: I001  (after the catalogue they point at)
    APPLICATION_COLOR,
    GRANTED,
    ApplicationStatus,
    ApplicationStep,
    PolicyApplication,
    StepKind,
)
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
from .money import Budget, LedgerEntry, LedgerKind, Payment

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
    "APPLICATION_COLOR",
    "GRANTED",
    "ApplicationStatus",
    "ApplicationStep",
    "PolicyApplication",
    "StepKind",
    "Budget",
    "LedgerEntry",
    "LedgerKind",
    "Payment",
]
