"""What a log line says about where it came from: the request id, and the request or task it was
written in. Kept in a context variable, so that every log call of a request (or of a task the request
queued) carries it without being handed it."""

from __future__ import annotations

import contextvars
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.utils.functional import empty

HEADER = "X-Request-ID"
# A proxy's or a client's id is taken as it is when it looks like one (a UUID, nginx's 32 hex digits, a
# load balancer's trace id); anything else, a newline or ten kilobytes, is replaced by an id of ours
# rather than written into every log line of the request.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


@dataclass(frozen=True, slots=True)
class Context:
    request_id: str
    method: str = ""
    path: str = ""
    task: str = ""
    request: Any = None  # the HttpRequest, read only for its user once it has been authenticated

    @property
    def user_id(self) -> int | None:
        """The signed-in user's id, if authentication has already run (never a query of its own)."""
        user = getattr(self.request, "user", None) if self.request is not None else None
        if user is None or getattr(user, "_wrapped", None) is empty:
            return None
        return user.pk if getattr(user, "is_authenticated", False) else None


_current: contextvars.ContextVar[Context | None] = contextvars.ContextVar("zoneos_context", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The id a request goes by: the one it came with when well-formed, else a new one."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return new_request_id()


def current() -> Context | None:
    return _current.get()


def current_request_id() -> str | None:
    context = _current.get()
    return context.request_id if context else None


def bind(context: Context) -> contextvars.Token:
    """Bind `context` until `unbind` is called with the token (for a start and an end that are two
    calls, such as the worker's task signals); `bound` is the block form."""
    return _current.set(context)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def bound(context: Context):
    """Every log line written inside the block carries `context`."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
