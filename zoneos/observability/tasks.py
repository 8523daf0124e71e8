"""The task decorator of ZoneOS: django_tasks' `task`, whose tasks carry the request id of whoever
queued them, so that a task's log lines name the request (the upload, the appeal step) that caused it.

Enqueueing adds the current request id as one keyword argument, stored with the task's arguments; the
function runs with the id bound and never sees the argument. A task queued outside any request (the
scheduler, a management command) runs under an id of its own, which the tasks it queues inherit."""

from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass
from inspect import iscoroutinefunction
from typing import Any

from django.dispatch import receiver
from django.utils.version import PY311
from django_tasks.base import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_PRIORITY, DEFAULT_TASK_QUEUE_NAME, Task
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_module_path

from .context import Context, bind, bound, current_request_id, new_request_id, unbind

ARGUMENT = "_request_id"


def _carrying_request_id(kwargs: dict) -> dict:
    request_id = current_request_id()
    return {**kwargs, ARGUMENT: request_id} if request_id and ARGUMENT not in kwargs else kwargs


@dataclass(frozen=True, slots=PY311, kw_only=True)
class TracedTask(Task):
    # Task is a slotted dataclass: zero-argument super() does not work in its subclasses' methods.
    def enqueue(self, *args: Any, **kwargs: Any):
        return Task.enqueue(self, *args, **_carrying_request_id(kwargs))

    async def aenqueue(self, *args: Any, **kwargs: Any):
        return await Task.aenqueue(self, *args, **_carrying_request_id(kwargs))


def _traced(function):
    path = get_module_path(function)

    def context(kwargs: dict) -> Context:
        return Context(request_id=kwargs.pop(ARGUMENT, None) or new_request_id(), task=path)

    if iscoroutinefunction(function):

        @functools.wraps(function)
        async def run_async(*args, **kwargs):
            with bound(context(kwargs)):
                return await function(*args, **kwargs)

        return run_async

    # functools.wraps keeps the function's module and name, by which the worker finds the task again.
    @functools.wraps(function)
    def run(*args, **kwargs):
        with bound(context(kwargs)):
            return function(*args, **kwargs)

    return run


def task(
    function=None,
    *,
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
    takes_context: bool = False,
):
    """`@task()` as in django_tasks, with the request id carried (see the module's docstring)."""

    def decorate(f) -> TracedTask:
        return TracedTask(
            func=_traced(f),
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            takes_context=takes_context,
            run_after=None,
        )

    return decorate(function) if function else decorate


# The worker's own lines about a task (django_tasks logs its start, its end, and a failure with its
# traceback) are written outside the function, so the id is also bound from the start signal to the
# end signal. The start line itself precedes this receiver; the end and failure lines carry the id.
_bindings: dict[str, contextvars.Token] = {}


@receiver(task_started, dispatch_uid="zoneos.observability.task_started")
def _bind_request_id(sender, task_result, **kwargs) -> None:
    request_id = task_result.kwargs.get(ARGUMENT)
    if request_id:
        context = Context(request_id=request_id, task=task_result.task.module_path)
        _bindings[task_result.id] = bind(context)


@receiver(task_finished, dispatch_uid="zoneos.observability.task_finished")
def _unbind_request_id(sender, task_result, **kwargs) -> None:
    if token := _bindings.pop(task_result.id, None):
        unbind(token)
