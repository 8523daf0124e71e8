"""Every change to key-project supervision, and the figures derived from it.

Each function is atomic, checks that `by` may make the change, validates with the field named, and
writes its history attributed to `by`. Reports of a locked month answer 409; a revision with a reason
changes them. After any change the project's twelve `MonthFigure` rows are rewritten, so cumulative
figures and statuses are never typed and never stale.

The package holds one module per subject; callers use `services.<name>` for any of them.
"""

from .key_projects import (
    AREA_MONTHS,
    KEY_PROJECT_FIELDS,
    REPORT_FIELDS,
    create_key_project,
    delete_key_project,
    lock_month,
    locked_through,
    rebuild_area_months,
    refresh_figures,
    require_reporter,
    revise_report,
    submit_report,
    unlock_month,
    update_key_project,
)
from .months import DEFAULT_RULE, month_end, parse_month, rule_for
from .orders import (
    ANSWERING_ROLES,
    MAX_DEADLINE_DAYS,
    ORDER_WORKFLOW,
    answer_order,
    close_order,
    issue_order,
    may_answer,
    may_issue,
    overdue_q,
    send_back_order,
    withdraw_order,
)
from .schemes import (
    SCHEME_FIELDS,
    WEIGHTS,
    delete_scheme,
    delete_signing_target,
    save_scheme,
    save_signing_target,
)
from .summary import latest_reported_month, summary

__all__ = [
    "ANSWERING_ROLES",
    "DEFAULT_RULE",
    "KEY_PROJECT_FIELDS",
    "MAX_DEADLINE_DAYS",
    "ORDER_WORKFLOW",
    "REPORT_FIELDS",
    "SCHEME_FIELDS",
    "WEIGHTS",
    "answer_order",
    "close_order",
    "create_key_project",
    "delete_key_project",
    "delete_scheme",
    "delete_signing_target",
    "issue_order",
    "latest_reported_month",
    "lock_month",
    "locked_through",
    "may_answer",
    "may_issue",
    "month_end",
    "overdue_q",
    "parse_month",
    "AREA_MONTHS",
    "rebuild_area_months",
    "refresh_figures",
    "require_reporter",
    "revise_report",
    "rule_for",
    "save_scheme",
    "save_signing_target",
    "send_back_order",
    "submit_report",
    "summary",
    "unlock_month",
    "update_key_project",
    "withdraw_order",
]
