"""Every change to an appeal and the desk around it, one transaction each, each writing its event and
its history: `from zoneos.appeals import services; services.sign_for(appeal, by=user)`.

- `workflow`: the one table of an appeal's steps (`APPEAL_WORKFLOW`), and `allowed_actions`;
- `parties`: who takes part (dispatchers, handlers, heads, the enterprise) and the desk's role sets;
- `steps`: submission and the verbs of the table;
- `deadlines`: deadline rules, the running clock and its alarms;
- `notices`: who hears of an appeal;
- `sweeping`: the deadline sweep and its digests;
- `desk`: attachments, symposia, visits, deadline policies and routing rules.
"""

from zoneos.workdays.calendar import due_in_working_days

from ..models import Category
from .deadlines import CONFIRM_DAYS, ESCALATION_DAYS, _alarms, _deadline, _next_alarm, _rearm, sla_rule
from .desk import (
    attach,
    delete_policy,
    delete_routing_rule,
    delete_symposium,
    delete_visit,
    record_visit,
    save_policy,
    save_routing_rule,
    save_symposium,
)
from .notices import department_handlers, enterprise_users, zone_supervisors
from .parties import (
    DISPATCH_ROLES,
    RECORDING_ROLES,
    SUBMITTING_ROLES,
    is_dispatcher,
    is_enterprise,
    is_handler,
    is_head,
    may_attach,
)
from .steps import (
    MAX_EXTENSION_DAYS,
    assign,
    close,
    decide_extension,
    evaluate,
    pause,
    reopen,
    reply,
    request_extension,
    resume,
    return_appeal,
    route,
    sign_for,
    start,
    submit,
    urge,
)
from .sweeping import _send_sweep_notices, sweep
from .workflow import APPEAL_WORKFLOW, allowed_actions

# The package's public names; `Category` and the private names are read by older callers (the tests,
# bench/appeals.py), which patch a module's name where it is used (`services.sweeping._write_swept`).
__all__ = [
    "APPEAL_WORKFLOW",
    "CONFIRM_DAYS",
    "DISPATCH_ROLES",
    "ESCALATION_DAYS",
    "MAX_EXTENSION_DAYS",
    "RECORDING_ROLES",
    "SUBMITTING_ROLES",
    "Category",
    "_alarms",
    "_deadline",
    "_next_alarm",
    "_rearm",
    "_send_sweep_notices",
    "allowed_actions",
    "assign",
    "attach",
    "close",
    "decide_extension",
    "due_in_working_days",
    "delete_policy",
    "delete_routing_rule",
    "delete_symposium",
    "delete_visit",
    "department_handlers",
    "enterprise_users",
    "evaluate",
    "is_dispatcher",
    "is_enterprise",
    "is_handler",
    "is_head",
    "may_attach",
    "pause",
    "record_visit",
    "reopen",
    "reply",
    "request_extension",
    "resume",
    "return_appeal",
    "route",
    "save_policy",
    "save_routing_rule",
    "save_symposium",
    "sign_for",
    "sla_rule",
    "start",
    "submit",
    "sweep",
    "urge",
    "zone_supervisors",
]
