"""The columns of the security log's csv and xlsx files."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from zoneos.tabular.export import ExportColumn


def event_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Time"), lambda e: timezone.localtime(e.at).isoformat(timespec="seconds")),
        ExportColumn(_("Kind"), lambda e: e.get_kind_display()),
        ExportColumn(_("Username"), lambda e: e.username),
        ExportColumn(_("User id"), lambda e: e.user_id),
        ExportColumn(_("IP address"), lambda e: e.address),
        ExportColumn(_("User agent"), lambda e: e.user_agent),
        ExportColumn(_("Path"), lambda e: e.path),
        ExportColumn(_("Detail"), lambda e: json.dumps(e.detail, ensure_ascii=False, sort_keys=True)),
    ]
