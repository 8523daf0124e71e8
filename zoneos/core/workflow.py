"""Workflows declared once: a record type's steps as one table (from-states, to-state, who may take
the step, its input fields, the event it writes), from which the checks, `allowed_actions`, the page
forms, the API's step actions with their OpenAPI entries and the permission matrix are derived.

A `Workflow` knows nothing of any module: an app declares its table with `Step`, `Party` and `Input`
rows and its services call `workflow.check(record, step, by)` under their row lock before they change
anything. Pages build `workflow.form_class(step)`; the API mixes in `workflow.api_actions(...)`.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from zoneos.core.errors import Conflict
from zoneos.core.ids import MAX_ID


@dataclass(frozen=True)
class Party:
    """Someone who may take steps: a name (what the permission matrix maps to roles) and the check
    that answers whether a user is that party for a record."""

    name: str
    check: Callable[[Any, Any], bool]

    def __call__(self, user, record) -> bool:
        return self.check(user, record)


@dataclass(frozen=True)
class Input:
    """One input of a step, declared once for the page form and the API body.

    `kind` is text, int, decimal (an amount in yuan), choice, record, date, file or bool. Pages never
    require a field (the service's own validation speaks, naming the field); the API requires those
    with `required`, as a missing key is a malformed call rather than a user's omission.
    `queryset(user, record)` gives a record field's valid choices; `page_queryset` may narrow the list
    a page offers; `model` names the record's model (the API document reads its id type from it).
    `initial(user, record)` gives the value a page's form starts with.
    """

    name: str
    kind: str
    label: Any
    required: bool = False
    help: Any = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    choices: Any = None
    rows: int = 0
    allow_null: bool = False
    queryset: Callable[[Any, Any], QuerySet] | None = None
    page_queryset: Callable[[Any, Any], QuerySet] | None = None
    label_from_instance: Callable[[Any], str] | None = None
    model: type[Model] | None = None
    initial: Callable[[Any, Any], Any] | None = None

    # The page's field -------------------------------------------------------------------------------
    def form_field(self) -> forms.Field:
        common = {"label": self.label, "required": False, "help_text": self.help}
        if self.kind == "text":
            widget = forms.Textarea(attrs={"rows": self.rows}) if self.rows else None
            return forms.CharField(max_length=self.max_length, widget=widget, **common)
        if self.kind == "int":
            return forms.IntegerField(min_value=self.min_value, max_value=self.max_value, **common)
        if self.kind == "decimal":
            return forms.DecimalField(max_digits=18, decimal_places=2, min_value=0, **common)
        if self.kind == "choice":
            return forms.ChoiceField(choices=self.choices, widget=forms.RadioSelect, **common)
        if self.kind == "record":
            return forms.ModelChoiceField(queryset=None, **common)
        if self.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if self.kind == "file":
            return forms.FileField(**common)
        if self.kind == "bool":
            return forms.BooleanField(**common)
        raise ValueError(f"unknown input kind {self.kind!r}")

    # The API's field --------------------------------------------------------------------------------
    def api_field(self) -> serializers.Field:
        common: dict[str, Any] = {"required": self.required, "help_text": self.help or None}
        if self.kind == "text":
            return serializers.CharField(allow_blank=True, max_length=self.max_length, **common)
        if self.kind == "int":
            return serializers.IntegerField(min_value=self.min_value, max_value=self.max_value, **common)
        if self.kind == "decimal":
            return serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0, **common)
        if self.kind == "choice":
            return serializers.ChoiceField(choices=self.choices, **common)
        if self.kind == "record":
            return _RecordField(self, allow_null=self.allow_null, **common)
        if self.kind == "date":
            return serializers.DateField(**common)
        if self.kind == "file":
            return serializers.FileField(**common)
        if self.kind == "bool":
            return serializers.BooleanField(**common)
        raise ValueError(f"unknown input kind {self.kind!r}")


class _RecordField(serializers.PrimaryKeyRelatedField):
    """A record chosen by id among those the input's `queryset(user, record)` offers the caller."""

    def __init__(self, spec: Input, **kwargs):
        self.spec = spec
        if spec.model is not None:
            # Never queried (`get_queryset` answers): it tells the API document the id's type.
            kwargs["queryset"] = spec.model._default_manager.none()
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # An id no table can hold reads as "does not exist" rather than failing in the database.
        if isinstance(data, int | str) and str(data).lstrip("-").isdigit() and not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def get_queryset(self):
        request = self.context.get("request")
        return self.spec.queryset(getattr(request, "user", None), self.context.get("record"))


@dataclass(frozen=True)
class Step:
    """One row of a workflow's table.

    `sources` are the states the step starts from; `target` the state it leads to (None for a flag
    that changes no state: urging, pausing). `who` are the parties that may take it; `when` a further
    condition on the record (a paused appeal cannot be signed for). `run(record, by=user, **inputs)`
    is the service that takes it; `event` the kind of event row it writes (the step's name unless
    said). `label`, `help`, `icon` and `button` are for pages; `summary` for the API document;
    `path` is the step's URL segment when it is not the step's name (an existing URL with a hyphen);
    `forbidden` words the 403 to someone who is none of the parties.
    """

    name: str
    label: Any
    sources: frozenset[str]
    target: str | None
    who: tuple[Party, ...]
    run: Callable[..., Any]
    inputs: tuple[Input, ...] = ()
    when: Callable[[Any], bool] | None = None
    event: str = ""
    summary: str = ""
    help: Any = ""
    icon: str = "arrow-right-circle"
    button: str = "primary"
    extra: dict = field(default_factory=dict)
    path: str = ""
    forbidden: Any = ""

    @property
    def event_kind(self) -> str:
        return self.event or self.name

    @property
    def method_name(self) -> str:
        """A Python name for the API action (`return` is a keyword)."""
        return f"{self.name}_" if keyword.iskeyword(self.name) else self.name

    @property
    def url_path(self) -> str:
        return self.path or self.name


class Workflow:
    """The table of one record type's steps, in the order pages show them, and what follows from it.

    `state` is the record's state attribute. `refusal(record, step)` words the 409 a step gets
    from a state that does not allow it; `forbidden` the 403 of a user who does not take it.
    """

    def __init__(
        self,
        name: str,
        *,
        state: str,
        steps: Iterable[Step],
        refusal: Callable[[Any, Step], str] | None = None,
        form_base: type[forms.Form] = forms.Form,
        forbidden: Any = None,
    ):
        self.name = name
        self.state = state
        self.steps: dict[str, Step] = {}
        for step in steps:
            if step.name in self.steps:
                raise ValueError(f"step {step.name!r} is declared twice in {name}")
            self.steps[step.name] = step
        self._refusal = refusal
        self.form_base = form_base
        self._forbidden = forbidden

    def forbidden(self) -> str:
        """The message of a step refused to the user (403)."""
        return str(self._forbidden) if self._forbidden else _("You may not take this step.")

    def __iter__(self):
        return iter(self.steps.values())

    def __contains__(self, name: str) -> bool:
        return name in self.steps

    def __getitem__(self, name: str) -> Step:
        return self.steps[name]

    def moves(self) -> dict[str, tuple[frozenset[str], str | None]]:
        """step -> (from-states, to-state): the table as data, for documents and tests."""
        return {s.name: (s.sources, s.target) for s in self}

    def targets(self, state: str) -> list[str]:
        """The states a record in `state` may reach by one step."""
        return [s.target for s in self if s.target and state in s.sources]

    # Checks -----------------------------------------------------------------------------------------
    def possible(self, record, name: str) -> bool:
        """Whether the record's state (and the step's further condition) allows the step now."""
        step = self.steps[name]
        if getattr(record, self.state) not in step.sources:
            return False
        return step.when is None or bool(step.when(record))

    def may(self, user, record, name: str) -> bool:
        """Whether `user` is one of the parties that take the step on this record."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return any(party(user, record) for party in self.steps[name].who)

    def allowed(self, user, record) -> list[str]:
        """The steps `user` may take on `record` now, in the table's order."""
        return [s.name for s in self if self.possible(record, s.name) and self.may(user, record, s.name)]

    def check(self, record, name: str, by) -> Step:
        """Refuse a step the user does not take (403) or the state does not allow (409); callers hold
        the record's row lock, so the answer stands until they write."""
        step = self.steps[name]
        if not self.may(by, record, name):
            raise PermissionDenied(step.forbidden or self.forbidden())
        if not self.possible(record, name):
            raise Conflict(
                self._refusal(record, step) if self._refusal else _("This step is not possible now.")
            )
        return step

    def take(self, name: str, record, *, by, **inputs):
        """Run the step's service with the inputs (which checks, locks and writes)."""
        return self.steps[name].run(record, by=by, **inputs)

    # Pages ------------------------------------------------------------------------------------------
    @cached_property
    def _forms(self) -> dict[str, type[forms.Form]]:
        made = {}
        for step in self:
            attrs = {i.name: i.form_field() for i in step.inputs}
            attrs["step"] = step
            made[step.name] = type(f"{_camel(step.name)}Form", (StepForm, self.form_base), attrs)
        return made

    def form_class(self, name: str) -> type[forms.Form]:
        """The page form of a step: its inputs, with record choices narrowed for the user and record
        (`form_class(step)(data, user=..., record=..., prefix=...)`)."""
        return self._forms[name]

    # API --------------------------------------------------------------------------------------------
    @cached_property
    def _serializers(self) -> dict[str, type[serializers.Serializer] | None]:
        made: dict[str, type[serializers.Serializer] | None] = {}
        for step in self:
            if not step.inputs:
                made[step.name] = None
                continue
            attrs = {i.name: i.api_field() for i in step.inputs}
            name = f"{_camel(self.name)}{_camel(step.name)}Input"
            made[step.name] = type(name, (serializers.Serializer,), attrs)
        return made

    def serializer_class(self, name: str) -> type[serializers.Serializer] | None:
        return self._serializers[name]

    def action_names(self) -> set[str]:
        """The API's action names of the steps (as `self.action` reads in a viewset)."""
        return {s.method_name for s in self}

    def api_actions(self, response_serializer) -> type:
        """A viewset mixin with one POST action per step at `{id}/<step>/`, documented with the step's
        input and `response_serializer`. The viewset provides `run_step(request, step)`."""
        attrs = {}
        for step in self:
            attrs[step.method_name] = _api_action(step, self.serializer_class(step.name), response_serializer)
        return type(f"{_camel(self.name)}Steps", (), attrs)


class StepForm:
    """The page form of one step (generated by `Workflow.form_class`): the user and the record it acts
    on, and record choices narrowed for them. The app's `form_base` (its styling) comes after it."""

    step: Step

    def __init__(self, *args, user=None, record=None, **kwargs):
        self.user, self.record = user, record
        super().__init__(*args, **kwargs)
        for spec in self.step.inputs:
            if spec.kind == "record":
                choose = spec.page_queryset or spec.queryset
                self.fields[spec.name].queryset = choose(user, record)
                if spec.label_from_instance:
                    self.fields[spec.name].label_from_instance = spec.label_from_instance
            if spec.initial is not None:
                self.fields[spec.name].initial = spec.initial(user, record)


def _api_action(step: Step, input_serializer, response_serializer):
    def run(self, request, pk=None):
        return self.run_step(request, step)

    run.__name__ = step.method_name
    run.__doc__ = step.summary or str(step.label)
    decorated = action(
        detail=True, methods=["post"], url_path=step.url_path, url_name=step.url_path.replace("_", "-")
    )(run)
    return extend_schema(
        summary=step.summary or str(step.label),
        request=input_serializer,
        responses={200: response_serializer},
    )(decorated)


class StepViewMixin:
    """The API side of a workflow for a ScopedViewSet: found (else 404), the caller's step (else 403),
    a valid body (else 400, naming the field), then the service (409 from the state, under the row
    lock). The record is answered as a GET shows it."""

    workflow: Workflow

    def run_step(self, request, step: Step):
        record = self.get_object()
        if not self.workflow.may(request.user, record, step.name):
            raise ApiPermissionDenied(step.forbidden or self.workflow.forbidden())
        values = {}
        input_serializer = self.workflow.serializer_class(step.name)
        if input_serializer is not None:
            context = {**self.get_serializer_context(), "record": record}
            body = input_serializer(data=request.data, context=context)
            body.is_valid(raise_exception=True)
            values = body.validated_data
        done = step.run(record, by=request.user, **values)
        return Response(self.read_back(done if isinstance(done, Model) else record))

    def read_back(self, instance):
        # A step may take the record out of the caller's sight (a handler returning an appeal): they
        # still get the record as it now stands.
        found = self.get_queryset().filter(pk=instance.pk).first()
        return self.get_serializer(found or type(instance)._default_manager.get(pk=instance.pk)).data


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))
