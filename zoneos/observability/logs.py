"""Log formats: one JSON object per line in production (what a log shipper indexes), a readable line in
development; both carry the request id. `LOGGING` in the settings installs the filter on the handler,
so that records of every logger (Django's, the task worker's, ours) pass through it."""

from __future__ import annotations

import datetime
import json
import logging

from .context import current

# The attributes every LogRecord has; anything else on a record was passed as `extra=` and is logged.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "request_tag"}
_CONTEXT = ("request_id", "user_id", "method", "path", "task")


class ContextFilter(logging.Filter):
    """Puts the request's (or task's) id, method, path and user on each record, unless the record
    already names them (the access log line does)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current()
        for name in _CONTEXT:
            if getattr(record, name, None) is None:
                value = getattr(context, name, None) if context else None
                setattr(record, name, value or None)
        return True


class JSONFormatter(logging.Formatter):
    """time (ISO 8601, UTC), level, logger, message, the context, the `extra` fields, and the exception
    with its traceback; one line, whatever the message holds."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # The context first (what a reader filters on), then the record's own `extra` fields.
        fields = vars(record)
        for name in (*_CONTEXT, *fields):
            value = fields.get(name)
            if name in entry or name in _STANDARD or name.startswith("_") or value is None:
                continue
            if isinstance(value, str | int | float | bool):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time level logger [request id] message`, for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_tag)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_tag = getattr(record, "request_id", None) or "-"
        return super().format(record)
